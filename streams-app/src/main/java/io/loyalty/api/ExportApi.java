package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import io.loyalty.accounts.AccountKey;
import io.loyalty.accounts.ConsentBasisOf;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import io.loyalty.avro.Channel;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.CustomerQueries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Exports as CSV, streamed as they are read, without a row cap: the organization's profiles, consent changes with
 * their evidence, suppressions and a segment's members (every instance's accounts, one instance after the other)
 * and its ledger (the loyalty.ledger topic from its start, the audit trail, filtered by business time). Contacts are
 * not exported, but to an admin in a segment's members: the columns say whether the customer can be reached.
 */
final class ExportApi {
  private static final List<String> PROFILE_COLUMNS = List.of("accountKey", "customerId", "membership", "customerGroup", "balance",
      "spendable", "pending", "held", "lifetimeEarned", "lifetimeSpend", "tier", "tierValidUntil", "visits", "firstSeenAt",
      "lastPurchaseAt", "emailConsent", "smsConsent", "pushConsent", "homeState", "updatedAt");
  private static final List<String> LEDGER_COLUMNS = List.of("entryId", "accountKey", "customerId", "locationId", "type", "delta",
      "balanceAfter", "spendableAfter", "pendingAfter", "lifetimeEarned", "lifetimeSpend", "tier", "occurredAt", "sourceEventId",
      "transactionId", "programVersion", "spendBasis", "reason", "actor", "approvedBy");
  /** Asks an instance for its own accounts only (sent by the instance that answers the caller). */
  private static final String LOCAL_PART = "part=local";

  private final CustomerQueries queries;
  private final Owners owners;
  private final Properties clientProperties;
  private final Topics topics;
  private final AvroCodec<LedgerEntry> ledger;

  ExportApi(CustomerQueries queries, Owners owners, Properties clientProperties, Topics topics, SerdeFactory serdes) {
    this.queries = queries;
    this.owners = owners;
    this.clientProperties = clientProperties;
    this.topics = topics;
    this.ledger = serdes.codec(LedgerEntry.class);
  }

  List<Route> routes() {
    return List.of(
        Route.of("GET", Route.ORGANIZATION + "/exports/profiles.csv", Role.MANAGER,
            (exchange, caller, path) -> perAccount(exchange, path.group(1), "profiles", PROFILE_COLUMNS, this::localProfiles)),
        Route.of("GET", Route.ORGANIZATION + "/exports/ledger.csv", Role.MANAGER,
            (exchange, caller, path) -> ledger(exchange, path.group(1))),
        Route.of("GET", Route.ORGANIZATION + "/exports/consents.csv", Role.MANAGER,
            (exchange, caller, path) -> perAccount(exchange, path.group(1), "consents", CONSENT_COLUMNS, states(ExportApi::consentRows))),
        Route.of("GET", Route.ORGANIZATION + "/exports/suppressions.csv", Role.MANAGER,
            (exchange, caller, path) -> perAccount(exchange, path.group(1), "suppressions", SUPPRESSION_COLUMNS,
                states(ExportApi::suppressionRows))),
        Route.of("GET", Route.ORGANIZATION + "/exports/segments/{segmentId}.csv", Role.MANAGER,
            (exchange, caller, path) -> segmentMembers(exchange, caller, path.group(1), path.group(2))));
  }

  private static final List<String> MEMBER_COLUMNS = List.of("accountKey", "customerId", "since", "membership", "tier", "emailReachable",
      "smsReachable", "pushReachable");
  private static final List<String> CONTACT_COLUMNS = List.of("email", "phone");

