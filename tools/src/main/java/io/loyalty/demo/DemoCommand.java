package io.loyalty.demo;

import io.loyalty.api.ApiKeys;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Product;
import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.Directories;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.TopicAdmin;
import io.loyalty.serde.SerdeFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The first thing a new user runs: a real Kafka broker in-process (KRaft), the engine, and a sample POS
 * stream; prints what came out, then keeps the broker up for {@code consume} and {@code produce} until Ctrl-C.
 */
public final class DemoCommand {
  private DemoCommand() {}

  /** What a test does while the demo is up, with the address of its API and the key made for the run. */
  @FunctionalInterface
  public interface WhileRunning {
    void check(int apiPort, String apiKey) throws Exception;
  }

  public static int run(AppConfig config, Options options) throws IOException, InterruptedException {
    return run(config, options, (port, key) -> { });
  }

  public static int run(AppConfig config, Options options, WhileRunning whileRunning) throws IOException, InterruptedException {
    int customers = options.intValue("--customers", 300);
    int port = options.intValue("--port", portFree(9092) ? 9092 : 0);
    Path dataDir = options.value("--data-dir").map(Path::of).orElse(Files.createTempDirectory("loyalty-demo-"));
    boolean temporary = options.value("--data-dir").isEmpty();
    System.out.println("Starting an in-process Kafka broker (KRaft), data in " + dataDir + " ...");
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), temporary, port);
    // A key made for this run only: the API refuses requests without one, and the demo tells it to its user.
    byte[] keyBytes = new byte[16];
    new SecureRandom().nextBytes(keyBytes);
    String apiKey = HexFormat.of().formatHex(keyBytes);
    AppConfig demo = config.with(Map.of(
        "kafka.bootstrap.servers", kafka.bootstrapServers(),
        "kafka.application.id", "loyalty-demo",
        "kafka.state.dir", dataDir.resolve("streams-state").toString(),
        "api.keys", "demo:admin:*:" + ApiKeys.hash(apiKey),
        // --now pins the clock's ticks (and so the time-relative segments and workflows) to one instant.
        "clock.fixed.at", options.value("--now").orElse(config.get("clock.fixed.at"))));
    LoyaltyApp app = null;
    try {
      TopicAdmin.createMissing(demo.kafkaProperties(), demo.topics(), demo.getInt("topic.partitions"), (short) 1);
      app = new LoyaltyApp(demo);
      int published = publishSample(demo, customers);
      app.start();
      app.awaitRunning(Duration.ofMinutes(2));
      System.out.println("Engine running; waiting for it to process the " + published + " sample records ...");
      ConsumerLag.awaitCaughtUp(demo.kafkaProperties(), demo.get("kafka.application.id"),
          List.of(demo.topics().transactions(), demo.topics().commands()), Duration.ofMinutes(5));
      DemoSummary.print(System.out, demo, published);
      // The KPIs are summed by a second task from the deltas the account tasks wrote: wait for it to catch up too.
      ConsumerLag.awaitCaughtUp(demo.kafkaProperties(), demo.get("kafka.application.id"), List.of(demo.topics().kpiDeltas()),
          Duration.ofMinutes(2));
      DemoSummary.printKpis(System.out, app.apiPort(), apiKey, "greenleaf");
      DemoSummary.printLift(System.out, app.apiPort(), apiKey, "greenleaf");
      System.out.println("Broker: " + kafka.bootstrapServers() + ". In another terminal, for example:");
      System.out.println("  LOYALTY_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers()
          + " java -jar tools/target/loyalty-engine.jar consume " + demo.topics().ledger() + " --max 5");
      System.out.println("  curl -H 'X-Api-Key: " + apiKey + "' http://localhost:" + app.apiPort()
          + "/v1/organizations/greenleaf/customers/c1");
      System.out.println("Dashboard: http://localhost:" + app.apiPort() + "/dashboard/#key=" + apiKey + "&org=greenleaf&customer=c1");
      System.out.println("API documentation: http://localhost:" + app.apiPort() + "/docs/");
      try {
        whileRunning.check(app.apiPort(), apiKey);
      } catch (IOException | InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      if (!options.flag("--exit")) {
        awaitCtrlC();
      }
      return 0;
    } finally {
      // Whatever failed, nothing the demo started outlives it: a broker left running in a deleted directory
      // halts the JVM it is in (a test's, for instance) at its next log-directory check.
      System.out.println("Stopping the engine and the broker ...");
      if (app != null) {
        app.close();
      }
      kafka.close();
      if (temporary) {
        Directories.deleteRecursively(dataDir);
      }
    }
  }

  /** Until Ctrl-C: the shutdown hook lets the main thread close what it started, then the JVM ends. */
  private static void awaitCtrlC() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      interrupted.countDown();
      try {
        main.join(Duration.ofSeconds(60).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-shutdown"));
    System.out.println("Press Ctrl-C to stop.");
    interrupted.await();
  }

  private static int publishSample(AppConfig config, int customers) {
    try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.of(config.registry()))) {
      TopicContract<?> programs = TopicContract.of(config.topics(), config.topics().programs());
      for (ProgramConfig program : SampleStream.programs(SampleSegments.standard(), SampleWorkflows.demo())) {
        publisher.publish(programs, program);
      }
      TopicContract<?> products = TopicContract.of(config.topics(), config.topics().products());
      for (Product product : SampleStream.catalog()) {
        publisher.publish(products, product);
      }
      return SampleStream.publish(publisher, config.topics(), new SampleStream(42, customers).generate(customers * 5));
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
