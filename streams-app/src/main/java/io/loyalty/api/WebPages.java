package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The engine's pages, from its jar: the operator's dashboard (/dashboard/), the API's documentation (/docs/,
 * Swagger UI over /openapi.json), and the browser libraries they load, taken from their WebJars.
 */
final class WebPages {
  private static final Map<String, String> FILES = Map.ofEntries(
      Map.entry("/dashboard/", "web/dashboard/index.html"),
      Map.entry("/dashboard/dashboard.js", "web/dashboard/dashboard.js"),
      Map.entry("/dashboard/dashboard.css", "web/dashboard/dashboard.css"),
      Map.entry("/dashboard/vendor/echarts.min.js", "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js"),
      Map.entry("/docs/", "web/docs/index.html"),
      Map.entry("/docs/vendor/swagger-ui-bundle.js", "META-INF/resources/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js"),
      Map.entry("/docs/vendor/swagger-ui.css", "META-INF/resources/webjars/swagger-ui/5.34.1/swagger-ui.css"),
      Map.entry("/openapi.json", "web/openapi.json"));
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "json", "application/json");

  /**
   * The dashboard shows customer data a key may read: its page runs only its own scripts, talks only to this
   * origin, and cannot be framed. Inline styles stay allowed: the charts' tooltips are styled inline.
   */
  static final String DASHBOARD_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/dashboard") || path.equals("/docs")) {
        exchange.getResponseHeaders().set("Location", path + "/");
        exchange.sendResponseHeaders(301, -1);
        return;
      }
      String resource = FILES.get(path);
      if (resource == null || !exchange.getRequestMethod().equals("GET")) {
        Http.problem(exchange, 404, "NOT_FOUND", "no such page");
        return;
      }
      try (InputStream in = WebPages.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          Http.problem(exchange, 404, "NOT_FOUND", "no such page");
          return;
        }
        String type = TYPES.getOrDefault(resource.substring(resource.lastIndexOf('.') + 1), "application/octet-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        if (path.startsWith("/dashboard/")) {
          exchange.getResponseHeaders().set("Content-Security-Policy", DASHBOARD_POLICY);
        }
        Http.send(exchange, 200, type, in.readAllBytes());
      }
    }
  }
}
