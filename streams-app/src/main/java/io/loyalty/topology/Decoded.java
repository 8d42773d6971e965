package io.loyalty.topology;

/** A decoded input passed between processors in memory, with the raw bytes a rejection must carry. */
record Decoded<T>(T value, byte[] rawKey, byte[] rawValue) {}
