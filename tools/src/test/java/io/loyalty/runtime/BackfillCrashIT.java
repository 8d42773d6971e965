package io.loyalty.runtime;

import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static io.loyalty.testing.WorkflowSteps.onSegment;
import static io.loyalty.testing.WorkflowSteps.send;
import static io.loyalty.testing.WorkflowSteps.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.Records;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bar on a real broker, with the engine as users run it: customers buy on day 0, the clock moves to day
 * 30, a program version adds "no purchase in 21 days" and a winback email; the engine is killed with SIGKILL while
 * the ticks evaluate the existing accounts (five per tick and partition), and started again. Every customer gets
 * the winback email exactly once.
 */
class BackfillCrashIT {
  private static final String APP_ID = "backfill-crash-it";
  private static final int CUSTOMERS = 150;
  private static final Instant DAY0 = Instant.parse("2026-09-01T18:00:00Z");
  private static final Instant DAY30 = DAY0.plus(Duration.ofDays(30));
  private static final Map<String, String> FIVE_PER_TICK = Map.of("LOYALTY_CLOCK_MAX_BACKFILL_ACCOUNTS_PER_TICK", "5");

  @Test
  void everyCustomerAwayGetsTheWinbackOnceThoughTheEngineWasKilledHalfWay(@TempDir Path stateDir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      AppConfig config = AppConfig.defaults().with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
      Topics topics = config.topics();
      TopicAdmin.createMissing(config.kafkaProperties(), topics, 3, (short) 1);
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").build()).get();
        for (int i = 1; i <= CUSTOMERS; i++) {
          String customer = "c" + i;
          publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("enroll-" + customer, customer, DAY0,
              Enroll.newBuilder().setEmail(customer + "@example.com").setBirthDate(LocalDate.parse("1990-05-20")).build()));
          publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("consent-" + customer, customer, DAY0,
              new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, "sign-up form")));
          publisher.publish(TopicContract.of(topics, topics.transactions()),
              Records.purchase("t-" + customer, customer, "40.00", DAY0.plusSeconds(60)).build());
        }
        publisher.flush();

        Process engine = EngineJvm.start(kafka, APP_ID, stateDir, "backfill-crash-it-engine.log", FIVE_PER_TICK);
        try {
          ConsumerLag.awaitCaughtUp(config.kafkaProperties(), APP_ID, List.of(topics.transactions(), topics.commands()),
              Duration.ofMinutes(2));
          tick(config, DAY30);
          ConsumerLag.awaitCaughtUp(config.kafkaProperties(), APP_ID, List.of(topics.clock()), Duration.ofMinutes(1));
          publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").setVersion(2)
              .setEffectiveFrom(DAY30.plusSeconds(30))
              .setSegments(List.of(segment("away-21", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21"))))
              .setWorkflows(List.of(workflow("winback", onSegment("away-21"), send("email", Channel.EMAIL, "winback_first")).build()))
              .build()).get();
          for (int minute = 1; minute <= 8; minute++) {
            tick(config, DAY30.plus(Duration.ofMinutes(minute)));
          }
          awaitSomeWinbacks(config, topics);
        } finally {
          engine.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        int atCrash = winbacks(config, topics).values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(atCrash < CUSTOMERS, "the crash must come before the evaluation is over: " + atCrash + " sent");

        for (int minute = 9; minute <= 40; minute++) {
          tick(config, DAY30.plus(Duration.ofMinutes(minute)));
        }
        Process restarted = EngineJvm.start(kafka, APP_ID, stateDir, "backfill-crash-it-engine.log", FIVE_PER_TICK);
        try {
          ConsumerLag.awaitCaughtUp(config.kafkaProperties(), APP_ID, List.of(topics.clock()), Duration.ofMinutes(3));
        } finally {
          restarted.destroy();
          restarted.waitFor(60, TimeUnit.SECONDS);
        }
      }
      Map<String, Integer> sent = winbacks(config, topics);
      assertEquals(CUSTOMERS, sent.size(), "every customer away: " + sent.size());
      sent.forEach((customer, count) -> assertEquals(1, count, customer + " got the winback " + count + " times"));
    }
  }

  /** One tick at that time into every partition, as the engine's clock publishes it when pinned there. */
  private static void tick(AppConfig config, Instant at) {
    ClockTicker.tickOnce(config.with(Map.of("clock.fixed.at", at.toString())));
  }

  private static void awaitSomeWinbacks(AppConfig config, Topics topics) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (winbacks(config, topics).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no winback was committed in time");
      Thread.sleep(100);
    }
  }

  /** Committed winback requests by customer (the reader sees committed transactions only). */
  private static Map<String, Integer> winbacks(AppConfig config, Topics topics) {
    Map<String, Integer> byCustomer = new TreeMap<>();
    for (var record : RecordReader.readAll(config.kafkaProperties(), topics.notifications(), Duration.ofMillis(500))) {
      NotificationRequest request = SerdeFactory.singleObject().codec(NotificationRequest.class).decode(record.value());
      if (request.getTemplate().equals("winback_first")) {
        byCustomer.merge(request.getCustomerId(), 1, Integer::sum);
      }
    }
    return byCustomer;
  }
}
