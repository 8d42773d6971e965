package io.loyalty.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.loyalty.accounts.AccountKey;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import io.loyalty.avro.AdjustPoints;
import io.loyalty.avro.BoostPoints;
import io.loyalty.avro.ChangeConsent;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CommandStatus;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Enroll;
import io.loyalty.avro.HoldPoints;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.OptOut;
import io.loyalty.avro.ReleaseHold;
import io.loyalty.avro.UpdateProfile;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.CustomerQueries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP API, served by every instance (the JDK's HttpServer: the API is a few JSON routes, and the
 * JDK's server needs no dependency, as kstreamplify does). A read goes to the instance that owns the account
 * key: this one answers from its stores, another is asked on the caller's behalf, and while the group
 * rebalances the answer is 503 with Retry-After. Every request needs an API key with a role; errors are JSON
 * problem details with the engine's reason codes; the log line of a request names the route, the status and
 * the key's name, never a phone number or an email.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CUSTOMER = Pattern.compile("/v1/organizations/([^/:\\s]{1,64})/customers/([^/\\s]{1,128})");
  private static final Pattern COMMAND = Pattern.compile(
      "/v1/organizations/([^/:\\s]{1,64})/customers/([^/\\s]{1,128})/(enroll|opt-in|opt-out|profile|consent|holds|release-hold|adjustments|boosts)");
  /** Each write route: the command it sends, and the least role that may send it. */
  private record Write(Schema schema, Role role) {}

  private static final Map<String, Write> WRITES = Map.of(
      "enroll", new Write(Enroll.getClassSchema(), Role.REGISTER),
      "opt-in", new Write(OptIn.getClassSchema(), Role.REGISTER),
      "opt-out", new Write(OptOut.getClassSchema(), Role.REGISTER),
      "profile", new Write(UpdateProfile.getClassSchema(), Role.REGISTER),
      "consent", new Write(ChangeConsent.getClassSchema(), Role.REGISTER),
      "holds", new Write(HoldPoints.getClassSchema(), Role.REGISTER),
      "release-hold", new Write(ReleaseHold.getClassSchema(), Role.REGISTER),
      "adjustments", new Write(AdjustPoints.getClassSchema(), Role.MANAGER),
      "boosts", new Write(BoostPoints.getClassSchema(), Role.ADMIN));
  /** How long a write waits for its result before it answers 202 with the command id. */
  private static final Duration WRITE_WAIT = Duration.ofSeconds(5);
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** Marks a request forwarded by another instance: it is answered here or refused, never forwarded again. */
  static final String FORWARDED = "X-Loyalty-Forwarded";
  static final String KEY_HEADER = "X-Api-Key";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
    Thread thread = new Thread(runnable, "loyalty-api");
    thread.setDaemon(true);
    return thread;
  });
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ApiKeys keys;
  private CustomerQueries queries;
  private CommandGateway commands;
  private HostInfo self;

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

  public void start(ApiKeys apiKeys, CustomerQueries customerQueries, HostInfo thisInstance, Properties clientProperties, Topics topics,
      SerdeFactory serdes) {
    this.commands = new CommandGateway(clientProperties, topics, serdes);
    this.keys = apiKeys;
    this.queries = customerQueries;
    this.self = thisInstance;
    server.setExecutor(executor);
    server.createContext("/v1/", this::handle);
    server.start();
    LOG.info("API listening on http://{}:{}/v1/", thisInstance.host(), port());
  }

  private void handle(HttpExchange exchange) throws IOException {
    long begin = System.nanoTime();
    String route = "?";
    int status;
    Optional<Caller> caller = Optional.empty();
    try {
      caller = keys.authenticate(exchange.getRequestHeaders().getFirst(KEY_HEADER));
      Matcher customer = CUSTOMER.matcher(exchange.getRequestURI().getPath());
      Matcher command = COMMAND.matcher(exchange.getRequestURI().getPath());
      if (caller.isEmpty()) {
        status = problem(exchange, 401, "UNAUTHORIZED", "a valid API key is needed in the " + KEY_HEADER + " header");
      } else if (command.matches() && exchange.getRequestMethod().equals("POST")) {
        route = "POST " + command.group(3);
        status = write(exchange, caller.get(), command.group(1), command.group(2), command.group(3));
      } else if (customer.matches() && exchange.getRequestMethod().equals("GET")) {
        route = "GET customer";
        status = customer(exchange, caller.get(), AccountKey.of(customer.group(1), customer.group(2)));
      } else {
        status = problem(exchange, 404, "NOT_FOUND", "no such route: " + exchange.getRequestMethod() + " "
            + exchange.getRequestURI().getPath().replaceAll("[^A-Za-z0-9/_.-]", "?"));
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      status = unavailable(exchange);
    } catch (RuntimeException failure) {
      // The cause is logged, never sent: an exception's message may quote a value.
      LOG.error("API request failed: {}", route, failure);
      status = problem(exchange, 500, "PROCESSING_ERROR", "the engine failed to answer; the cause is in its log");
    } finally {
      exchange.close();
    }
    LOG.info("{} {} by {} in {} ms", route, status, caller.map(Caller::name).orElse("no valid key"),
        (System.nanoTime() - begin) / 1_000_000);
  }

  private int customer(HttpExchange exchange, Caller caller, String accountKey) throws IOException {
    if (!caller.role().allows(Role.REGISTER)) {
      return problem(exchange, 403, "FORBIDDEN", "role " + caller.role() + " may not read customers");
    }
    Optional<HostInfo> owner = queries.owner(accountKey);
    if (owner.isEmpty()) {
      return unavailable(exchange);
    }
    if (!owner.get().equals(self)) {
      if (exchange.getRequestHeaders().containsKey(FORWARDED)) {
        // The instances disagree on who owns the key: the group is moving partitions.
        return unavailable(exchange);
      }
      return forward(exchange, owner.get());
    }
    Optional<CustomerProfile> profile = queries.profile(accountKey);
    if (profile.isEmpty()) {
      return problem(exchange, 404, "UNKNOWN_CUSTOMER", "no account " + accountKey);
    }
    return send(exchange, 200, "application/json", JsonRecords.toJson(profile.get()));
  }

  /**
   * A write: the body is the command's JSON (as in LoyaltyCommand.avsc), its id the caller's Idempotency-Key, its
   * actor the key's name. 200 with the result when it is applied (or was already: DUPLICATE), 422 with the
   * reason when refused, 202 with the command id when the result takes longer than the wait.
   */
  private int write(HttpExchange exchange, Caller caller, String organizationId, String customerId, String action)
      throws IOException, InterruptedException {
    Write route = WRITES.get(action);
    if (!caller.role().allows(route.role())) {
      return problem(exchange, 403, "FORBIDDEN", "role " + caller.role() + " may not send " + route.schema().getName()
          + "; it needs " + route.role());
    }
    String commandId = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
    if (commandId == null || commandId.isBlank() || commandId.length() > 128) {
      return problem(exchange, 400, "INVALID_FIELD", "a write needs an " + IDEMPOTENCY_KEY + " header (1 to 128 characters): "
          + "the command id that makes a retry safe");
    }
    Object body;
    try (InputStream in = exchange.getRequestBody()) {
      String json = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      body = JsonRecords.parse(json.isBlank() ? "{}" : json, route.schema());
    } catch (RuntimeException e) {
      // The parser's message may quote the body: only the expected type is named.
      return problem(exchange, 400, "UNDECODABLE", "the body is not a " + route.schema().getName()
          + " as LoyaltyCommand.avsc defines it");
    }
    LoyaltyCommand command = LoyaltyCommand.newBuilder().setCommandId(commandId).setCorrelationId(commandId)
        .setOrganizationId(organizationId).setCustomerId(customerId)
        .setLocationId(exchange.getRequestHeaders().getFirst("X-Location-Id"))
        // The business time of a command taken by the API is when the API took it, as a register's would be.
        .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setActor(caller.name()).setCommand(body).build();
    Optional<CommandResult> result = commands.submit(command, WRITE_WAIT);
    if (result.isEmpty()) {
      ObjectNode accepted = JSON.createObjectNode();
      accepted.put("commandId", commandId);
      accepted.put("detail", "accepted; its result will be on " + "loyalty.command-results under this command id");
      return send(exchange, 202, "application/json", accepted.toString());
    }
    if (result.get().getStatus() == CommandStatus.REFUSED) {
      return problem(exchange, 422, result.get().getReasonCode(), result.get().getMessage());
    }
    return send(exchange, 200, "application/json", JsonRecords.toJson(result.get()));
  }

  private int forward(HttpExchange exchange, HostInfo owner) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port()
            + exchange.getRequestURI().getRawPath()))
        .timeout(Duration.ofSeconds(5))
        .header(KEY_HEADER, exchange.getRequestHeaders().getFirst(KEY_HEADER))
        .header(FORWARDED, self.host() + ":" + self.port())
        .GET().build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String type = response.headers().firstValue("Content-Type").orElse("application/json");
      return send(exchange, response.statusCode(), type, new String(response.body(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return unavailable(exchange);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable(exchange);
    }
  }

  private static int unavailable(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "1");
    return problem(exchange, 503, "REBALANCING", "the engine's instances are moving partitions; try again in a second");
  }

  /** RFC 9457 problem details, with the engine's reason code. */
  private static int problem(HttpExchange exchange, int status, String reasonCode, String detail) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", reasonCode);
    body.put("status", status);
    body.put("detail", detail);
    body.put("reasonCode", reasonCode);
    return send(exchange, status, "application/problem+json", body.toString());
  }

  private static int send(HttpExchange exchange, int status, String type, String body) throws IOException {
    try (InputStream ignored = exchange.getRequestBody()) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    return status;
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
