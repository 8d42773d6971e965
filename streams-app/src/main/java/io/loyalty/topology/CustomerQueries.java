package io.loyalty.topology;

import io.loyalty.accounts.ProfileView;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.state.AccountState;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads of a customer's account from this instance's stores (Kafka Streams interactive queries): which instance
 * owns an account key, and the account's profile where this instance does. The stores and their encodings stay
 * in this package; the API asks here.
 */
public final class CustomerQueries {
  private final KafkaStreams streams;
  private final AvroCodec<AccountState> accounts = LoyaltyTopology.STATE_SERDES.codec(AccountState.class);
  private final AvroCodec<ProgramConfig> programCodec;
  /** Program versions, decoded once per version: the global store's handle stays valid across rebalances. */
  private ProgramStore programs;

  public CustomerQueries(KafkaStreams streams, SerdeFactory serdes) {
    this.streams = streams;
    this.programCodec = serdes.codec(ProgramConfig.class);
  }

  /** The instance whose active task holds the account key; empty while the group rebalances or starts. */
  public Optional<HostInfo> owner(String accountKey) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return Optional.empty();
    }
    KeyQueryMetadata metadata = streams.queryMetadataForKey(LoyaltyTopology.ACCOUNTS_STORE, accountKey, new StringSerializer());
    return metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) ? Optional.empty() : Optional.of(metadata.activeHost());
  }

  /**
   * The account's profile as the engine last published it for its account fields (balance, spendable, pending,
   * tier and its validity, membership, consent, holds); empty when this instance holds no such account.
   */
  public Optional<CustomerProfile> profile(String accountKey) {
    ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(LoyaltyTopology.ACCOUNTS_STORE,
        QueryableStoreTypes.<String, byte[]>keyValueStore()));
    byte[] bytes = store.get(accountKey);
    if (bytes == null) {
      return Optional.empty();
    }
    AccountState state = accounts.decode(bytes);
    return programAt(state).map(rules -> ProfileView.of(state, rules));
  }

  /** Requests come on several threads; the program cache is one map. */
  private synchronized Optional<ProgramRules> programAt(AccountState state) {
    if (programs == null) {
      programs = new ProgramStore(streams.store(StoreQueryParameters.fromNameAndType(LoyaltyTopology.PROGRAMS_STORE,
          QueryableStoreTypes.<String, byte[]>keyValueStore())), programCodec);
    }
    return programs.inForceAt(state.getOrganizationId(), state.getClock());
  }
}
