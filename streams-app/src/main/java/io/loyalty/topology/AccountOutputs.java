package io.loyalty.topology;

import io.loyalty.avro.CommandResult;
import io.loyalty.avro.CustomerProfile;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.NotificationRequest;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.RewardEvent;

/** The topics the accounts processor writes. */
record AccountOutputs(Output<LedgerEntry> ledger, Output<CustomerProfile> profiles, Output<CommandResult> results,
    Output<RewardEvent> rewards, Output<NotificationRequest> notifications, Output<Rejection> rejections) {}
