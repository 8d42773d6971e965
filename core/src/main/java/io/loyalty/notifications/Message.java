package io.loyalty.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing to tell a customer, before it is addressed to their channels.
 *
 * @param marketing the whole message is marketing (an offer, a campaign step), not news of the customer's account
 */
record Message(String idBase, String template, Map<String, String> variables, Instant occurredAt, List<String> sourceEventIds,
    boolean marketing) {}
