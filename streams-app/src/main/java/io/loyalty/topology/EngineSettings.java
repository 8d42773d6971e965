package io.loyalty.topology;

import io.loyalty.intake.TransactionValidator;
import java.time.Duration;

/**
 * Engine-wide settings the topology needs.
 *
 * @param validator limits applied to POS input
 * @param reversalGrace how long a return or void waits for its original purchase to arrive
 * @param dedupRetention how long event and command ids are remembered to recognise retries
 */
public record EngineSettings(TransactionValidator validator, Duration reversalGrace, Duration dedupRetention) {}
