package io.loyalty.topology;

import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.intake.TransactionValidator;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole topology in one place. Every processor, store and internal topic has an explicit name, so the
 * topology (and the changelog topics derived from store names) stays stable across versions.
 *
 * <pre>
 * pos.transactions -> transactions-intake -> accounts -> loyalty.ledger
 *                           |                  |     -> loyalty.profiles
 *                           +------------------+-----> loyalty.rejections
 * loyalty.programs -> programs-loader -> programs (global store, read by accounts)
 * </pre>
 */
public final class LoyaltyTopology {
  static final String TRANSACTIONS_SOURCE = "pos-transactions-source";
  static final String INTAKE_PROCESSOR = "transactions-intake";
  static final String ACCOUNTS_PROCESSOR = "accounts";
  static final String LEDGER_SINK = "ledger-sink";
  static final String PROFILES_SINK = "profiles-sink";
  static final String REJECTIONS_SINK = "rejections-sink";
  static final String PROGRAMS_SOURCE = "programs-source";
  static final String PROGRAMS_LOADER = "programs-loader";
  public static final String ACCOUNTS_STORE = "accounts-store";
  public static final String TRANSACTIONS_STORE = "transactions-store";
  public static final String PROGRAMS_STORE = "programs-store";

  private LoyaltyTopology() {}

  /**
   * @param topics topic names
   * @param serdes wire format of the public topics
   * @param validator limits applied to POS input
   */
  public static Topology build(Topics topics, SerdeFactory serdes, TransactionValidator validator) {
    SerdeFactory stateSerdes = SerdeFactory.singleObject();
    Topology topology = new Topology();

    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PROGRAMS_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        PROGRAMS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.programs(),
        PROGRAMS_LOADER, () -> new ProgramLoader(serdes.codec(ProgramConfig.class)));

    topology.addSource(TRANSACTIONS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.transactions());
    topology.addProcessor(INTAKE_PROCESSOR,
        () -> new TransactionIntakeProcessor(serdes.codec(TransactionEvent.class), validator), TRANSACTIONS_SOURCE);
    topology.addProcessor(ACCOUNTS_PROCESSOR,
        () -> new AccountProcessor(serdes.codec(ProgramConfig.class)), INTAKE_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ACCOUNTS_STORE), Serdes.String(), stateSerdes.serde(AccountState.class)),
        ACCOUNTS_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(TRANSACTIONS_STORE), Serdes.String(), stateSerdes.serde(TransactionRecord.class)),
        ACCOUNTS_PROCESSOR);

    topology.addSink(LEDGER_SINK, topics.ledger(), new StringSerializer(), serdes.serde(LedgerEntry.class).serializer(),
        ACCOUNTS_PROCESSOR);
    topology.addSink(PROFILES_SINK, topics.profiles(), new StringSerializer(),
        serdes.serde(CustomerProfile.class).serializer(), ACCOUNTS_PROCESSOR);
    topology.addSink(REJECTIONS_SINK, topics.rejections(), new ByteArraySerializer(),
        serdes.serde(Rejection.class).serializer(), INTAKE_PROCESSOR, ACCOUNTS_PROCESSOR);
    return topology;
  }
}
