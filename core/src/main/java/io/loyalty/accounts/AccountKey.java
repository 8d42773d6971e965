package io.loyalty.accounts;

/**
 * The key of every per-customer topic and store: {@code organizationId:customerId}. Organization ids may not
 * contain ':' so the split is unambiguous and two organizations' customers never share state.
 */
public final class AccountKey {
  public static final char SEPARATOR = ':';

  private AccountKey() {}

  public static String of(String organizationId, String customerId) {
    return organizationId + SEPARATOR + customerId;
  }

  /** The organization an account key belongs to: what comes before the first separator. */
  public static String organizationOf(String accountKey) {
    return accountKey.substring(0, accountKey.indexOf(SEPARATOR));
  }

  /** Organization ids are non-empty, without ':' or '/' (they separate the parts of keys) and without spaces. */
  public static boolean isValidOrganizationId(String organizationId) {
    return !organizationId.isEmpty()
        && organizationId.chars().noneMatch(c -> c == SEPARATOR || c == '/' || Character.isWhitespace(c));
  }

  public static final String ORGANIZATION_ID_RULE = "organizationId must be non-empty, without ':', '/' or spaces";

  /** The key anonymous sales of an organization are published under. */
  public static String anonymous(String organizationId) {
    return organizationId + SEPARATOR;
  }
}
