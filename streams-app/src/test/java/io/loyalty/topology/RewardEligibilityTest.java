package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.RewardDefinition;
import io.loyalty.avro.TierDefinition;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RewardEligibilityTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private List<String> events() {
    return harness.rewards().stream().map(e -> e.getType() + (e.getRewardId() == null ? "" : " " + e.getRewardId())).toList();
  }

  @Test
  void rewardsBecomeAffordableStopBeingSoAndTierRewardsUnlock() {
    harness.program(Records.program("1")
        .setRewards(List.of(new RewardDefinition("ten-off", "$10 off", d("100.0000"), d("10.00"), true),
            new RewardDefinition("vip-gift", "VIP gift", d("50.0000"), d("20.00"), true),
            new RewardDefinition("retired", "Old mug", d("1.0000"), d("5.00"), false)))
        .setTiers(List.of(TierDefinition.newBuilder().setTierId("elite").setName("Elite").setThreshold(d("500.00"))
            .setRewardIds(List.of("vip-gift")).build()))
        .build());
    harness.transaction(Records.purchase("t1", "c1", "150.00", AT).build());
    assertEquals(List.of("REWARD_AFFORDABLE ten-off"), events(), "vip-gift is Elite's; an inactive reward never counts");

    harness.transaction(Records.purchase("t2", "c1", "110.00", AT.plusSeconds(1))
        .setRedemptions(List.of(Records.redemption("100", "100.00", null))).build());
    assertEquals(List.of("REWARD_UNAFFORDABLE ten-off"), events(), "150 - 100 + 10 = 60 spendable");

    harness.transaction(Records.purchase("t3", "c1", "500.00", AT.plusSeconds(2)).build());
    assertEquals(List.of("TIER_CHANGED", "REWARD_AFFORDABLE ten-off", "REWARD_UNLOCKED vip-gift", "REWARD_AFFORDABLE vip-gift"), events());
    harness.transaction(Records.purchase("t4", "c1", "5.00", AT.plusSeconds(3)).build());
    assertEquals(List.of(), events(), "nothing changed, nothing announced");
  }
}
