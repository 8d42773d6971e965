package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.programs.ProgramRules;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A capability that reacts to what the account path changed, with state of its own (staged with the rest, so
 * it is applied with its input or not at all). The processor stays a short pipeline: a new capability is a new
 * reaction, not more steps in it.
 */
interface Reaction {
  /**
   * A POS event was applied to the account.
   *
   * @param purchase the purchase's record as it was before this event (for a purchase, its new record)
   * @param book the account's book for this event: a reaction may post to it before its entries are published
   * @param timestamp of the input, for what the reaction sends
   */
  default void applied(String accountKey, TransactionEvent event, TransactionRecord purchase, AccountBook book,
      ProgramRules program, long timestamp) {}

  /** A POS event without a customer was accepted: no account changes, but the organization's sales do. */
  default void anonymous(TransactionEvent event, ProgramRules program, long timestamp) {}

  /** An activity report (loyalty.activity) was accepted for the account. */
  default void observed(String accountKey, ActivityEvent event, AccountBook book, ProgramRules program, long timestamp) {}

  /**
   * One of the account's CAPABILITY timers is due (they fire before any later input of the account and on
   * clock ticks, like every account timer); a reaction acts on the refs it scheduled.
   */
  default void due(String accountKey, String ref, AccountBook book, ProgramRules program, long timestamp) {}

  /**
   * The account changed (every input or timer that publishes a profile), after the other reactions applied what
   * they apply: a capability that depends on the whole account re-evaluates here.
   */
  default void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {}

  /**
   * The account is merged into another, maybe in another partition: what the capability holds of it that
   * should follow the customer, encoded under the capability's name ({@link #takeOver} reads it back there).
   */
  default void handOver(String accountKey, Map<String, ByteBuffer> handedOver) {}

  /** The survivor of a merge receives what each capability of the duplicate handed over. */
  default void takeOver(String accountKey, Map<String, ByteBuffer> handedOver, AccountBook book, ProgramRules program) {}

  /** Adds what the capability knows of the account to the snapshot about to be published. */
  void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile);

  /** The types of the signals ({@link io.loyalty.accounts.Signals}) this capability posts to those after it. */
  default Set<Class<?>> posts() {
    return Set.of();
  }

  /** The types of the signals this capability reads: each must be posted by a capability before it. */
  default Set<Class<?>> reads() {
    return Set.of();
  }

  /**
   * The capabilities in the order they react, once checked: a capability that reads a signal no capability before
   * it posts would never see it, so the engine refuses to start.
   */
  static List<Reaction> inDeclaredOrder(List<Reaction> reactions) {
    Set<Class<?>> posted = new HashSet<>();
    for (Reaction reaction : reactions) {
      for (Class<?> signal : reaction.reads()) {
        if (!posted.contains(signal)) {
          throw new IllegalStateException(reaction.getClass().getSimpleName() + " reads " + signal.getSimpleName()
              + ", which no capability before it posts: reorder the capabilities");
        }
      }
      posted.addAll(reaction.posts());
    }
    return reactions;
  }
}
