package io.loyalty.contract;

import io.loyalty.avro.ActivityEvent;
import io.loyalty.avro.ClockTick;
import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.Engagement;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.LoyaltyCommand;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.OfferEvent;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.avro.Product;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.avro.SegmentChange;
import io.loyalty.avro.RewardEvent;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.state.AccountState;
import io.loyalty.avro.state.Backfill;
import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.CustomerRecord;
import io.loyalty.avro.state.Lot;
import io.loyalty.avro.state.OfferBook;
import io.loyalty.avro.state.ParkedEvents;
import io.loyalty.avro.state.SegmentMemberships;
import io.loyalty.avro.state.TimerEntry;
import io.loyalty.avro.state.TransactionRecord;
import io.loyalty.avro.state.WorkflowRuns;
import io.loyalty.avro.state.ContactIndexEntry;
import io.loyalty.avro.state.KpiDelta;
import io.loyalty.avro.state.KpiMarks;
import io.loyalty.avro.state.KpiRow;
import io.loyalty.avro.state.MergeTransfer;
import io.loyalty.avro.state.WorkflowStats;
import java.util.List;
import org.apache.avro.Schema;

/** The record types that travel on topics: each is a public contract with a kept version history. */
public final class Contract {
  public static final List<Schema> TOPIC_SCHEMAS = List.of(
      TransactionEvent.getClassSchema(),
      LoyaltyCommand.getClassSchema(),
      ActivityEvent.getClassSchema(),
      ClockTick.getClassSchema(),
      ProgramConfig.getClassSchema(),
      Product.getClassSchema(),
      LedgerEntry.getClassSchema(),
      CustomerProfile.getClassSchema(),
      RewardEvent.getClassSchema(),
      OfferEvent.getClassSchema(),
      SegmentChange.getClassSchema(),
      NotificationRequest.getClassSchema(),
      CommandResult.getClassSchema(),
      Rejection.getClassSchema(),
      ProgramKpis.getClassSchema());

  /** Values of internal stores: not public, but their changelogs must stay readable across releases too. */
  public static final List<Schema> STATE_SCHEMAS = List.of(
      AccountState.getClassSchema(),
      CustomerRecord.getClassSchema(),
      Lot.getClassSchema(),
      TransactionRecord.getClassSchema(),
      ParkedEvents.getClassSchema(),
      TimerEntry.getClassSchema(),
      CustomerPreferences.getClassSchema(),
      CoPurchases.getClassSchema(),
      OfferBook.getClassSchema(),
      SegmentMemberships.getClassSchema(),
      WorkflowRuns.getClassSchema(),
      WorkflowStats.getClassSchema(),
      KpiMarks.getClassSchema(),
      KpiDelta.getClassSchema(),
      KpiRow.getClassSchema(),
      ContactIndexEntry.getClassSchema(),
      MergeTransfer.getClassSchema(),
      Backfill.getClassSchema(),
      // The engagement summary is public (it is on the profile) and kept as it is in engagement-store.
      Engagement.getClassSchema());

  /** Every versioned schema: what the bundled history must let a reader resolve. */
  public static List<Schema> all() {
    return java.util.stream.Stream.concat(TOPIC_SCHEMAS.stream(), STATE_SCHEMAS.stream()).toList();
  }

  private Contract() {}
}
