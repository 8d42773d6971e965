package io.loyalty.bench;

import io.loyalty.api.ApiKeys;
import io.loyalty.api.AuthFailures;
import io.loyalty.api.ApiServer;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.EngineOperations;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.serde.SerdeFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The register's customer lookup under the bench's load: the engine's own HTTP API over the measured engine,
 * asked for random customers at a fixed rate while the latency phase publishes events; percentiles of the
 * time to a complete answer, and the answers that were not 200.
 */
final class LookupProbe implements AutoCloseable {
  private static final String KEY = "bench-lookup-key";
  private final ApiServer api = new ApiServer("localhost", 0);
  private final EngineOperations operations = new EngineOperations();
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, Long> latencies = new ConcurrentHashMap<>();
  private final AtomicLong errors = new AtomicLong();
  private Thread asking;

  /** The engine announces the API's address to its group, as a deployed instance does. */
  AppConfig announce(AppConfig config) {
    return config.with(Map.of("kafka.application.server", "localhost:" + api.port(), "api.keys", "bench:admin:*:" + ApiKeys.hash(KEY)));
  }

  /** Starts asking for the accounts' profiles, {@code perSecond} a second, until {@link #stop}. */
  void start(KafkaStreams streams, AppConfig config, List<String> accountPaths, int perSecond) {
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    operations.watch("engine", streams, serdes, Clock.systemUTC());
    api.start(ApiKeys.parse(config.get("api.keys")), new AuthFailures(20, Duration.ofMinutes(5), Set.of()), streams, new HostInfo("localhost", api.port()), config.kafkaProperties(),
        config.topics(), serdes, LoyaltyApp.settings(config), operations);
    asking = new Thread(() -> ask(accountPaths, perSecond), "lookup-probe");
    asking.start();
  }

  private void ask(List<String> accountPaths, int perSecond) {
    Random random = new Random(7);
    Pacer pacer = new Pacer(perSecond);
    for (long sent = 0; !stop.get(); sent++) {
      try {
        pacer.await(sent);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + api.port()
            + accountPaths.get(random.nextInt(accountPaths.size())))).header("X-Api-Key", KEY).timeout(Duration.ofSeconds(10)).GET().build();
        long begin = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
          latencies.put(Long.toString(sent), System.nanoTime() - begin);
        } else {
          errors.incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.io.IOException e) {
        errors.incrementAndGet();
      }
    }
  }

  LatencyProbe.Percentiles stop() throws InterruptedException {
    stop.set(true);
    asking.join();
    return LatencyProbe.Percentiles.of(latencies);
  }

  long errors() {
    return errors.get();
  }

  @Override
  public void close() {
    api.close();
    operations.close();
  }
}
