package io.loyalty.accounts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys of the contact index: an organization, the kind of contact and a hash of the contact normalized (an
 * email trimmed and lower-cased; a phone number's digits, a 10-digit North American number with its country
 * code 1), so the register can find a customer by phone or email while no key holds either in clear. With a
 * secret (contact.index.key) the hash is an HMAC-SHA256, which someone reading the index cannot test guessed
 * phone numbers against; without one, a plain SHA-256 (demo and tests).
 */
public final class ContactKeys {
  private final byte[] secret;

  /** @param secret the deployment's contact.index.key; empty for an unkeyed hash */
  public ContactKeys(String secret) {
    this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
  }

  public boolean isKeyed() {
    return secret.length > 0;
  }

  /** Null when there is no email. */
  public String email(String organizationId, String email) {
    if (email == null || email.isBlank()) {
      return null;
    }
    return key(organizationId, "email", email.trim().toLowerCase(Locale.ROOT));
  }

  /** Null when the number has no digit. */
  public String phone(String organizationId, String phone) {
    if (phone == null) {
      return null;
    }
    String digits = phone.replaceAll("[^0-9]", "");
    if (digits.isEmpty()) {
      return null;
    }
    return key(organizationId, "phone", digits.length() == 10 ? "1" + digits : digits);
  }

  private String key(String organizationId, String kind, String normalized) {
    byte[] input = (organizationId + ":" + kind + ":" + normalized).getBytes(StandardCharsets.UTF_8);
    try {
      byte[] hash;
      if (isKeyed()) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        hash = mac.doFinal(input);
      } else {
        hash = MessageDigest.getInstance("SHA-256").digest(input);
      }
      return organizationId + "|" + kind + "|" + HexFormat.of().formatHex(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256 and HmacSHA256", e);
    }
  }
}
