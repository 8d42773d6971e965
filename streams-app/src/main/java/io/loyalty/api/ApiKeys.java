package io.loyalty.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * API keys with roles, configured as {@code name:role:sha256-hex} entries (api.keys, comma-separated): only the
 * hash is stored, and a presented key is compared by its hash in constant time. A role allows what the roles
 * below it allow (admin > manager > register).
 */
public final class ApiKeys {
  /**
   * What a key may do: scrape /metrics only (a monitoring system's key), read and register operations, then
   * adjustments, then boosts and administration.
   */
  public enum Role {
    MONITOR, REGISTER, MANAGER, ADMIN;

    public boolean allows(Role needed) {
      return ordinal() >= needed.ordinal();
    }
  }

  /** Who called: the key's name (recorded as the actor of what it writes) and its role. */
  public record Caller(String name, Role role) {}

  private record Entry(Caller caller, byte[] hash) {}

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = entries;
  }

  /** Parses api.keys; a malformed entry fails the start, naming the entry's position (never its hash). */
  public static ApiKeys parse(String spec) {
    List<Entry> entries = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return new ApiKeys(entries);
    }
    String[] items = spec.split(",");
    for (int i = 0; i < items.length; i++) {
      String[] parts = items[i].trim().split(":");
      if (parts.length != 3 || parts[0].isBlank() || !parts[2].matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("api.keys entry " + (i + 1) + " is not name:role:sha256-hex");
      }
      Role role;
      try {
        role = Role.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("api.keys entry " + (i + 1) + " has role '" + parts[1] + "'; roles: monitor, register, manager, admin");
      }
      entries.add(new Entry(new Caller(parts[0].trim(), role), HexFormat.of().parseHex(parts[2].toLowerCase(Locale.ROOT))));
    }
    return new ApiKeys(entries);
  }

  /** The caller a presented key belongs to; empty for a missing or unknown key. */
  public Optional<Caller> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presented);
    Caller found = null;
    for (Entry entry : entries) {
      // Every entry is compared, in constant time, so the time taken tells nothing of which key came close.
      if (MessageDigest.isEqual(entry.hash(), hash)) {
        found = entry.caller();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The hex SHA-256 of a key: what api.keys holds. */
  public static String hash(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
