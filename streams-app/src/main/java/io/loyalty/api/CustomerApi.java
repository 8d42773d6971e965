package io.loyalty.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
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
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.intake.InputLimits;
import io.loyalty.intake.TransactionValidator;
import io.loyalty.topology.CustomerQueries;
import io.loyalty.topology.Placement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.apache.avro.Schema;

/** A customer's account at the register: read from the instance that owns it, changed through loyalty.commands. */
final class CustomerApi {
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
  static final String STALE = "X-Loyalty-Stale";
  static final String LAG = "X-Loyalty-Lag";
  private static final int MAX_ACTIVITY = CustomerQueries.ENTRIES_KEPT;

  private final CustomerQueries queries;
  private final CommandGateway commands;
  private final Owners owners;
  private final TransactionValidator validator;
  private final InputLimits limits;

  CustomerApi(CustomerQueries queries, CommandGateway commands, Owners owners, InputLimits limits, TransactionValidator validator) {
    this.limits = limits;
    this.queries = queries;
    this.commands = commands;
    this.owners = owners;
    this.validator = validator;
  }

  List<Route> routes() {
    List<Route> routes = new java.util.ArrayList<>();
    routes.add(Route.of("GET", Route.CUSTOMER, Role.REGISTER, (exchange, caller, path) -> customer(exchange,
        AccountKey.of(path.group(1), path.group(2)))));
    routes.add(Route.of("POST", Route.CUSTOMER + "/quote", Role.REGISTER, (exchange, caller, path) -> quote(exchange,
        path.group(1), path.group(2))));
    routes.add(Route.of("GET", Route.CUSTOMER + "/activity", Role.REGISTER, (exchange, caller, path) -> activity(exchange,
        AccountKey.of(path.group(1), path.group(2)))));
    routes.add(Route.of("GET", Route.ORGANIZATION + "/customers", Role.REGISTER,
        (exchange, caller, path) -> lookup(exchange, path.group(1), true))
        .answeringOutOfScope((exchange, caller, path) -> lookup(exchange, path.group(1), false)));
    WRITES.forEach((action, write) -> routes.add(Route.of("POST", Route.CUSTOMER + "/" + action, write.role(),
        (exchange, caller, path) -> write(exchange, caller, path, write))));
    return routes;
  }

  /**
   * The account as a profile: balance, spendable, pending, tier and its validity, lots, holds, consent,
   * preferences, offers, segments and workflows. {@code ?stale=true} lets a standby of the key on this instance
   * answer (KIP-535), flagged with X-Loyalty-Stale and the records it is behind in X-Loyalty-Lag.
   */
  private int customer(HttpExchange exchange, String accountKey) throws IOException, InterruptedException {
    Optional<Placement> placement = queries.placement(accountKey);
    return owners.answer(exchange, placement, allowsStale(exchange), stale -> {
      flagStale(exchange, placement.get(), stale);
      Optional<CustomerProfile> profile = queries.profile(accountKey, stale);
      if (profile.isEmpty()) {
        return Http.problem(exchange, 404, "UNKNOWN_CUSTOMER", "no account " + accountKey);
      }
      return Http.json(exchange, 200, JsonRecords.toJson(profile.get()));
    });
  }

  /**
   * A cart before checkout: the points it would earn (tier, multipliers, accrual after discounts), the most points
   * it may take under the program's redemption method and kind, capped by the compliance policy, and what it
   * earns and costs with them applied. Body: {"locationId", "lines": [TransactionLine + optional "unitCost"],
   * "discounts" (default: the lines'), "tax" (default 0)}. Nothing is stored; the account's owner answers.
   */
  private int quote(HttpExchange exchange, String organizationId, String customerId) throws IOException, InterruptedException {
    String accountKey = AccountKey.of(organizationId, customerId);
    Optional<Placement> placement = queries.placement(accountKey);
    return owners.answer(exchange, placement, false, stale -> {
      Cart cart;
      try (InputStream in = exchange.getRequestBody()) {
        cart = Cart.parse(in.readNBytes(256 * 1024), organizationId, customerId);
      } catch (RuntimeException e) {
        return Http.problem(exchange, 400, "UNDECODABLE", "the body is not a cart: {\"locationId\", \"lines\": [TransactionLine with an "
            + "optional unitCost], \"discounts\", \"tax\"}");
      }
      Optional<io.loyalty.intake.Violation> invalid = limits.check(cart.event()).or(() -> validator.validate(accountKey, cart.event()));
      if (invalid.isPresent()) {
        return Http.problem(exchange, 422, invalid.get().reason().name(), invalid.get().message());
      }
      try {
        Optional<CustomerQueries.Quote> quote = queries.quote(accountKey, cart.event(), cart.costOfGoods());
        if (quote.isEmpty()) {
          return Http.problem(exchange, 404, "UNKNOWN_CUSTOMER", "no account " + accountKey);
        }
        return Http.json(exchange, 200, Cart.toJson(quote.get()));
      } catch (CustomerQueries.QuoteRefused refused) {
        return Http.problem(exchange, 422, refused.reason(), refused.getMessage());
      }
    });
  }

