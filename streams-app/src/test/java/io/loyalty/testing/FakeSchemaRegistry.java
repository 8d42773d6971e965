package io.loyalty.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server answering as the Schema Registry REST API documents it: POST /subjects/{s}/versions
 * registers ({"id": n}), POST /subjects/{s} looks up, GET /schemas/ids/{id} fetches; errors are
 * {"error_code": ..., "message": ...} with 404/40401 (subject), 404/40403 (schema), 409 (incompatible), 401.
 */
public final class FakeSchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<Integer, String> schemas = new HashMap<>();
  private final Map<String, Map<String, Integer>> subjects = new HashMap<>();
  private final List<String> incompatibleSubjects = new ArrayList<>();
  private final AtomicInteger nextId = new AtomicInteger(100);
  public final AtomicInteger requests = new AtomicInteger();
  private final String requiredAuthorization;

  public FakeSchemaRegistry(String basicUserInfo) throws IOException {
    requiredAuthorization = basicUserInfo == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(basicUserInfo.getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  /** Stores a schema under an id directly, as if another producer had registered it. */
  public synchronized void preload(int id, String schema) {
    schemas.put(id, schema);
  }

  public synchronized void rejectAsIncompatible(String subject) {
    incompatibleSubjects.add(subject);
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (requiredAuthorization != null && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      reply(exchange, 401, error(401, "Unauthorized"));
      return;
    }
    String[] parts = path.split("/");
    if (method.equals("GET") && path.startsWith("/schemas/ids/")) {
      String schema = schemas.get(Integer.parseInt(parts[3]));
      reply(exchange, schema == null ? 404 : 200, schema == null ? error(40403, "Schema " + parts[3] + " not found")
          : JSON.createObjectNode().put("schema", schema).toString());
      return;
    }
    if (method.equals("POST") && path.startsWith("/subjects/")) {
      String subject = parts[2];
      String schema = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("schema").asText();
      String canonical = JSON.readTree(schema).toString();
      if (parts.length == 4 && parts[3].equals("versions")) {
        if (incompatibleSubjects.contains(subject)) {
          reply(exchange, 409, error(409, "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\""));
          return;
        }
        int id = subjects.computeIfAbsent(subject, s -> new HashMap<>()).computeIfAbsent(canonical, c -> {
          int newId = nextId.getAndIncrement();
          schemas.put(newId, schema);
          return newId;
        });
        reply(exchange, 200, "{\"id\":" + id + "}");
        return;
      }
      Map<String, Integer> versions = subjects.get(subject);
      if (versions == null) {
        reply(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
      } else if (!versions.containsKey(canonical)) {
        reply(exchange, 404, error(40403, "Schema not found"));
      } else {
        reply(exchange, 200, "{\"subject\":\"" + subject + "\",\"version\":1,\"id\":" + versions.get(canonical) + "}");
      }
      return;
    }
    reply(exchange, 404, error(404, "no route " + method + " " + path));
  }

  private static String error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static JsonNode parse(String json) throws IOException {
    return JSON.readTree(json);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
