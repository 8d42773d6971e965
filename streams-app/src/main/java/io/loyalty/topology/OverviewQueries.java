package io.loyalty.topology;

import io.loyalty.avro.TierDefinition;
import io.loyalty.avro.state.Backfill;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.avro.state.WorkflowStepStats;
import io.loyalty.programs.ProgramRules;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.SerdeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * What an operator's overview needs beyond the KPIs: the organizations and their programs (from the global
 * programs store), and this instance's share of segment sizes and workflow statistics (per partition, in the
 * account tasks' stores: the API adds the instances' shares up).
 */
public final class OverviewQueries {
  private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
  private final LocalStores stores;
  private final AvroCodec<WorkflowStats> workflowStats = LoyaltyTopology.STATE_SERDES.codec(WorkflowStats.class);
  private final AvroCodec<Backfill> backfills = LoyaltyTopology.STATE_SERDES.codec(Backfill.class);

  public OverviewQueries(KafkaStreams streams, SerdeFactory serdes) {
    this.stores = new LocalStores(streams, serdes);
  }

  /** A program as the overview shows it: its latest version. */
  public record Program(String organizationId, String name, long version, String timeZone, String currency, String pointValue,
      List<String> tiers, List<String> segments, List<String> workflows) {}

  /** A version of an organization's program: when it takes effect, who published it, and whether it is the one in force. */
  public record ProgramVersion(long version, String name, String effectiveFrom, String publishedBy, boolean inForce) {}

  /** The organization's valid program versions, oldest first, the one in force at {@code now} flagged. */
  public List<ProgramVersion> programVersions(String organizationId, Instant now) {
    ProgramStore programs = stores.programs();
    Optional<Long> inForce = programs.inForceAt(organizationId, now).map(ProgramRules::version);
    return programs.validVersions(organizationId).stream().map(rules -> new ProgramVersion(rules.version(), rules.config().getName(),
        rules.config().getEffectiveFrom().toString(), rules.config().getPublishedBy(), inForce.equals(Optional.of(rules.version()))))
        .toList();
  }

  public List<Program> programs() {
    ProgramStore programs = stores.programs();
    List<Program> found = new ArrayList<>();
    for (String organization : programs.organizations()) {
      programs.inForceAt(organization, LATEST).ifPresent(rules -> found.add(program(rules)));
    }
    return found;
  }

  private static Program program(ProgramRules rules) {
    return new Program(rules.config().getOrganizationId(), rules.config().getName(), rules.version(), rules.zone().getId(),
        rules.config().getCurrency(), rules.pointValue().toPlainString(),
        rules.config().getTiers().stream().map(TierDefinition::getTierId).toList(),
        rules.config().getSegments().stream().map(segment -> segment.getId()).toList(),
        rules.config().getWorkflows().stream().map(workflow -> workflow.getId()).toList());
  }

  /** This instance's share of the organization's segment sizes, by segment id (its partitions' counts added up). */
  public Map<String, Long> localSegmentSizes(String organizationId) {
    Map<String, Long> sizes = new LinkedHashMap<>();
    LongDeserializer longs = new LongDeserializer();
    try (KeyValueIterator<String, byte[]> found = stores.store(LoyaltyTopology.SEGMENT_SIZES_STORE)
        .prefixScan(organizationId + "/", new StringSerializer())) {
      found.forEachRemaining(entry -> sizes.merge(entry.key.substring(organizationId.length() + 1), longs.deserialize(null, entry.value),
          Long::sum));
    }
    return sizes;
  }

  /**
   * This instance's share of the sweeps of the organization's existing accounts: evaluations under a program version
   * that changed its audience, by version, and broadcasts ("broadcast workflowId/version"): partitions (and of them
   * finished), accounts when each started, accounts swept.
   */
  public Map<String, Map<String, Long>> localBackfills(String organizationId) {
    Map<String, Map<String, Long>> byVersion = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> all = stores.store(LoyaltyTopology.BACKFILLS_STORE).all()) {
      // One entry per partition under the same key: the composite store of the local partitions yields each.
      String broadcasts = organizationId + "/broadcast/";
      all.forEachRemaining(entry -> {
        if (!entry.key.equals(organizationId) && !entry.key.startsWith(broadcasts)) {
          return;
        }
        Backfill backfill = backfills.decode(entry.value);
        String sweep = entry.key.equals(organizationId) ? Long.toString(backfill.getVersion())
            : "broadcast " + entry.key.substring(broadcasts.length());
        Map<String, Long> figures = byVersion.computeIfAbsent(sweep, version -> new LinkedHashMap<>());
        figures.merge("partitions", 1L, Long::sum);
        figures.merge("partitionsFinished", backfill.getFinishedAt() == null ? 0L : 1L, Long::sum);
        figures.merge("accounts", backfill.getAccounts(), Long::sum);
        figures.merge("evaluated", backfill.getEvaluated(), Long::sum);
      });
    }
    return byVersion;
  }

  /**
   * This instance's share of the organization's workflow statistics, by workflow id/version: runs entered,
   * completed and exited, and over its steps the messages, opens, clicks and conversions.
   */
  public Map<String, Map<String, Long>> localWorkflowStats(String organizationId) {
    Map<String, Map<String, Long>> stats = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> found = stores.store(LoyaltyTopology.WORKFLOW_STATS_STORE)
        .prefixScan(organizationId + "/", new StringSerializer())) {
      found.forEachRemaining(entry -> {
        WorkflowStats counted = workflowStats.decode(entry.value);
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("entered", counted.getEntered());
        figures.put("completed", counted.getCompleted());
        figures.put("exited", counted.getExitedOnGoal() + counted.getExitedOnSegment() + counted.getExitedOnAudience()
            + counted.getExitedOnCondition());
        figures.put("messages", counted.getSteps().stream().mapToLong(WorkflowStepStats::getMessages).sum());
        figures.put("opened", counted.getSteps().stream().mapToLong(WorkflowStepStats::getOpened).sum());
        figures.put("clicked", counted.getSteps().stream().mapToLong(WorkflowStepStats::getClicked).sum());
        figures.put("converted", counted.getSteps().stream().mapToLong(WorkflowStepStats::getConverted).sum());
        // Treatment (entered) and control (heldOut) over the conversion window after each entry.
        figures.put("heldOut", counted.getHeldOut());
        figures.put("enteredConverted", counted.getEnteredConverted());
        figures.put("heldOutConverted", counted.getHeldOutConverted());
        figures.put("enteredSpendCents", counted.getEnteredSpendCents());
        figures.put("heldOutSpendCents", counted.getHeldOutSpendCents());
        figures.put("enteredVisits", counted.getEnteredVisits());
        figures.put("heldOutVisits", counted.getHeldOutVisits());
        // Every partition counts its own share under the same key.
        figures.forEach((name, value) -> stats.computeIfAbsent(entry.key.substring(organizationId.length() + 1),
            workflow -> new LinkedHashMap<>()).merge(name, value, Long::sum));
      });
    }
    return stats;
  }
}
