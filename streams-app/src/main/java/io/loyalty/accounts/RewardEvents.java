package io.loyalty.accounts;

import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.state.AccountState;
import java.time.Instant;

/** The fields every reward-eligibility event of an account shares; callers add what is specific to theirs. */
public final class RewardEvents {
  private RewardEvents() {}

  public static RewardEvent.Builder of(AccountState state, RewardEventType type, Instant at, String eventId, String sourceEventId) {
    return RewardEvent.newBuilder()
        .setEventId(state.getOrganizationId() + "/" + eventId)
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setType(type)
        .setOccurredAt(at)
        .setBalance(state.getBalance())
        .setSourceEventId(sourceEventId);
  }
}
