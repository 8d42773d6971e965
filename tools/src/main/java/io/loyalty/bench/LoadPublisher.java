package io.loyalty.bench;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.Product;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.demo.SampleStream.Item;
import io.loyalty.demo.SampleStream;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How the load tools (load, bench, chaos) publish: the sample programs first, then generated items, with a
 * producer that is not idempotent and keeps one request in flight. After a broker restart an idempotent
 * producer was seen holding a partition's batches until they expired (delivery timeout) while it resolved their
 * sequence numbers, losing records in the middle of a fault test. Without sequences a retry may write a record
 * twice; the engine rejects the copy as a duplicate and the invariant check counts it as accounted for.
 */
public final class LoadPublisher implements AutoCloseable {
  private final RecordPublisher publisher;
  private final TopicContract<?> transactions;
  private final TopicContract<?> commands;

  public LoadPublisher(AppConfig config) {
    this(config, List.of(), List.of());
  }

  /** @param segments and workflows defined in the sample programs it publishes */
  public LoadPublisher(AppConfig config, List<SegmentDefinition> segments, List<WorkflowDefinition> workflows) {
    Topics topics = config.topics();
    this.publisher = new RecordPublisher(producerProperties(config), SerdeFactory.of(config.registry()));
    this.transactions = TopicContract.of(topics, topics.transactions());
    this.commands = TopicContract.of(topics, topics.commands());
    for (ProgramConfig program : SampleStream.programs(segments, workflows)) {
      publisher.publish(TopicContract.of(topics, topics.programs()), program);
    }
    for (Product product : SampleStream.catalog()) {
      publisher.publish(TopicContract.of(topics, topics.products()), product);
    }
  }

  public void publish(Item item) {
    SampleStream.publish(publisher, transactions, commands, item);
  }

  /** Waits for everything sent; fails if a record could not be published. */
  public void flush() {
    publisher.flush();
  }

  @Override
  public void close() {
    publisher.close();
  }

  private static Properties producerProperties(AppConfig config) {
    Properties properties = config.kafkaProperties();
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return properties;
  }
}
