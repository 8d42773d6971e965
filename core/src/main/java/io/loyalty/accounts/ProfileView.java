package io.loyalty.accounts;

import io.loyalty.avro.ConsentBasis;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.MembershipStatus;
import io.loyalty.avro.SmsConsent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.offers.Compliance;
import io.loyalty.programs.ProgramRules;
import io.loyalty.tiers.TierRules;
import java.time.Instant;
import java.util.List;

/**
 * The public snapshot of an account's state at its clock. Customers who are not members keep their points,
 * hidden: the balance stays visible to operators, nothing is spendable.
 */
public final class ProfileView {
  private ProfileView() {}

  public static CustomerProfile of(AccountState state, ProgramRules program) {
    Instant now = state.getClock();
    MembershipStatus membership = Membership.status(state, program);
    return CustomerProfile.newBuilder()
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setMembership(membership)
        .setCustomerGroup(state.getCustomerGroup())
        .setBalance(state.getBalance())
        .setSpendable(membership == MembershipStatus.MEMBER ? Balances.spendable(state, now) : Amounts.ZERO_POINTS)
        .setPending(Balances.pending(state, now))
        .setHeld(Balances.held(state))
        .setLifetimeEarned(state.getLifetimeEarned())
        .setLifetimeSpend(state.getLifetimeSpend())
        .setTier(state.getTier())
        .setTierValidUntil(TierRules.validUntil(state, program))
        .setFirstSeenAt(state.getFirstSeenAt())
        .setLastPurchaseAt(state.getLastPurchaseAt())
        .setVisits(state.getVisits())
        .setEmailConsent(state.getEmailConsent() == ChannelConsent.CONFIRMED)
        .setSmsConsent(SmsConsent.valueOf(state.getSmsConsent().name()))
        .setPushConsent(state.getPushConsent() == ChannelConsent.CONFIRMED)
        .setHomeState(state.getHomeState())
        .setPostalCode(state.getPostalCode())
        .setMedicalPatient(Compliance.isMedicalPatient(state, program))
        .setMedicalCardExpiresOn(state.getMedicalCardExpiresOn())
        .setTags(state.getTags())
        .setProgramVersion(state.getProgramVersion())
        .setUpdatedAt(state.getUpdatedAt())
        .setLastEventId(state.getLastEventId())
        .setPosEventsApplied(state.getPosEventsApplied())
        .setConsentBasis(consentBasis(state))
        .build();
  }

  /** Each channel's last recorded consent change (nothing to build for the many accounts that never changed one). */
  private static List<ConsentBasis> consentBasis(AccountState state) {
    return ConsentBasisOf.lastChangePerChannel(state).stream().map(change -> new ConsentBasis(change.getChannel(), change.getAction(),
        change.getAt(), change.getRequestId(), change.getActor(), change.getEvidence())).toList();
  }
}
