package io.loyalty.runtime;

import java.util.List;

/**
 * Topic names of DESIGN.md, behind one configurable prefix.
 *
 * <p>The order of the inputs is their order of arrival. Kafka Streams interleaves the partitions of a task by
 * record timestamp, live and on replay; the engine's topics are stamped by the broker with their append time
 * (message.timestamp.type=LogAppendTime), so a replay reads the transactions, commands, activity and clock ticks of a
 * partition in the order they were appended, which is the order the live run read them, whatever business
 * times they carry. Business time stays in the records' values, where the rules read it. Outputs carry the
 * timestamp of the input that caused them, a recent time, so time-based retention never deletes an output
 * whose business time is old.
 *
 * <p>The engine's own intermediate topics (KPI deltas, merge steps, the contact index) belong to the application:
 * named after its application id as Kafka Streams names its internal topics, so that a fresh application over the
 * same input topics (a replay, a second deployment) reads only what it wrote itself.
 */
public record Topics(String prefix, String applicationId) {
  public String transactions() {
    return prefix + "pos.transactions";
  }

  public String commands() {
    return prefix + "loyalty.commands";
  }

  public String clock() {
    return prefix + "loyalty.clock";
  }

  public String programs() {
    return prefix + "loyalty.programs";
  }

  /** What e-commerce, the app and the messaging providers report of a customer (ActivityEvent). */
  public String activity() {
    return prefix + "loyalty.activity";
  }

  /** Customers entering and leaving segments (SegmentChange). */
  public String segmentChanges() {
    return prefix + "loyalty.segment-changes";
  }

  public String products() {
    return prefix + "loyalty.products";
  }

  public String offers() {
    return prefix + "loyalty.offers";
  }

  public String ledger() {
    return prefix + "loyalty.ledger";
  }

  public String profiles() {
    return prefix + "loyalty.profiles";
  }

  public String rewards() {
    return prefix + "loyalty.rewards";
  }

  public String notifications() {
    return prefix + "loyalty.notifications";
  }

  public String commandResults() {
    return prefix + "loyalty.command-results";
  }

  public String rejections() {
    return prefix + "loyalty.rejections";
  }

  /** The engine's own, compacted: hashed phone and email to account, read by every instance as a global store. */
  public String contactIndex() {
    return ownTopic("loyalty.contact-index");
  }

  /** Program KPIs per organization, location and period. */
  public String metrics() {
    return prefix + "loyalty.metrics";
  }

  /**
   * The engine's own: what each account change adds to its organization's KPIs, keyed by organization, from the
   * account path to the KPI aggregation. Rebuilt from the inputs on a replay (reset it with the application).
   */
  public String kpiDeltas() {
    return ownTopic("loyalty.kpi-deltas");
  }

  /**
   * The engine's own: the two steps of an account merge, keyed by the account that takes the step, so each runs
   * in its account's partition (same partition count as the inputs). Rebuilt by a replay, like kpi-deltas.
   */
  public String merges() {
    return ownTopic("loyalty.merges");
  }

  /** An intermediate topic of the application: {@code <application.id>-<name>}, without the prefix. */
  private String ownTopic(String name) {
    return applicationId + "-" + name;
  }

  /** The engine's own topics, which it creates when they are missing: KPI deltas, merges, contact index. */
  public List<String> own() {
    return List.of(kpiDeltas(), merges(), contactIndex());
  }

  /**
   * The names the engine's own topics had before they belonged to the application ({@code <prefix><name>}), for the
   * migration of a running deployment (see {@link IntermediateTopics}): KPI deltas, merges, contact index.
   */
  public List<String> legacyOwn() {
    return List.of(prefix + "loyalty.kpi-deltas", prefix + "loyalty.merges", prefix + "loyalty.contact-index");
  }

  public List<String> all() {
    return List.of(transactions(), commands(), activity(), clock(), programs(), products(), ledger(), profiles(), rewards(),
        notifications(), offers(), segmentChanges(), commandResults(), rejections(), metrics(), kpiDeltas(),
        contactIndex(), merges());
  }

  /** Topics whose latest value per key is what matters: kept compacted. */
  public List<String> compacted() {
    return List.of(programs(), products(), profiles(), contactIndex());
  }

  /**
   * Topics kept without time limit: the inputs, so that a replay from the start rebuilds the ledger, and the
   * ledger and rejections, the audit trail. The other outputs keep the broker's default retention.
   */
  public List<String> keptForever() {
    return List.of(transactions(), commands(), activity(), clock(), ledger(), offers(), rejections());
  }
}
