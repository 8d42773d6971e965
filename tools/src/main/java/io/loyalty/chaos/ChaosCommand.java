package io.loyalty.chaos;

import io.loyalty.audit.InvariantChecker;
import io.loyalty.bench.LoadGenerator;
import io.loyalty.bench.LoadPublisher;
import io.loyalty.bench.Pacer;
import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ClockTicker;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.Directories;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.TopicAdmin;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The `chaos` command: three engine instances (separate JVMs) on a 12-partition in-process broker, under a
 * steady POS load, while one instance is killed without a clean close, a fourth joins, the broker stops and
 * starts again, and one instance is killed and restarted in a loop. Then the invariants are checked on what
 * the instances wrote, and every account's ledger is compared with what a single instance computes from a
 * copy of the same input. Exit status 0 when everything holds.
 */
public final class ChaosCommand {
  private static final Instant BUSINESS_START = Instant.parse("2026-09-01T16:00:00Z");

  private ChaosCommand() {}

  public static int run(AppConfig base, Options options) throws Exception {
    int events = options.intValue("--events", 60_000);
    int rate = options.intValue("--rate", 500);
    int partitions = options.intValue("--partitions", 12);
    Path work = Files.createTempDirectory("loyalty-chaos-");
    try {
      return run(base, events, rate, partitions, work);
    } finally {
      Directories.deleteRecursively(work);
    }
  }

