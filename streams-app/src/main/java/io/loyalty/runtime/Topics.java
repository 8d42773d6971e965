package io.loyalty.runtime;

import java.util.List;

/** Topic names of DESIGN.md, behind one configurable prefix. */
public record Topics(String prefix) {
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

  public List<String> all() {
    return List.of(transactions(), commands(), clock(), programs(), ledger(), profiles(), rewards(), notifications(),
        commandResults(), rejections());
  }

  /** Topics whose latest value per key is what matters: kept compacted. */
  public List<String> compacted() {
    return List.of(programs(), profiles());
  }

  /**
   * Topics kept without time limit: the inputs, so that a replay from the start rebuilds the ledger, and the
   * ledger and rejections, the audit trail. Records carry business time, so a time limit would also delete
   * whatever is older than it in business time, e.g. an imported history, at the broker's next retention check.
   */
  public List<String> keptForever() {
    return List.of(transactions(), commands(), clock(), ledger(), rejections());
  }
}
