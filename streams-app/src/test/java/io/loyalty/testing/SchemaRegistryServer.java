package io.loyalty.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A real Schema Registry for the tests: Apicurio Registry's app (in-memory storage) in its own JVM, unpacked by
 * the build from Maven Central, answering the Confluent-compatible API. One process serves the whole test JVM;
 * tests keep apart by using subjects of their own ({@link #uniqueTopic}).
 */
public final class SchemaRegistryServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static SchemaRegistryServer shared;

  private final Process process;
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  private SchemaRegistryServer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** The registry of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized SchemaRegistryServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy));
    }
    return shared;
  }

  private static SchemaRegistryServer start() {
    Path jar = Path.of(System.getProperty("schema.registry.jar",
        "target/schema-registry/apicurio-registry-app-2.6.13.Final-runner.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no Schema Registry at " + jar + ": run the build's generate-test-resources phase");
    }
    try {
      int port = freePort();
      Path log = jar.resolveSibling("registry-" + port + ".log");
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-jar", jar.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      SchemaRegistryServer server = new SchemaRegistryServer(process, "http://127.0.0.1:" + port + "/apis/ccompat/v7");
      server.awaitReady(log);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the Schema Registry exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (send("GET", "/subjects", null).statusCode() == 200) {
          return;
        }
      } catch (UncheckedIOException notYetListening) {
        // still starting
      }
      sleep(Duration.ofMillis(200));
    }
    process.destroy();
    throw new IllegalStateException("the Schema Registry did not answer within " + START_TIMEOUT + "; see " + log);
  }

  /** The base URL of its Confluent-compatible API, as {@code schema.registry.url} takes it. */
  public String url() {
    return url;
  }

  /** A topic name no other test uses, so its subjects start empty. */
  public static String uniqueTopic(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Registers schema text as a deployment pipeline would (curl with the .avsc file); returns the schema id. */
  public int register(String subject, String schemaText) {
    return answer("POST", "/subjects/" + subject + "/versions", JSON.createObjectNode().put("schema", schemaText).toString())
        .path("id").asInt();
  }

  /** Sets the subject's compatibility level (BACKWARD, FORWARD, FULL, NONE). */
  public void compatibility(String subject, String level) {
    answer("PUT", "/config/" + subject, JSON.createObjectNode().put("compatibility", level).toString());
  }

  /** The schema text stored under an id. */
  public String schemaText(int id) {
    return answer("GET", "/schemas/ids/" + id, null).path("schema").asText();
  }

  private JsonNode answer(String method, String path, String body) {
    HttpResponse<String> response = send(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
        .header("Accept", CONTENT_TYPE)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
