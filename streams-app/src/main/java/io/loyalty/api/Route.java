package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One route of the API: method, path, the least role that may call it, and what answers it. */
record Route(String method, Pattern path, Role role, String name, Handler handler) {
  @FunctionalInterface
  interface Handler {
    /** @return the status sent */
    int handle(HttpExchange exchange, Caller caller, Matcher path) throws IOException, InterruptedException;
  }

  static Route of(String method, String path, Role role, String name, Handler handler) {
    return new Route(method, Pattern.compile(path), role, name, handler);
  }
}
