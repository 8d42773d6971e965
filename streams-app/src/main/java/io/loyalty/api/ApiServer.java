package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.CustomerQueries;
import io.loyalty.topology.EngineSettings;
import io.loyalty.topology.KpiQueries;
import io.loyalty.topology.OverviewQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP API, served by every instance (the JDK's HttpServer: the API is a few JSON routes, and the
 * JDK's server needs no dependency, as kstreamplify does). Every request needs an API key with a role; errors
 * are JSON problem details with the engine's reason codes; the log line of a request names the route, the
 * status and the key's name, never a phone number or an email.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  static final String KEY_HEADER = "X-Api-Key";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
    Thread thread = new Thread(runnable, "loyalty-api");
    thread.setDaemon(true);
    return thread;
  });
  private final List<Route> routes = new ArrayList<>();
  private ApiKeys keys;
  private AuthFailures failures;
  private CommandGateway commands;

  /** Binds the port now (0: any free one), so the engine can announce it as its application.server. */
  public ApiServer(String host, int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (api.host, api.port)", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void start(ApiKeys apiKeys, AuthFailures authFailures, KafkaStreams streams, HostInfo thisInstance, Properties clientProperties, Topics topics,
      SerdeFactory serdes, EngineSettings settings, OperationsEndpoints.Instance instance) {
    this.commands = new CommandGateway(clientProperties, topics, serdes);
    this.keys = apiKeys;
    this.failures = authFailures;
    Owners owners = new Owners(thisInstance, () -> streams.state() == KafkaStreams.State.RUNNING);
    CustomerQueries customers = new CustomerQueries(streams, serdes, topics, settings);
    OverviewQueries overview = new OverviewQueries(streams, serdes);
    routes.addAll(routes(new CustomerApi(customers, commands, owners, settings.limits(), settings.validator()),
        new ExportApi(customers, owners, clientProperties, topics, serdes),
        new KpiApi(new KpiQueries(streams, serdes), owners),
        new OverviewApi(overview, owners, customers, clientProperties, topics, serdes), new ProgramApi(overview, commands)));
    server.setExecutor(executor);
    server.createContext("/v1/", this::handle);
    // The pages (dashboard, API documentation) are public: the data they show comes from /v1/, with the user's key.
    WebPages pages = new WebPages();
    server.createContext("/dashboard", pages::serve);
    server.createContext("/docs", pages::serve);
    server.createContext("/openapi.json", pages::serve);
    OperationsEndpoints operations = new OperationsEndpoints(apiKeys, failures, instance);
    server.createContext("/health/live", operations::live);
    server.createContext("/health/ready", operations::ready);
    server.createContext("/metrics", operations::metrics);
    server.start();
    LOG.info("API listening on http://{}:{}/v1/", thisInstance.host(), port());
  }

  /** Every route, in the order they are matched; /openapi.json documents each (ApiRoutesTest). */
  static List<Route> routes(CustomerApi customers, ExportApi exports, KpiApi kpis, OverviewApi overview, ProgramApi programs) {
    List<Route> all = new ArrayList<>(customers.routes());
    all.addAll(exports.routes());
    all.addAll(kpis.routes());
    all.addAll(overview.routes());
    all.addAll(programs.routes());
    return all;
  }

  private void handle(HttpExchange exchange) throws IOException {
    long begin = System.nanoTime();
    String name = "?";
    int status;
    Optional<Caller> caller = Optional.empty();
    // Every /v1/ answer is some organization's data (customers, exports, KPIs): no cache may keep it.
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    try {
      Authentication authentication = authenticate(exchange, keys, failures, exchange.getRequestHeaders().getFirst(KEY_HEADER),
          "a valid API key is needed in the " + KEY_HEADER + " header");
      caller = authentication.caller();
      String path = exchange.getRequestURI().getPath();
      Optional<Route> route = routes.stream().filter(candidate -> candidate.method().equals(exchange.getRequestMethod())
          && candidate.path().matcher(path).matches()).findFirst();
      if (caller.isEmpty()) {
        status = authentication.refusedStatus();
      } else if (route.isEmpty()) {
        status = Http.problem(exchange, 404, "NOT_FOUND", "no such route: " + exchange.getRequestMethod() + " "
            + path.replaceAll("[^A-Za-z0-9/_.-]", "?"));
      } else if (!caller.get().role().allows(route.get().role())) {
        name = route.get().name();
        status = Http.problem(exchange, 403, "FORBIDDEN", "role " + caller.get().role() + " may not call " + name + "; it needs "
            + route.get().role());
      } else {
        name = route.get().name();
        Matcher matched = route.get().path().matcher(path);
        matched.matches();
        status = route.get().inScope(caller.get(), matched) ? route.get().handler().handle(exchange, caller.get(), matched)
            : route.get().outOfScope().handle(exchange, caller.get(), matched);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      status = Http.unavailable(exchange);
    } catch (RuntimeException | IOException failure) {
      // The cause is logged, never sent: an exception's message may quote a value.
      LOG.error("API request failed: {}", name, failure);
      if (exchange.getResponseCode() > 0) {
        // A response under way (an export) is cut, not closed: the server drops the connection, so the client
        // sees an incomplete transfer and never a partial file that looks whole.
        LOG.info("{} cut short by {} after {} ms", name, caller.map(Caller::name).orElse("no valid key"),
            (System.nanoTime() - begin) / 1_000_000);
        throw new IOException("response cut short");
      }
      status = Http.problem(exchange, 500, "PROCESSING_ERROR", "the engine failed to answer; the cause is in its log");
    }
    exchange.close();
    LOG.info("{} {} by {} in {} ms", name, status, caller.map(Caller::name).orElse("no valid key"),
        (System.nanoTime() - begin) / 1_000_000);
  }

  /** The caller of a valid key, or (empty) the status of the answer already sent. */
  record Authentication(Optional<Caller> caller, int refusedStatus) {}

  /**
   * The caller of the presented key; a request without a valid key is answered 401, one from an address that
   * failed too often 429 (its key not even checked). Shared with /metrics.
   */
  static Authentication authenticate(HttpExchange exchange, ApiKeys keys, AuthFailures failures, String presented, String need)
      throws IOException {
    List<String> forwardedFor = exchange.getRequestHeaders().get("X-Forwarded-For");
    String address = failures.client(exchange.getRemoteAddress().getAddress(), forwardedFor == null ? List.of() : forwardedFor);
    Instant now = Instant.now();
    Optional<java.time.Duration> wait = failures.blocked(address, now);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
      return new Authentication(Optional.empty(), Http.problem(exchange, 429, "TOO_MANY_FAILURES",
          "too many requests without a valid API key from this address; try again in " + seconds + " s"));
    }
    Optional<Caller> caller = keys.authenticate(presented, now);
    if (caller.isEmpty()) {
      failures.failed(address, now);
      return new Authentication(caller, Http.problem(exchange, 401, "UNAUTHORIZED", need));
    }
    return new Authentication(caller, 0);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (commands != null) {
      commands.close();
    }
  }
}
