package io.loyalty.demo;

import io.loyalty.api.RecordReader;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerInsights;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.SegmentChange;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.workflows.WorkflowRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.specific.SpecificRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the engine wrote, read back from the output topics: ledger by type, top balances, command outcomes,
 * notification requests by channel and template, offers by status and what the policy stopped, rejections by reason.
 */
final class DemoSummary {
  private static final Duration IDLE = Duration.ofSeconds(2);

  private DemoSummary() {}

  static void print(PrintStream out, AppConfig config, int inputRecords) {
    SerdeFactory serdes = SerdeFactory.of(config.registry());
    AvroCodec<LedgerEntry> ledgerCodec = serdes.codec(LedgerEntry.class);
    Map<String, long[]> countByType = new TreeMap<>();
    Map<String, BigDecimal> pointsByType = new TreeMap<>();
    int[] ledgerEntries = {0};
    RecordReader.read(config.kafkaProperties(), config.topics().ledger(), IDLE, Long.MAX_VALUE, record -> {
      LedgerEntry entry = ledgerCodec.decode(record.value());
      countByType.computeIfAbsent(entry.getType().name(), type -> new long[1])[0]++;
      pointsByType.merge(entry.getType().name(), entry.getDelta(), BigDecimal::add);
      ledgerEntries[0]++;
    });
    AvroCodec<CustomerProfile> profileCodec = serdes.codec(CustomerProfile.class);
    Map<String, CustomerProfile> profiles = new LinkedHashMap<>();
    RecordReader.read(config.kafkaProperties(), config.topics().profiles(), IDLE, Long.MAX_VALUE,
        record -> profiles.put(new String(record.key()), profileCodec.decode(record.value())));
    Map<String, long[]> rejectionsByReason = countBy(config, config.topics().rejections(), serdes.codec(Rejection.class),
        rejection -> rejection.getReasonCode().name());
    Map<String, long[]> resultsByOutcome = countBy(config, config.topics().commandResults(), serdes.codec(CommandResult.class),
        result -> result.getStatus() + (result.getReasonCode() == null ? "" : " " + result.getReasonCode()));
    Map<String, long[]> notificationsByKind = countBy(config, config.topics().notifications(),
        serdes.codec(NotificationRequest.class), request -> request.getChannel() + " " + request.getTemplate());
    Map<String, long[]> workflowMessages = countBy(config, config.topics().notifications(), serdes.codec(NotificationRequest.class),
        request -> WorkflowRules.messageOf(request.getRequestId()).map(message -> message.workflowId() + " / " + message.stepId())
            .orElse(""));
    workflowMessages.remove("");
    Map<String, long[]> offersByStatus = countBy(config, config.topics().offers(), serdes.codec(OfferEvent.class),
        offer -> offer.getStatus().name());
    Map<String, long[]> segmentChanges = countBy(config, config.topics().segmentChanges(), serdes.codec(SegmentChange.class),
        change -> change.getChange().name());
    out.println();
    out.println("=== Loyalty engine demo: what came out ===");
    out.printf("Records published (POS events and commands): %d%n", inputRecords);
    out.printf("Ledger entries (%s): %d%n", config.topics().ledger(), ledgerEntries[0]);
    countByType.forEach((type, count) ->
        out.printf("  %-18s %6d entries %14s points%n", type, count[0], pointsByType.get(type).stripTrailingZeros().toPlainString()));
    out.printf("Customer profiles (%s): %d accounts%n", config.topics().profiles(), profiles.size());
    out.println("  Top balances:");
    profiles.values().stream()
        .sorted(Comparator.comparing(CustomerProfile::getBalance).reversed())
        .limit(5)
        .forEach(profile -> out.printf("    %-16s %10s points  lifetime spend %10s  visits %d%n", profile.getAccountKey(),
            profile.getBalance().stripTrailingZeros().toPlainString(), profile.getLifetimeSpend().toPlainString(),
            profile.getVisits()));
    profiles.values().stream()
        .filter(profile -> profile.getInsights() != null)
        .max(Comparator.comparing((CustomerProfile profile) -> profile.getInsights().getVisits())
            .thenComparing(CustomerProfile::getAccountKey))
        .ifPresent(profile -> insights(out, profile));
    out.printf("Command results (%s):%n", config.topics().commandResults());
    resultsByOutcome.forEach((outcome, count) -> out.printf("  %-24s %6d%n", outcome, count[0]));
    out.printf("Notification requests (%s): %d%n", config.topics().notifications(), total(notificationsByKind));
    notificationsByKind.forEach((kind, count) -> out.printf("  %-30s %6d%n", kind, count[0]));
    out.printf("Offers (%s): %d events%n", config.topics().offers(), total(offersByStatus));
    offersByStatus.forEach((status, count) -> out.printf("  %-24s %6d%n", status, count[0]));
    Map<String, Integer> suppressed = new TreeMap<>();
    profiles.values().stream().filter(profile -> profile.getInsights() != null)
        .forEach(profile -> profile.getInsights().getMarketingSuppressed().forEach((reason, n) -> suppressed.merge(reason, n, Integer::sum)));
    suppressed.forEach((reason, count) -> out.printf("  not made: %-14s %6d%n", reason, count));
    out.printf("Segment changes (%s): %d%n", config.topics().segmentChanges(), total(segmentChanges));
    segmentChanges.forEach((change, count) -> out.printf("  %-24s %6d%n", change, count[0]));
    Map<String, Integer> members = new TreeMap<>();
    profiles.values().forEach(profile -> profile.getSegments().forEach(segment -> members.merge(segment, 1, Integer::sum)));
    members.forEach((segment, count) -> out.printf("  now in %-22s %4d customers%n", segment, count));
    Map<String, Integer> running = new TreeMap<>();
    profiles.values().forEach(profile -> profile.getWorkflows().forEach(run -> running.merge(run.getWorkflowId() + " at "
        + run.getStepId(), 1, Integer::sum)));
    out.printf("Workflow messages (workflow / step): %d%n", total(workflowMessages));
    workflowMessages.forEach((step, count) -> out.printf("  %-30s %6d%n", step, count[0]));
    out.printf("Workflow runs under way (on the profiles): %d%n", running.values().stream().mapToInt(Integer::intValue).sum());
    running.forEach((step, count) -> out.printf("  %-30s %4d customers%n", step, count));
    out.printf("Rejections (%s): %d%n", config.topics().rejections(), total(rejectionsByReason));
    rejectionsByReason.forEach((reason, count) -> out.printf("  %-24s %6d%n", reason, count[0]));
    out.println();
  }

