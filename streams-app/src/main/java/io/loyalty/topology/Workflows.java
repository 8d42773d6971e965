package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.metrics.KpiTally;
import io.loyalty.accounts.Membership;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.Channel;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Engagement;
import io.loyalty.avro.LedgerEntryType;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionType;
import io.loyalty.avro.WorkflowDefinition;
import io.loyalty.avro.WorkflowStatus;
import io.loyalty.avro.WorkflowStep;
import io.loyalty.avro.WorkflowStepType;
import io.loyalty.avro.WorkflowTrigger;
import io.loyalty.avro.WorkflowTriggerType;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.avro.state.WorkflowHistory;
import io.loyalty.avro.state.WorkflowRun;
import io.loyalty.avro.state.WorkflowRuns;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.enrollment.EnrollmentRules;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.notifications.NotificationPlanner.WorkflowMessage;
import io.loyalty.offers.OfferRules;
import io.loyalty.programs.ProgramRules;
import io.loyalty.segments.SegmentFacts;
import io.loyalty.segments.SegmentsChanged;
import io.loyalty.segments.SegmentRules;
import io.loyalty.timers.Timers;
import io.loyalty.workflows.WorkflowCounts;
import io.loyalty.workflows.WorkflowRules;
import io.loyalty.workflows.WorkflowTriggers;
import io.loyalty.workflows.WorkflowTriggers.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Campaign workflows (program `workflows`): a trigger starts a run for a customer in the audience, as the re-entry
 * policy allows; its steps wait, branch on conditions, boost points, send messages, issue offers and change the
 * profile. Runs are the customer's state (workflows-store, bounded by the number of workflows) with one timer each
 * while they wait, so a step happens at its due time on replay too; every action's id derives from workflow,
 * version, customer, entry and step. What each version and step did is counted per organization
 * (workflow-stats-store) for the KPIs.
 *
 * <p>Triggers seen while an input applies (a purchase, an activity report, the run's or a birthday's timer) are
 * kept until the account has changed: entries and steps then see the account, its segments and tier as that input
 * left them. Enrollment, opt-in and tier changes are seen by comparing the account with what it was at its last
 * change.
 */
final class Workflows implements Reaction {
  static final String RUN = "workflow:";

  private final Stored<WorkflowRuns> runs;
  private final Stored<CustomerPreferences> preferences;
  private final Stored<Engagement> engagements;
  private final ProgramStore programs;
  private final Offers offers;
  private final Outbox outbox;
  private final Output<NotificationRequest> notifications;
  private final List<Trigger> pending = new ArrayList<>();
  private String pendingCause = "";
  private final WorkflowCounts counts;
  private final KpiTally kpis;


  Workflows(Stored<WorkflowRuns> runs, StagedStore<WorkflowStats> stats, Stored<CustomerPreferences> preferences,
      Stored<Engagement> engagements, ProgramStore programs, Offers offers, Outbox outbox,
      Output<NotificationRequest> notifications, KpiTally kpis) {
    this.kpis = kpis;
    this.runs = runs;
    this.preferences = preferences;
    this.engagements = engagements;
    this.programs = programs;
    this.offers = offers;
    this.outbox = outbox;
    this.notifications = notifications;
    this.counts = new WorkflowCounts(stats::get, stats::put);
  }

  @Override
  public void applied(String accountKey, TransactionEvent event, TransactionRecord purchase, AccountBook book, ProgramRules program,
      long timestamp) {
    if (event.getType() == TransactionType.PURCHASE) {
      remember(accountKey, book, Trigger.of(WorkflowTriggerType.PURCHASE));
      remember(accountKey, book, new Trigger(WorkflowTriggerType.VISIT, book.state().getVisits(), null, null));
    }
  }

