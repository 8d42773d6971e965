package io.loyalty.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.avro.Enroll;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.EmbeddedKafka;
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
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void bothInstancesAnswerForEveryCustomerAndRefuseBadKeys(@TempDir Path first, @TempDir Path second) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Map<String, String> api = Map.of("api.keys", "front-desk:register:" + ApiKeys.hash(REGISTER_KEY) + ",boss:manager:"
          + ApiKeys.hash("manager-key"), "clock.tick.interval.ms", "0");
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
              Enroll.newBuilder().setEmail(customer + "@example.com").build())).get();
          publisher.publish(TopicContract.of(topics, topics.transactions()), Records.purchase("t" + i, customer, i + "0.00", at.plusSeconds(1))
              .build()).get();
        }
      }
      try (LoyaltyApp a = new LoyaltyApp(one).start(); LoyaltyApp b = new LoyaltyApp(two).start()) {
        a.awaitRunning(Duration.ofSeconds(60));
        b.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(one.kafkaProperties(), "api-it", List.of(topics.transactions(), topics.commands()), Duration.ofSeconds(90));
        for (int port : List.of(a.apiPort(), b.apiPort())) {
          for (int i = 1; i <= customers.size(); i++) {
            HttpResponse<String> response = getUntilServed(port, "/v1/organizations/" + Records.ORG + "/customers/c" + i, REGISTER_KEY);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode profile = JSON.readTree(response.body());
            assertEquals(Records.ORG + ":c" + i, profile.get("accountKey").asText());
            assertEquals(i + "0.0000", profile.get("balance").asText(), "1 point per dollar of the purchase");
          }
        }
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
        HttpResponse<String> garbage = post(a.apiPort(), newcomer + "/holds", REGISTER_KEY, "cmd-hold-1", "{\"points\": [1,2]}");
        assertEquals(400, garbage.statusCode());
        assertEquals("UNDECODABLE", JSON.readTree(garbage.body()).get("reasonCode").asText());
      }
    }
  }

  /** A read during the group's last rebalance is a 503 with Retry-After: the client waits as told. */
  private static HttpResponse<String> getUntilServed(int port, String path, String key) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> response = get(port, path, key);
    while (response.statusCode() == 503 && System.nanoTime() < deadline) {
      assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
      Thread.sleep(1000);
      response = get(port, path, key);
    }
    return response;
  }

  private static HttpResponse<String> post(int port, String path, String key, String commandId, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
        .header("X-Api-Key", key);
    if (commandId != null) {
      request.header("Idempotency-Key", commandId);
    }
    return CLIENT.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(int port, String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("X-Api-Key", key);
    }
    return CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