  /**
   * A segment's members with the channels a campaign can reach them on now; their email and phone for an admin
   * key only (a manager plans the campaign, the sender holds the addresses).
   */
  private int segmentMembers(HttpExchange exchange, Caller caller, String organizationId, String segmentId)
      throws IOException, InterruptedException {
    Instant now = Instant.now();
    if (!queries.definesSegment(organizationId, segmentId, now)) {
      return Http.problem(exchange, 404, "UNKNOWN_SEGMENT", "the program in force defines no segment " + segmentId);
    }
    boolean contacts = caller.role().allows(Role.ADMIN);
    List<String> columns = contacts ? Stream.concat(MEMBER_COLUMNS.stream(), CONTACT_COLUMNS.stream()).toList() : MEMBER_COLUMNS;
    return perAccount(exchange, organizationId, "segment-" + segmentId, columns, (out, organization) ->
        queries.forEachLocalMember(organization, segmentId, now, member -> {
          AccountState account = member.account();
          Stream<Object> values = Stream.of(AccountKey.of(account.getOrganizationId(), account.getCustomerId()), account.getCustomerId(),
              member.since(), account.getEnrollment(), account.getTier(), member.reachable().contains(Channel.EMAIL),
              member.reachable().contains(Channel.SMS), member.reachable().contains(Channel.PUSH));
          rowFromCallback(out, contacts ? Stream.concat(values, Stream.of(account.getEmail(), account.getPhone())) : values);
        }));
  }

  private static final List<String> CONSENT_COLUMNS = List.of("accountKey", "customerId", "channel", "action", "consentAfter", "at",
      "requestId", "actor", "locationId", "evidence");
  private static final List<String> SUPPRESSION_COLUMNS = List.of("accountKey", "customerId", "channel", "reason", "since", "requestId");

  /** Every kept consent change of the account with its evidence, oldest first. */
  private static Stream<Stream<Object>> consentRows(AccountState state) {
    String accountKey = AccountKey.of(state.getOrganizationId(), state.getCustomerId());
    return state.getConsentChanges().stream().map(change -> Stream.of(accountKey, state.getCustomerId(), change.getChannel(),
        change.getAction(), change.getConsentAfter(), change.getAt(), change.getRequestId(), change.getActor(), change.getLocationId(),
        change.getEvidence()));
  }

  /**
   * Who must not be contacted on which channel: a member who opted out, on every channel; otherwise each channel
   * whose last consent change revoked it (STOP, unsubscribe, an address change), with when and through which request.
   */
  private static Stream<Stream<Object>> suppressionRows(AccountState state) {
    String accountKey = AccountKey.of(state.getOrganizationId(), state.getCustomerId());
    if (state.getEnrollment() == EnrollmentState.OPTED_OUT) {
      return java.util.Arrays.stream(Channel.values()).map(channel -> Stream.of(accountKey, state.getCustomerId(), channel, "OPTED_OUT",
          null, null));
    }
    return ConsentBasisOf.lastChangePerChannel(state).stream().filter(change -> change.getConsentAfter() == ChannelConsent.NONE)
        .map(change -> Stream.of(accountKey, state.getCustomerId(), change.getChannel(), change.getAction(), change.getAt(),
            change.getRequestId()));
  }

  /** Writes the rows of this instance's accounts of an organization. */
  @FunctionalInterface
  private interface LocalRows {
    void write(Writer out, String organizationId);
  }

  /** The rows of each of this instance's accounts, as the account's state gives them. */
  private LocalRows states(java.util.function.Function<AccountState, Stream<Stream<Object>>> rowsOf) {
    return (out, organizationId) -> queries.forEachLocalAccountState(organizationId,
        state -> rowsOf.apply(state).forEach(values -> rowFromCallback(out, values)));
  }

  /** An export of every account of the organization: this instance's, then each other instance's part, streamed in turn. */
  private int perAccount(HttpExchange exchange, String organizationId, String name, List<String> columns, LocalRows localRows)
      throws IOException, InterruptedException {
    boolean localPart = LOCAL_PART.equals(exchange.getRequestURI().getRawQuery())
        && exchange.getRequestHeaders().containsKey(Owners.FORWARDED);
    List<HostInfo> instances = queries.instances();
    if (!owners.isRunning() || instances.isEmpty()) {
      return Http.unavailable(exchange);
    }
    try (Writer out = csv(exchange, name + "-" + organizationId + ".csv")) {
      if (!localPart) {
        row(out, columns.stream());
      }
      if (localPart) {
        localRows.write(out, organizationId);
        return 200;
      }
      for (HostInfo instance : instances) {
        if (owners.isSelf(instance)) {
          localRows.write(out, organizationId);
        } else {
          out.flush();
          owners.stream(exchange, instance, exchange.getRequestURI().getRawPath() + "?" + LOCAL_PART, exchange.getResponseBody());
        }
      }
    }
    return 200;
  }

