package io.loyalty.accounts;

import io.loyalty.avro.state.Lot;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * One account's older lots without a deadline (available, never expiring), kept outside its record so that
 * the record does not grow with history (see {@link Lots}). Ordered oldest first, then by lot id; an event reads only the lots it
 * consumes.
 */
public interface StoredLots {
  /** The lot, or null. */
  Lot get(Instant earnedAt, String lotId);

  void put(Lot lot);

  void delete(Lot lot);

  /** Visits the lots oldest first until the visitor returns false. */
  void visitOldestFirst(Predicate<Lot> visitor);
}
