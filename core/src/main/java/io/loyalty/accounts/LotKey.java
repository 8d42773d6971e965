package io.loyalty.accounts;

import java.time.Instant;

/**
 * Names a lot: its id (the ledger entry that created it) and its age, which together are its place in the
 * lots store. The age is null only for references written before the store existed.
 */
public record LotKey(String lotId, Instant earnedAt) {}
