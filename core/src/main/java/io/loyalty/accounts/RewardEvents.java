package io.loyalty.accounts;

import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.RewardEventType;
import io.loyalty.avro.state.AccountState;
import java.time.Instant;

/**
 * The fields every reward-eligibility event of an account shares; callers add what is specific to theirs. The
 * event id is the account, the cause (an input's id, or a timer and its due time) and what the caller adds to
 * tell the events of one cause apart: unique across accounts and deterministic on replay.
 */
public final class RewardEvents {
  private RewardEvents() {}

  public static RewardEvent.Builder of(AccountState state, RewardEventType type, Instant at, String eventId, String sourceEventId) {
    return RewardEvent.newBuilder()
        .setEventId(AccountKey.of(state.getOrganizationId(), state.getCustomerId()) + "/" + eventId)
        .setAccountKey(AccountKey.of(state.getOrganizationId(), state.getCustomerId()))
        .setOrganizationId(state.getOrganizationId())
        .setCustomerId(state.getCustomerId())
        .setType(type)
        .setOccurredAt(at)
        .setBalance(state.getBalance())
        .setSourceEventId(sourceEventId);
  }
}
