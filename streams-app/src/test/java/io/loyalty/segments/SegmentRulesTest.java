package io.loyalty.segments;

import static io.loyalty.testing.SegmentConditions.combine;
import static io.loyalty.testing.SegmentConditions.segment;
import static io.loyalty.testing.SegmentConditions.test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.accounts.AccountBook;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.SegmentAttribute;
import io.loyalty.avro.SegmentCondition;
import io.loyalty.avro.SegmentOperator;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Affinity;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.preferences.PreferenceRules;
import io.loyalty.programs.ProgramRules;
import io.loyalty.testing.Records;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentRulesTest {
  private static final Instant NOW = Instant.parse("2026-09-15T18:00:00Z");
  private static final ProgramRules PROGRAM = new ProgramRules(Records.program("1").setTimeZone("America/Denver").build());

  private static AccountState customer() {
    AccountState state = AccountBook.open("greenleaf", "c1", NOW.minus(Duration.ofDays(100)));
    state.setClock(NOW);
    state.setEmail("ana@example.com");
    state.setHomeState("MA");
    state.setBirthDate(LocalDate.of(1990, 9, 30));
    state.setLastPurchaseAt(NOW.minus(Duration.ofDays(20)).minusSeconds(3600));
    state.setBalance(new BigDecimal("150.5000"));
    state.setTags(List.of("vip"));
    return state;
  }

  private static CustomerPreferences flowerBuyer(int visits) {
    CustomerPreferences preferences = PreferenceRules.empty(NOW);
    preferences.setVisits(visits);
    preferences.setCategories(List.of(new Affinity("flower", 20_000L), new Affinity("edible", 5_000L)));
    return preferences;
  }

  private static boolean in(SegmentCondition condition, SegmentFacts facts) {
    return SegmentRules.matches(condition, facts);
  }

  @Test
  void eachKindOfTestReadsItsAttribute() {
    SegmentFacts facts = new SegmentFacts(customer(), flowerBuyer(1), null, PROGRAM, NOW);
    assertTrue(in(test(SegmentOperator.EQUALS, SegmentAttribute.HOME_STATE, "ma"), facts), "text ignores case");
    assertTrue(in(test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true"), facts));
    assertFalse(in(test(SegmentOperator.EQUALS, SegmentAttribute.HAS_PHONE, "true"), facts));
    assertTrue(in(test(SegmentOperator.EQUALS, SegmentAttribute.BIRTHDAY_MONTH, "true"), facts), "born in September");
    assertTrue(in(test(SegmentOperator.IN, SegmentAttribute.TAG, "staff", "vip"), facts));
    assertTrue(in(test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "20"), facts), "20 days and an hour");
    assertFalse(in(test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21"), facts));
    assertTrue(in(test(SegmentOperator.AT_MOST, SegmentAttribute.POINTS_BALANCE, "150.5"), facts));
    assertTrue(in(test(SegmentOperator.EQUALS, SegmentAttribute.FIRST_TIME_BUYER, "true"), facts));
    assertTrue(in(test(SegmentOperator.EQUALS, SegmentAttribute.PREFERRED_CATEGORY, "flower"), facts));
    assertFalse(in(test(SegmentOperator.EQUALS, SegmentAttribute.CART_OPEN, "true"), facts), "no engagement yet");
    assertFalse(in(test(SegmentOperator.EQUALS, SegmentAttribute.DAYS_SINCE_APP_LOGIN, "0"), facts), "never logged in: false");
    assertFalse(in(test(SegmentOperator.EQUALS, SegmentAttribute.CHURN_RISK, "LOW"), facts), "one visit: no usual gap yet");
    assertTrue(in(combine(SegmentOperator.ALL), facts), "ALL of nothing");
    assertTrue(in(combine(SegmentOperator.ALL, test(SegmentOperator.EQUALS, SegmentAttribute.HOME_STATE, "MA"),
        combine(SegmentOperator.NOT, test(SegmentOperator.EQUALS, SegmentAttribute.HAS_PHONE, "true"))), facts));
    assertFalse(in(combine(SegmentOperator.ANY, test(SegmentOperator.EQUALS, SegmentAttribute.TIER, "gold"),
        test(SegmentOperator.IN, SegmentAttribute.CUSTOMER_GROUP, "medical")), facts), "no tier, no group: false");
  }

  @Test
  void theNextTurnIsTheEarliestMomentATimeRelativeTestChanges() {
    AccountState state = customer();
    Instant last = state.getLastPurchaseAt();
    SegmentFacts facts = new SegmentFacts(state, flowerBuyer(3), null, PROGRAM, NOW);
    assertEquals(Optional.of(last.plus(Duration.ofDays(21))), SegmentRules.nextTurn(List.of(
        segment("dormant", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21")),
        segment("birthday", test(SegmentOperator.EQUALS, SegmentAttribute.BIRTHDAY_MONTH, "true"))), facts));
    assertEquals(Optional.of(Instant.parse("2026-10-01T06:00:00Z")), SegmentRules.nextTurn(List.of(
        segment("birthday", test(SegmentOperator.EQUALS, SegmentAttribute.BIRTHDAY_MONTH, "true"))), facts),
        "midnight on October 1 in Denver (MDT)");
    assertEquals(Optional.of(last.plus(Duration.ofDays(31))), SegmentRules.nextTurn(List.of(
        segment("recent", test(SegmentOperator.AT_MOST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "30"))), facts),
        "at most 30 days turns false when the 31st day starts");
    assertEquals(Optional.empty(), SegmentRules.nextTurn(List.of(
        segment("ma", test(SegmentOperator.EQUALS, SegmentAttribute.HOME_STATE, "MA"))), facts), "nothing time-relative");
  }

  @Test
  void theChecksRefuseWhatCouldNotBeEvaluated() {
    assertEquals(Optional.empty(), SegmentChecks.problem(List.of(
        segment("dormant-21", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "21")))));
    assertEquals(Optional.of("segment x: NOT takes exactly one condition"), SegmentChecks.problem(List.of(segment("x",
        combine(SegmentOperator.NOT, test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true"),
            test(SegmentOperator.EQUALS, SegmentAttribute.HAS_PHONE, "true"))))));
    assertEquals(Optional.of("segment x: AT_LEAST compares numbers; HOME_STATE is not one"), SegmentChecks.problem(List.of(
        segment("x", test(SegmentOperator.AT_LEAST, SegmentAttribute.HOME_STATE, "3")))));
    assertEquals(Optional.of("segment x: HAS_EMAIL is true or false, not 'yes'"), SegmentChecks.problem(List.of(
        segment("x", test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "yes")))));
    assertEquals(Optional.of("segment x: DAYS_SINCE_LAST_PURCHASE is a whole number from 0 to 36500, not '2.5'"),
        SegmentChecks.problem(List.of(segment("x", test(SegmentOperator.AT_LEAST, SegmentAttribute.DAYS_SINCE_LAST_PURCHASE, "2.5")))));
    assertEquals(Optional.of("segment id 'x' is used twice"), SegmentChecks.problem(List.of(segment("x", combine(SegmentOperator.ALL)),
        segment("x", combine(SegmentOperator.ALL)))));
    assertEquals(Optional.of("segment id 'No Email' is not 1 to 40 lowercase letters, digits, - or _"),
        SegmentChecks.problem(List.of(segment("No Email", combine(SegmentOperator.ALL)))));
    SegmentCondition deep = test(SegmentOperator.EQUALS, SegmentAttribute.HAS_EMAIL, "true");
    for (int i = 0; i < SegmentChecks.MAX_DEPTH; i++) {
      deep = combine(SegmentOperator.ALL, deep);
    }
    assertEquals(Optional.of("segment x: conditions nested deeper than 5"), SegmentChecks.problem(List.of(segment("x", deep))));
  }

  @Test
  void aProgramWithABadSegmentIsRefusedWhole() {
    ProgramConfig program = Records.program("1").setSegments(List.of(segment("x", test(SegmentOperator.IN, SegmentAttribute.TAG)))).build();
    assertEquals("INVALID_PROGRAM", io.loyalty.intake.ProgramValidator.validate("greenleaf/1", program).orElseThrow().reason().name());
  }

  @Test
  void anUpcomingBirthdayCountsLocalDaysAndTurnsAtLocalMidnights() {
    // NOW is 12:00 on 15 September in Denver; the birthday is 30 September: 15 days.
    SegmentFacts facts = new SegmentFacts(customer(), null, null, PROGRAM, NOW);
    SegmentCondition withinAWeek = test(SegmentOperator.AT_MOST, SegmentAttribute.DAYS_UNTIL_BIRTHDAY, "7");
    assertEquals(new BigDecimal("15"), facts.number(SegmentAttribute.DAYS_UNTIL_BIRTHDAY, null));
    assertFalse(in(withinAWeek, facts));
    List<io.loyalty.avro.SegmentDefinition> segments = List.of(segment("birthday-week", withinAWeek));
    Instant turn = Instant.parse("2026-09-23T06:00:00Z");
    assertEquals(Optional.of(turn), SegmentRules.nextTurn(segments, facts), "midnight of 23 September, 7 days before");
    SegmentFacts then = new SegmentFacts(customer(), null, null, PROGRAM, turn);
    assertTrue(in(withinAWeek, then));
    assertEquals(Optional.of(Instant.parse("2026-10-01T06:00:00Z")), SegmentRules.nextTurn(segments, then), "the day after the birthday");
    SegmentFacts after = new SegmentFacts(customer(), null, null, PROGRAM, Instant.parse("2026-10-01T06:00:00Z"));
    assertEquals(new BigDecimal("364"), after.number(SegmentAttribute.DAYS_UNTIL_BIRTHDAY, null), "next year's");
  }

  @Test
  void pointsExpiringCountsDaysRoundedUpToTheEarliestExpiry() {
    AccountState state = customer();
    Instant lotExpiry = NOW.plus(Duration.ofDays(10)).plusSeconds(60);
    state.setLots(List.of(new io.loyalty.avro.state.Lot("lot-1", NOW.minus(Duration.ofDays(80)), null, lotExpiry, new BigDecimal("50.0000"))));
    io.loyalty.timers.Timers.schedule(state, io.loyalty.avro.state.TimerKind.INACTIVITY_EXPIRY, "balance", NOW.plus(Duration.ofDays(40)));
    SegmentFacts facts = new SegmentFacts(state, null, null, PROGRAM, NOW);
    assertEquals(new BigDecimal("11"), facts.number(SegmentAttribute.DAYS_UNTIL_POINTS_EXPIRE, null), "10 days and a minute: 11");
    SegmentCondition withinAWeek = test(SegmentOperator.AT_MOST, SegmentAttribute.DAYS_UNTIL_POINTS_EXPIRE, "7");
    assertEquals(Optional.of(lotExpiry.minus(Duration.ofDays(7))), SegmentRules.nextTurn(List.of(segment("expiring", withinAWeek)), facts));
    assertTrue(in(withinAWeek, new SegmentFacts(state, null, null, PROGRAM, lotExpiry.minus(Duration.ofDays(7)))), "from exactly 7 days before");
    state.setLots(List.of());
    assertEquals(new BigDecimal("40"), new SegmentFacts(state, null, null, PROGRAM, NOW).number(SegmentAttribute.DAYS_UNTIL_POINTS_EXPIRE, null),
        "the whole balance by inactivity");
    state.setBalance(new BigDecimal("0.0000"));
    assertFalse(in(withinAWeek, new SegmentFacts(state, null, null, PROGRAM, NOW)), "nothing to expire: false");
  }

  @Test
  void purchasesAndSpendOverTheLastDaysCountByLocalDayAndTurnWhenADayLeavesTheWindow() {
    CustomerPreferences preferences = flowerBuyer(3);
    java.time.ZoneId zone = PROGRAM.zone();
    // Local days in Denver: 20 August, 1 September twice, 15 September (today, 12:00).
    io.loyalty.preferences.RecentPurchases.add(preferences, Instant.parse("2026-08-20T18:00:00Z"), zone, 1, 4_000);
    io.loyalty.preferences.RecentPurchases.add(preferences, Instant.parse("2026-09-01T18:00:00Z"), zone, 1, 2_550);
    io.loyalty.preferences.RecentPurchases.add(preferences, Instant.parse("2026-09-02T05:00:00Z"), zone, 1, 1_000);
    io.loyalty.preferences.RecentPurchases.add(preferences, Instant.parse("2026-09-15T17:00:00Z"), zone, 1, 3_000);
    io.loyalty.preferences.RecentPurchases.add(preferences, Instant.parse("2026-09-01T18:00:00Z"), zone, 0, -550);
    assertEquals(3, preferences.getRecentDays().size(), "the 02:00Z purchase of 2 September is 1 September in Denver");
    SegmentFacts facts = new SegmentFacts(customer(), preferences, null, PROGRAM, NOW);
    SegmentCondition twiceIn15Days = SegmentCondition.newBuilder(test(SegmentOperator.AT_LEAST, SegmentAttribute.PURCHASES_IN_WINDOW, "3"))
        .setWindowDays(15).build();
    assertEquals(new BigDecimal("3"), facts.number(SegmentAttribute.PURCHASES_IN_WINDOW, 15), "1 September (2) and today (1)");
    assertEquals(new BigDecimal("60.00"), facts.number(SegmentAttribute.SPEND_IN_WINDOW, 15), "25.50 + 10.00 - 5.50 returned + 30.00");
    assertEquals(new BigDecimal("100.00"), facts.number(SegmentAttribute.SPEND_IN_WINDOW, 30));
    assertTrue(in(twiceIn15Days, facts));
    assertEquals(Optional.of(Instant.parse("2026-09-16T06:00:00Z")),
        SegmentRules.nextTurn(List.of(segment("frequent", twiceIn15Days)), facts), "1 September leaves a 15-day window at midnight of the 16th");
    io.loyalty.preferences.RecentPurchases.add(preferences, Instant.parse("2026-12-20T18:00:00Z"), zone, 1, 100);
    assertEquals(List.of(20_807), preferences.getRecentDays().stream().map(day -> day.getDay()).toList(), "90 days kept");
  }
}
