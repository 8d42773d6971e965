package io.loyalty.api;

import static io.loyalty.api.ApiCalls.get;
import static io.loyalty.api.ApiCalls.getUntilServed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowStepType;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ClockTicker;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import io.loyalty.testing.SegmentConditions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before a campaign, on a real broker: a segment's size and who each channel can reach (membership, address,
 * confirmed consent, the marketing policy), and its members as CSV, with contacts for an admin only.
 */
class AudienceIT {
  private static final String MANAGER = "audience-manager-key";
  private static final String ADMIN = "audience-admin-key";
  private static final LocalDate ADULT = LocalDate.parse("1990-05-20");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSegmentsAudienceCountsWhoEachChannelCanReachAndExportsItsMembers(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String keys = "planner:manager:" + Records.ORG + ":" + ApiKeys.hash(MANAGER) + ",owner:admin:" + Records.ORG + ":" + ApiKeys.hash(ADMIN);
      AppConfig config = BrokerConfig.of(kafka, "audience-it", dir).with(Map.of("api.keys", keys, "clock.tick.interval.ms", "0"));
      Topics topics = config.topics();
      Instant at = Instant.parse("2026-11-02T18:00:00Z");
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        // A broadcast to the buyers with half of them held out, after the purchases.
        WorkflowDefinition sale = WorkflowDefinition.newBuilder().setId("sale").setName("Sale").setHoldoutPercent(50)
            .setTrigger(WorkflowTrigger.newBuilder().setType(WorkflowTriggerType.BROADCAST).setSegmentId("buyers").setAt(at.plusSeconds(120)).build())
            .setSteps(List.of(WorkflowStep.newBuilder().setId("email").setType(WorkflowStepType.SEND_MESSAGE).setChannel(Channel.EMAIL)
                .setTemplate("sale").build())).build();
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").setSegments(List.of(SegmentConditions.segment(
            "buyers", SegmentConditions.test(SegmentOperator.AT_LEAST, SegmentAttribute.VISITS, "1")))).setWorkflows(List.of(sale)).build()).get();
        // c1 both email and SMS; c2 revoked email; c3 is 20; c4 never enrolled; c5 push only; c6 never bought.
        enroll(publisher, topics, "c1", ADULT, at, Channel.EMAIL, Channel.SMS);
        enroll(publisher, topics, "c2", ADULT, at, Channel.EMAIL);
        publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("revoke-c2", "c2", at.plusSeconds(5),
            new ChangeConsent(Channel.EMAIL, ConsentAction.REVOKE, "unsubscribe link"))).get();
        enroll(publisher, topics, "c3", LocalDate.parse("2006-01-01"), at, Channel.EMAIL);
        enroll(publisher, topics, "c5", ADULT, at, Channel.PUSH);
        enroll(publisher, topics, "c6", ADULT, at, Channel.EMAIL);
        for (String customer : List.of("c1", "c2", "c3", "c4", "c5")) {
          publisher.publish(TopicContract.of(topics, topics.transactions()), Records.purchase("t-" + customer, customer, "30.00",
              at.plusSeconds(60)).build()).get();
        }
      }
      try (LoyaltyApp engine = new LoyaltyApp(config).start()) {
        engine.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "audience-it", List.of(topics.transactions(), topics.commands()),
            Duration.ofSeconds(90));
        int port = engine.apiPort();
        String organization = "/v1/organizations/" + Records.ORG;

        HttpResponse<String> audience = getUntilServed(port, organization + "/segments/buyers/audience", MANAGER);
        assertEquals(200, audience.statusCode(), audience.body());
        assertEquals(JSON.readTree("{\"members\": 5, \"reachable\": {\"EMAIL\": 1, \"SMS\": 1, \"PUSH\": 1}, \"reachableOnAny\": 2}"),
            JSON.readTree(audience.body()), "c1 by email and SMS, c5 by push; c2 revoked, c3 is under 21, c4 is no member");

        HttpResponse<String> members = get(port, organization + "/exports/segments/buyers.csv", MANAGER);
        assertEquals(200, members.statusCode(), members.body());
        List<String> rows = members.body().lines().toList();
        assertEquals("accountKey,customerId,since,membership,tier,emailReachable,smsReachable,pushReachable", rows.get(0));
        assertEquals(List.of(Records.ORG + ":c1,c1," + at.plusSeconds(60) + ",ENROLLED,,true,true,false",
            Records.ORG + ":c2,c2," + at.plusSeconds(60) + ",ENROLLED,,false,false,false",
            Records.ORG + ":c3,c3," + at.plusSeconds(60) + ",ENROLLED,,false,false,false",
            Records.ORG + ":c4,c4," + at.plusSeconds(60) + ",NONE,,false,false,false",
            Records.ORG + ":c5,c5," + at.plusSeconds(60) + ",ENROLLED,,false,false,true"), rows.subList(1, rows.size()).stream().sorted().toList(),
            "no contact details for a manager");

        List<String> withContacts = get(port, organization + "/exports/segments/buyers.csv", ADMIN).body().lines().toList();
        assertEquals("accountKey,customerId,since,membership,tier,emailReachable,smsReachable,pushReachable,email,phone", withContacts.get(0));
        assertEquals(Records.ORG + ":c1,c1," + at.plusSeconds(60) + ",ENROLLED,,true,true,false,c1@example.com,+16175550101",
            withContacts.stream().filter(row -> row.startsWith(Records.ORG + ":c1,")).findFirst().orElseThrow());

        // The broadcast goes out at the first tick past its time: the report puts treatment and control side by side.
        ClockTicker.tickOnce(config.with(Map.of("clock.fixed.at", at.plusSeconds(180).toString())));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "audience-it", List.of(topics.clock()), Duration.ofSeconds(60));
        JsonNode report = JSON.readTree(getUntilServed(port, organization + "/workflows", MANAGER).body()).get("sale/1");
        // SHA-256 of "greenleaf:c1\nsale/1" and so on puts c1 and c4 below 50 of 100: held out.
        assertEquals(3, report.at("/holdout/treatment/members").asLong(), report.toString());
        assertEquals(2, report.at("/holdout/control/members").asLong(), report.toString());
        assertEquals(2, report.get("heldOut").asLong());

        HttpResponse<String> unknown = get(port, organization + "/segments/nope/audience", MANAGER);
        assertEquals(404, unknown.statusCode());
        assertEquals("UNKNOWN_SEGMENT", JSON.readTree(unknown.body()).get("reasonCode").asText());
      }
    }
  }

  private static void enroll(RecordPublisher publisher, Topics topics, String customer, LocalDate birthDate, Instant at, Channel... consented)
      throws Exception {
    publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("enroll-" + customer, customer, at,
        Enroll.newBuilder().setEmail(customer + "@example.com").setPhone("+1617555010" + customer.substring(1))
            .setBirthDate(birthDate).build())).get();
    for (Channel channel : consented) {
      publisher.publish(TopicContract.of(topics, topics.commands()), Records.command(channel + "-" + customer, customer, at.plusSeconds(1),
          new ChangeConsent(channel, ConsentAction.GRANT, "sign-up form"))).get();
      if (channel == Channel.SMS) {
        publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("yes-" + customer, customer, at.plusSeconds(2),
            new ChangeConsent(channel, ConsentAction.CONFIRM, "YES"))).get();
      }
    }
  }
}
