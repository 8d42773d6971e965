package io.loyalty.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.LoyaltyApp;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The topology's names are part of its upgrade contract: changing one re-creates stores and changelogs. */
class TopologyNamingTest {

  @Test
  void everyNodeAndStoreHasItsExplicitName() {
    TopologyDescription description = LoyaltyApp.topology(AppConfig.defaults()).describe();
    StringBuilder names = new StringBuilder();
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      subtopology.nodes().stream().map(TopologyDescription.Node::name).sorted().forEach(name -> names.append(name).append(' '));
    }
    assertEquals("accounts activity-intake clock-intake command-results-sink commands-intake contact-index-sink kpi-deltas-sink ledger-sink "
        + "loyalty-activity-source loyalty-clock-source loyalty-commands-source loyalty-merges-source merges-intake merges-sink notifications-sink offers-sink pos-transactions-source "
        + "profiles-sink rejections-sink rewards-sink segment-changes-sink "
        + "transactions-intake kpi-aggregation kpi-deltas-source metrics-sink ", names.toString());
    assertEquals(java.util.Set.of("programs-source programs-loader [programs-store]", "products-source products-loader [products-store]",
        "contact-index-source contact-index-loader [contact-index-store]"),
        description.globalStores().stream().map(global -> global.source().name() + " " + global.processor().name() + " "
            + global.processor().stores()).collect(java.util.stream.Collectors.toSet()));
    TopologyDescription.Processor accounts = (TopologyDescription.Processor) description.subtopologies().iterator().next()
        .nodes().stream().filter(node -> node.name().equals("accounts")).findFirst().orElseThrow();
    assertEquals(java.util.Set.of("accounts-store", "lots-store", "transactions-store", "timers-store", "parked-reversals-store",
        "partition-clock-store", "seen-ids-store", "preferences-store", "co-purchases-store", "offers-store", "engagement-store",
        "segments-store", "segment-sizes-store", "workflows-store", "workflow-stats-store", "kpi-marks-store",
        "recent-entries-store", "kpi-pending-store", "backfills-store"),
        accounts.stores());
    TopologyDescription.Processor kpis = (TopologyDescription.Processor) description.subtopologies().stream()
        .flatMap(subtopology -> subtopology.nodes().stream()).filter(node -> node.name().equals("kpi-aggregation")).findFirst().orElseThrow();
    assertEquals(java.util.Set.of("kpi-store", "kpi-changed-rows-store"), kpis.stores());
    assertEquals(2, description.subtopologies().size(),
        "the four inputs of accounts share one sub-topology (co-partitioned); the KPI aggregation, keyed by organization, is the other");
  }
}
