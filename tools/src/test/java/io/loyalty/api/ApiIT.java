package io.loyalty.api;

import static io.loyalty.api.ApiCalls.get;
import static io.loyalty.api.ApiCalls.getUntilServed;
import static io.loyalty.api.ApiCalls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.avro.Enroll;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API on a real broker with two engine instances: a customer read on either instance answers from the
 * one that owns the key (the other forwards), keys are checked, errors are problem details.
 */
class ApiIT {
  private static final String REGISTER_KEY = "register-key-for-tests";
  private static final String MONITOR_KEY = "monitor-key-for-tests";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void bothInstancesAnswerForEveryCustomerAndRefuseBadKeys(@TempDir Path first, @TempDir Path second) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      // A standby of every task on the other instance: reads that accept a stale copy are answered where they arrive.
      Map<String, String> api = Map.of("api.keys", "front-desk:register:" + ApiKeys.hash(REGISTER_KEY) + ",boss:manager:"
          + ApiKeys.hash("manager-key") + ",prometheus:monitor:" + ApiKeys.hash(MONITOR_KEY), "clock.tick.interval.ms", "0", "kafka.num.standby.replicas", "1",
          "contact.index.key", "a-secret-both-instances-share");
      AppConfig one = BrokerConfig.of(kafka, "api-it", first).with(api);
      AppConfig two = BrokerConfig.of(kafka, "api-it", second).with(api);
      Topics topics = one.topics();
      List<String> customers = new ArrayList<>();
      try (RecordPublisher publisher = new RecordPublisher(one.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").build()).get();
        for (int i = 1; i <= 12; i++) {
          String customer = "c" + i;
          customers.add(customer);
          Instant at = Instant.parse("2026-03-02T18:00:00Z").plusSeconds(i);
          publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("enroll-" + i, customer, at,
              Enroll.newBuilder().setEmail(customer + "@example.com").setPhone("+1617555" + (1000 + i)).build())).get();
          publisher.publish(TopicContract.of(topics, topics.transactions()), Records.purchase("t" + i, customer, i + "0.00", at.plusSeconds(1))
              .build()).get();
        }
      }
      try (LoyaltyApp a = new LoyaltyApp(one).start(); LoyaltyApp b = new LoyaltyApp(two).start()) {
        a.awaitRunning(Duration.ofSeconds(60));
        b.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(one.kafkaProperties(), "api-it", List.of(topics.transactions(), topics.commands()), Duration.ofSeconds(90));
        assertOperationsEndpoints(a.apiPort(), b.apiPort());
        for (int port : List.of(a.apiPort(), b.apiPort())) {
          for (int i = 1; i <= customers.size(); i++) {
            HttpResponse<String> response = getUntilServed(port, "/v1/organizations/" + Records.ORG + "/customers/c" + i, REGISTER_KEY);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode profile = JSON.readTree(response.body());
            assertEquals(Records.ORG + ":c" + i, profile.get("accountKey").asText());
            assertEquals(i + "0.0000", profile.get("balance").asText(), "1 point per dollar of the purchase");
            assertEquals("flower", profile.get("insights").get("preferredCategory").asText(),
                "the capabilities describe the account as the account path does: preferences from the purchase");
          }
        }
        // By hashed contact, on either instance; the latest ledger entries; the KPIs (a manager's).
        String organization = "/v1/organizations/" + Records.ORG;
        for (int port : List.of(a.apiPort(), b.apiPort())) {
          HttpResponse<String> byEmail = getUntilFound(port, organization + "/customers?email=%20C5@Example.COM");
          assertEquals(200, byEmail.statusCode(), byEmail.body());
          assertEquals(Records.ORG + ":c5", JSON.readTree(byEmail.body()).get("accountKey").asText());
          HttpResponse<String> byPhone = getUntilFound(port, organization + "/customers?phone=%2B1%20(617)%20555-1007");
          assertEquals(Records.ORG + ":c7", JSON.readTree(byPhone.body()).get("accountKey").asText(), byPhone.body());
          HttpResponse<String> activity = getUntilServed(port, organization + "/customers/c3/activity?limit=5", REGISTER_KEY);
          assertEquals(200, activity.statusCode(), activity.body());
          JsonNode entries = JSON.readTree(activity.body());
          assertEquals(1, entries.size());
          assertEquals("EARN", entries.get(0).get("type").asText());
          assertEquals("30.0000", entries.get(0).get("delta").asText());
        }
        assertEquals(404, getUntilServed(a.apiPort(), organization + "/customers?email=nobody@example.com", REGISTER_KEY).statusCode());
        assertEquals(400, get(a.apiPort(), organization + "/customers?phone=none", REGISTER_KEY).statusCode());
        assertEquals(403, get(a.apiPort(), organization + "/kpis", REGISTER_KEY).statusCode(), "KPIs are a manager's");
        JsonNode day = kpisOnceAggregated(b.apiPort(), organization + "/kpis?grain=DAY&periods=1", 24);
        assertEquals(12, day.get("activeMembers").asInt());
        assertEquals(12, day.get("newEnrollments").asInt());
        assertEquals("780.00", day.get("memberSales").asText(), "10 + 20 + ... + 120");
        assertEquals(day, kpisOnceAggregated(a.apiPort(), organization + "/kpis?grain=DAY&periods=1", 24), "the same from either instance");
        int stale = 0;
        for (int i = 1; i <= customers.size(); i++) {
          for (int port : List.of(a.apiPort(), b.apiPort())) {
            HttpResponse<String> read = getUntilServed(port, organization + "/customers/c" + i + "?stale=true", REGISTER_KEY);
            assertEquals(200, read.statusCode(), read.body());
            if (read.headers().firstValue("X-Loyalty-Stale").isPresent()) {
              stale++;
              assertTrue(read.headers().firstValue("X-Loyalty-Lag").isPresent(), "a stale answer says how far behind it is");
            }
          }
        }
        assertTrue(stale > 0, "the instance that does not own a key answers from its standby when a stale copy is accepted");

        // A cart quote, answered by the account's owner whichever instance is asked (the cart goes along).
        String cart = "{\"locationId\": \"downtown\", \"lines\": [{\"lineId\": \"L1\", \"sku\": \"FL-1\", \"productName\": \"Flower\", "
            + "\"category\": \"flower\", \"brand\": null, \"strain\": null, \"quantity\": \"1.000\", \"unitPrice\": \"20.00\", "
            + "\"discount\": \"0.00\", \"unitCost\": \"8.00\"}]}";
        for (int port : List.of(a.apiPort(), b.apiPort())) {
          HttpResponse<String> quoted = post(port, organization + "/customers/c3/quote", REGISTER_KEY, null, cart);
          assertEquals(200, quoted.statusCode(), quoted.body());
          JsonNode quote = JSON.readTree(quoted.body());
          assertEquals("30.0000", quote.get("spendable").asText());
          assertEquals("20.0000", quote.get("earn").asText(), "1 point per dollar");
          assertEquals("19.99", quote.get("redemption").get("maximumPoints").asText(), "the order never comes to $0");
          assertEquals("19.99", quote.get("redemption").get("maximumValue").asText());
          assertEquals("MANUAL", quote.get("redemption").get("method").asText());
          assertTrue(quote.get("redemption").get("applied").isNull(), "MANUAL: the customer chooses");
          assertEquals("0.0100", quote.get("earnWithMaximum").asText(), "accrual after redemptions: 1 cent left to earn on");
          assertEquals("0.01", quote.get("payableWithMaximum").asText());
        }
        assertEquals("30.0000", JSON.readTree(getUntilServed(a.apiPort(), organization + "/customers/c3", REGISTER_KEY).body())
            .get("balance").asText(), "a quote changes nothing");
        assertEquals(422, post(a.apiPort(), organization + "/customers/c3/quote", REGISTER_KEY, null,
            "{\"lines\": []}").statusCode(), "a cart without lines is refused as a purchase would be");

        // Exports: every instance's accounts through either instance, and the ledger from its topic; streamed CSV.
        for (int port : List.of(a.apiPort(), b.apiPort())) {
          HttpResponse<String> profiles = getUntilServed(port, organization + "/exports/profiles.csv", "manager-key");
          assertEquals(200, profiles.statusCode(), profiles.body());
          assertEquals("text/csv; charset=utf-8", profiles.headers().firstValue("Content-Type").orElse(""));
          List<String> lines = profiles.body().lines().toList();
          assertEquals(13, lines.size(), "a header and the twelve accounts of both instances: " + profiles.body());
          assertTrue(lines.get(0).startsWith("accountKey,customerId,membership,"), lines.get(0));
          assertEquals(customers.stream().map(customer -> Records.ORG + ":" + customer).sorted().toList(),
              lines.stream().skip(1).map(line -> line.substring(0, line.indexOf(','))).sorted().toList());
          assertTrue(lines.stream().noneMatch(line -> line.contains("@example.com")), "no contact is exported");
        }
        HttpResponse<String> ledgerCsv = getUntilServed(a.apiPort(), organization + "/exports/ledger.csv?from=2026-03-02T18:00:05Z",
            "manager-key");
        List<String> ledgerLines = ledgerCsv.body().lines().toList();
        assertEquals(1 + 9, ledgerLines.size(), "the header and the EARN entries of c4 to c12 (bought at 18:00:05 to 18:00:13): " + ledgerCsv.body());
        assertTrue(ledgerLines.stream().skip(1).allMatch(line -> line.contains(",EARN,")), ledgerCsv.body());
        assertEquals(403, get(a.apiPort(), organization + "/exports/ledger.csv", REGISTER_KEY).statusCode());

        // The documentation is public: Swagger UI over the OpenAPI document, both from the engine's jar.
        HttpResponse<String> openapi = get(a.apiPort(), "/openapi.json", null);
        assertEquals(200, openapi.statusCode());
        assertEquals("3.0.3", JSON.readTree(openapi.body()).get("openapi").asText());
        assertTrue(get(b.apiPort(), "/docs/", null).body().contains("SwaggerUIBundle"));
        assertEquals(200, get(b.apiPort(), "/docs/vendor/swagger-ui-bundle.js", null).statusCode());
        assertEquals(404, get(b.apiPort(), "/docs/../openapi.json.bak", null).statusCode());

        HttpResponse<String> noKey = get(a.apiPort(), "/v1/organizations/" + Records.ORG + "/customers/c1", null);
        assertEquals(401, noKey.statusCode());
        assertEquals("application/problem+json", noKey.headers().firstValue("Content-Type").orElse(""));
        assertEquals("UNAUTHORIZED", JSON.readTree(noKey.body()).get("reasonCode").asText());
        assertEquals(401, get(a.apiPort(), "/v1/organizations/" + Records.ORG + "/customers/c1", "not-a-key").statusCode());
        assertEquals(200, get(b.apiPort(), "/v1/organizations/" + Records.ORG + "/customers/c1", "manager-key").statusCode(),
            "a manager may do what a register may");
        HttpResponse<String> unknown = getUntilServed(a.apiPort(), "/v1/organizations/" + Records.ORG + "/customers/nobody", REGISTER_KEY);
        assertEquals(404, unknown.statusCode());
        assertEquals("UNKNOWN_CUSTOMER", JSON.readTree(unknown.body()).get("reasonCode").asText());
        assertTrue(JSON.readTree(unknown.body()).get("detail").asText().contains("nobody"));

        // Writes: through loyalty.commands, answered with the result the engine wrote.
        String newcomer = "/v1/organizations/" + Records.ORG + "/customers/walk-in";
        HttpResponse<String> enrolled = post(b.apiPort(), newcomer + "/enroll", REGISTER_KEY, "cmd-walk-in-1",
            "{\"firstName\": \"Ana\", \"email\": \"ana@example.com\"}");
        assertEquals(200, enrolled.statusCode(), enrolled.body());
        assertEquals("APPLIED", JSON.readTree(enrolled.body()).get("status").asText());
        HttpResponse<String> again = post(a.apiPort(), newcomer + "/enroll", REGISTER_KEY, "cmd-walk-in-1", "{}");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("DUPLICATE", JSON.readTree(again.body()).get("status").asText(), "a retry with the same id is decided once");
        assertEquals("MEMBER", JSON.readTree(getUntilServed(a.apiPort(), newcomer, REGISTER_KEY).body()).get("membership").asText());
        String adjustment = "{\"delta\": \"5.0000\", \"reason\": \"goodwill\"}";
        HttpResponse<String> notAllowed = post(a.apiPort(), newcomer + "/adjustments", REGISTER_KEY, "cmd-adjust-1", adjustment);
        assertEquals(403, notAllowed.statusCode());
        HttpResponse<String> refused = post(a.apiPort(), newcomer + "/adjustments", "manager-key", "cmd-adjust-2", adjustment);
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(JSON.readTree(refused.body()).get("detail").asText().contains("goodwill"), refused.body());
        assertEquals(400, post(a.apiPort(), newcomer + "/enroll", REGISTER_KEY, null, "{}").statusCode(), "no Idempotency-Key");

        // A new phone number: the points stay with the customer id; the new number finds it, the old one no longer.
        HttpResponse<String> newPhone = post(b.apiPort(), organization + "/customers/c7/profile", REGISTER_KEY, "cmd-c7-phone",
            "{\"phone\": \"+16175552007\"}");
        assertEquals(200, newPhone.statusCode(), newPhone.body());
        for (int port : List.of(a.apiPort(), b.apiPort())) {
          HttpResponse<String> found = getUntilFound(port, organization + "/customers?phone=%2B16175552007");
          assertEquals(Records.ORG + ":c7", JSON.readTree(found.body()).get("accountKey").asText(), found.body());
          assertEquals("70.0000", JSON.readTree(found.body()).get("balance").asText(), "the points belong to the customer id");
          assertEquals(404, getUntilGone(port, organization + "/customers?phone=%2B1%20(617)%20555-1007").statusCode());
        }
        HttpResponse<String> garbage = post(a.apiPort(), newcomer + "/holds", REGISTER_KEY, "cmd-hold-1", "{\"points\": [1,2]}");
        assertEquals(400, garbage.statusCode());
        assertEquals("UNDECODABLE", JSON.readTree(garbage.body()).get("reasonCode").asText());
      }
    }
  }

  /**
   * Health without a key; /metrics with a key of any role, as a bearer token the way Prometheus sends it. Each
   * instance counts what it applied: between them, the 12 enrollments and 12 purchases.
   */
  private static void assertOperationsEndpoints(int... ports) throws Exception {
    double purchases = 0;
    double enrollments = 0;
    for (int port : ports) {
      HttpResponse<String> live = get(port, "/health/live", null);
      assertEquals(200, live.statusCode(), live.body());
      HttpResponse<String> ready = get(port, "/health/ready", null);
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals("RUNNING", JSON.readTree(ready.body()).get("applications").get("engine").asText(), ready.body());
      assertEquals(1, JSON.readTree(ready.body()).get("programVersions").asInt(), ready.body());
      assertEquals(401, get(port, "/metrics", null).statusCode());
      assertEquals(403, get(port, "/v1/organizations/" + Records.ORG + "/customers/c1", MONITOR_KEY).statusCode(),
          "a monitoring key reads metrics only");
      HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
          .header("Authorization", "Bearer " + MONITOR_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      String text = metrics.body();
      purchases += sample(text, "loyalty_inputs_total{outcome=\"applied\",type=\"PURCHASE\"}");
      enrollments += sample(text, "loyalty_inputs_total{outcome=\"applied\",type=\"Enroll\"}");
      assertTrue(text.contains("kafka_stream_thread_process_total{application=\"engine\""), "Kafka Streams' own metrics");
      assertTrue(text.contains("loyalty_timers_pending "), "gauges read from the stores");
      assertTrue(text.contains("jvm_memory_used_bytes{"), "the JVM's");
    }
    assertEquals(12.0, purchases);
    assertEquals(12.0, enrollments);
  }

  /** A sample's value in Prometheus' text format; 0 when this instance has not counted it. */
  private static double sample(String text, String series) {
    return text.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst().orElse(0);
  }

  /** The contact index is a global store: each instance reads loyalty.contact-index on its own, a moment after it is written. */
  private static HttpResponse<String> getUntilFound(int port, String path) throws Exception {
    return ApiCalls.getWhile(port, path, REGISTER_KEY, 404);
  }

  /** The same for a removed entry: each instance drops it when it reads the tombstone. */
  private static HttpResponse<String> getUntilGone(int port, String path) throws Exception {
    return ApiCalls.getWhile(port, path, REGISTER_KEY, 200);
  }

  /** The day's KPI row once the aggregation has summed the expected inputs. */
  private static JsonNode kpisOnceAggregated(int port, String path, int inputs) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> response = getUntilServed(port, path, "manager-key");
      assertEquals(200, response.statusCode(), response.body());
      JsonNode rows = JSON.readTree(response.body());
      if (rows.size() == 1 && rows.get(0).get("inputs").asInt() == inputs || System.nanoTime() > deadline) {
        assertEquals(1, rows.size(), response.body());
        assertEquals(inputs, rows.get(0).get("inputs").asInt(), response.body());
        return rows.get(0);
      }
      Thread.sleep(500);
    }
  }
}
