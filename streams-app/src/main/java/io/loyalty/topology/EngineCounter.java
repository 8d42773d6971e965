package io.loyalty.topology;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Counts what an operator watches (documented no-ops such as anonymous sales, refused program versions) as a
 * Kafka Streams metric {@code loyalty-engine:<name>-total}, visible over JMX and to metric reporters.
 */
final class EngineCounter {
  private final Sensor sensor;

  EngineCounter(StreamsMetrics metrics, String name, String description) {
    String thread = Thread.currentThread().getName();
    sensor = metrics.addSensor(thread + "." + name, Sensor.RecordingLevel.INFO);
    if (!sensor.hasMetrics()) {
      sensor.add(new MetricName(name + "-total", "loyalty-engine", description, Map.of("thread-id", thread)),
          new CumulativeCount());
    }
  }

  void increment() {
    sensor.record();
  }
}