  /** The account's latest ledger entries, newest first: ?limit=N, 1 to 50, default 20. */
  private int activity(HttpExchange exchange, String accountKey) throws IOException, InterruptedException {
    int limit;
    try {
      limit = Integer.parseInt(Http.query(exchange).getOrDefault("limit", "20"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_ACTIVITY) {
      return Http.problem(exchange, 400, "INVALID_FIELD", "limit is a number from 1 to " + MAX_ACTIVITY);
    }
    int entries = limit;
    Optional<Placement> placement = queries.placement(accountKey);
    return owners.answer(exchange, placement, allowsStale(exchange), stale -> {
      flagStale(exchange, placement.get(), stale);
      if (queries.profile(accountKey, stale).isEmpty()) {
        return Http.problem(exchange, 404, "UNKNOWN_CUSTOMER", "no account " + accountKey);
      }
      ArrayNode body = Http.JSON.createArrayNode();
      for (LedgerEntry entry : queries.recentEntries(accountKey, entries, stale)) {
        body.add(Http.JSON.readTree(JsonRecords.toJson(entry)));
      }
      return Http.json(exchange, 200, body.toString());
    });
  }

  /**
   * A customer found by ?phone= or ?email= through the hashed contact index: answered as the account's read.
   * Neither the contact nor its hash is logged or sent back. For a key that does not act for the organization
   * ({@code visible} false) nothing is looked up, and the answer is that of a contact no customer has.
   */
  private int lookup(HttpExchange exchange, String organizationId, boolean visible) throws IOException, InterruptedException {
    Map<String, String> query = Http.query(exchange);
    String email = query.get("email");
    String phone = query.get("phone");
    boolean byEmail = email != null && !email.isBlank();
    if (!byEmail && (phone == null || phone.chars().noneMatch(Character::isDigit))) {
      return Http.problem(exchange, 400, "INVALID_FIELD", "a lookup needs ?phone= (with digits) or ?email=");
    }
    Optional<String> accountKey = !visible ? Optional.empty()
        : byEmail ? queries.accountByEmail(organizationId, email) : queries.accountByPhone(organizationId, phone);
    if (accountKey.isEmpty()) {
      return Http.problem(exchange, 404, "UNKNOWN_CUSTOMER", "no customer of " + organizationId + " has that "
          + (byEmail ? "email" : "phone number"));
    }
    return customer(exchange, accountKey.get());
  }

  private static boolean allowsStale(HttpExchange exchange) {
    return "true".equals(Http.query(exchange).get("stale"));
  }

  private void flagStale(HttpExchange exchange, Placement placement, boolean stale) {
    if (stale) {
      exchange.getResponseHeaders().set(STALE, "true");
      queries.lag(placement.partition()).ifPresent(lag -> exchange.getResponseHeaders().set(LAG, Long.toString(lag)));
    }
  }

  /**
   * A write: the body is the command's JSON (as in LoyaltyCommand.avsc), its id the caller's Idempotency-Key, its
   * actor the key's name. 200 with the result when it is applied (or was already: DUPLICATE), 422 with the
   * reason when refused, 202 with the command id when the result takes longer than the wait.
   */
  private int write(HttpExchange exchange, Caller caller, Matcher path, Write route) throws IOException, InterruptedException {
    String commandId = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
    if (commandId == null || commandId.isBlank() || commandId.length() > 128) {
      return Http.problem(exchange, 400, "INVALID_FIELD", "a write needs an " + IDEMPOTENCY_KEY + " header (1 to 128 characters): "
          + "the command id that makes a retry safe");
    }
    Object body;
    try (InputStream in = exchange.getRequestBody()) {
      String json = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      body = JsonRecords.parse(json.isBlank() ? "{}" : json, route.schema());
    } catch (RuntimeException e) {
      // The parser's message may quote the body: only the expected type is named.
      return Http.problem(exchange, 400, "UNDECODABLE", "the body is not a " + route.schema().getName()
          + " as LoyaltyCommand.avsc defines it");
    }
    LoyaltyCommand command = LoyaltyCommand.newBuilder().setCommandId(commandId).setCorrelationId(commandId)
        .setOrganizationId(path.group(1)).setCustomerId(path.group(2))
        .setLocationId(exchange.getRequestHeaders().getFirst("X-Location-Id"))
        // The business time of a command taken by the API is when the API took it, as a register's would be.
        .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setActor(caller.name()).setCommand(body).build();
    Optional<CommandResult> result = commands.submit(command, WRITE_WAIT);
    if (result.isEmpty()) {
      ObjectNode accepted = Http.JSON.createObjectNode();
      accepted.put("commandId", commandId);
      accepted.put("detail", "accepted; its result will be on loyalty.command-results under this command id");
      return Http.json(exchange, 202, accepted.toString());
    }
    if (result.get().getStatus() == CommandStatus.REFUSED) {
      return Http.problem(exchange, 422, result.get().getReasonCode(), result.get().getMessage());
    }
    return Http.json(exchange, 200, JsonRecords.toJson(result.get()));
  }
}
