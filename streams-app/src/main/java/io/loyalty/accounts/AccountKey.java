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

  /** The key anonymous sales of an organization are published under. */
  public static String anonymous(String organizationId) {
    return organizationId + SEPARATOR;
  }
}
