package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.accounts.AccountKey;
import io.loyalty.api.ApiKeys.Role;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the API: method, path template (as the OpenAPI document writes it, /openapi.json), the least
 * role that may call it, what answers it, and what answers a key that does not act for the path's organization.
 * The template's {organizationId} is the path's group 1, its {customerId} or {segmentId} group 2.
 */
record Route(String method, String template, Pattern path, Role role, Handler handler, Handler outOfScope) {
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
        .replace("{customerId}", "\\E([^/\\s]{1,128})\\Q")
        .replace("{segmentId}", "\\E([a-z0-9_-]{1,40})\\Q");
    Handler outOfScope = template.contains("{customerId}") ? Route::unknownCustomer
        : template.contains("{organizationId}") ? Route::unknownOrganization : null;
    return new Route(method, template, Pattern.compile(regex), role, handler, outOfScope);
  }

  /**
   * The route answering a key that does not act for the path's organization as it answers what does not exist:
   * the same status, reason code and message, whether or not the other organization has such a customer, so that
   * a key cannot probe what other tenants hold.
   */
  Route answeringOutOfScope(Handler answer) {
    return new Route(method, template, path, role, handler, answer);
  }

  /** Whether the caller may act on the path: every route under an organization is scoped to it. */
  boolean inScope(Caller caller, Matcher matched) {
    return outOfScope == null || caller.actsFor(matched.group(1));
  }

  private static int unknownCustomer(HttpExchange exchange, Caller caller, Matcher path) throws IOException {
    return Http.problem(exchange, 404, "UNKNOWN_CUSTOMER", "no account " + AccountKey.of(path.group(1), path.group(2)));
  }

  private static int unknownOrganization(HttpExchange exchange, Caller caller, Matcher path) throws IOException {
    return Http.problem(exchange, 404, "UNKNOWN_ORGANIZATION", "no organization " + path.group(1));
  }

  /** How the request log names the route: never with the values in its path. */
  String name() {
    return method + " " + template;
  }
}