  @Override
  public void observed(String accountKey, ActivityEvent event, AccountBook book, ProgramRules program, long timestamp) {
    remember(accountKey, book, new Trigger(WorkflowTriggerType.ACTIVITY, 0, event.getType(), null));
    if (event.getType() == ActivityType.MESSAGE_OPENED || event.getType() == ActivityType.MESSAGE_CLICKED) {
      counts.forget();
      // Only messages of workflows the program defines: a report naming anything else must not grow the statistics.
      WorkflowRules.messageOf(event.getRequestId()).filter(message -> program.config().getWorkflows().stream()
          .anyMatch(workflow -> workflow.getId().equals(message.workflowId()))).ifPresent(message -> counts.step(book.state().getOrganizationId(),
          message.workflowId(), message.version(), message.stepId(), step -> {
            if (event.getType() == ActivityType.MESSAGE_OPENED) {
              step.setOpened(step.getOpened() + 1);
            } else {
              step.setClicked(step.getClicked() + 1);
            }
          }));
      counts.flush();
    }
  }

  @Override
  public void due(String accountKey, String ref, AccountBook book, ProgramRules program, long timestamp) {
    if (ref.startsWith(RUN) || ref.startsWith(WorkflowTriggers.BIRTHDAY_TIMER)) {
      remember(accountKey, book, Trigger.timer(ref));
    }
  }

  @Override
  public Set<Class<?>> reads() {
    return Set.of(SegmentsChanged.class);
  }

