package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.Membership;
import io.loyalty.accounts.Posting;
import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ActivityType;
import io.loyalty.avro.Channel;
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
import io.loyalty.avro.state.ChannelConsent;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.EnrollmentState;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.avro.state.WorkflowHistory;
import io.loyalty.avro.state.WorkflowRun;
import io.loyalty.avro.state.WorkflowRuns;
import io.loyalty.avro.state.WorkflowStats;
import io.loyalty.avro.state.WorkflowStepStats;
import io.loyalty.enrollment.EnrollmentRules;
import io.loyalty.notifications.ConsentRules;
import io.loyalty.notifications.NotificationPlanner;
import io.loyalty.notifications.NotificationPlanner.WorkflowMessage;
import io.loyalty.offers.OfferRules;
import io.loyalty.programs.ProgramRules;
import io.loyalty.segments.SegmentFacts;
import io.loyalty.segments.SegmentRules;
import io.loyalty.timers.Timers;
import io.loyalty.workflows.WorkflowRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

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
  static final String BIRTHDAY = "workflow-birthday:";

  private final StagedStore<WorkflowRuns> runs;
  private final StagedStore<WorkflowStats> stats;
  private final StagedStore<CustomerPreferences> preferences;
  private final StagedStore<Engagement> engagements;
  private final ProgramStore programs;
  private final Segments segments;
  private final Offers offers;
  private final Outbox outbox;
  private final Output<NotificationRequest> notifications;
  private final List<Trigger> pending = new ArrayList<>();
  private String pendingCause = "";
  private final Map<String, WorkflowStats> counting = new LinkedHashMap<>();

  private record Trigger(WorkflowTriggerType type, int visit, ActivityType activity, String ref) {
    static Trigger of(WorkflowTriggerType type) {
      return new Trigger(type, 0, null, null);
    }
  }

  private enum Exit { COMPLETED, GOAL, SEGMENT, AUDIENCE, CONDITION }

  Workflows(StagedStore<WorkflowRuns> runs, StagedStore<WorkflowStats> stats, StagedStore<CustomerPreferences> preferences,
      StagedStore<Engagement> engagements, ProgramStore programs, Segments segments, Offers offers, Outbox outbox,
      Output<NotificationRequest> notifications) {
    this.runs = runs;
    this.stats = stats;
    this.preferences = preferences;
    this.engagements = engagements;
    this.programs = programs;
    this.segments = segments;
    this.offers = offers;
    this.outbox = outbox;
    this.notifications = notifications;
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
      counting.clear();
      // Only messages of workflows the program defines: a report naming anything else must not grow the statistics.
      WorkflowRules.messageOf(event.getRequestId()).filter(message -> program.config().getWorkflows().stream()
          .anyMatch(workflow -> workflow.getId().equals(message.workflowId()))).ifPresent(message -> countStep(book.state().getOrganizationId(),
          message.workflowId(), message.version(), message.stepId(), step -> {
            if (event.getType() == ActivityType.MESSAGE_OPENED) {
              step.setOpened(step.getOpened() + 1);
            } else {
              step.setClicked(step.getClicked() + 1);
            }
          }));
      flushCounts();
    }
  }

  @Override
  public void due(String accountKey, String ref, AccountBook book, ProgramRules program, long timestamp) {
    if (ref.startsWith(RUN) || ref.startsWith(BIRTHDAY)) {
      remember(accountKey, book, new Trigger(ref.startsWith(RUN) ? null : WorkflowTriggerType.BIRTHDAY, 0, null, ref));
    }
  }

  @Override
  public void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {
    // A failed input's counts are never carried into the next one.
    counting.clear();
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
    Change change = new Change(accountKey, book, program, timestamp, stored == null ? firstSeen(state) : stored);
    triggers.addAll(seen(change));
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
          end(change, run, workflow, Exit.GOAL);
          continue;
        }
      }
      if (workflow.getExitOnSegmentExit() && segments.exited().contains(workflow.getTrigger().getSegmentId())) {
        end(change, run, workflow, Exit.SEGMENT);
        continue;
      }
      boolean resumed = triggers.stream().anyMatch(trigger -> (RUN + run.getWorkflowId()).equals(trigger.ref()));
      if (resumed) {
        advance(change, run, workflow);
      }
    }
    for (WorkflowDefinition workflow : workflows) {
      if (triggers.stream().anyMatch(trigger -> fires(workflow.getTrigger(), trigger))
          && WorkflowRules.mayEnter(workflow, change.customer, change.now)
          && (workflow.getAudience() == null || SegmentRules.matches(workflow.getAudience(), change.facts()))) {
        enter(change, workflow);
      }
    }
    planBirthdays(change, workflows);
    if (change.dirty || stored == null) {
      runs.put(accountKey, change.customer);
    }
    flushCounts();
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

  private static boolean fires(WorkflowTrigger definition, Trigger trigger) {
    if (definition.getType() != trigger.type()) {
      return false;
    }
    return switch (definition.getType()) {
      case VISIT -> definition.getVisits().contains(trigger.visit());
      case ACTIVITY -> definition.getActivity() == trigger.activity();
      case SEGMENT_ENTERED -> definition.getSegmentId().equals(trigger.ref());
      case OPTED_IN -> definition.getChannel() == null || definition.getChannel().name().equals(trigger.ref());
      case TIER_CHANGED -> definition.getTierId() == null || definition.getTierId().equals(trigger.ref());
      case BIRTHDAY -> trigger.ref().equals(BIRTHDAY + definition.getBirthdayLeadDays());
      case PURCHASE, ENROLLED, POINTS_EXPIRING -> true;
    };
  }

  /** Triggers read from what the account became: enrollment, confirmed channels, tier, segments entered, a warning's timer. */
  private List<Trigger> seen(Change change) {
    AccountState state = change.book.state();
    WorkflowRuns customer = change.customer;
    List<Trigger> triggers = new ArrayList<>();
    boolean enrolled = state.getEnrollment() == EnrollmentState.ENROLLED;
    if (enrolled && !customer.getEnrolled()) {
      triggers.add(Trigger.of(WorkflowTriggerType.ENROLLED));
    }
    List<Channel> confirmed = confirmedChannels(state);
    for (Channel channel : confirmed) {
      if (!customer.getConfirmedChannels().contains(channel)) {
        triggers.add(new Trigger(WorkflowTriggerType.OPTED_IN, 0, null, channel.name()));
      }
    }
    String tier = state.getTier();
    if (tier != null && customer.getTier() != null && !tier.equals(customer.getTier())) {
      triggers.add(new Trigger(WorkflowTriggerType.TIER_CHANGED, 0, null, tier));
    }
    if (enrolled != customer.getEnrolled() || !confirmed.equals(customer.getConfirmedChannels())
        || !Objects.equals(tier, customer.getTier())) {
      customer.setEnrolled(enrolled);
      customer.setConfirmedChannels(confirmed);
      customer.setTier(tier);
      change.dirty = true;
    }
    segments.entered().forEach(segmentId -> triggers.add(new Trigger(WorkflowTriggerType.SEGMENT_ENTERED, 0, null, segmentId)));
    if (Timers.isFiringOf(change.book.context().sourceEventId(), change.accountKey, TimerKind.EXPIRY_WARNING)) {
      triggers.add(Trigger.of(WorkflowTriggerType.POINTS_EXPIRING));
    }
    return triggers;
  }

  /**
   * The first record of a customer: a new account starts from nothing (its enrollment is a trigger); an account the
   * engine knew before the program had workflows starts from what it is, so existing members are not "enrolled" again.
   */
  private WorkflowRuns firstSeen(AccountState state) {
    WorkflowRuns customer = new WorkflowRuns(new ArrayList<>(), new ArrayList<>(), false, null, new ArrayList<>());
    boolean isNew = state.getFirstSeenAt().equals(state.getUpdatedAt()) && state.getPosEventsApplied() <= 1;
    if (!isNew) {
      customer.setEnrolled(state.getEnrollment() == EnrollmentState.ENROLLED);
      customer.setConfirmedChannels(confirmedChannels(state));
    }
    customer.setTier(state.getTier());
    return customer;
  }

  private static List<Channel> confirmedChannels(AccountState state) {
    List<Channel> confirmed = new ArrayList<>();
    for (Channel channel : Channel.values()) {
      if (ConsentRules.consent(state, channel) == ChannelConsent.CONFIRMED) {
        confirmed.add(channel);
      }
    }
    return confirmed;
  }

  private void enter(Change change, WorkflowDefinition workflow) {
    WorkflowRuns customer = change.customer;
    Optional<WorkflowHistory> before = WorkflowRules.history(customer, workflow.getId());
    int entry = before.map(WorkflowHistory::getEntries).orElse(0) + 1;
    WorkflowHistory line = before.orElseGet(() -> {
      WorkflowHistory created = new WorkflowHistory(workflow.getId(), 0, change.now, 0, null, null, false);
      List<WorkflowHistory> history = new ArrayList<>(customer.getHistory());
      history.add(created);
      customer.setHistory(history);
      return created;
    });
    line.setEntries(entry);
    line.setLastEnteredAt(change.now);
    WorkflowRun run = new WorkflowRun(workflow.getId(), workflow.getVersion(), change.program.version(), entry, change.now,
        change.book.context().sourceEventId(), 0, null, false, null, null, null);
    List<WorkflowRun> running = new ArrayList<>(customer.getRuns());
    running.add(run);
    customer.setRuns(running);
    change.dirty = true;
    countRun(change.organizationId(), workflow, stats -> stats.setEntered(stats.getEntered() + 1));
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
      countStep(change.organizationId(), workflow.getId(), workflow.getVersion(), step.getId(),
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
            end(change, run, workflow, Exit.CONDITION);
            return;
          }
        }
        case END -> {
          end(change, run, workflow, Exit.COMPLETED);
          return;
        }
        default -> {
          if (workflow.getAudience() != null && !SegmentRules.matches(workflow.getAudience(), change.facts())) {
            end(change, run, workflow, Exit.AUDIENCE);
            return;
          }
          act(change, run, workflow, step);
          run.setStep(run.getStep() + 1);
        }
      }
    }
    end(change, run, workflow, Exit.COMPLETED);
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
        WorkflowMessage message = NotificationPlanner.forWorkflow(state, change.program, step.getChannel(), actionId,
            step.getTemplate(), variables(step, run, change), change.now, change.book.context().sourceEventId());
        skipped = message.skipped();
        message.requests().forEach(request -> outbox.add(notifications, change.accountKey, request, change.timestamp));
        if (skipped == null) {
          WorkflowRules.history(change.customer, workflow.getId()).ifPresent(line -> {
            line.setMessageVersion(workflow.getVersion());
            line.setMessageStep(step.getId());
            line.setMessagedAt(change.now);
            line.setConverted(false);
          });
          countStep(change.organizationId(), workflow.getId(), workflow.getVersion(), step.getId(),
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
    countStep(change.organizationId(), workflow.getId(), workflow.getVersion(), step.getId(), stepStats -> {
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

  private void end(Change change, WorkflowRun run, WorkflowDefinition workflow, Exit exit) {
    List<WorkflowRun> running = new ArrayList<>(change.customer.getRuns());
    running.removeIf(candidate -> candidate.getWorkflowId().equals(run.getWorkflowId()));
    change.customer.setRuns(running);
    Timers.cancel(change.book.state(), TimerKind.CAPABILITY, RUN + run.getWorkflowId());
    change.dirty = true;
    if (workflow == null) {
      return;
    }
    countRun(change.organizationId(), workflow, stats -> {
      switch (exit) {
        case COMPLETED -> stats.setCompleted(stats.getCompleted() + 1);
        case GOAL -> stats.setExitedOnGoal(stats.getExitedOnGoal() + 1);
        case SEGMENT -> stats.setExitedOnSegment(stats.getExitedOnSegment() + 1);
        case AUDIENCE -> stats.setExitedOnAudience(stats.getExitedOnAudience() + 1);
        case CONDITION -> stats.setExitedOnCondition(stats.getExitedOnCondition() + 1);
      }
    });
  }

  /** A purchase within a workflow's conversion window after its last message to the customer converts that message, once. */
  private void countConversions(Change change, List<WorkflowDefinition> workflows) {
    for (WorkflowHistory line : change.customer.getHistory()) {
      if (line.getMessagedAt() == null || line.getConverted()) {
        continue;
      }
      int windowDays = workflows.stream().filter(workflow -> workflow.getId().equals(line.getWorkflowId()))
          .mapToInt(WorkflowDefinition::getConversionWindowDays).findFirst().orElse(7);
      if (!change.now.isAfter(line.getMessagedAt().plus(Duration.ofDays(windowDays)))) {
        line.setConverted(true);
        change.dirty = true;
        countStep(change.organizationId(), line.getWorkflowId(), line.getMessageVersion(), line.getMessageStep(),
            stepStats -> stepStats.setConverted(stepStats.getConverted() + 1));
      }
    }
  }

  /** One timer per birthday lead the program's workflows use, at the next start of that day. */
  private void planBirthdays(Change change, List<WorkflowDefinition> workflows) {
    AccountState state = change.book.state();
    for (WorkflowDefinition workflow : workflows) {
      WorkflowTrigger trigger = workflow.getTrigger();
      if (trigger.getType() == WorkflowTriggerType.BIRTHDAY && state.getBirthDate() != null) {
        Timers.schedule(state, TimerKind.CAPABILITY, BIRTHDAY + trigger.getBirthdayLeadDays(),
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

  private void countRun(String organizationId, WorkflowDefinition workflow, Consumer<WorkflowStats> change) {
    count(statsKey(organizationId, workflow.getId(), workflow.getVersion()), change);
  }

  private void countStep(String organizationId, String workflowId, int version, String stepId, Consumer<WorkflowStepStats> change) {
    count(statsKey(organizationId, workflowId, version), counted -> {
      WorkflowStepStats step = counted.getSteps().stream().filter(candidate -> candidate.getStepId().equals(stepId)).findFirst()
          .orElseGet(() -> {
            WorkflowStepStats created = new WorkflowStepStats(stepId, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
            List<WorkflowStepStats> steps = new ArrayList<>(counted.getSteps());
            steps.add(created);
            counted.setSteps(steps);
            return created;
          });
      change.accept(step);
    });
  }

  /** Counts into the statistics read for this input; {@link #flushCounts} writes each once (a run moves many counters). */
  private void count(String key, Consumer<WorkflowStats> change) {
    WorkflowStats counted = counting.get(key);
    if (counted == null) {
      WorkflowStats current = stats.get(key);
      counted = current == null ? new WorkflowStats(0L, 0L, 0L, 0L, 0L, 0L, new ArrayList<>()) : current;
      counting.put(key, counted);
    }
    change.accept(counted);
  }

  private void flushCounts() {
    counting.forEach(stats::put);
    counting.clear();
  }

  static String statsKey(String organizationId, String workflowId, int version) {
    return organizationId + "/" + workflowId + "/" + version;
  }
}
