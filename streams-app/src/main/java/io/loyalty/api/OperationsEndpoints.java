package io.loyalty.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What the platform asks of an instance: {@code /health/live} and {@code /health/ready} for the kubelet and
 * the load balancer (no key: they say nothing about customers), and {@code /metrics} in Prometheus' text
 * format for a key of any role, given as {@code X-Api-Key} or as a bearer token (Prometheus' {@code
 * authorization} setting).
 */
public final class OperationsEndpoints {
  /** The instance's state as the probes see it: each Kafka Streams application's state, the programs loaded. */
  public record Health(boolean live, boolean ready, Map<String, String> applications, long programVersions) {}

  /** What the endpoints read from the running instance. */
  public interface Instance {
    Health health();

    /** The metrics in Prometheus' text format. */
    String scrape();
  }

  private final ApiKeys keys;
  private final AuthFailures failures;
  private final Instance instance;

  OperationsEndpoints(ApiKeys keys, AuthFailures failures, Instance instance) {
    this.keys = keys;
    this.failures = failures;
    this.instance = instance;
  }

  void live(HttpExchange exchange) throws IOException {
    Health now = instance.health();
    respond(exchange, now.live(), now);
  }

  void ready(HttpExchange exchange) throws IOException {
    Health now = instance.health();
    respond(exchange, now.ready(), now);
  }

  private static void respond(HttpExchange exchange, boolean up, Health now) throws IOException {
    ObjectNode body = Http.JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
    now.applications().forEach(body.putObject("applications")::put);
    body.put("programVersions", now.programVersions());
    Http.json(exchange, up ? 200 : 503, body.toString());
    exchange.close();
  }

  void metrics(HttpExchange exchange) throws IOException {
    String bearer = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
        .filter(value -> value.startsWith("Bearer ")).map(value -> value.substring("Bearer ".length()).trim()).orElse(null);
    String presented = Optional.ofNullable(exchange.getRequestHeaders().getFirst(ApiServer.KEY_HEADER)).orElse(bearer);
    if (ApiServer.authenticate(exchange, keys, failures, presented, "a valid API key is needed in the " + ApiServer.KEY_HEADER
        + " header or as a bearer token").caller().isPresent()) {
      Http.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", instance.scrape().getBytes(StandardCharsets.UTF_8));
    }
    exchange.close();
  }
}
