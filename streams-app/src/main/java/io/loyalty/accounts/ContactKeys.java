package io.loyalty.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Keys of the contact index: an organization, the kind of contact and the SHA-256 of the contact normalized
 * (an email trimmed and lower-cased; a phone number's digits, a 10-digit North American number with its country
 * code 1), so the register can find a customer by phone or email while no key holds either in clear.
 */
public final class ContactKeys {
  private ContactKeys() {}

  /** Null when there is no email. */
  public static String email(String organizationId, String email) {
    if (email == null || email.isBlank()) {
      return null;
    }
    return key(organizationId, "email", email.trim().toLowerCase(Locale.ROOT));
  }

  /** Null when the number has no digit. */
  public static String phone(String organizationId, String phone) {
    if (phone == null) {
      return null;
    }
    String digits = phone.replaceAll("[^0-9]", "");
    if (digits.isEmpty()) {
      return null;
    }
    return key(organizationId, "phone", digits.length() == 10 ? "1" + digits : digits);
  }

  private static String key(String organizationId, String kind, String normalized) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((organizationId + ":" + kind + ":" + normalized)
          .getBytes(StandardCharsets.UTF_8));
      return organizationId + "|" + kind + "|" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
