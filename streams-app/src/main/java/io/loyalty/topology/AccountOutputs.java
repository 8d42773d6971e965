package io.loyalty.topology;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.state.ContactIndexEntry;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import io.loyalty.runtime.EngineMeters;
import java.util.List;

/** The topics the accounts processor writes. */
record AccountOutputs(Output<LedgerEntry> ledger, Output<CustomerProfile> profiles, Output<CommandResult> results,
    Output<RewardEvent> rewards, Output<NotificationRequest> notifications, Output<Rejection> rejections, Output<OfferEvent> offers,
    Output<SegmentChange> segmentChanges, Output<KpiDelta> kpiDeltas, Output<ContactIndexEntry> contactIndex,
    Output<MergeTransfer> merges) {

  static AccountOutputs of(Topics topics, SerdeFactory serdes, EngineMeters meters) {
    return new AccountOutputs(
        new Output<>(LoyaltyTopology.LEDGER_SINK, topics.ledger(), serdes.codec(LedgerEntry.class), meters),
        new Output<>(LoyaltyTopology.PROFILES_SINK, topics.profiles(), serdes.codec(CustomerProfile.class), meters),
        new Output<>(LoyaltyTopology.RESULTS_SINK, topics.commandResults(), serdes.codec(CommandResult.class), meters),
        new Output<>(LoyaltyTopology.REWARDS_SINK, topics.rewards(), serdes.codec(RewardEvent.class), meters),
        new Output<>(LoyaltyTopology.NOTIFICATIONS_SINK, topics.notifications(), serdes.codec(NotificationRequest.class), meters),
        new Output<>(LoyaltyTopology.REJECTIONS_SINK, topics.rejections(), serdes.codec(Rejection.class), meters),
        new Output<>(LoyaltyTopology.OFFERS_SINK, topics.offers(), serdes.codec(OfferEvent.class), meters),
        new Output<>(LoyaltyTopology.SEGMENT_CHANGES_SINK, topics.segmentChanges(), serdes.codec(SegmentChange.class), meters),
        // The engine's own topics: state encoding, whatever the public topics use.
        new Output<>(LoyaltyTopology.KPI_DELTAS_SINK, topics.kpiDeltas(), LoyaltyTopology.STATE_SERDES.codec(KpiDelta.class), meters),
        new Output<>(LoyaltyTopology.CONTACT_INDEX_SINK, topics.contactIndex(), LoyaltyTopology.STATE_SERDES.codec(ContactIndexEntry.class), meters),
        new Output<>(LoyaltyTopology.MERGES_SINK, topics.merges(), LoyaltyTopology.STATE_SERDES.codec(MergeTransfer.class), meters));
  }

  /** The outputs with a sink of their own fed by accounts alone (results and rejections have other writers too). */
  List<Output<?>> accountsOnly() {
    return List.of(ledger, profiles, rewards, notifications, offers, segmentChanges, kpiDeltas, contactIndex, merges);
  }
}
