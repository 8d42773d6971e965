package io.loyalty.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What every route answers with: JSON bodies, RFC 9457 problem details with the engine's reason codes, query parameters. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  static int json(HttpExchange exchange, int status, String body) throws IOException {
    return send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  static int problem(HttpExchange exchange, int status, String reasonCode, String detail) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", reasonCode);
    body.put("status", status);
    body.put("detail", detail);
    body.put("reasonCode", reasonCode);
    return send(exchange, status, "application/problem+json", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  static int unavailable(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "1");
    return problem(exchange, 503, "REBALANCING", "the engine's instances are moving partitions; try again in a second");
  }

  static int send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    try (InputStream ignored = exchange.getRequestBody()) {
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
    return status;
  }

  /** The query string's parameters (the last of a repeated one). */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> parameters = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      parameters.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  /** A request that does not fit its route: 400 naming the parameter, never echoing its value. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }
}