  private void localProfiles(Writer out, String organizationId) {
    queries.forEachLocalAccount(organizationId, profile -> rowFromCallback(out, profileRow(profile)));
  }

  private static Stream<Object> profileRow(CustomerProfile p) {
    return Stream.of(p.getAccountKey(), p.getCustomerId(), p.getMembership(), p.getCustomerGroup(), p.getBalance(), p.getSpendable(),
        p.getPending(), p.getHeld(), p.getLifetimeEarned(), p.getLifetimeSpend(), p.getTier(), p.getTierValidUntil(), p.getVisits(),
        p.getFirstSeenAt(), p.getLastPurchaseAt(), p.getEmailConsent(), p.getSmsConsent(), p.getPushConsent(), p.getHomeState(),
        p.getUpdatedAt());
  }

  /** ?from= and ?to= (ISO instants, business time; to excluded) narrow the entries. */
  private int ledger(HttpExchange exchange, String organizationId) throws IOException {
    Map<String, String> query = Http.query(exchange);
    Instant from;
    Instant to;
    try {
      from = query.containsKey("from") ? Instant.parse(query.get("from")) : Instant.MIN;
      to = query.containsKey("to") ? Instant.parse(query.get("to")) : Instant.MAX;
    } catch (DateTimeParseException e) {
      return Http.problem(exchange, 400, "INVALID_FIELD", "from and to are ISO-8601 instants, such as 2026-11-01T00:00:00Z");
    }
    try (Writer out = csv(exchange, "ledger-" + organizationId + ".csv")) {
      row(out, LEDGER_COLUMNS.stream());
      RecordReader.read(clientProperties, topics.ledger(), Duration.ZERO, Long.MAX_VALUE, record -> {
        LedgerEntry entry = ledger.decode(record.value());
        if (entry.getOrganizationId().equals(organizationId) && !entry.getOccurredAt().isBefore(from) && entry.getOccurredAt().isBefore(to)) {
          rowFromCallback(out, Stream.of(entry.getEntryId(), entry.getAccountKey(), entry.getCustomerId(), entry.getLocationId(),
              entry.getType(), entry.getDelta(), entry.getBalanceAfter(), entry.getSpendableAfter(), entry.getPendingAfter(),
              entry.getLifetimeEarned(), entry.getLifetimeSpend(), entry.getTier(), entry.getOccurredAt(), entry.getSourceEventId(),
              entry.getTransactionId(), entry.getProgramVersion(), entry.getSpendBasis(), entry.getReason(), entry.getActor(),
              entry.getApprovedBy()));
        }
      });
    }
    return 200;
  }

  /** A chunked CSV response: rows go out as they are written. */
  private static Writer csv(HttpExchange exchange, String fileName) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    exchange.sendResponseHeaders(200, 0);
    return new BufferedWriter(new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8), 64 * 1024);
  }

  /** {@link #row} inside a callback that cannot throw IOException: a failed write cuts the export short, as any failure. */
  private static void rowFromCallback(Writer out, Stream<?> values) {
    try {
      row(out, values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void row(Writer out, Stream<?> values) throws IOException {
    out.write(values.map(value -> field(value == null ? "" : value instanceof java.math.BigDecimal decimal ? decimal.toPlainString()
        : value.toString())).collect(Collectors.joining(",")));
    out.write("\r\n");
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
  static String field(String value) {
    Objects.requireNonNull(value);
    if (value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
