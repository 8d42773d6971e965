package io.loyalty.api;

import static io.loyalty.api.ApiCalls.get;
import static io.loyalty.api.ApiCalls.getUntilServed;
import static io.loyalty.api.ApiCalls.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ConsentAction;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two organizations on one engine, each with its own keys, on a real broker: a key acts for its organizations only,
 * and another organization's data answers exactly as what does not exist (so a key cannot probe which customers other
 * tenants have); a key past its last day is refused; an address that fails too often is slowed down.
 */
class TenantsIT {
  private static final String A = Records.ORG;
  private static final String B = "harbor";
  private static final String A_REGISTER = "greenleaf-register-key";
  private static final String A_MANAGER = "greenleaf-manager-key";
  private static final String A_EXPIRED = "greenleaf-old-key";
  private static final String A_ADMIN = "greenleaf-admin-key";
  private static final String PLATFORM = "platform-admin-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aKeyActsForItsOwnOrganizationsOnly(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String keys = String.join(",", "till:register:" + A + ":" + ApiKeys.hash(A_REGISTER),
          "boss:manager:" + A + ":" + ApiKeys.hash(A_MANAGER), "old:manager:" + A + ":" + ApiKeys.hash(A_EXPIRED) + ":2020-01-31",
          "platform:admin:*:" + ApiKeys.hash(PLATFORM), "owner:admin:" + A + ":" + ApiKeys.hash(A_ADMIN));
      AppConfig config = BrokerConfig.of(kafka, "tenants-it", dir).with(Map.of("api.keys", keys, "clock.tick.interval.ms", "0",
          "contact.index.key", "tenants-it-secret", "api.auth.failures", "20", "api.auth.failure.window.seconds", "4",
          "api.trusted.proxies", "127.0.0.1,::1"));
      Topics topics = config.topics();
      Instant at = Instant.parse("2026-03-02T18:00:00Z");
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").build()).get();
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").setOrganizationId(B).setName("Harbor").build()).get();
        for (String organization : List.of(A, B)) {
          String customer = organization.equals(A) ? "ana" : "bo";
          LoyaltyCommand enroll = LoyaltyCommand.newBuilder(Records.command("enroll-" + customer, customer, at,
              Enroll.newBuilder().setEmail(customer + "@example.com").setPhone(organization.equals(A) ? "+16175551001" : "+16175552002")
                  .build())).setOrganizationId(organization).build();
          publisher.publish(TopicContract.of(topics, topics.commands()), enroll).get();
          publisher.publish(TopicContract.of(topics, topics.transactions()), Records.purchase("t-" + customer, customer, "40.00",
              at.plusSeconds(1)).setOrganizationId(organization).build()).get();
        }
        // A's customer opts in to SMS (the form, then her YES) and stops email.
        for (ChangeConsent change : List.of(new ChangeConsent(Channel.SMS, ConsentAction.GRANT, "signup form v3, 'Text me offers' ticked"),
            new ChangeConsent(Channel.SMS, ConsentAction.CONFIRM, "YES"), new ChangeConsent(Channel.EMAIL, ConsentAction.GRANT, "signup form v3"),
            new ChangeConsent(Channel.EMAIL, ConsentAction.REVOKE, "STOP"))) {
          at = at.plusSeconds(10);
          publisher.publish(TopicContract.of(topics, topics.commands()), Records.command("consent-" + at.getEpochSecond(), "ana", at, change)).get();
        }
      }
      try (LoyaltyApp engine = new LoyaltyApp(config).start()) {
        engine.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "tenants-it", List.of(topics.transactions(), topics.commands()),
            Duration.ofSeconds(90));
        int port = engine.apiPort();

        // Guessing first, while no request has failed yet: 20 wrong keys are refused, the next is slowed down. This
        // test's own address is a trusted proxy: first a client behind it, whose count is its own...
        String behindProxy = "203.0.113.7";
        for (int guess = 1; guess <= 20; guess++) {
          assertEquals(401, get(port, "/v1/organizations/" + A + "/customers/ana", "guess-" + guess, behindProxy).statusCode(),
              "guess " + guess);
        }
        assertEquals(429, get(port, "/v1/organizations/" + A + "/customers/ana", A_REGISTER, behindProxy).statusCode());
        assertEquals(401, get(port, "/v1/organizations/" + A + "/customers/ana", "wrong", "198.51.100.1").statusCode(),
            "another client behind the same proxy is not slowed down");
        // ...then straight from this address.
        for (int guess = 1; guess <= 20; guess++) {
          assertEquals(401, get(port, "/v1/organizations/" + A + "/customers/ana", "guess-" + guess).statusCode(), "guess " + guess);
        }
        HttpResponse<String> slowed = get(port, "/v1/organizations/" + A + "/customers/ana", A_REGISTER);
        assertEquals(429, slowed.statusCode(), "once the address failed 20 times even a valid key waits: " + slowed.body());
        assertEquals("TOO_MANY_FAILURES", JSON.readTree(slowed.body()).get("reasonCode").asText());
        long retryAfter = Long.parseLong(slowed.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 4, "Retry-After " + retryAfter);
        Thread.sleep(Duration.ofSeconds(retryAfter + 1).toMillis());

        String a = "/v1/organizations/" + A;
        String b = "/v1/organizations/" + B;
        HttpResponse<String> own = getUntilServed(port, a + "/customers/ana", A_REGISTER);
        assertEquals(200, own.statusCode(), own.body());
        assertEquals("40.0000", JSON.readTree(own.body()).get("balance").asText());
        assertEquals("no-store", own.headers().firstValue("Cache-Control").orElse(""), "customer data is never cached");
        HttpResponse<String> page = get(port, "/dashboard/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), page.headers().toString());
        assertEquals(200, getUntilServed(port, b + "/customers/bo", PLATFORM).statusCode(), "the platform key acts for every organization");

        // B's customer, by id, phone and email: the answer A gets for a customer it does not have.
        assertSameAnswer(get(port, b + "/customers/bo", A_REGISTER), getUntilServed(port, a + "/customers/nobody", A_REGISTER),
            "UNKNOWN_CUSTOMER", "no account " + B + ":bo");
        assertSameAnswer(get(port, b + "/customers?email=bo@example.com", A_REGISTER), get(port, a + "/customers?email=no@example.com", A_REGISTER),
            "UNKNOWN_CUSTOMER", "no customer of " + B + " has that email");
        assertSameAnswer(get(port, b + "/customers?phone=%2B16175552002", A_REGISTER), get(port, a + "/customers?phone=%2B16175559999",
            A_REGISTER), "UNKNOWN_CUSTOMER", "no customer of " + B + " has that phone number");
        assertEquals(404, get(port, b + "/customers/bo/activity", A_REGISTER).statusCode());
        // A's own lookup still finds A's customer.
        assertEquals(A + ":ana", JSON.readTree(ApiCalls.getWhile(port, a + "/customers?email=ana@example.com", A_REGISTER, 404).body())
            .get("accountKey").asText());

        // Writes: the same 404 whether or not B has the customer, and nothing reaches B's customer.
        String adjustment = "{\"delta\": \"500.0000\", \"reason\": \"goodwill\"}";
        assertSameAnswer(post(port, b + "/customers/bo/adjustments", A_MANAGER, "cmd-steal", adjustment),
            post(port, b + "/customers/nobody/adjustments", A_MANAGER, "cmd-steal-2", adjustment), "UNKNOWN_CUSTOMER", "no account " + B + ":bo");
        assertEquals(404, post(port, b + "/customers/newcomer/enroll", A_REGISTER, "cmd-enroll-b", "{}").statusCode());

        // B's organization-wide reads: 404 for A's manager, as for an organization that does not exist.
        for (String route : List.of("/exports/profiles.csv", "/exports/ledger.csv", "/exports/consents.csv", "/exports/suppressions.csv",
            "/kpis", "/segments", "/workflows", "/rejections")) {
          assertSameAnswer(get(port, b + route, A_MANAGER), get(port, "/v1/organizations/no-such-org" + route, A_MANAGER),
              "UNKNOWN_ORGANIZATION", "no organization " + B);
          assertEquals(200, getUntilServed(port, a + route, A_MANAGER).statusCode(), "A's own " + route);
        }
        // Consent you can prove: A's customer's SMS opt-in with its evidence; her email on the suppression list.
        List<String> consents = getUntilServed(port, a + "/exports/consents.csv", A_MANAGER).body().lines().toList();
        assertEquals("accountKey,customerId,channel,action,consentAfter,at,requestId,actor,locationId,evidence", consents.get(0));
        assertEquals(List.of(
            A + ":ana,ana,SMS,GRANT,AWAITING_CONFIRMATION,2026-03-02T18:00:10Z,consent-1772474410,budtender-7,downtown,"
                + "\"signup form v3, 'Text me offers' ticked\"",
            A + ":ana,ana,SMS,CONFIRM,CONFIRMED,2026-03-02T18:00:20Z,consent-1772474420,budtender-7,downtown,YES",
            A + ":ana,ana,EMAIL,GRANT,CONFIRMED,2026-03-02T18:00:30Z,consent-1772474430,budtender-7,downtown,signup form v3",
            A + ":ana,ana,EMAIL,REVOKE,NONE,2026-03-02T18:00:40Z,consent-1772474440,budtender-7,downtown,STOP"),
            consents.subList(1, consents.size()));
        assertEquals(List.of("accountKey,customerId,channel,reason,since,requestId",
            A + ":ana,ana,EMAIL,REVOKE,2026-03-02T18:00:40Z,consent-1772474440"),
            getUntilServed(port, a + "/exports/suppressions.csv", A_MANAGER).body().lines().toList());
        // Programs through the API: refused whole with every reason, or published with the key's name.
        String invalid = "{\"organizationId\": \"" + A + "\", \"version\": 2, \"effectiveFrom\": \"2026-01-01T00:00:00Z\", "
            + "\"accrualRate\": \"5000.0000\", \"timeZone\": \"Mars/Olympus\"}";
        HttpResponse<String> refusedProgram = post(port, a + "/programs", A_ADMIN, "unused", invalid);
        assertEquals(422, refusedProgram.statusCode(), refusedProgram.body());
        JsonNode problems = JSON.readTree(refusedProgram.body());
        assertEquals("INVALID_PROGRAM", problems.get("reasonCode").asText());
        assertEquals(2, problems.get("problems").size(), "both problems, each named: " + refusedProgram.body());
        assertEquals(403, post(port, a + "/programs", A_MANAGER, "unused", invalid).statusCode(), "an admin's");
        assertEquals(422, post(port, a + "/programs", A_ADMIN, "unused", invalid.replace("\"" + A + "\"", "\"" + B + "\"")).statusCode(),
            "a body of another organization");
        String valid = "{\"organizationId\": \"" + A + "\", \"version\": 2, \"effectiveFrom\": \"2026-01-01T00:00:00Z\", "
            + "\"name\": \"Greenleaf Rewards 2\", \"accrualRate\": \"2.0000\"}";
        HttpResponse<String> published = post(port, a + "/programs", A_ADMIN, "unused", valid);
        assertEquals(201, published.statusCode(), published.body());
        assertEquals("owner", JSON.readTree(published.body()).get("publishedBy").asText());
        JsonNode versions = JSON.readTree(getUntilServed(port, a + "/programs", A_MANAGER).body());
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); versions.size() < 2 && System.nanoTime() < deadline; ) {
          Thread.sleep(500);
          versions = JSON.readTree(getUntilServed(port, a + "/programs", A_MANAGER).body());
        }
        assertEquals(2, versions.size(), versions.toString());
        assertEquals("owner", versions.get(1).get("publishedBy").asText());
        assertTrue(versions.get(1).get("inForce").asBoolean() && !versions.get(0).get("inForce").asBoolean(), versions.toString());

        JsonNode listed = JSON.readTree(getUntilServed(port, "/v1/organizations", A_MANAGER).body());
        assertEquals(List.of(A), organizations(listed), "the overview lists only the key's organizations");
        assertEquals(List.of(A, B), organizations(JSON.readTree(getUntilServed(port, "/v1/organizations", PLATFORM).body())).stream()
            .sorted().toList());

        assertEquals(401, get(port, a + "/customers/ana", null).statusCode(), "no key");
        HttpResponse<String> expired = get(port, a + "/kpis", A_EXPIRED);
        assertEquals(401, expired.statusCode(), "a key past its last day");
        assertEquals("UNAUTHORIZED", JSON.readTree(expired.body()).get("reasonCode").asText());

        // B's customer kept its own balance: A's attempts wrote nothing.
        assertEquals("40.0000", JSON.readTree(getUntilServed(port, b + "/customers/bo", PLATFORM).body()).get("balance").asText());
      }
    }
  }

  private static void assertSameAnswer(HttpResponse<String> foreign, HttpResponse<String> missing, String reasonCode, String detail)
      throws Exception {
    assertEquals(404, foreign.statusCode(), foreign.body());
    assertEquals(404, missing.statusCode(), missing.body());
    JsonNode answer = JSON.readTree(foreign.body());
    assertEquals(reasonCode, answer.get("reasonCode").asText(), foreign.body());
    assertEquals(detail, answer.get("detail").asText());
    assertEquals(reasonCode, JSON.readTree(missing.body()).get("reasonCode").asText(), missing.body());
  }

  private static List<String> organizations(JsonNode listed) {
    return java.util.stream.StreamSupport.stream(listed.spliterator(), false).map(program -> program.get("organizationId").asText()).toList();
  }
}
