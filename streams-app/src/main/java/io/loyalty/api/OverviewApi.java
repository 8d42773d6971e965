package io.loyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import io.loyalty.avro.Rejection;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.topology.CustomerQueries;
import io.loyalty.topology.OverviewQueries;
import io.loyalty.holdouts.HoldoutReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The operator's overview: the organizations and their programs, segment sizes, a segment's audience (members and
 * who each channel can reach, before a campaign is sent) and workflow statistics (each
 * instance counts its partitions; the instance asked adds every instance's share up), and the reasons of the
 * latest rejections (read from loyalty.rejections).
 */
final class OverviewApi {
  private static final String LOCAL_PART = "part=local";
  /** Rejections read per partition for the summary: the latest, not the whole history. */
  private static final int REJECTIONS_PER_PARTITION = 10_000;

  private final OverviewQueries queries;
  private final Owners owners;
  private final CustomerQueries customers;
  private final Properties clientProperties;
  private final Topics topics;
  private final AvroCodec<Rejection> rejections;

  OverviewApi(OverviewQueries queries, Owners owners, CustomerQueries customers, Properties clientProperties, Topics topics,
      SerdeFactory serdes) {
    this.queries = queries;
    this.owners = owners;
    this.customers = customers;
    this.clientProperties = clientProperties;
    this.topics = topics;
    this.rejections = serdes.codec(Rejection.class);
  }

  List<Route> routes() {
    String organization = Route.ORGANIZATION;
    return List.of(
        Route.of("GET", "/v1/organizations", Role.MANAGER, (exchange, caller, path) ->
            Http.json(exchange, 200, Http.JSON.writeValueAsString(queries.programs().stream()
                .filter(program -> caller.actsFor(program.organizationId())).toList()))),
        Route.of("GET", organization + "/segments", Role.MANAGER, (exchange, caller, path) ->
            summed(exchange, () -> Http.JSON.valueToTree(queries.localSegmentSizes(path.group(1))))),
        Route.of("GET", organization + "/segments/{segmentId}/audience", Role.MANAGER, (exchange, caller, path) -> {
          Instant now = Instant.now();
          if (!customers.definesSegment(path.group(1), path.group(2), now)) {
            return Http.problem(exchange, 404, "UNKNOWN_SEGMENT", "the program in force defines no segment " + path.group(2));
          }
          return summed(exchange, () -> Http.JSON.valueToTree(customers.localAudience(path.group(1), path.group(2), now)));
        }),
        Route.of("GET", organization + "/workflows", Role.MANAGER, (exchange, caller, path) ->
            summed(exchange, () -> Http.JSON.valueToTree(queries.localWorkflowStats(path.group(1))), OverviewApi::withHoldoutReports)),
        Route.of("GET", organization + "/backfills", Role.MANAGER, (exchange, caller, path) ->
            summed(exchange, () -> Http.JSON.valueToTree(queries.localBackfills(path.group(1))))),
        Route.of("GET", organization + "/rejections", Role.MANAGER, (exchange, caller, path) ->
            rejections(exchange, caller, path.group(1))));
  }

  private int summed(HttpExchange exchange, java.util.function.Supplier<JsonNode> local) throws IOException, InterruptedException {
    return summed(exchange, local, total -> { });
  }

  /**
   * Every instance's share, added up (numbers summed field by field), then finished (figures computed from the
   * sums); a forwarded ?part=local is this instance's alone, unfinished.
   */
  private int summed(HttpExchange exchange, java.util.function.Supplier<JsonNode> local, java.util.function.Consumer<ObjectNode> finish)
      throws IOException, InterruptedException {
    if (LOCAL_PART.equals(exchange.getRequestURI().getRawQuery()) && exchange.getRequestHeaders().containsKey(Owners.FORWARDED)) {
      return Http.json(exchange, 200, local.get().toString());
    }
    List<HostInfo> all = customers.instances();
    if (!owners.isRunning() || all.isEmpty()) {
      return Http.unavailable(exchange);
    }
    ObjectNode total = Http.JSON.createObjectNode();
    for (HostInfo instance : all) {
      JsonNode share;
      if (owners.isSelf(instance)) {
        share = local.get();
      } else {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        owners.stream(exchange, instance, exchange.getRequestURI().getRawPath() + "?" + LOCAL_PART, body);
        share = Http.JSON.readTree(body.toByteArray());
      }
      add(total, share);
    }
    finish.accept(total);
    return Http.json(exchange, 200, total.toString());
  }

  /** Each workflow version's treatment and control side by side, with the lift and its 95% confidence interval. */
  private static void withHoldoutReports(ObjectNode workflows) {
    workflows.fields().forEachRemaining(workflow -> {
      JsonNode sums = workflow.getValue();
      HoldoutReport report = HoldoutReport.of(sums.path("entered").asLong(), sums.path("enteredConverted").asLong(),
          cents(sums.path("enteredSpendCents")), sums.path("enteredVisits").asLong(), sums.path("heldOut").asLong(),
          sums.path("heldOutConverted").asLong(), cents(sums.path("heldOutSpendCents")), sums.path("heldOutVisits").asLong());
      ((ObjectNode) sums).set("holdout", Http.JSON.valueToTree(report));
    });
  }

  private static BigDecimal cents(JsonNode cents) {
    return BigDecimal.valueOf(cents.asLong(), 2);
  }

  private static void add(ObjectNode total, JsonNode share) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = share.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isObject()) {
        JsonNode existing = total.get(field.getKey());
        add(existing instanceof ObjectNode object ? object : total.putObject(field.getKey()), field.getValue());
      } else {
        total.put(field.getKey(), total.path(field.getKey()).asLong(0) + field.getValue().asLong());
      }
    }
  }

  /**
   * Counts by reason of the organization's latest rejections, and (for a key of every organization) of those no
   * organization could be read from: they may be any tenant's.
   */
  private int rejections(HttpExchange exchange, Caller caller, String organizationId) throws IOException {
    Map<String, Long> ofOrganization = new TreeMap<>();
    Map<String, Long> unattributed = new TreeMap<>();
    long[] read = {0};
    RecordReader.readTail(clientProperties, topics.rejections(), REJECTIONS_PER_PARTITION, record -> {
      Rejection rejection = rejections.decode(record.value());
      read[0]++;
      if (organizationId.equals(rejection.getOrganizationId())) {
        ofOrganization.merge(String.valueOf(rejection.getReasonCode()), 1L, Long::sum);
      } else if (rejection.getOrganizationId() == null && caller.actsForAll()) {
        unattributed.merge(String.valueOf(rejection.getReasonCode()), 1L, Long::sum);
      }
    });
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("rejectionsRead", read[0]);
    body.put("perPartition", REJECTIONS_PER_PARTITION);
    body.set("reasons", Http.JSON.valueToTree(ofOrganization));
    body.set("withoutOrganization", Http.JSON.valueToTree(unattributed));
    return Http.json(exchange, 200, body.toString());
  }
}