  @Override
  public void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {
    // A failed input's counts are never carried into the next one.
    counts.forget();
    List<Trigger> triggers = take(accountKey, book);
    List<WorkflowDefinition> workflows = program.config().getWorkflows();
    AccountState state = book.state();
    // Without workflows and without a run waiting (a program version may drop a workflow with runs under way), no
    // store read: programs without workflows pay nothing per event.
    if (workflows.isEmpty() && state.getTimers().stream().noneMatch(timer -> timer.getRef().startsWith(RUN))
        && triggers.stream().noneMatch(trigger -> trigger.ref() != null && trigger.ref().startsWith(RUN))) {
      return;
    }
    WorkflowRuns stored = runs.get(accountKey);
    boolean member = Membership.isMember(state, program);
    Change change = new Change(accountKey, book, program, timestamp, stored == null ? WorkflowTriggers.firstSeen(state, member) : stored);
    change.dirty = WorkflowTriggers.edges(state, member, change.customer, triggers);
    SegmentsChanged segments = book.signals().get(SegmentsChanged.class).orElse(SegmentsChanged.NONE);
    segments.entered().forEach(segmentId -> triggers.add(new Trigger(WorkflowTriggerType.SEGMENT_ENTERED, 0, null, segmentId)));
    if (Timers.isFiringOf(book.context().sourceEventId(), accountKey, TimerKind.EXPIRY_WARNING)) {
      triggers.add(Trigger.of(WorkflowTriggerType.POINTS_EXPIRING));
    }
    WorkflowRules.broadcastOf(book.context().sourceEventId(), accountKey)
        .ifPresent(workflowId -> triggers.add(new Trigger(WorkflowTriggerType.BROADCAST, 0, null, workflowId)));
    boolean purchased = triggers.stream().anyMatch(trigger -> trigger.type() == WorkflowTriggerType.PURCHASE);
    if (purchased) {
      countConversions(change, workflows);
    }
    for (WorkflowRun run : new ArrayList<>(change.customer.getRuns())) {
      WorkflowDefinition workflow = definition(run, change);
      if (workflow == null) {
        // The version it entered with is gone (an invalid program version was removed): nothing can run it.
        end(change, run, null, null);
        continue;
      }
      if (purchased) {
        run.setPurchased(true);
        change.dirty = true;
        if (workflow.getExitOnPurchase()) {
          end(change, run, workflow, WorkflowCounts.Exit.GOAL);
          continue;
        }
      }
      if (workflow.getExitOnSegmentExit() && segments.exited().contains(workflow.getTrigger().getSegmentId())) {
        end(change, run, workflow, WorkflowCounts.Exit.SEGMENT);
        continue;
      }
      boolean resumed = triggers.stream().anyMatch(trigger -> trigger.isTimer(RUN + run.getWorkflowId()));
      if (resumed) {
        advance(change, run, workflow);
      }
    }
    for (WorkflowDefinition workflow : workflows) {
      if (triggers.stream().anyMatch(trigger -> WorkflowTriggers.fires(workflow, trigger))
          && WorkflowRules.mayEnter(workflow, change.customer, change.now)
          && (workflow.getAudience() == null || SegmentRules.matches(workflow.getAudience(), change.facts()))) {
        enter(change, workflow);
      }
    }
    planBirthdays(change, workflows);
    if (change.dirty || stored == null) {
      runs.put(accountKey, change.customer);
    }
    counts.flush();
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {
    if (program.config().getWorkflows().isEmpty()) {
      return;
    }
    WorkflowRuns customer = runs.get(accountKey);
    if (customer == null || customer.getRuns().isEmpty()) {
      return;
    }
    List<WorkflowStatus> statuses = new ArrayList<>();
    for (WorkflowRun run : customer.getRuns()) {
      WorkflowDefinition workflow = program.config().getWorkflows().stream()
          .filter(candidate -> candidate.getId().equals(run.getWorkflowId())).findFirst().orElse(null);
      String name = workflow == null ? run.getWorkflowId() : workflow.getName();
      String stepId = workflow == null || run.getStep() >= workflow.getSteps().size() ? "" : workflow.getSteps().get(run.getStep()).getId();
      statuses.add(new WorkflowStatus(run.getWorkflowId(), name, run.getVersion(), run.getEnteredAt(), stepId, run.getWaitingUntil()));
    }
    profile.setWorkflows(statuses);
  }

  // --- one change of the account --------------------------------------------------------------------------

  /** What one change works on: the customer's runs, and the facts conditions read (built once, when needed). */
  private final class Change {
    final String accountKey;
    final AccountBook book;
    final ProgramRules program;
    final long timestamp;
    final WorkflowRuns customer;
    final Instant now;
    boolean dirty;
    private SegmentFacts facts;

    Change(String accountKey, AccountBook book, ProgramRules program, long timestamp, WorkflowRuns customer) {
      this.accountKey = accountKey;
      this.book = book;
      this.program = program;
      this.timestamp = timestamp;
      this.customer = customer;
      this.now = book.now();
    }

    SegmentFacts facts() {
      if (facts == null) {
        facts = new SegmentFacts(book.state(), preferences.get(accountKey), engagements.get(accountKey), program, now);
      }
      return facts;
    }

    String organizationId() {
      return book.state().getOrganizationId();
    }
  }

  private void enter(Change change, WorkflowDefinition workflow) {
    WorkflowRuns customer = change.customer;
    Optional<WorkflowHistory> before = WorkflowRules.history(customer, workflow.getId());
    int entry = before.map(WorkflowHistory::getEntries).orElse(0) + 1;
    WorkflowHistory line = before.orElseGet(() -> {
      WorkflowHistory created = WorkflowHistory.newBuilder().setWorkflowId(workflow.getId()).setEntries(0).setLastEnteredAt(change.now)
          .build();
      List<WorkflowHistory> history = new ArrayList<>(customer.getHistory());
      history.add(created);
      customer.setHistory(history);
      return created;
    });
    line.setEntries(entry);
    line.setLastEnteredAt(change.now);
    line.setEnteredVersion(workflow.getVersion());
    line.setEntryConverted(false);
    line.setHeldOut(WorkflowRules.heldOut(change.accountKey, workflow));
    change.dirty = true;
    if (workflow.getHoldoutPercent() > 0) {
      kpis.decided(WorkflowRules.campaign(workflow.getId()), line.getHeldOut());
    }
    if (line.getHeldOut()) {
      // The control group: the entry is recorded (re-entry and conversions read it), nothing is done or sent.
      counts.heldOut(change.organizationId(), workflow);
      notifications.meters().workflowRun(workflow.getId(), "HELD_OUT");
      return;
    }
    WorkflowRun run = new WorkflowRun(workflow.getId(), workflow.getVersion(), change.program.version(), entry, change.now,
        change.book.context().sourceEventId(), 0, null, false, null, null, null);
    List<WorkflowRun> running = new ArrayList<>(customer.getRuns());
    running.add(run);
    customer.setRuns(running);
    counts.entered(change.organizationId(), workflow);
    notifications.meters().workflowRun(workflow.getId(), "ENTERED");
    kpis.workflowEntered();
    advance(change, run, workflow);
  }

  /** Goes through the run's steps from the one under way until a delay waits or the run ends. */
  private void advance(Change change, WorkflowRun run, WorkflowDefinition workflow) {
    change.dirty = true;
    List<WorkflowStep> steps = workflow.getSteps();
    while (run.getStep() < steps.size()) {
      WorkflowStep step = steps.get(run.getStep());
      if (step.getType() == WorkflowStepType.DELAY && run.getWaitingUntil() != null) {
        if (run.getWaitingUntil().isAfter(change.now)) {
          return;
        }
        run.setWaitingUntil(null);
        run.setStep(run.getStep() + 1);
        continue;
      }
      counts.step(change.organizationId(), workflow.getId(), workflow.getVersion(), step.getId(),
          stepStats -> stepStats.setReached(stepStats.getReached() + 1));
      switch (step.getType()) {
        case DELAY -> {
          Instant end = WorkflowRules.delayEnd(step, change.now, change.program.zone());
          if (end.isAfter(change.now)) {
            run.setWaitingUntil(end);
            Timers.schedule(change.book.state(), TimerKind.CAPABILITY, RUN + run.getWorkflowId(), end);
            return;
          }
          run.setStep(run.getStep() + 1);
        }
        case CONDITION -> {
          boolean holds = (step.getCondition() == null || SegmentRules.matches(step.getCondition(), change.facts()))
              && (step.getPurchasedSinceEntry() == null || step.getPurchasedSinceEntry() == run.getPurchased());
          if (holds) {
            run.setStep(run.getStep() + 1);
          } else if (step.getElseStep() != null) {
            run.setStep(WorkflowRules.indexOf(steps, step.getElseStep()));
          } else {
            end(change, run, workflow, WorkflowCounts.Exit.CONDITION);
            return;
          }
        }
        case END -> {
          end(change, run, workflow, WorkflowCounts.Exit.COMPLETED);
          return;
        }
        default -> {
          if (workflow.getAudience() != null && !SegmentRules.matches(workflow.getAudience(), change.facts())) {
            end(change, run, workflow, WorkflowCounts.Exit.AUDIENCE);
            return;
          }
          act(change, run, workflow, step);
          run.setStep(run.getStep() + 1);
        }
      }
    }
    end(change, run, workflow, WorkflowCounts.Exit.COMPLETED);
  }

  private void act(Change change, WorkflowRun run, WorkflowDefinition workflow, WorkflowStep step) {
    AccountState state = change.book.state();
    String actionId = WorkflowRules.actionId(change.accountKey, workflow.getId(), workflow.getVersion(), run.getEntry(), step.getId());
    String skipped = null;
    switch (step.getType()) {
      case BOOST_POINTS -> {
        if (Membership.isMember(state, change.program)) {
          // Told to the customer like every points change (the processor's points message follows the entry).
          change.book.credit(Posting.of(LedgerEntryType.BOOST,
              step.getPoints().setScale(change.program.pointsScale(), change.program.pointsRoundingMode()), null).withReason(actionId), null, null);
        } else {
          skipped = NotificationPlanner.SKIPPED_CONSENT;
        }
      }
      case SEND_MESSAGE -> {
        WorkflowMessage message = NotificationPlanner.forWorkflow(state, change.program, channel(step, state, change), actionId,
            step.getTemplate(), variables(step, run, change), change.now, change.book.context().sourceEventId(), workflow.getTransactional());
        skipped = message.skipped();
        message.requests().forEach(request -> outbox.add(notifications, change.accountKey, request, change.timestamp));
        if (skipped == null) {
          WorkflowRules.history(change.customer, workflow.getId()).ifPresent(line -> {
            line.setMessageVersion(workflow.getVersion());
            line.setMessageStep(step.getId());
            line.setMessagedAt(change.now);
            line.setConverted(false);
          });
          counts.step(change.organizationId(), workflow.getId(), workflow.getVersion(), step.getId(),
              stepStats -> stepStats.setMessages(stepStats.getMessages() + 1));
        }
      }
      case ISSUE_OFFER -> {
        OfferRules.Issued issued = offers.issueForWorkflow(change.accountKey, actionId, step.getOfferKind(), step.getOfferValue(),
            step.getOfferValidDays(), step.getOfferSku(), step.getOfferCategory(), workflow.getName(), change.book, change.program,
            change.timestamp);
        if (issued.offer() == null) {
          skipped = NotificationPlanner.SKIPPED_COMPLIANCE;
        } else {
          run.setOfferId(issued.offer().getOfferId());
          run.setOfferValue(issued.offer().getValue());
          run.setOfferValidUntil(issued.offer().getValidUntil());
        }
      }
      case SET_GROUP -> state.setCustomerGroup(step.getValue());
      case ADD_TAG -> skipped = EnrollmentRules.changeTags(state, List.of(step.getValue()), List.of()).isPresent()
          ? NotificationPlanner.SKIPPED_COMPLIANCE : null;
      case REMOVE_TAG -> EnrollmentRules.changeTags(state, List.of(), List.of(step.getValue()));
      default -> throw new IllegalStateException(step.getType() + " is not an action");
    }
    String reason = skipped;
    counts.step(change.organizationId(), workflow.getId(), workflow.getVersion(), step.getId(), stepStats -> {
      if (reason == null) {
        stepStats.setActions(stepStats.getActions() + 1);
      } else if (reason.equals(NotificationPlanner.SKIPPED_CONSENT)) {
        stepStats.setSkippedConsent(stepStats.getSkippedConsent() + 1);
      } else if (reason.equals(NotificationPlanner.SKIPPED_CAP)) {
        stepStats.setSkippedCap(stepStats.getSkippedCap() + 1);
      } else {
        stepStats.setSkippedCompliance(stepStats.getSkippedCompliance() + 1);
      }
    });
  }

  /** The step's channel, or the first of its channels the customer can receive now (else the first, to be skipped). */
  private static Channel channel(WorkflowStep step, AccountState state, Change change) {
    if (step.getChannel() != null) {
      return step.getChannel();
    }
    return step.getChannels().stream().filter(channel -> NotificationPlanner.unreachable(state, change.program, channel, change.now).isEmpty())
        .findFirst().orElse(step.getChannels().get(0));
  }

  /** The step's variables, and the run's last offer for a message that announces it. */
  private static Map<String, String> variables(WorkflowStep step, WorkflowRun run, Change change) {
    Map<String, String> variables = new LinkedHashMap<>(step.getVariables());
    if (run.getOfferId() != null) {
      variables.put("offerId", run.getOfferId());
      variables.put("offerValue", run.getOfferValue().stripTrailingZeros().toPlainString());
      variables.put("validUntil", run.getOfferValidUntil().atZone(change.program.zone()).toLocalDate().toString());
    }
    return variables;
  }

  private void end(Change change, WorkflowRun run, WorkflowDefinition workflow, WorkflowCounts.Exit exit) {
    List<WorkflowRun> running = new ArrayList<>(change.customer.getRuns());
    running.removeIf(candidate -> candidate.getWorkflowId().equals(run.getWorkflowId()));
    change.customer.setRuns(running);
    Timers.cancel(change.book.state(), TimerKind.CAPABILITY, RUN + run.getWorkflowId());
    change.dirty = true;
    if (workflow == null) {
      return;
    }
    counts.exited(change.organizationId(), workflow, exit);
    notifications.meters().workflowRun(workflow.getId(), exit.name());
  }

  /** A purchase within a workflow's conversion window after its last message to the customer converts that message, once. */
  private void countConversions(Change change, List<WorkflowDefinition> workflows) {
    long spendCents = change.book.spendChange().movePointRight(2).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    for (WorkflowHistory line : change.customer.getHistory()) {
      Optional<WorkflowDefinition> current = workflows.stream().filter(workflow -> workflow.getId().equals(line.getWorkflowId())).findFirst();
      int windowDays = current.map(WorkflowDefinition::getConversionWindowDays).orElse(7);
      // Treatment and control side by side: every purchase within the window after the last entry, in its group.
      if (line.getEnteredVersion() > 0 && !change.now.isAfter(line.getLastEnteredAt().plus(Duration.ofDays(windowDays)))) {
        counts.afterEntry(change.organizationId(), line.getWorkflowId(), line.getEnteredVersion(), line.getHeldOut(),
            !line.getEntryConverted(), spendCents);
        if (current.map(WorkflowDefinition::getHoldoutPercent).orElse(0) > 0) {
          kpis.purchasedAfter(WorkflowRules.campaign(line.getWorkflowId()), line.getHeldOut(), !line.getEntryConverted(),
              change.book.spendChange());
        }
        line.setEntryConverted(true);
        change.dirty = true;
      }
      if (line.getMessagedAt() == null || line.getConverted()) {
        continue;
      }
      if (!change.now.isAfter(line.getMessagedAt().plus(Duration.ofDays(windowDays)))) {
        line.setConverted(true);
        change.dirty = true;
        counts.step(change.organizationId(), line.getWorkflowId(), line.getMessageVersion(), line.getMessageStep(),
            stepStats -> stepStats.setConverted(stepStats.getConverted() + 1));
        kpis.workflowConverted();
      }
    }
  }

  /** One timer per birthday lead the program's workflows use, at the next start of that day. */
  private void planBirthdays(Change change, List<WorkflowDefinition> workflows) {
    AccountState state = change.book.state();
    for (WorkflowDefinition workflow : workflows) {
      WorkflowTrigger trigger = workflow.getTrigger();
      if (trigger.getType() == WorkflowTriggerType.BIRTHDAY && state.getBirthDate() != null) {
        Timers.schedule(state, TimerKind.CAPABILITY, WorkflowTriggers.BIRTHDAY_TIMER + trigger.getBirthdayLeadDays(),
            WorkflowRules.nextBirthdayTrigger(state.getBirthDate(), trigger.getBirthdayLeadDays(), change.now, change.program.zone()));
      }
    }
  }

  /** The definition a run follows: its version, from the program version it entered with when the program moved on. */
  private WorkflowDefinition definition(WorkflowRun run, Change change) {
    Optional<WorkflowDefinition> current = find(change.program, run);
    if (current.isPresent()) {
      return current.get();
    }
    return programs.version(change.organizationId(), run.getProgramVersion()).flatMap(rules -> find(rules, run)).orElse(null);
  }

  private static Optional<WorkflowDefinition> find(ProgramRules program, WorkflowRun run) {
    return program.config().getWorkflows().stream()
        .filter(workflow -> workflow.getId().equals(run.getWorkflowId()) && workflow.getVersion() == run.getVersion()).findFirst();
  }

  // --- triggers of the input under way, and statistics ------------------------------------------------------

  private void remember(String accountKey, AccountBook book, Trigger trigger) {
    String cause = accountKey + "\n" + book.context().sourceEventId();
    if (!cause.equals(pendingCause)) {
      pending.clear();
      pendingCause = cause;
    }
    pending.add(trigger);
  }

  /** The triggers remembered for this change; a failed input's are never taken by another (they carry its cause). */
  private List<Trigger> take(String accountKey, AccountBook book) {
    List<Trigger> taken = new ArrayList<>();
    if (pendingCause.equals(accountKey + "\n" + book.context().sourceEventId())) {
      taken.addAll(pending);
    }
    pending.clear();
    pendingCause = "";
    return taken;
  }

}
