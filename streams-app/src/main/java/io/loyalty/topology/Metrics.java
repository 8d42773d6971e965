package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMarks;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.metrics.KpiChanges;
import io.loyalty.metrics.KpiMarksRules;
import io.loyalty.metrics.KpiTally;
import io.loyalty.programs.ProgramRules;

/**
 * The program's KPIs, as the account path sees them: each change of an account adds what it changes in its
 * organization's figures (a KpiDelta) to the sums the task sends to the KPI aggregation once per commit ({@link
 * KpiPending}), and remembers in kpi-marks-store which periods already count the member. The last reaction: it counts
 * what the others did.
 */
final class Metrics implements Reaction {
  private final Stored<KpiMarks> marks;
  private final KpiTally tally;
  private final KpiPending pending;

  Metrics(Stored<KpiMarks> marks, KpiTally tally, KpiPending pending) {
    this.marks = marks;
    this.tally = tally;
    this.pending = pending;
  }

  @Override
  public void applied(String accountKey, TransactionEvent event, TransactionRecord purchase, AccountBook book, ProgramRules program,
      long timestamp) {
    tally.sale(KpiChanges.Sale.of(event, purchase));
  }

  @Override
  public void anonymous(TransactionEvent event, ProgramRules program, long timestamp) {
    pending.add(KpiChanges.anonymous(event, program));
  }

  @Override
  public void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {
    KpiMarks stored = marks.get(accountKey);
    KpiMarks account = stored == null ? KpiMarksRules.empty() : stored;
    KpiChanges.of(account, book.state(), program, book.entries(), tally, book.context().occurredAt(), book.context().locationId())
        .ifPresent(delta -> {
          marks.put(accountKey, account);
          pending.add(delta);
        });
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {}
}
