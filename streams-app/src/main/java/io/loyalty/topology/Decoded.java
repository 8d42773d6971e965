package io.loyalty.topology;

/**
 * A decoded input passed between processors in memory, with what its rejection must carry: the raw bytes, and the
 * event, command or merge id and the organization (null for a tick).
 */
record Decoded<T>(T value, byte[] rawKey, byte[] rawValue, String eventId, String organizationId) {}
