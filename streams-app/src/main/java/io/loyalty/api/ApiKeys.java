package io.loyalty.api;

import io.loyalty.accounts.AccountKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys with roles and organizations, configured as {@code name:role:organizations:sha256-hex[:expires]}
 * entries (api.keys, comma-separated). {@code organizations} names the organizations the key acts for, separated
 * by '/' (an organization id never holds one, nor a comma), or is {@code *} for every organization (a platform
 * operator's key); {@code expires} is an optional last day of validity (yyyy-MM-dd, UTC). Several entries may
 * share a name: a key is rotated by adding the new one, moving its users over, then removing (or letting expire)
 * the old one. Only the hash is stored, and a presented key is compared by its hash in constant time. A role
 * allows what the roles below it allow (admin > manager > register). An entry of the earlier form {@code
 * name:role:sha256-hex} acts for every organization, and the start warns about it.
 */
public final class ApiKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
  /** Separates the organizations of an entry. */
  public static final String ORGANIZATION_SEPARATOR = "/";
  public static final String ALL_ORGANIZATIONS = "*";

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

  /**
   * Who called: the key's name (recorded as the actor of what it writes), its role and the organizations it acts
   * for (empty: every organization).
   */
  public record Caller(String name, Role role, Set<String> organizations) {
    public static Caller ofAll(String name, Role role) {
      return new Caller(name, role, Set.of());
    }

    public boolean actsForAll() {
      return organizations.isEmpty();
    }

    public boolean actsFor(String organizationId) {
      return actsForAll() || organizations.contains(organizationId);
    }
  }

  private record Entry(Caller caller, byte[] hash, LocalDate lastDay) {}

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
      int position = i + 1;
      boolean earlierForm = parts.length == 3;
      if (parts.length < 3 || parts.length > 5 || parts[0].isBlank() || !parts[earlierForm ? 2 : 3].matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("api.keys entry " + position + " is not name:role:organizations:sha256-hex[:expires]");
      }
      String hash = parts[earlierForm ? 2 : 3];
      Role role;
      try {
        role = Role.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("api.keys entry " + position + " has role '" + parts[1] + "'; roles: monitor, register, manager, admin");
      }
      String name = parts[0].trim();
      Set<String> organizations = earlierForm ? Set.of() : organizations(parts[2].trim(), position);
      if (earlierForm) {
        LOG.warn("api.keys entry {} ({}) names no organizations, so it acts for every organization: write {}:{}:*:<hash> to say so, "
            + "or {}:{}:ORG[/ORG...]:<hash> to scope it", position, name, name, parts[1].trim(), name, parts[1].trim());
      }
      LocalDate lastDay = null;
      if (parts.length == 5) {
        try {
          lastDay = LocalDate.parse(parts[4].trim());
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("api.keys entry " + position + " expires '" + parts[4] + "': a date, yyyy-MM-dd");
        }
      }
      entries.add(new Entry(new Caller(name, role, organizations), HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT)), lastDay));
    }
    return new ApiKeys(entries);
  }

  private static Set<String> organizations(String spec, int position) {
    if (spec.equals(ALL_ORGANIZATIONS)) {
      return Set.of();
    }
    Set<String> organizations = new LinkedHashSet<>();
    for (String organization : spec.split(ORGANIZATION_SEPARATOR, -1)) {
      if (!AccountKey.isValidOrganizationId(organization) || organization.equals(ALL_ORGANIZATIONS)) {
        throw new IllegalArgumentException("api.keys entry " + position + " names organizations '" + spec
            + "': organization ids separated by '" + ORGANIZATION_SEPARATOR + "', or " + ALL_ORGANIZATIONS + " for all");
      }
      organizations.add(organization);
    }
    return Set.copyOf(organizations);
  }

  /** The whole api.keys entry of a key: what `hash-key` prints. */
  public static String entry(String name, Role role, List<String> organizations, String key, Optional<LocalDate> lastDay) {
    String scope = organizations.equals(List.of(ALL_ORGANIZATIONS)) ? ALL_ORGANIZATIONS : String.join(ORGANIZATION_SEPARATOR, organizations);
    String entry = name + ":" + role.name().toLowerCase(Locale.ROOT) + ":" + scope + ":" + hash(key) + lastDay.map(day -> ":" + day).orElse("");
    parse(entry);
    return entry;
  }

  /** The caller a presented key belongs to; empty for a missing, unknown or expired key. */
  public Optional<Caller> authenticate(String presented, Instant now) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presented);
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Caller found = null;
    for (Entry entry : entries) {
      // Every entry is compared, in constant time, so the time taken tells nothing of which key came close.
      if (MessageDigest.isEqual(entry.hash(), hash) && (entry.lastDay() == null || !today.isAfter(entry.lastDay()))) {
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
