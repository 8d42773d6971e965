package io.loyalty.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration of a running deployment to intermediate topics named after the application id. Versions before it
 * named the engine's own topics after topic.prefix (loyalty.kpi-deltas, loyalty.merges, loyalty.contact-index),
 * which a second application over the same topics read as its own. Before the engine starts, what the application
 * had not read yet of the old topics (the whole contact index, which a global store reads from the start) is moved
 * into the new ones, partition to same partition, and the group's offsets on the old topics to their ends, in one
 * transaction: exactly once, also when several instances start at once (the last to start fences the others).
 *
 * <p>Only an application that read the old topics migrates: one whose group has offsets on them. A fresh application
 * beside an old one (a replay) leaves them alone. Once the engine runs on the new topics the old ones can be deleted.
 */
public final class IntermediateTopics {
  private static final Logger LOG = LoggerFactory.getLogger(IntermediateTopics.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private IntermediateTopics() {}

  /**
   * Before the engine starts: moves what the application left in its old intermediate topics, then creates those of
   * its own topics that are missing, as Kafka Streams creates its internal topics, with the partitions and
   * replication of its input topics (which feed the same tasks).
   */
  public static void prepare(AppConfig config) {
    migrate(config);
    Topics topics = config.topics();
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      Set<String> existing = admin.listTopics().names().get();
      List<String> missing = topics.own().stream().filter(topic -> !existing.contains(topic)).toList();
      if (missing.isEmpty() || !existing.contains(topics.transactions())) {
        return;
      }
      TopicDescription inputs = admin.describeTopics(List.of(topics.transactions())).allTopicNames().get().get(topics.transactions());
      int partitions = inputs.partitions().size();
      short replication = (short) inputs.partitions().get(0).replicas().size();
      TopicAdmin.createMissing(config.kafkaProperties(), missing.stream()
          .map(topic -> TopicAdmin.newTopic(topics, topic, partitions, replication, "LogAppendTime")).toList());
      LOG.info("created the application's own topics {} ({} partitions, like {})", missing, partitions, topics.transactions());
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the application's own topics: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the application's own topics", e);
    }
  }

  /** Moves what the application left in its old intermediate topics; nothing when it has none. Returns the records moved. */
  public static long migrate(AppConfig config) {
    Topics topics = config.topics();
    String group = config.get("kafka.application.id");
    List<String> legacy = topics.legacyOwn();
    List<String> current = topics.own();
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      Set<String> existing = admin.listTopics().names().get();
      List<Integer> present = new ArrayList<>();
      for (int i = 0; i < legacy.size(); i++) {
        if (existing.contains(legacy.get(i)) && !legacy.get(i).equals(current.get(i))) {
          present.add(i);
        }
      }
      if (present.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      if (committed.keySet().stream().noneMatch(partition -> partition.topic().equals(legacy.get(0))
          || partition.topic().equals(legacy.get(1)))) {
        LOG.info("topics {} are not this application's (its group {} never read them): left alone", legacy, group);
        return 0;
      }
      Map<String, String> renamed = new HashMap<>();
      for (int i : present) {
        renamed.put(legacy.get(i), current.get(i));
      }
      Map<TopicPartition, Long> ends = endOffsets(config, admin, renamed.keySet());
      boolean behind = ends.entrySet().stream().anyMatch(end -> end.getValue() > offset(committed, end.getKey()));
      if (!behind) {
        return 0;
      }
      ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      if (!description.members().isEmpty() || description.groupState() != GroupState.EMPTY && description.groupState() != GroupState.DEAD) {
        throw new IllegalStateException("application " + group + " still has members running: stop every instance of the previous "
            + "version before the first instance of this one starts (it moves " + renamed.keySet() + " to " + renamed.values() + ")");
      }
      createLike(admin, renamed);
      long moved = copy(config, group, renamed, committed, ends);
      LOG.info("moved {} records of {} into {}: the old topics can be deleted", moved, renamed.keySet(), renamed.values());
      return moved;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot move the old intermediate topics " + legacy + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while moving the old intermediate topics", e);
    }
  }

  /** The new topics with the old ones' partitions and settings, unless they exist. */
  private static void createLike(Admin admin, Map<String, String> renamed) throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    Map<String, TopicDescription> old = admin.describeTopics(renamed.keySet()).allTopicNames().get();
    List<ConfigResource> resources = renamed.keySet().stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    List<NewTopic> create = new ArrayList<>();
    renamed.forEach((from, to) -> {
      if (!existing.contains(to)) {
        TopicDescription description = old.get(from);
        Map<String, String> settings = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, from)).entries().stream()
            .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
            .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
        create.add(new NewTopic(to, description.partitions().size(), (short) description.partitions().get(0).replicas().size())
            .configs(settings));
      }
    });
    if (!create.isEmpty()) {
      admin.createTopics(create).all().get();
    }
  }

  /**
   * Copies every record after the group's offset, partition to same partition, and moves the offsets to the end in the
   * same transaction.
   */
  private static long copy(AppConfig config, String group, Map<String, String> renamed, Map<TopicPartition, OffsetAndMetadata> committed,
      Map<TopicPartition, Long> ends) {
    Properties producerProperties = new Properties();
    producerProperties.putAll(config.kafkaProperties());
    producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-intermediate-topics-migration");
    producerProperties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(15).toMillis());
    long moved = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      // Fences any other instance migrating at the same time; its transaction is aborted, this one's counts.
      producer.initTransactions();
      producer.beginTransaction();
      consumer.assign(ends.keySet());
      ends.keySet().forEach(partition -> consumer.seek(partition, offset(committed, partition)));
      Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(TIMEOUT)) {
          TopicPartition from = new TopicPartition(record.topic(), record.partition());
          if (record.offset() < ends.get(from)) {
            producer.send(new ProducerRecord<>(renamed.get(record.topic()), record.partition(), record.timestamp(), record.key(),
                record.value(), record.headers()));
            moved++;
          }
        }
      }
      ends.forEach((partition, end) -> done.put(partition, new OffsetAndMetadata(end)));
      producer.sendOffsetsToTransaction(done, new ConsumerGroupMetadata(group));
      producer.commitTransaction();
    }
    return moved;
  }

  private static Map<TopicPartition, Long> endOffsets(AppConfig config, Admin admin, Set<String> topicNames)
      throws ExecutionException, InterruptedException {
    List<TopicPartition> partitions = new ArrayList<>();
    admin.describeTopics(topicNames).allTopicNames().get().values().forEach(description -> description.partitions()
        .forEach(partition -> partitions.add(new TopicPartition(description.name(), partition.partition()))));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      return consumer.endOffsets(partitions, TIMEOUT);
    }
  }

  private static Properties consumerProperties(AppConfig config) {
    Properties properties = new Properties();
    properties.putAll(config.kafkaProperties());
    // Records of aborted transactions stay where they are; the end is the last stable offset.
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return properties;
  }

  /** Where the group goes on reading a partition: its offset, else the start (the application reads from earliest). */
  private static long offset(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition partition) {
    OffsetAndMetadata offset = committed.get(partition);
    return offset == null ? 0 : offset.offset();
  }
}
