package io.loyalty.accounts;

import java.time.Instant;

/** What every ledger entry of one input event shares: its cause, business time, place and rules version. */
public record EventContext(String sourceEventId, Instant occurredAt, String locationId, Long programVersion, String actor) {}
