package io.loyalty.runtime;

import io.loyalty.topology.WriteBudget;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write budget of one input (limits.record.bytes, limits.input.write.bytes), from configuration or, when
 * limits.record.bytes is empty, from what the cluster takes: the producer's max.request.size, the broker's
 * message.max.bytes, and the max.message.bytes of every output and changelog topic that exists at start.
 */
public final class WriteLimits {
  private static final Logger LOG = LoggerFactory.getLogger(WriteLimits.class);
  private static final int KAFKA_DEFAULT = 1_048_576;

  private WriteLimits() {}

  /** From configuration alone: the configured sizes, else Kafka's defaults. For tools and tests without a cluster. */
  public static WriteBudget configured(AppConfig config) {
    int record = config.get("limits.record.bytes").isEmpty()
        ? Math.min(KAFKA_DEFAULT, producerMaximum(config)) - WriteBudget.RECORD_OVERHEAD
        : config.getInt("limits.record.bytes");
    return new WriteBudget(record, Map.of(), inputBytes(config, record));
  }

  /** Asks the cluster what it takes, unless limits.record.bytes says; the defaults when the cluster does not answer. */
  public static WriteBudget of(AppConfig config) {
    if (!config.get("limits.record.bytes").isEmpty()) {
      return configured(config);
    }
    int producer = producerMaximum(config);
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      Collection<org.apache.kafka.common.Node> brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
      List<ConfigResource> resources = new ArrayList<>();
      brokers.stream().findFirst().ifPresent(node -> resources.add(new ConfigResource(ConfigResource.Type.BROKER, node.idString())));
      String changelogPrefix = config.get("kafka.application.id") + "-";
      for (String topic : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
        if (config.topics().all().contains(topic) || topic.startsWith(changelogPrefix) && topic.endsWith("-changelog")) {
          resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
        }
      }
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS);
      int broker = KAFKA_DEFAULT;
      Map<String, Integer> topics = new HashMap<>();
      for (Map.Entry<ConfigResource, Config> entry : configs.entrySet()) {
        if (entry.getKey().type() == ConfigResource.Type.BROKER) {
          broker = bytes(entry.getValue().get("message.max.bytes"), broker);
        } else {
          ConfigEntry topicLimit = entry.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
          topics.put(entry.getKey().name(), Math.min(bytes(topicLimit, KAFKA_DEFAULT), producer) - WriteBudget.RECORD_OVERHEAD);
        }
      }
      int record = Math.min(broker, producer) - WriteBudget.RECORD_OVERHEAD;
      WriteBudget budget = new WriteBudget(record, topics, inputBytes(config, record));
      LOG.info("write budget: records up to {} bytes (broker message.max.bytes {}, producer max.request.size {}), {} topics "
          + "with their own max.message.bytes, one input up to {} bytes in all", record, broker, producer, topics.size(), budget.inputBytes());
      return budget;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("cannot read the cluster's record size limits ({}); assuming Kafka's defaults: set limits.record.bytes", e.toString());
      return configured(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return configured(config);
    }
  }

  private static int inputBytes(AppConfig config, int record) {
    return config.get("limits.input.write.bytes").isEmpty() ? record : config.getInt("limits.input.write.bytes");
  }

  private static int producerMaximum(AppConfig config) {
    Object configured = config.kafkaProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return configured == null ? KAFKA_DEFAULT : Integer.parseInt(configured.toString());
  }

  private static int bytes(ConfigEntry entry, int otherwise) {
    return entry == null || entry.value() == null ? otherwise : Integer.parseInt(entry.value());
  }
}
