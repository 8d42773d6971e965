package io.loyalty.chaos;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;
import java.util.Properties;

/**
 * Copies a topic record by record into another with the same partition count, keeping partition, key, value and
 * timestamp: the same input, in the same per-partition order, for a reference run. The target keeps the copied
 * timestamps (see TopicAdmin.createForCopies), so a replay reads the copies in the original's order. It copies what
 * the source holds when the copy starts: copy a topic nobody writes any more.
 */
final class TopicCopier {
  private TopicCopier() {}

  static long copy(Properties clientProperties, String from, String to) {
    long[] copied = {0};
    try (RecordPublisher publisher = new RecordPublisher(clientProperties, SerdeFactory.singleObject())) {
      RecordReader.read(clientProperties, from, Duration.ZERO, Long.MAX_VALUE, record -> {
        publisher.copy(to, record.partition(), record.timestamp(), record.key(), record.value());
        copied[0]++;
      });
      publisher.flush();
    }
    return copied[0];
  }
}
