package io.loyalty.accounts;

import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.MembershipStatus;
import io.loyalty.avro.state.AccountState;

/** The public snapshot of an account's state. */
public final class ProfileView {
  private ProfileView() {}

  public static CustomerProfile of(AccountState state) {
    return CustomerProfile.newBuilder()
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setMembership(MembershipStatus.MEMBER)
        .setBalance(state.getBalance())
        .setSpendable(state.getBalance())
        .setPending(Amounts.ZERO_POINTS)
        .setHeld(Amounts.ZERO_POINTS)
        .setLifetimeEarned(state.getLifetimeEarned())
        .setLifetimeSpend(state.getLifetimeSpend())
        .setFirstSeenAt(state.getFirstSeenAt())
        .setLastPurchaseAt(state.getLastPurchaseAt())
        .setVisits(state.getVisits())
        .setProgramVersion(state.getProgramVersion())
        .setUpdatedAt(state.getUpdatedAt())
        .setLastEventId(state.getLastEventId())
        .build();
  }
}
