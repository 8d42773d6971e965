package io.loyalty.runtime;

import io.loyalty.api.OperationsEndpoints;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.OperationsView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One instance's metrics and health: the Prometheus registry that holds the engine's business counters
 * ({@link EngineMeters}), Kafka Streams' own metrics (Micrometer's KafkaStreamsMetrics binder: every client,
 * thread, task and store metric of the instance, without a JMX agent), the JVM's, and gauges read from the
 * local stores on each scrape.
 */
public final class EngineOperations implements OperationsEndpoints.Instance, AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final EngineMeters meters = new EngineMeters(registry);
  private final Map<String, KafkaStreams> applications = new LinkedHashMap<>();
  private final List<AutoCloseable> binders = new ArrayList<>();
  private OperationsView view;

  public EngineOperations() {
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public EngineMeters meters() {
    return meters;
  }

  /**
   * Watches a started application: its metrics are exported tagged {@code application=name}, and the instance
   * is ready only when every watched application is RUNNING. The first one watched is the engine, whose
   * stores the gauges read.
   */
  public void watch(String name, KafkaStreams streams, SerdeFactory serdes, Clock clock) {
    applications.put(name, streams);
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, Tags.of("application", name));
    binder.bindTo(registry);
    binders.add(binder);
    if (view == null) {
      view = new OperationsView(streams, serdes);
      OperationsView engine = view;
      Gauge.builder("loyalty.timers.pending", engine, OperationsView::timersPending)
          .description("timers scheduled in this instance's partitions (estimate)").register(registry);
      Gauge.builder("loyalty.clock.behind.seconds", engine,
              view -> view.clockBehindMillis(clock.instant()).orElse(-1000) / 1000.0)
          .description("how far the most lagging partition clock is behind the wall clock; -1 before the first tick")
          .register(registry);
      Gauge.builder("loyalty.program.versions", engine, OperationsView::programVersions)
          .description("program versions loaded (global store)").register(registry);
    }
  }

  @Override
  public OperationsEndpoints.Health health() {
    Map<String, String> states = new LinkedHashMap<>();
    boolean live = true;
    boolean running = !applications.isEmpty();
    for (Map.Entry<String, KafkaStreams> application : applications.entrySet()) {
      KafkaStreams.State state = application.getValue().state();
      states.put(application.getKey(), state.name());
      live &= state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
      running &= state == KafkaStreams.State.RUNNING;
    }
    long programs = view == null ? 0 : view.programVersions();
    return new OperationsEndpoints.Health(live, running && programs > 0, states, programs);
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing a metrics binder", e);
      }
    }
    registry.close();
  }
}
