package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped configuration drops the known meaningless Kafka warnings and keeps every other one of the same loggers. */
class KnownNoiseFilterTest {
  @Test
  void onlyTheKnownMessagesAreDropped() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback.xml"));
      context.getLogger("org.apache.kafka.streams.processor.internals.StateDirectory")
          .warn("Using an OS temp directory in the state.dir property can cause failures. Resolved state.dir: [{}]", "/tmp/x");
      context.getLogger("org.apache.kafka.streams.processor.internals.StateDirectory")
          .warn("Failed to lock the state directory for task {}", "0_1");
      context.getLogger("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils")
          .warn("[Consumer clientId=c, groupId=null] Not updating last stable offset for partition {} as it is no longer assigned", "p-1");
      context.getLogger("org.apache.kafka.clients.NetworkClient")
          .warn("[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that has already been closed.");
      context.getLogger("org.apache.kafka.clients.NetworkClient").warn("Connection to node {} could not be established", 1);
    } finally {
      context.stop();
      System.setErr(stderr);
    }
    List<String> shown = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> !line.isBlank()).map(line -> line.substring(line.indexOf(" - ") + 3)).toList();
    assertEquals(List.of("Failed to lock the state directory for task 0_1", "Connection to node 1 could not be established"), shown);
  }
}
