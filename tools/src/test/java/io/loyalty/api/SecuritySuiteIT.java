package io.loyalty.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.api.ApiKeys.Role;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.ConsumerLag;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.testing.BrokerConfig;
import io.loyalty.testing.Records;
import io.loyalty.testing.SegmentConditions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the OpenAPI document x every caller (each role's key of organization A, then no key, a wrong key
 * and a key past its last day) x the organization in the path (A's own, B's), each with the status it must get:
 * 401 without a valid key, 403 below the route's role (the role is checked before the organization, so a 403 says
 * nothing of B), 404 for B's data (UNKNOWN_CUSTOMER or UNKNOWN_ORGANIZATION, as for what does not exist), and
 * for A's own data the route's own answer (200 for reads; 400 for writes sent without an Idempotency-Key, which
 * shows the route's handler got the request without publishing anything).
 */
class SecuritySuiteIT {
  private static final String A = Records.ORG;
  private static final String B = "harbor";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String SEGMENT = "with-email";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> KEYS = new LinkedHashMap<>();

  static {
    for (Role role : Role.values()) {
      KEYS.put(role.name().toLowerCase(Locale.ROOT), "suite-" + role.name().toLowerCase(Locale.ROOT) + "-key");
    }
  }

  private record Route(String method, String template, Role role) {}

  private record Case(Route route, String caller, String organization, int expected, String reasonCode) {
    String line() {
      return route.method() + " " + route.template() + " | " + caller + " | " + organization + " | " + expected
          + (reasonCode == null ? "" : " " + reasonCode);
    }
  }

  @Test
  void everyRouteAnswersEveryCallerForEveryOrganizationAsTheTableSays(@TempDir Path dir) throws Exception {
    List<Route> routes = routes();
    assertEquals(27, routes.size(), "the routes of /openapi.json");
    List<Case> cases = cases(routes);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      List<String> entries = new ArrayList<>();
      KEYS.forEach((role, key) -> entries.add("suite-" + role + ":" + role + ":" + A + ":" + ApiKeys.hash(key)));
      entries.add("suite-expired:admin:" + A + ":" + ApiKeys.hash("suite-expired-key") + ":2020-01-31");
      // The guessing limit is TenantsIT's: here every bad-key case comes from the same address.
      AppConfig config = BrokerConfig.of(kafka, "security-suite-it", dir).with(Map.of("api.keys", String.join(",", entries),
          "clock.tick.interval.ms", "0", "contact.index.key", "suite-secret", "api.auth.failures", "100000"));
      Topics topics = config.topics();
      Instant at = Instant.parse("2026-03-02T18:00:00Z");
      try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.singleObject())) {
        // Both define the segment the audience and segment export routes are called with.
        List<SegmentDefinition> segments = List.of(SegmentConditions.segment(SEGMENT,
            SegmentConditions.test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true")));
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").setSegments(segments).build()).get();
        publisher.publish(TopicContract.of(topics, topics.programs()), Records.program("1").setOrganizationId(B).setSegments(segments)
            .build()).get();
        for (String organization : List.of(A, B)) {
          publisher.publish(TopicContract.of(topics, topics.commands()), LoyaltyCommand.newBuilder(Records.command("enroll-" + organization,
              "c1", at, Enroll.newBuilder().setEmail("c1-" + organization + "@example.com").build())).setOrganizationId(organization).build()).get();
          publisher.publish(TopicContract.of(topics, topics.transactions()), Records.purchase("t1", "c1", "25.00", at.plusSeconds(1))
              .setOrganizationId(organization).build()).get();
        }
      }
      try (LoyaltyApp engine = new LoyaltyApp(config).start()) {
        engine.awaitRunning(Duration.ofSeconds(60));
        ConsumerLag.awaitCaughtUp(config.kafkaProperties(), "security-suite-it", List.of(topics.transactions(), topics.commands()),
            Duration.ofSeconds(90));
        int port = engine.apiPort();
        // The contact index is a global store, read a moment after it is written.
        ApiCalls.getWhile(port, "/v1/organizations/" + A + "/customers?email=c1-" + A + "@example.com", KEYS.get("admin"), 404);
        List<String> failures = new ArrayList<>();
        for (Case check : cases) {
          HttpResponse<String> answer = call(port, check);
          String reason = answer.statusCode() >= 400 ? JSON.readTree(answer.body()).path("reasonCode").asText() : null;
          if (answer.statusCode() != check.expected() || check.reasonCode() != null && !check.reasonCode().equals(reason)) {
            failures.add(check.line() + " but got " + answer.statusCode() + " " + answer.body());
          }
        }
        System.out.println("security suite: " + cases.size() + " cases\n" + String.join("\n", cases.stream().map(Case::line).toList()));
        assertEquals(List.of(), failures, cases.size() + " cases");
        assertEquals(297, cases.size(), "27 routes x (4 roles x 2 organizations + no key, wrong key, expired key)");
      }
    }
  }

  /** The expected answer of each route to each caller and organization. */
  private static List<Case> cases(List<Route> routes) {
    List<Case> cases = new ArrayList<>();
    for (Route route : routes) {
      boolean scoped = route.template().contains("{organizationId}");
      for (Role role : Role.values()) {
        for (String organization : List.of(A, B)) {
          String caller = role.name().toLowerCase(Locale.ROOT);
          if (!role.allows(route.role())) {
            cases.add(new Case(route, caller, organization, 403, "FORBIDDEN"));
          } else if (scoped && organization.equals(B)) {
            cases.add(new Case(route, caller, organization, 404, route.template().contains("/customers") ? "UNKNOWN_CUSTOMER" : "UNKNOWN_ORGANIZATION"));
          } else {
            cases.add(new Case(route, caller, organization, route.method().equals("POST") ? 400 : 200, null));
          }
        }
      }
      for (String bad : List.of("no key", "wrong key", "expired key")) {
        cases.add(new Case(route, bad, A, 401, "UNAUTHORIZED"));
      }
    }
    return cases;
  }

  /** Method, template and role of every route, as /openapi.json documents them (ApiRoutesTest holds it to the server). */
  private static List<Route> routes() throws Exception {
    JsonNode document;
    try (InputStream in = SecuritySuiteIT.class.getClassLoader().getResourceAsStream("web/openapi.json")) {
      document = JSON.readTree(in);
    }
    List<Route> routes = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
        Map.Entry<String, JsonNode> operation = operations.next();
        Matcher role = Pattern.compile("Role: (\\w+)").matcher(operation.getValue().path("description").asText());
        assertTrue(role.find(), "the document names the role of " + path.getKey());
        routes.add(new Route(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), Role.valueOf(role.group(1).toUpperCase(Locale.ROOT))));
      }
    }
    return routes;
  }

  private static HttpResponse<String> call(int port, Case check) throws Exception {
    String path = check.route().template().replace("{organizationId}", check.organization()).replace("{customerId}", "c1")
        .replace("{segmentId}", SEGMENT);
    if (path.endsWith("/customers")) {
      path += "?email=c1-" + check.organization() + "@example.com";
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20));
    String key = switch (check.caller()) {
      case "no key" -> null;
      case "wrong key" -> "not-a-key";
      case "expired key" -> "suite-expired-key";
      default -> KEYS.get(check.caller());
    };
    if (key != null) {
      request.header("X-Api-Key", key);
    }
    request.method(check.route().method(), check.route().method().equals("POST") ? HttpRequest.BodyPublishers.ofString("{")
        : HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    for (int retry = 0; response.statusCode() == 503 && retry < 30; retry++) {
      Thread.sleep(1000);
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
    return response;
  }
}
