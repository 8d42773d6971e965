package io.loyalty.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the engine's topics that do not exist yet: compacted where the latest value per key is the truth,
 * without time limit where history is the truth (see {@link Topics#keptForever()}).
 */
public final class TopicAdmin {
  private TopicAdmin() {}

  public static void createMissing(Properties kafkaClientProperties, Topics topics, int partitions, short replication) {
    try (Admin admin = Admin.create(kafkaClientProperties)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics.all()) {
        if (!existing.contains(topic)) {
          NewTopic newTopic = new NewTopic(topic, partitions, replication);
          if (topics.compacted().contains(topic)) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
          } else if (topics.keptForever().contains(topic)) {
            newTopic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
          }
          missing.add(newTopic);
        }
      }
      admin.createTopics(missing).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
