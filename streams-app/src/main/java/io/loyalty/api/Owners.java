package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import io.loyalty.topology.Placement;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A read answered by the instance that owns its key (the Kafka Streams interactive-query convention): this
 * instance answers from its stores, another is asked on the caller's behalf once, and while the group
 * rebalances the answer is 503 with Retry-After. A read that accepts a stale copy (KIP-535) is answered by a
 * standby of the key on this instance, also while the group rebalances.
 */
final class Owners {
  /** Marks a request forwarded by another instance: it is answered here or refused, never forwarded again. */
  static final String FORWARDED = "X-Loyalty-Forwarded";

  @FunctionalInterface
  interface LocalAnswer {
    /** @param stale whether a standby's copy answers */
    int answer(boolean stale) throws IOException, InterruptedException;
  }

  private final HostInfo self;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final java.util.function.BooleanSupplier running;

  Owners(HostInfo self, java.util.function.BooleanSupplier running) {
    this.self = self;
    this.running = running;
  }

  int answer(HttpExchange exchange, Optional<Placement> placement, boolean allowStale, LocalAnswer local)
      throws IOException, InterruptedException {
    if (placement.isEmpty()) {
      return Http.unavailable(exchange);
    }
    HostInfo active = placement.get().active();
    if (self.equals(active)) {
      return local.answer(false);
    }
    if (allowStale && placement.get().standbys().contains(self)) {
      return local.answer(true);
    }
    if (active == null || exchange.getRequestHeaders().containsKey(FORWARDED)) {
      // The group is moving partitions (no active task, or the instances disagree on who has it).
      return Http.unavailable(exchange);
    }
    return forward(exchange, active);
  }

  boolean isSelf(HostInfo instance) {
    return self.equals(instance);
  }

  /** Whether the engine serves reads at all (running, or between two assignments). */
  boolean isRunning() {
    return running.getAsBoolean();
  }

  /** Copies another instance's answer to a path into this response's body, as it arrives. */
  void stream(HttpExchange exchange, HostInfo instance, String pathAndQuery, java.io.OutputStream out)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + instance.host() + ":" + instance.port() + pathAndQuery))
        .header(ApiServer.KEY_HEADER, exchange.getRequestHeaders().getFirst(ApiServer.KEY_HEADER))
        .header(FORWARDED, self.host() + ":" + self.port())
        .GET().build();
    HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("instance " + instance + " answered " + response.statusCode() + " for its part");
      }
      in.transferTo(out);
    }
  }

  private int forward(HttpExchange exchange, HostInfo owner) throws IOException, InterruptedException {
    String query = exchange.getRequestURI().getRawQuery();
    // A read with a body (a cart quote) goes on with its body.
    byte[] body;
    try (java.io.InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(256 * 1024);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port()
            + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query)))
        .timeout(Duration.ofSeconds(5))
        .header(ApiServer.KEY_HEADER, exchange.getRequestHeaders().getFirst(ApiServer.KEY_HEADER))
        .header(FORWARDED, self.host() + ":" + self.port())
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String type = response.headers().firstValue("Content-Type").orElse("application/json");
      return Http.send(exchange, response.statusCode(), type, response.body());
    } catch (IOException e) {
      return Http.unavailable(exchange);
    }
  }
}
