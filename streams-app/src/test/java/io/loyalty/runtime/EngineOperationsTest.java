package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.OperationsEndpoints;
import io.loyalty.serde.SerdeFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineOperationsTest {
  @Test
  void anInstanceThatIsNotRunningIsLiveButNotReady(@TempDir Path stateDir) {
    AppConfig config = AppConfig.defaults().with(Map.of("kafka.bootstrap.servers", "localhost:1",
        "kafka.state.dir", stateDir.toString()));
    try (EngineOperations operations = new EngineOperations();
        KafkaStreams streams = new KafkaStreams(LoyaltyApp.topology(config), StreamsSettings.of(config))) {
      operations.watch("engine", streams, SerdeFactory.singleObject(), Clock.systemUTC());
      OperationsEndpoints.Health health = operations.health();
      assertTrue(health.live());
      assertFalse(health.ready(), "CREATED, no program loaded");
      assertEquals(Map.of("engine", "CREATED"), health.applications());
      assertEquals(0, health.programVersions());
      String metrics = operations.scrape();
      assertTrue(metrics.contains("loyalty_timers_pending 0.0"), metrics);
      assertTrue(metrics.contains("loyalty_clock_behind_seconds -1.0"), metrics);
      // Series the Grafana dashboard reads exist from the start, before any collection or input.
      assertTrue(metrics.contains("jvm_gc_memory_allocated_bytes_total "), metrics);
      assertTrue(metrics.contains("process_cpu_usage "), metrics);
      streams.close(Duration.ofSeconds(5));
    }
  }
}
