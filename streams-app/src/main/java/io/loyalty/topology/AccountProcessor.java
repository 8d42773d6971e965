package io.loyalty.topology;

import io.loyalty.accounts.Amounts;
import io.loyalty.accounts.CommandOutcome;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.intake.Violation;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.RegistryUnavailableException;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-account state machine. Applies validated POS events and commands to the account under the program
 * version in force at their business time, and fires timers: an account's own timers due by the time of its
 * next input, and every timer of the partition when a clock tick passes their due time. Every input ends in
 * ledger entries, a documented no-op, a command result, or a rejection.
 */
final class AccountProcessor extends RejectingProcessor<String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(AccountProcessor.class);

  private final AvroCodec<ProgramConfig> programCodec;
  private final AvroCodec<TransactionEvent> transactionCodec;
  private final EngineSettings settings;
  private final AccountOutputs outputs;
  private final StepProbe probe;
  private final Reactions reactionsOf;
  private final AccountPath.Verdict verdict = new AccountPath.Verdict();
  private Staging staging;
  private AccountPath path;
  private PosEventInput posEvents;
  private CommandInput commands;
  private ActivityInput activity;
  private MergeStepInput mergeSteps;
  private ClockTickInput ticks;

  AccountProcessor(AvroCodec<ProgramConfig> programCodec, AvroCodec<TransactionEvent> transactionCodec, EngineSettings settings,
      AccountOutputs outputs, Reactions reactions, StepProbe probe) {
    super(outputs.rejections());
    this.reactionsOf = reactions;
    this.probe = probe;
    this.programCodec = programCodec;
    this.transactionCodec = transactionCodec;
    this.settings = settings;
    this.outputs = outputs;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    super.init(context);
    staging = new Staging(context, settings.budget());
    AccountPath.Task task = new AccountPath.Task(context, settings, outputs, probe, staging,
        new ProgramStore(context.getStateStore(LoyaltyTopology.PROGRAMS_STORE), programCodec),
        new PurchaseRecords(staging, settings.reversalGrace()),
        new ParkedReversals(staging.parked, transactionCodec, settings.reversalGrace()),
        new PartitionTime(staging.clock, staging.timers, settings.staleTickTolerance()),
        reactionsOf.of(staging, (name, description) -> new EngineCounter(context.metrics(), name, description)),
        this::rejection, verdict);
    path = new AccountPath(task);
    posEvents = new PosEventInput(task);
    commands = new CommandInput(task);
    activity = new ActivityInput(task);
    mergeSteps = new MergeStepInput(task);
    ticks = new ClockTickInput(task, this::failed);
    // The KPI sums of the task's inputs go out once per commit interval (see KpiPending).
    context.schedule(Duration.ofMillis(new StreamsConfig(context.appConfigs()).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)),
        PunctuationType.WALL_CLOCK_TIME, now -> {
          staging.kpiPending.send(staging.outbox, outputs.kpiDeltas(), Math.max(0, context.currentStreamTimeMs()));
          staging.commit();
        });
  }

  /**
   * One input is applied whole or not at all: its store writes and outputs are held until it has been processed,
   * and a failure at any step leaves only its rejection (and, for a command, a refused result). A tick commits
   * each timer it fires on its own (see {@link ClockTickInput}).
   */
  @Override
  public void process(Record<String, Object> record) {
    Decoded<?> input = (Decoded<?>) record.value();
    verdict.rejected = false;
    if (input.value() instanceof ClockTick tick) {
      ticks.apply(record, input, tick);
      settings.meters().input(tick, verdict.rejected);
      return;
    }
    try {
      if (input.value() instanceof TransactionEvent event) {
        posEvents.apply(record, input, event);
      } else if (input.value() instanceof ActivityEvent report) {
        activity.apply(record, input, report);
      } else if (input.value() instanceof MergeTransfer transfer) {
        mergeSteps.apply(record, input, transfer);
      } else {
        commands.apply(record, input, (LoyaltyCommand) input.value());
      }
      staging.commit();
    } catch (RuntimeException failure) {
      staging.discard();
      Violation violation = failed(failure, "applying it");
      path.reject(record, input, violation.reason(), violation.message());
      if (input.value() instanceof LoyaltyCommand command) {
        path.result(record, command, CommandOutcome.refused(violation.reason().name(), violation.message()), null);
      }
      try {
        staging.commit();
      } catch (WriteBudget.Exceeded resultTooLarge) {
        // A command's result echoes its correlation id, which can make it what the broker refuses.
        staging.discard();
        path.emitRejection(record, input, violation.reason(), violation.message()
            + "; a command gets no result: it would be too large too", false);
        staging.commit();
      }
    }
    settings.meters().input((SpecificRecord) input.value(), verdict.rejected);
  }

  /**
   * What a user is told of a failure: an amount beyond the contract, or an engine error whose cause is logged
   * (masked) and never published, since an exception's message may quote a field's value. A registry outage
   * or a failure of Kafka's is not the input's fault: it goes on to the exception handler, which stops the thread so
   * that the input is retried from the last commit.
   */
  private Violation failed(RuntimeException failure, String what) {
    // Kafka's own failures (a send after the broker refused an earlier write of the transaction) are not the input's.
    if (RegistryUnavailableException.causedBy(failure) || failure instanceof KafkaException) {
      throw failure;
    }
    if (failure instanceof Amounts.OutOfRange) {
      return new Violation(RejectionReason.AMOUNT_OUT_OF_RANGE, failure.getMessage());
    }
    if (failure instanceof WriteBudget.Exceeded) {
      return new Violation(RejectionReason.LIMIT_EXCEEDED, "too large to apply: " + failure.getMessage() + "; nothing of it was applied");
    }
    String source = context().recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    LOG.error("{} failed while {}; nothing of it was applied", source, what, failure);
    return new Violation(RejectionReason.PROCESSING_ERROR, "the engine failed while " + what
        + "; nothing was changed (the cause is in the engine's log under " + source + ")");
  }
}
