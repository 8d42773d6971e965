package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the API: method, path template (as the OpenAPI document writes it, /openapi.json), the least
 * role that may call it, and what answers it. The template's {organizationId} and {customerId} are the path's
 * groups 1 and 2.
 */
record Route(String method, String template, Pattern path, Role role, Handler handler) {
  static final String ORGANIZATION = "/v1/organizations/{organizationId}";
  static final String CUSTOMER = ORGANIZATION + "/customers/{customerId}";

  @FunctionalInterface
  interface Handler {
    /** @return the status sent */
    int handle(HttpExchange exchange, Caller caller, Matcher path) throws IOException, InterruptedException;
  }

  static Route of(String method, String template, Role role, Handler handler) {
    String regex = Pattern.quote(template)
        .replace("{organizationId}", "\\E([^/:\\s]{1,64})\\Q")
        .replace("{customerId}", "\\E([^/\\s]{1,128})\\Q");
    return new Route(method, template, Pattern.compile(regex), role, handler);
  }

  /** How the request log names the route: never with the values in its path. */
  String name() {
    return method + " " + template;
  }
}