  /** The program's KPIs by month, as the engine's API serves them (and loyalty.metrics publishes them). */
  static void printKpis(PrintStream out, int apiPort, String apiKey, String organizationId) throws IOException, InterruptedException {
    String path = "/v1/organizations/" + organizationId + "/kpis?grain=MONTH&periods=12";
    out.printf("Program KPIs of %s by month (GET %s, also on loyalty.metrics):%n", organizationId, path);
    out.printf("  %-8s %7s %9s %9s %10s %10s %10s %8s %11s%n", "month", "active", "retained", "frequency", "AOV member",
        "AOV other", "redeemed", "joined", "liability");
    for (JsonNode month : get(apiPort, apiKey, path)) {
      out.printf("  %-8s %7d %9s %9s %10s %10s %10s %8d %11s%n", month.get("periodStart").asText().substring(0, 7),
          month.get("activeMembers").asLong(), percent(month.get("retentionRate")), text(month.get("purchaseFrequency")),
          text(month.get("memberAverageOrderValue")), text(month.get("nonMemberAverageOrderValue")),
          percent(month.get("pointsRedemptionRate")), month.get("newEnrollments").asLong(), text(month.get("liability")));
    }
    out.println();
  }

  /** What each workflow with a control group brought about: treatment against the held-out control, and the lift. */
  static void printLift(PrintStream out, int apiPort, String apiKey, String organizationId) throws IOException, InterruptedException {
    String path = "/v1/organizations/" + organizationId + "/workflows";
    out.printf("Campaign lift, treatment against the held-out control over the conversion window (GET %s):%n", path);
    get(apiPort, apiKey, path).fields().forEachRemaining(workflow -> {
      JsonNode report = workflow.getValue().path("holdout");
      if (report.path("control").path("members").asLong() > 0) {
        out.printf("  %-16s treatment %4d, %6s converted, %7s spent each; control %4d, %6s; lift %s (95%%: %s to %s)%n", workflow.getKey(),
            report.at("/treatment/members").asLong(), percent(report.at("/treatment/conversionRate")), money(report.at("/treatment/spendPerMember")),
            report.at("/control/members").asLong(), percent(report.at("/control/conversionRate")), points(report.get("lift")),
            points(report.get("liftLow")), points(report.get("liftHigh")));
      }
    });
    out.println();
  }

  private static String money(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode() ? "-" : new BigDecimal(value.asText()).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** A difference of rates in percentage points. */
  private static String points(JsonNode value) {
    return value == null || value.isNull() ? "-"
        : new BigDecimal(value.asText()).movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " pts";
  }

  private static JsonNode get(int apiPort, String apiKey, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + path))
        .header("X-Api-Key", apiKey).build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(response.body());
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? "-" : value.asText();
  }

  private static String percent(JsonNode value) {
    return value == null || value.isNull() ? "-"
        : new BigDecimal(value.asText()).movePointRight(2).setScale(1, RoundingMode.HALF_EVEN) + "%";
  }

  private static <T extends SpecificRecord> Map<String, long[]> countBy(AppConfig config, String topic, AvroCodec<T> codec, Function<T, String> kind) {
    Map<String, long[]> counts = new TreeMap<>();
    RecordReader.read(config.kafkaProperties(), topic, IDLE, Long.MAX_VALUE,
        (ConsumerRecord<byte[], byte[]> record) -> counts.computeIfAbsent(kind.apply(codec.decode(record.value())), k -> new long[1])[0]++);
    return counts;
  }

  private static long total(Map<String, long[]> counts) {
    return counts.values().stream().mapToLong(count -> count[0]).sum();
  }

  /** What a budtender sees of the busiest customer at the register. */
  private static void insights(PrintStream out, CustomerProfile profile) {
    CustomerInsights insights = profile.getInsights();
    out.printf("  Customer insights of %s: prefers %s, %s, %s (strains %s); favourites %s%n", profile.getAccountKey(),
        insights.getPreferredCategory(), insights.getPreferredStrainType(), insights.getPreferredMethod(),
        String.join(", ", insights.getPreferredStrains()), String.join(", ", insights.getFavouriteProducts()));
    out.printf("    buys every %s days, %s days since the last visit, churn risk %s, value score %s%n",
        insights.getAverageDaysBetweenPurchases(), insights.getDaysSinceLastPurchase(), insights.getChurnRisk(),
        insights.getValueScore().toPlainString());
    insights.getRecommendedProducts().stream().limit(5).forEach(product ->
        out.printf("    recommended: %-40s %s%n", product.getName(), product.getReason()));
  }
}
