package io.loyalty.api;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.programs.ProgramKey;
import io.loyalty.runtime.Topics;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * What each topic carries, how its key follows from the record (so a producer cannot key it wrong), and its
 * business time, published as the Kafka timestamp: Kafka Streams then interleaves the inputs of a task by
 * business time when it replays them, so a replay applies commands and POS events in the same order.
 */
public record TopicContract<T extends SpecificRecord>(String topic, Class<T> type, Function<T, String> key,
    Function<T, Instant> businessTime) {

  private TopicContract(String topic, Class<T> type, Function<T, String> key) {
    this(topic, type, key, record -> null);
  }

  public static List<TopicContract<?>> all(Topics topics) {
    return List.of(
        new TopicContract<>(topics.transactions(), TransactionEvent.class, event -> event.getCustomerId() == null
            ? AccountKey.anonymous(event.getOrganizationId())
            : AccountKey.of(event.getOrganizationId(), event.getCustomerId()), TransactionEvent::getOccurredAt),
        new TopicContract<>(topics.commands(), LoyaltyCommand.class,
            command -> AccountKey.of(command.getOrganizationId(), command.getCustomerId()), LoyaltyCommand::getIssuedAt),
        new TopicContract<>(topics.clock(), ClockTick.class, tick -> null),
        new TopicContract<>(topics.programs(), ProgramConfig.class, ProgramKey::of),
        new TopicContract<>(topics.ledger(), LedgerEntry.class, LedgerEntry::getAccountKey),
        new TopicContract<>(topics.profiles(), CustomerProfile.class, CustomerProfile::getAccountKey),
        new TopicContract<>(topics.rewards(), RewardEvent.class, RewardEvent::getAccountKey),
        new TopicContract<>(topics.notifications(), NotificationRequest.class, NotificationRequest::getAccountKey),
        new TopicContract<>(topics.commandResults(), CommandResult.class, CommandResult::getAccountKey),
        new TopicContract<>(topics.rejections(), Rejection.class, rejection -> null));
  }

  public static TopicContract<?> of(Topics topics, String topic) {
    return all(topics).stream().filter(contract -> contract.topic().equals(topic)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown topic " + topic + "; known: "
            + all(topics).stream().map(TopicContract::topic).toList()));
  }

  public String keyOf(SpecificRecord record) {
    return key.apply(type.cast(record));
  }

  /** The record's business time, used as its Kafka timestamp; null where the topic has none. */
  public Instant businessTimeOf(SpecificRecord record) {
    return businessTime.apply(type.cast(record));
  }
}
