package io.loyalty.topology;

import io.loyalty.accounts.AccountBook;
import io.loyalty.accounts.AccountKey;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Engagement;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.SegmentChangeType;
import io.loyalty.avro.SegmentDefinition;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.SegmentMembership;
import io.loyalty.avro.state.SegmentMemberships;
import io.loyalty.avro.state.TimerKind;
import io.loyalty.programs.ProgramRules;
import io.loyalty.segments.SegmentFacts;
import io.loyalty.segments.SegmentRules;
import io.loyalty.segments.SegmentsChanged;
import io.loyalty.timers.Timers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Segments (program `segments`): after every change of the account, its membership of each segment is
 * evaluated on the account, its preferences and its engagement; an entry or exit is an event on
 * loyalty.segment-changes and moves the organization's segment size (segment-sizes-store, as this partition
 * counts it). A review timer fires at the next moment a time-relative condition may turn, so a customer
 * becomes "dormant 21 days" on day 21 without any event. Programs without segments cost nothing here.
 */
final class Segments implements Reaction {
  static final String REVIEW = "segments-review";

  private final Stored<SegmentMemberships> memberships;
  private final Stored<CustomerPreferences> preferences;
  private final Stored<Engagement> engagements;
  private final StagedStore<Long> sizes;
  private final Outbox outbox;
  private final Output<SegmentChange> changes;

  Segments(Stored<SegmentMemberships> memberships, Stored<CustomerPreferences> preferences,
      Stored<Engagement> engagements, StagedStore<Long> sizes, Outbox outbox, Output<SegmentChange> changes) {
    this.memberships = memberships;
    this.preferences = preferences;
    this.engagements = engagements;
    this.sizes = sizes;
    this.outbox = outbox;
    this.changes = changes;
  }

  @Override
  public Set<Class<?>> posts() {
    return Set.of(SegmentsChanged.class);
  }

  /** Posts the segments entered and left ({@link SegmentsChanged}): workflows start and end on them. */
  @Override
  public void changed(String accountKey, AccountBook book, ProgramRules program, long timestamp) {
    List<SegmentDefinition> segments = program.config().getSegments();
    if (segments.isEmpty()) {
      return;
    }
    AccountState state = book.state();
    Instant now = state.getClock().isAfter(book.context().occurredAt()) ? state.getClock() : book.context().occurredAt();
    SegmentFacts facts = new SegmentFacts(state, preferences.get(accountKey), engagements.get(accountKey), program, now);
    SegmentMemberships stored = memberships.get(accountKey);
    Map<String, Instant> before = new LinkedHashMap<>();
    if (stored != null) {
      stored.getMemberships().forEach(membership -> before.put(membership.getSegmentId(), membership.getSince()));
    }
    Map<String, Instant> after = new LinkedHashMap<>();
    List<String> entered = new ArrayList<>();
    List<String> exited = new ArrayList<>();
    for (SegmentDefinition segment : SegmentRules.membersOf(segments, facts)) {
      after.put(segment.getId(), before.getOrDefault(segment.getId(), now));
      if (!before.containsKey(segment.getId())) {
        change(accountKey, segment.getId(), segment.getName(), SegmentChangeType.ENTERED, now, book, program, timestamp);
        entered.add(segment.getId());
      }
    }
    for (String left : before.keySet()) {
      if (!after.containsKey(left)) {
        // A segment a new program version no longer defines is left too.
        String name = segments.stream().filter(segment -> segment.getId().equals(left)).map(SegmentDefinition::getName).findFirst()
            .orElse(left);
        change(accountKey, left, name, SegmentChangeType.EXITED, now, book, program, timestamp);
        exited.add(left);
      }
    }
    if (!entered.isEmpty() || !exited.isEmpty()) {
      book.signals().post(new SegmentsChanged(entered, exited));
    }
    Optional<Instant> review = SegmentRules.nextTurn(segments, facts);
    if (review.isPresent()) {
      Timers.schedule(state, TimerKind.CAPABILITY, REVIEW, review.get());
    } else {
      Timers.cancel(state, TimerKind.CAPABILITY, REVIEW);
    }
    Instant reviewAt = review.orElse(null);
    if (stored == null && after.isEmpty() && reviewAt == null) {
      return;
    }
    if (stored == null || !after.equals(before) || !Objects.equals(stored.getReviewAt(), reviewAt)) {
      List<SegmentMembership> kept = new ArrayList<>();
      after.forEach((id, since) -> kept.add(new SegmentMembership(id, since)));
      memberships.put(accountKey, new SegmentMemberships(kept, reviewAt));
    }
  }

  @Override
  public void describe(String accountKey, AccountState state, ProgramRules program, CustomerProfile profile) {
    List<SegmentDefinition> segments = program.config().getSegments();
    if (segments.isEmpty()) {
      return;
    }
    SegmentMemberships stored = memberships.get(accountKey);
    if (stored != null) {
      profile.setSegments(stored.getMemberships().stream().map(SegmentMembership::getSegmentId).sorted().toList());
    }
  }

  private void change(String accountKey, String segmentId, String name, SegmentChangeType type, Instant at, AccountBook book,
      ProgramRules program, long timestamp) {
    String cause = book.context().sourceEventId();
    int separator = accountKey.indexOf(AccountKey.SEPARATOR);
    String organizationId = accountKey.substring(0, separator);
    SegmentChange change = new SegmentChange(accountKey + "/" + segmentId + "/" + type + "/" + cause, accountKey, organizationId,
        accountKey.substring(separator + 1), segmentId, name, type, at, cause, program.version());
    outbox.add(changes, accountKey, change, timestamp);
    String sizeKey = organizationId + "/" + segmentId;
    Long size = sizes.get(sizeKey);
    sizes.put(sizeKey, (size == null ? 0 : size) + (type == SegmentChangeType.ENTERED ? 1 : -1));
  }
}
