package io.loyalty.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The API tests' HTTP calls to an engine on localhost, with an API key (null: none). */
final class ApiCalls {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private ApiCalls() {}

  static HttpResponse<String> get(int port, String path, String key) throws Exception {
    return get(port, path, key, null);
  }

  /** The same as a proxy in front of the API sends it, for the client {@code forwardedFor} (null: straight). */
  static HttpResponse<String> get(int port, String path, String key, String forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("X-Api-Key", key);
    }
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A write; {@code commandId} null sends no Idempotency-Key. */
  static HttpResponse<String> post(int port, String path, String key, String commandId, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
        .header("X-Api-Key", key);
    if (commandId != null) {
      request.header("Idempotency-Key", commandId);
    }
    return CLIENT.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A read during the group's last rebalance is a 503 with Retry-After: the client waits as told. */
  static HttpResponse<String> getUntilServed(int port, String path, String key) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> response = get(port, path, key);
    while (response.statusCode() == 503 && System.nanoTime() < deadline) {
      assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
      Thread.sleep(1000);
      response = get(port, path, key);
    }
    return response;
  }

  /**
   * Reads again while the answer has this status, at most 30 s: the contact index and the programs are global stores,
   * which each instance reads a moment after they are written.
   */
  static HttpResponse<String> getWhile(int port, String path, String key, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = getUntilServed(port, path, key);
    while (response.statusCode() == status && System.nanoTime() < deadline) {
      Thread.sleep(500);
      response = getUntilServed(port, path, key);
    }
    return response;
  }
}
