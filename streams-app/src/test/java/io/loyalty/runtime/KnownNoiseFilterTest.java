package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.testing.ShippedLogging;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped configuration drops the known meaningless Kafka warnings and keeps every other one of the same loggers. */
class KnownNoiseFilterTest {
  @Test
  void onlyTheKnownMessagesAreDropped() throws Exception {
    List<String> lines = ShippedLogging.lines(context -> {
      context.getLogger("org.apache.kafka.streams.processor.internals.StateDirectory")
          .warn("Using an OS temp directory in the state.dir property can cause failures. Resolved state.dir: [{}]", "/tmp/x");
      context.getLogger("org.apache.kafka.streams.processor.internals.StateDirectory")
          .warn("Failed to lock the state directory for task {}", "0_1");
      context.getLogger("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils")
          .warn("[Consumer clientId=c, groupId=null] Not updating last stable offset for partition {} as it is no longer assigned", "p-1");
      context.getLogger("org.apache.kafka.clients.NetworkClient")
          .warn("[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that has already been closed.");
      context.getLogger("org.apache.kafka.clients.NetworkClient").warn("Connection to node {} could not be established", 1);
    });
    assertEquals(List.of("Failed to lock the state directory for task 0_1", "Connection to node 1 could not be established"),
        lines.stream().map(line -> line.substring(line.indexOf(" - ") + 3)).toList());
  }
}
