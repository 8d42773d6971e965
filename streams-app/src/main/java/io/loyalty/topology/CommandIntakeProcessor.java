package io.loyalty.topology;

import io.loyalty.accounts.CommandOutcome;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.Rejection;
import io.loyalty.intake.CommandValidator;
import io.loyalty.intake.InputLimits;
import io.loyalty.intake.Violation;
import io.loyalty.serde.AvroCodec;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The commands' intake: a command refused here (malformed, keyed wrongly, dated far ahead, contact details in the
 * wrong form) also gets a refused result, since its caller waits for one by correlation id. A record that does
 * not decode has no command id to answer, only its rejection.
 */
final class CommandIntakeProcessor extends IntakeProcessor<LoyaltyCommand> {
  private final Output<CommandResult> results;

  CommandIntakeProcessor(AvroCodec<LoyaltyCommand> codec, InputLimits limits, Duration maxAhead, Output<Rejection> rejections,
      Output<CommandResult> results) {
    super(codec, limits, CommandValidator::validate, LoyaltyCommand::getCommandId, LoyaltyCommand::getOrganizationId,
        LoyaltyCommand::getIssuedAt, maxAhead, rejections);
    this.results = results;
  }

  @Override
  protected void refused(Record<byte[], byte[]> record, LoyaltyCommand command, Violation violation) {
    CommandResult result = CommandRules.result(command, CommandOutcome.refused(violation.reason().name(), violation.message()), null);
    results.send(context(), result.getAccountKey(), result, record.timestamp());
  }
}
