package io.loyalty.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Waits until a consumer group (the engine's application id) has committed every record of some topics. */
public final class ConsumerLag {
  private ConsumerLag() {}

  public static void awaitCaughtUp(Properties clientProperties, String groupId, Iterable<String> topics, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(clientProperties)) {
      while (lag(admin, groupId, topics) > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("group " + groupId + " still lags by " + lag(admin, groupId, topics)
              + " records; committed offsets: " + committedOffsets(admin, groupId));
        }
        Thread.sleep(250);
      }
    }
  }

  /** The sum of the topic's end offsets: how many records (and transaction markers) were ever written to it. */
  public static long endOffsetSum(Properties clientProperties, String topic) throws Exception {
    try (Admin admin = Admin.create(clientProperties)) {
      return endOffsets(admin, java.util.List.of(topic)).values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
    }
  }

  /**
   * Every topic's end offsets summed, except the broker's own ({@code __}-prefixed): what was ever written to each,
   * transaction markers included (each costs a write like a record).
   */
  public static Map<String, Long> endOffsetsByTopic(Properties clientProperties) throws Exception {
    try (Admin admin = Admin.create(clientProperties)) {
      java.util.List<String> topics = admin.listTopics().names().get().stream().filter(topic -> !topic.startsWith("__")).toList();
      Map<String, Long> byTopic = new java.util.TreeMap<>();
      endOffsets(admin, topics).forEach((partition, end) -> byTopic.merge(partition.topic(), end.offset(), Long::sum));
      return byTopic;
    }
  }

  private static Map<TopicPartition, ListOffsetsResultInfo> endOffsets(Admin admin, Iterable<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(toList(topics)).allTopicNames().get().values().stream()
        .flatMap(description -> description.partitions().stream()
            .map(partition -> new TopicPartition(description.name(), partition.partition())))
        .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get();
  }

  static long lag(Admin admin, String groupId, Iterable<String> topics) {
    try {
      Map<TopicPartition, ListOffsetsResultInfo> ends = endOffsets(admin, topics);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      long lag = 0;
      for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
        OffsetAndMetadata position = committed.get(end.getKey());
        lag += end.getValue().offset() - (position == null ? 0 : position.offset());
      }
      return lag;
    } catch (Exception e) {
      return Long.MAX_VALUE;
    }
  }

  private static String committedOffsets(Admin admin, String groupId) {
    try {
      return new java.util.TreeMap<>(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet()
          .stream().collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue() == null ? -1 : e.getValue().offset()))).toString();
    } catch (Exception e) {
      return "unavailable (" + e + ")";
    }
  }

  private static java.util.List<String> toList(Iterable<String> topics) {
    java.util.List<String> list = new java.util.ArrayList<>();
    topics.forEach(list::add);
    return list;
  }
}
