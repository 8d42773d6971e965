package io.loyalty.topology;

import io.loyalty.intake.ActivityValidator;
import io.loyalty.intake.InputLimits;
import io.loyalty.intake.TransactionValidator;
import io.loyalty.accounts.ContactKeys;
import io.loyalty.runtime.EngineMeters;
import java.time.Duration;

/**
 * Engine-wide settings the topology needs.
 *
 * @param validator limits applied to POS input
 * @param activityValidator the same limits, applied to activity reports (carts)
 * @param reversalGrace how long a return or void waits for its original purchase to arrive
 * @param dedupRetention how long event and command ids are remembered to recognise retries
 * @param contactKeys how phone numbers and emails are hashed in the contact index (contact.index.key)
 * @param metricsEmitInterval how often the KPI rows that changed are published on loyalty.metrics (pacing only)
 * @param maxAhead how far a business time may be ahead of its record's append time
 * @param staleTickTolerance how far behind the partition's clock a tick is a no-op rather than a rejection
 * @param maxTimersPerTick timers one tick fires at most in its partition; the rest wait for the next ticks
 * @param maxBackfillPerTick accounts one tick evaluates at most in its partition under a new audience (ProgramBackfills)
 * @param meters the operator's counters (Prometheus at /metrics)
 * @param limits how large one input may be: lines, items, entries of a list, characters of a text
 * @param budget how much one input may write, record by record and in all
 */
public record EngineSettings(TransactionValidator validator, ActivityValidator activityValidator, Duration reversalGrace, Duration dedupRetention,
    Duration maxAhead, Duration staleTickTolerance, int maxTimersPerTick, int maxBackfillPerTick, Duration metricsEmitInterval, ContactKeys contactKeys,
    EngineMeters meters, InputLimits limits, WriteBudget budget) {}
