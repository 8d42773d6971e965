package io.loyalty.accounts;

import java.time.Instant;

/**
 * What every ledger entry of one cause shares: the cause's id, its business time, place, rules version and
 * actor. For a timer the time is its due time, never the moment it was noticed.
 */
public record EventContext(String sourceEventId, Instant occurredAt, String locationId, Long programVersion, String actor) {}