  private static int run(AppConfig base, int events, int rate, int partitions, Path work) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), true, 0)) {
      AppConfig config = base.with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
          "topic.prefix", "chaos.", "kafka.application.id", "loyalty-chaos", "clock.tick.interval.ms", "0"));
      Topics topics = config.topics();
      TopicAdmin.createMissing(config.kafkaProperties(), topics, partitions, (short) 1);
      Map<String, String> environment = Map.of(
          "LOYALTY_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
          "LOYALTY_TOPIC_PREFIX", "chaos.",
          "LOYALTY_KAFKA_APPLICATION_ID", "loyalty-chaos",
          "LOYALTY_CLOCK_TICK_INTERVAL_MS", "0",
          // A killed member leaves no goodbye: a short session timeout lets the group notice soon.
          "LOYALTY_KAFKA_SESSION_TIMEOUT_MS", "6000",
          "LOYALTY_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
      List<EngineProcess> instances = new ArrayList<>();
      try {
        return underFaults(config, events, rate, partitions, work, kafka, environment, instances);
      } finally {
        for (EngineProcess instance : instances) {
          instance.kill();
        }
      }
    }
  }

  private static int underFaults(AppConfig config, int events, int rate, int partitions, Path work, EmbeddedKafka kafka,
      Map<String, String> environment, List<EngineProcess> instances) throws Exception {
    Topics topics = config.topics();
    for (int i = 1; i <= 3; i++) {
      instances.add(new EngineProcess("instance-" + i, environment, work).start());
    }
    say("3 instances started; publishing " + events + " POS events at " + rate + "/s");
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    List<Thread> background = new ArrayList<>();
    try (LoadPublisher publisher = new LoadPublisher(config)) {
      LoadGenerator generator = new LoadGenerator(7, 50_000, 0.8, BUSINESS_START);
      Pacer pacer = new Pacer(rate);
      for (int sent = 0; sent < events; sent++) {
        pacer.await(sent);
        publisher.publish(generator.next());
        fault(sent, events, instances, kafka, environment, work, background);
      }
      publisher.flush();
    }
    for (Thread thread : background) {
      thread.join();
    }
    say("load published; waiting for the instances to catch up");
    ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "loyalty-chaos", List.of(topics.transactions(), topics.commands()),
        Duration.ofMinutes(10));
    // Then one tick at the current time settles what waits on business time (returns whose purchase never came).
    say("caught up; one clock tick");
    ClockTicker.tickOnce(config);
    ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "loyalty-chaos",
        List.of(topics.transactions(), topics.commands(), topics.clock()), Duration.ofMinutes(10));
    say("settled; stopping the instances");
    for (EngineProcess instance : instances) {
      instance.stop();
    }
    say("checking what came out");
    InvariantChecker.Report chaos = InvariantChecker.check(config.kafkaProperties(), topics, serdes, InvariantChecker.AFTER_CATCH_UP,
        true);
    say("after faults:      " + chaos.line());
    chaos.examples().forEach(example -> say("  " + example));

    AppConfig reference = config.with(Map.of("topic.prefix", "reference.", "kafka.application.id", "loyalty-reference",
        "kafka.state.dir", work.resolve("reference-state").toString()));
    Topics referenceTopics = reference.topics();
    TopicAdmin.createForCopies(reference.kafkaProperties(), referenceTopics, partitions, (short) 1);
    for (String input : List.of("programs", "transactions", "commands", "clock")) {
      TopicCopier.copy(config.kafkaProperties(), inputTopic(topics, input), inputTopic(referenceTopics, input));
    }
    say("the same inputs, copied, through a single instance");
    try (LoyaltyApp single = new LoyaltyApp(reference)) {
      single.start();
      single.awaitRunning(Duration.ofMinutes(2));
      ConsumerLag.awaitCaughtUp(reference.kafkaProperties(), "loyalty-reference",
          List.of(referenceTopics.transactions(), referenceTopics.commands(), referenceTopics.clock()), Duration.ofMinutes(10));
    }
    InvariantChecker.Report single = InvariantChecker.check(reference.kafkaProperties(), referenceTopics, serdes,
        InvariantChecker.AFTER_CATCH_UP, true);
    say("single instance:   " + single.line());
    List<String> different = InvariantChecker.differences(single.ledgers(), chaos.ledgers());
    say("accounts compared: " + single.ledgers().size() + ", ledgers that differ: " + different.size()
        + (different.isEmpty() ? "" : " e.g. " + different.subList(0, Math.min(5, different.size()))));
    return chaos.holds() && single.holds() && different.isEmpty() && chaos.recordsIn() == single.recordsIn() ? 0 : 1;
  }

  /** The fault script, by share of the load published. */
  private static void fault(int sent, int events, List<EngineProcess> instances, EmbeddedKafka kafka,
      Map<String, String> environment, Path work, List<Thread> background) throws Exception {
    if (sent == events / 4) {
      say("killing instance-1 (SIGKILL)");
      instances.get(0).kill();
    } else if (sent == events * 2 / 5) {
      say("adding instance-4");
      instances.add(new EngineProcess("instance-4", environment, work).start());
    } else if (sent == events * 11 / 20) {
      say("stopping the broker for 10 s");
      kafka.stop();
      Thread.sleep(10_000);
      kafka.restart();
      say("broker back");
    } else if (sent == events * 7 / 10) {
      background.add(crashLoop(instances.get(1)));
    }
  }

  /**
   * Kills and restarts an instance every 5 seconds, four times, by the clock rather than by records published:
   * after the broker's pause the load catches up fast, and a count-driven loop would kill a JVM still starting.
   */
  private static Thread crashLoop(EngineProcess instance) {
    Thread loop = new Thread(() -> {
      try {
        for (int round = 1; round <= 4; round++) {
          Thread.sleep(5_000);
          say("crash loop " + round + "/4: killing and restarting " + instance.name());
          instance.kill();
          instance.start();
        }
      } catch (Exception e) {
        say("crash loop stopped: " + e);
      }
    }, "chaos-crash-loop");
    loop.start();
    return loop;
  }

  private static String inputTopic(Topics topics, String input) {
    return switch (input) {
      case "programs" -> topics.programs();
      case "transactions" -> topics.transactions();
      case "commands" -> topics.commands();
      default -> topics.clock();
    };
  }

  private static void say(String line) {
    System.out.println(Instant.now() + " chaos: " + line);
  }
}
