package io.loyalty.api;

import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.Product;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.catalog.ProductChecks;
import io.loyalty.programs.ProgramKey;
import io.loyalty.runtime.Topics;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * What each topic carries and how its key follows from the record, so a producer cannot key it wrong. Records
 * carry no business time as their Kafka timestamp: the order of the inputs is their order of arrival (see
 * {@link Topics}), and business time is in the value.
 */
public record TopicContract<T extends SpecificRecord>(String topic, Class<T> type, Function<T, String> key) {

  public static List<TopicContract<?>> all(Topics topics) {
    return List.of(
        new TopicContract<>(topics.transactions(), TransactionEvent.class, event -> event.getCustomerId() == null
            ? AccountKey.anonymous(event.getOrganizationId())
            : AccountKey.of(event.getOrganizationId(), event.getCustomerId())),
        new TopicContract<>(topics.commands(), LoyaltyCommand.class,
            command -> AccountKey.of(command.getOrganizationId(), command.getCustomerId())),
        new TopicContract<>(topics.activity(), ActivityEvent.class,
            activity -> AccountKey.of(activity.getOrganizationId(), activity.getCustomerId())),
        new TopicContract<>(topics.clock(), ClockTick.class, tick -> null),
        new TopicContract<>(topics.programs(), ProgramConfig.class, ProgramKey::of),
        new TopicContract<>(topics.products(), Product.class, product -> ProductChecks.key(product.getOrganizationId(), product.getSku())),
        new TopicContract<>(topics.offers(), OfferEvent.class, OfferEvent::getAccountKey),
        new TopicContract<>(topics.segmentChanges(), SegmentChange.class, SegmentChange::getAccountKey),
        new TopicContract<>(topics.ledger(), LedgerEntry.class, LedgerEntry::getAccountKey),
        new TopicContract<>(topics.profiles(), CustomerProfile.class, CustomerProfile::getAccountKey),
        new TopicContract<>(topics.rewards(), RewardEvent.class, RewardEvent::getAccountKey),
        new TopicContract<>(topics.notifications(), NotificationRequest.class, NotificationRequest::getAccountKey),
        new TopicContract<>(topics.commandResults(), CommandResult.class, CommandResult::getAccountKey),
        new TopicContract<>(topics.rejections(), Rejection.class, rejection -> null),
        new TopicContract<>(topics.metrics(), ProgramKpis.class, ProgramKpis::getOrganizationId));
  }

  /** The contract of a topic named in full or by its contract name without the configured prefix. */
  public static TopicContract<?> of(Topics topics, String topic) {
    return all(topics).stream()
        .filter(contract -> contract.topic().equals(topic) || contract.topic().equals(topics.prefix() + topic))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown topic " + topic + "; known: "
            + all(topics).stream().map(TopicContract::topic).toList()));
  }

  public String keyOf(SpecificRecord record) {
    return key.apply(type.cast(record));
  }

  /** Ticks go to every partition: each partition's clock moves only by the ticks it reads. */
  public boolean toEveryPartition() {
    return type == ClockTick.class;
  }
}
