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
    assertEquals("accounts clock-intake command-results-sink commands-intake ledger-sink loyalty-clock-source "
        + "loyalty-commands-source notifications-sink pos-transactions-source profiles-sink rejections-sink rewards-sink transactions-intake ", names.toString());
    TopologyDescription.GlobalStore programs = description.globalStores().iterator().next();
    assertEquals("programs-source", programs.source().name());
    assertEquals("programs-loader", programs.processor().name());
    assertEquals("[programs-store]", programs.processor().stores().toString());
    TopologyDescription.Processor accounts = (TopologyDescription.Processor) description.subtopologies().iterator().next()
        .nodes().stream().filter(node -> node.name().equals("accounts")).findFirst().orElseThrow();
    assertEquals(java.util.Set.of("accounts-store", "lots-store", "transactions-store", "timers-store", "parked-reversals-store",
        "partition-clock-store", "seen-ids-store"), accounts.stores());
    assertEquals(1, description.subtopologies().size(), "the three inputs of accounts share one sub-topology (co-partitioned)");
  }
}
