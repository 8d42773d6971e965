package io.loyalty.topology;

import static io.loyalty.testing.Records.d;
import static io.loyalty.testing.Records.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.EnrollmentMode;
import io.loyalty.avro.GroupMultiplier;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.LocationOverride;
import io.loyalty.avro.MembershipStatus;
import io.loyalty.avro.OptIn;
import io.loyalty.avro.OptOut;
import io.loyalty.avro.ProductMultiplier;
import io.loyalty.avro.ProductScope;
import io.loyalty.avro.Promotion;
import io.loyalty.avro.RejectionReason;
import io.loyalty.avro.TransactionLine;
import io.loyalty.testing.Records;
import io.loyalty.testing.TopologyHarness;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EarningRulesTest {
  private static final Instant AT = Instant.parse("2026-03-01T18:00:00Z");
  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private static TransactionLine categoryLine(String id, String price, String category, String brand) {
    TransactionLine line = line(id, "1", price, "0");
    line.setCategory(category);
    line.setBrand(brand);
    line.setStrain(null);
    return line;
  }

  private List<LedgerEntry> earns() {
    return harness.ledger().stream().filter(entry -> entry.getType() == LedgerEntryType.EARN).toList();
  }

  @Test
  void productMultipliersApplyToEachLinesNetAmountMostSpecificRuleFirst() {
    harness.program(Records.program("1").setProductMultipliers(List.of(
        new ProductMultiplier(ProductScope.CATEGORY, "accessory", d("0")),
        new ProductMultiplier(ProductScope.BRAND, "sweet leaf", d("2")),
        new ProductMultiplier(ProductScope.SKU, "SKU-L4", d("3")))).build());
    TransactionLine excludedButSkuPromoted = categoryLine("L4", "5.00", "accessory", "Stash House");
    harness.transaction(Records.purchase("t1", "c1", "85.00", AT).setLines(List.of(
        categoryLine("L1", "50.00", "flower", "Emerald Valley"),
        categoryLine("L2", "10.00", "accessory", "Stash House"),
        categoryLine("L3", "20.00", "edible", "Sweet Leaf"),
        excludedButSkuPromoted)).build());
    assertEquals(d("105.0000"), earns().get(0).getDelta(), "50 x1 + 10 x0 + 20 x2 + 5 x3");
  }

  @Test
  void aZeroGroupMultiplierExcludesTheGroupEvenWhenItOptsInAgain() {
    harness.program(Records.program("1").setGroupMultipliers(List.of(new GroupMultiplier("staff", d("0")))).build());
    var enrollStaff = Records.enroll();
    enrollStaff.setCustomerGroup("staff");
    harness.command(Records.command("k1", "c1", AT, enrollStaff));
    harness.command(Records.command("k2", "c1", AT.plusSeconds(1), new OptOut(null)));
    harness.command(Records.command("k3", "c1", AT.plusSeconds(2), new OptIn(null)));
    harness.transaction(Records.purchase("t1", "c1", "40.00", AT.plusSeconds(3)).build());
    assertEquals(List.of(), earns());
    CustomerProfile profile = last(harness.profiles());
    assertEquals(MembershipStatus.MEMBER, profile.getMembership());
    assertEquals("staff", profile.getCustomerGroup());
    assertEquals(d("40.00"), profile.getLifetimeSpend());
  }

  @Test
  void promotionsFollowTheProgramsTimeZoneAndCombineWithTheGroupMultiplier() {
    harness.program(Records.program("1").setTimeZone("America/Los_Angeles")
        .setGroupMultipliers(List.of(new GroupMultiplier("vip", d("1.5"))))
        .setPromotions(List.of(
            new Promotion("Double points weekend", LocalDateTime.parse("2026-11-27T00:00"), LocalDateTime.parse("2026-11-30T00:00"), d("2")),
            new Promotion("Black Friday", LocalDateTime.parse("2026-11-27T00:00"), LocalDateTime.parse("2026-11-28T00:00"), d("3"))))
        .build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", Instant.parse("2026-11-27T07:59:59Z")).build());
    harness.transaction(Records.purchase("t2", "c1", "10.00", Instant.parse("2026-11-27T08:00:00Z")).build());
    harness.transaction(Records.purchase("t3", "c1", "10.00", Instant.parse("2026-11-29T12:00:00Z")).build());
    var vip = Records.enroll();
    vip.setCustomerGroup("vip");
    harness.command(Records.command("k1", "c2", Instant.parse("2026-11-29T11:00:00Z"), vip));
    harness.transaction(Records.purchase("t4", "c2", "10.00", Instant.parse("2026-11-29T12:00:00Z")).build());
    harness.transaction(Records.purchase("t5", "c2", "10.00", Instant.parse("2026-11-30T08:00:00Z")).build());
    List<String> deltas = earns().stream().map(entry -> entry.getDelta().toPlainString()).toList();
    assertEquals(List.of("10.0000", "30.0000", "20.0000", "30.0000", "15.0000"), deltas,
        "23:59:59 local on the 26th: none; Black Friday beats the weekend (promotions do not stack); weekend 2x; "
            + "vip 1.5 x weekend 2; vip alone after the weekend");
  }

  @Test
  void theSignUpBonusFollowsTheLocationAndIsGrantedOnce() {
    harness.program(Records.program("1").setSignupBonus(d("25.0000"))
        .setLocationOverrides(List.of(new LocationOverride("eastside", null, d("50.0000")))).build());
    var atEastside = Records.command("k1", "c1", AT, Records.enroll());
    atEastside.setLocationId("eastside");
    harness.command(atEastside);
    harness.command(Records.command("k2", "c1", AT.plusSeconds(1), Records.enroll()));
    harness.command(Records.command("k3", "c2", AT, Records.enroll()));
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(2, ledger.size());
    assertEquals(LedgerEntryType.SIGNUP_BONUS, ledger.get(0).getType());
    assertEquals(d("50.0000"), ledger.get(0).getDelta());
    assertEquals("sign-up bonus at eastside", ledger.get(0).getReason());
    assertEquals("budtender-7", ledger.get(0).getActor());
    assertEquals(d("25.0000"), ledger.get(1).getDelta());
    assertEquals("greenleaf:c2", ledger.get(1).getAccountKey());
    assertEquals(List.of("APPLIED", "APPLIED", "APPLIED"), harness.results().stream().map(r -> r.getStatus().name()).toList());
  }

  @Test
  void optInProgramsNeitherEarnNorRedeemBeforeOptingIn() {
    harness.program(Records.program("1").setEnrollment(EnrollmentMode.OPT_IN).build());
    harness.transaction(Records.purchase("t1", "c1", "30.00", AT).build());
    assertEquals(List.of(), harness.ledger());
    CustomerProfile before = last(harness.profiles());
    assertEquals(MembershipStatus.NOT_ENROLLED, before.getMembership());
    assertEquals(d("30.00"), before.getLifetimeSpend());

    harness.transaction(Records.purchase("t2", "c1", "30.00", AT.plusSeconds(1))
        .setRedemptions(List.of(Records.redemption("1", "1.00", null))).build());
    assertEquals(RejectionReason.NOT_ENROLLED, harness.rejections().get(0).value().getReasonCode());

    harness.command(Records.command("k1", "c1", AT.plusSeconds(2), new OptIn("at the register")));
    harness.transaction(Records.purchase("t3", "c1", "30.00", AT.plusSeconds(3)).build());
    assertEquals(d("30.0000"), earns().get(0).getDelta());
  }

  @Test
  void switchingAProgramToOptInHidesExistingPointsWithoutDeletingThem() {
    harness.program(Records.program("1").build());
    harness.program(Records.program("1").setVersion(2).setEffectiveFrom(AT.plusSeconds(60)).setEnrollment(EnrollmentMode.OPT_IN).build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.transaction(Records.purchase("t2", "c1", "10.00", AT.plusSeconds(120)).build());
    assertEquals(1, harness.ledger().size());
    CustomerProfile hidden = last(harness.profiles());
    assertEquals(MembershipStatus.NOT_ENROLLED, hidden.getMembership());
    assertEquals(d("10.0000"), hidden.getBalance());
    assertEquals(d("0.0000"), hidden.getSpendable());

    harness.command(Records.command("k1", "c1", AT.plusSeconds(180), new OptIn(null)));
    assertEquals(d("10.0000"), last(harness.profiles()).getSpendable());
  }

  @Test
  void optingOutStopsEarningAndKeepsTheHistory() {
    harness.program(Records.program("1").build());
    harness.transaction(Records.purchase("t1", "c1", "10.00", AT).build());
    harness.command(Records.command("k1", "c1", AT.plusSeconds(1), new OptOut("moving away")));
    harness.transaction(Records.purchase("t2", "c1", "10.00", AT.plusSeconds(2)).build());
    assertEquals(1, earns().size());
    CustomerProfile profile = last(harness.profiles());
    assertEquals(MembershipStatus.OPTED_OUT, profile.getMembership());
    assertEquals(d("10.0000"), profile.getBalance());
    assertEquals(2, profile.getVisits());
  }

  @Test
  void pendingPointsBecomeSpendableAfterTheProgramsDaysByTheClock() {
    harness.program(Records.program("1").setPendingDays(14).build());
    harness.transaction(Records.purchase("t1", "c1", "20.00", AT).build());
    LedgerEntry earn = harness.ledger().get(0);
    assertEquals(d("20.0000"), earn.getBalanceAfter());
    assertEquals(d("20.0000"), earn.getPendingAfter());
    assertEquals(d("0.0000"), earn.getSpendableAfter());

    harness.transaction(Records.purchase("t2", "c1", "20.00", AT.plusSeconds(3600))
        .setRedemptions(List.of(Records.redemption("5", "5.00", null))).build());
    assertEquals(RejectionReason.INSUFFICIENT_POINTS, harness.rejections().get(0).value().getReasonCode());

    harness.profiles();
    harness.tick(AT.plus(java.time.Duration.ofDays(14)));
    CustomerProfile matured = last(harness.profiles());
    assertEquals(d("0.0000"), matured.getPending());
    assertEquals(d("20.0000"), matured.getSpendable());

    harness.transaction(Records.purchase("t3", "c1", "20.00", AT.plus(java.time.Duration.ofDays(15)))
        .setRedemptions(List.of(Records.redemption("5", "5.00", null))).build());
    List<LedgerEntry> ledger = harness.ledger();
    assertEquals(LedgerEntryType.REDEEM, ledger.get(0).getType());
    assertEquals(d("15.0000"), ledger.get(0).getSpendableAfter());
    assertEquals(d("15.0000"), ledger.get(1).getDelta(), "t3 earns on 20 - 5 redeemed");
    assertEquals(d("15.0000"), ledger.get(1).getPendingAfter());
    assertEquals(d("30.0000"), ledger.get(1).getBalanceAfter());
  }

  @Test
  void redemptionsMustBePricedAsTheProgramSays() {
    harness.program(Records.program("1").setPointValue(d("0.0500"))
        .setRewards(List.of(new io.loyalty.avro.RewardDefinition("ten-off", "$10 off", d("100.0000"), d("10.00"), true))).build());
    harness.transaction(Records.purchase("t0", "c1", "500.00", AT).build());
    harness.transaction(Records.purchase("t1", "c1", "50.00", AT.plusSeconds(1))
        .setRedemptions(List.of(Records.redemption("100", "5.00", null))).build());
    harness.transaction(Records.purchase("t2", "c1", "150.00", AT.plusSeconds(2))
        .setRedemptions(List.of(Records.redemption("100", "100.00", null))).build());
    harness.transaction(Records.purchase("t3", "c1", "50.00", AT.plusSeconds(3)).setRedemptions(List.of(
        new io.loyalty.avro.PointRedemption(io.loyalty.avro.RedemptionKind.CATALOG_REWARD, d("50.0000"), d("10.00"), "ten-off", null))).build());
    assertEquals(List.of("EARN 500.0000", "REDEEM -100.0000", "EARN 45.0000"),
        harness.ledger().stream().map(e -> e.getType() + " " + e.getDelta().toPlainString()).toList());
    var rejections = harness.rejections();
    assertEquals("100.0000 points are worth 5.00 at the program's point value 0.0500, the POS recorded 100.00",
        rejections.get(0).value().getMessage());
    assertEquals(RejectionReason.INVALID_FIELD, rejections.get(0).value().getReasonCode());
    assertEquals("reward ten-off costs 100.0000 points for 10.00, the POS recorded 50.0000 points for 10.00",
        rejections.get(1).value().getMessage());
  }

  /**
   * Every figure of an entry is the account's after this entry: a purchase's spend and points count from its
   * EARN entry on, so the REDEEM before it shows the lifetime figures of before the purchase, and a return's
   * refund of redeemed points shows them of before the return's reversal entry.
   */
  @Test
  void lifetimeFiguresOfAnEntryAreThoseAfterIt() {
    harness.program(Records.program("1").setPointValue(d("0.0500")).build());
    harness.transaction(Records.purchase("t0", "c1", "500.00", AT).build());
    harness.transaction(Records.purchase("t1", "c1", "50.00", AT.plusSeconds(1))
        .setRedemptions(List.of(Records.redemption("100", "5.00", null))).build());
    harness.transaction(Records.returnOf("r1", "t1", "c1", AT.plusSeconds(2), "L1", "1").build());
    assertEquals(List.of(
            "EARN 500.0000 balance 500.0000 earned 500.0000 spend 500.00",
            "REDEEM -100.0000 balance 400.0000 earned 500.0000 spend 500.00",
            "EARN 45.0000 balance 445.0000 earned 545.0000 spend 545.00",
            "REDEMPTION_REFUND 100.0000 balance 545.0000 earned 545.0000 spend 545.00",
            "RETURN_REVERSAL -45.0000 balance 500.0000 earned 500.0000 spend 500.00"),
        harness.ledger().stream().map(e -> e.getType() + " " + e.getDelta().toPlainString() + " balance " + e.getBalanceAfter()
            + " earned " + e.getLifetimeEarned() + " spend " + e.getLifetimeSpend()).toList());
    CustomerProfile profile = last(harness.profiles());
    assertEquals(d("500.0000"), profile.getLifetimeEarned(), "the profile agrees with the last entry");
    assertEquals(d("500.00"), profile.getLifetimeSpend());
  }

  private static <T> T last(List<T> items) {
    return items.get(items.size() - 1);
  }
}
