package io.loyalty.workflows;

import static io.loyalty.testing.WorkflowSteps.delay;
import static io.loyalty.testing.WorkflowSteps.end;
import static io.loyalty.testing.WorkflowSteps.on;
import static io.loyalty.testing.WorkflowSteps.until;
import static io.loyalty.testing.WorkflowSteps.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowReentry;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.state.WorkflowHistory;
import io.loyalty.avro.state.WorkflowRun;
import io.loyalty.avro.state.WorkflowRuns;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkflowRulesTest {
  private static final ZoneId DENVER = ZoneId.of("America/Denver");
  private static final Instant NOW = Instant.parse("2026-03-02T18:00:00Z");

  @Test
  void aDelayWaitsItsMinutesThenUntilTheNextLocalTimeOfDay() {
    assertEquals(NOW.plus(Duration.ofMinutes(90)), WorkflowRules.delayEnd(delay("d", 90), NOW, DENVER));
    // 18:00Z is 11:00 in Denver: 10:00 today has passed, so 10:00 tomorrow (17:00Z).
    assertEquals(Instant.parse("2026-03-03T17:00:00Z"), WorkflowRules.delayEnd(until("d", "10:00"), NOW, DENVER));
    assertEquals(Instant.parse("2026-03-02T19:00:00Z"), WorkflowRules.delayEnd(until("d", "12:00"), NOW, DENVER));
    assertEquals(NOW, WorkflowRules.delayEnd(until("d", "11:00"), NOW, DENVER), "at the very time: no wait");
    WorkflowStep both = WorkflowStep.newBuilder(delay("d", 1440)).setUntilLocalTime("09:30").build();
    // Across the change to daylight saving time on 8 March: 09:30 MDT is 15:30Z.
    assertEquals(Instant.parse("2026-03-09T15:30:00Z"), WorkflowRules.delayEnd(both, Instant.parse("2026-03-07T18:00:00Z"), DENVER));
  }

  @Test
  void theBirthdayTriggerIsTheNextStartOfTheDayLeadDaysBefore() {
    LocalDate birth = LocalDate.parse("1991-09-14");
    assertEquals(Instant.parse("2026-09-14T06:00:00Z"), WorkflowRules.nextBirthdayTrigger(birth, 0, NOW, DENVER));
    assertEquals(Instant.parse("2026-09-07T06:00:00Z"), WorkflowRules.nextBirthdayTrigger(birth, 7, NOW, DENVER));
    assertEquals(Instant.parse("2027-09-14T06:00:00Z"),
        WorkflowRules.nextBirthdayTrigger(birth, 0, Instant.parse("2026-09-14T06:00:00Z"), DENVER), "strictly after now");
    assertEquals(Instant.parse("2027-02-28T07:00:00Z"),
        WorkflowRules.nextBirthdayTrigger(LocalDate.parse("2000-02-29"), 0, NOW, DENVER), "29 February on the 28th in 2027");
  }

  @Test
  void reEntryFollowsThePolicyAndNeverDuringARun() {
    WorkflowDefinition.Builder definition = workflow("w", on(WorkflowTriggerType.PURCHASE).build(), end("done"));
    WorkflowRuns fresh = new WorkflowRuns(new ArrayList<>(), new ArrayList<>(), false, null, new ArrayList<>());
    assertTrue(WorkflowRules.mayEnter(definition.build(), fresh, NOW));
    WorkflowRuns entered = new WorkflowRuns(new ArrayList<>(), List.of(WorkflowHistory.newBuilder().setWorkflowId("w").setEntries(1).setLastEnteredAt(NOW).build()), false,
        null, new ArrayList<>());
    assertFalse(WorkflowRules.mayEnter(definition.setReentry(WorkflowReentry.ONCE).build(), entered, NOW.plus(Duration.ofDays(999))));
    assertTrue(WorkflowRules.mayEnter(definition.setReentry(WorkflowReentry.EVERY_TIME).build(), entered, NOW));
    WorkflowDefinition afterDays = definition.setReentry(WorkflowReentry.AFTER_DAYS).setReentryDays(30).build();
    assertFalse(WorkflowRules.mayEnter(afterDays, entered, NOW.plus(Duration.ofDays(30)).minusMillis(1)));
    assertTrue(WorkflowRules.mayEnter(afterDays, entered, NOW.plus(Duration.ofDays(30))));
    WorkflowRuns running = new WorkflowRuns(List.of(new WorkflowRun("w", 1, 1L, 2, NOW, "e-1", 0, null, false, null, null, null)),
        entered.getHistory(), false, null, new ArrayList<>());
    assertFalse(WorkflowRules.mayEnter(definition.setReentry(WorkflowReentry.EVERY_TIME).build(), running, NOW));
  }

  @Test
  void aRequestIdNamesItsWorkflowVersionAndStep() {
    String actionId = WorkflowRules.actionId("greenleaf:c1", "winback", 3, 2, "first-email");
    assertEquals("greenleaf:c1/workflow/winback/3/2/first-email", actionId);
    assertEquals(Optional.of(new WorkflowRules.MessageRef("winback", 3, "first-email")), WorkflowRules.messageOf(actionId + "/EMAIL"));
    assertEquals(Optional.empty(), WorkflowRules.messageOf("greenleaf:c1/e-17/points_earn/EMAIL"));
    assertEquals(Optional.empty(), WorkflowRules.messageOf("greenleaf:c1/workflow/winback/x/2/first-email/EMAIL"));
    assertEquals(Optional.empty(), WorkflowRules.messageOf(null));
  }
}
