package io.loyalty.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One thing to tell a customer, before it is addressed to their channels. */
record Message(String idBase, String template, Map<String, String> variables, Instant occurredAt, List<String> sourceEventIds) {}
