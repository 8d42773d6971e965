package io.loyalty.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the engine's topics that do not exist yet: compacted where the latest value per key is the truth,
 * without time limit where history is the truth (see {@link Topics#keptForever()}), every one stamped with the
 * broker's append time (see {@link Topics}: the order of the inputs is their order of arrival). Returns only
 * once every partition has a leader that answers: a producer whose first request reaches a partition whose
 * leadership is still settling can be refused there while a later request is accepted (KAFKA-15591).
 */
public final class TopicAdmin {
  private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(60);

  private TopicAdmin() {}

  public static void createMissing(Properties kafkaClientProperties, Topics topics, int partitions, short replication) {
    create(kafkaClientProperties, topics, partitions, replication, "LogAppendTime");
  }

  /**
   * The topics of a copy of another deployment's topics (a reference run, a replay elsewhere): they keep the
   * timestamps the copier gives them, the original append times, so the copy is read in the original's order.
   */
  public static void createForCopies(Properties kafkaClientProperties, Topics topics, int partitions, short replication) {
    create(kafkaClientProperties, topics, partitions, replication, "CreateTime");
  }

  private static void create(Properties kafkaClientProperties, Topics topics, int partitions, short replication,
      String timestampType) {
    createMissing(kafkaClientProperties, topics.all().stream().map(topic -> newTopic(topics, topic, partitions, replication, timestampType))
        .toList());
  }

  /** One of the engine's topics as it is created: compacted, kept forever or with the default retention. */
  static NewTopic newTopic(Topics topics, String topic, int partitions, short replication, String timestampType) {
    Map<String, String> configs = new HashMap<>();
    configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, timestampType);
    if (topics.compacted().contains(topic)) {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    } else if (topics.keptForever().contains(topic)) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }
    return new NewTopic(topic, partitions, replication).configs(configs);
  }

  /** Creates those of the topics that do not exist, then waits for the leaders of all of them. */
  public static void createMissing(Properties kafkaClientProperties, Collection<NewTopic> wanted) {
    try (Admin admin = Admin.create(kafkaClientProperties)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
        }
      }
      awaitLeaders(admin, wanted.stream().map(NewTopic::name).toList());
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /**
   * The input topics that do not stamp records with the broker's append time: their order on replay follows the
   * producers' timestamps, which may differ from the order the live run read them in.
   */
  public static List<String> inputsNotStampedOnAppend(Properties kafkaClientProperties, Topics topics) {
    List<String> inputs = List.of(topics.transactions(), topics.commands(), topics.clock());
    try (Admin admin = Admin.create(kafkaClientProperties)) {
      List<ConfigResource> resources = inputs.stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      return resources.stream()
          .filter(resource -> {
            ConfigEntry type = configs.get(resource).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            return type == null || !"LogAppendTime".equals(type.value());
          })
          .map(ConfigResource::name).toList();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the configuration of " + inputs + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading topic configurations", e);
    }
  }

  /**
   * Waits until the metadata names a leader for every partition and each leader answers for its partition
   * (a ListOffsets request is served by the leader only), so the first produce request finds it settled.
   */
  static void awaitLeaders(Admin admin, Collection<String> topicNames) throws InterruptedException {
    long deadline = System.nanoTime() + LEADERS_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        boolean allLed = true;
        for (TopicDescription description : admin.describeTopics(topicNames).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
          for (TopicPartitionInfo partition : description.partitions()) {
            allLed &= partition.leader() != null && !partition.leader().isEmpty();
            partitions.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
          }
        }
        if (allLed) {
          admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
          return;
        }
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("partitions of " + topicNames + " have no leader after " + LEADERS_TIMEOUT, last);
  }
}
