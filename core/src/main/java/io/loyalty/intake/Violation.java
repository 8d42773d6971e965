package io.loyalty.intake;

import io.loyalty.avro.RejectionReason;

/** Why an input cannot be applied: becomes a rejection record. */
public record Violation(RejectionReason reason, String message) {}
