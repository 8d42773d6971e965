package io.loyalty.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Drops the few Kafka warnings that say nothing to a user of the engine, by logger and message text, so that
 * every other warning of the same loggers still shows.
 */
public final class KnownNoiseFilter extends TurboFilter {
  private record Noise(String logger, String messagePart, String why) {}

  private static final List<Noise> NOISE = List.of(
      new Noise("org.apache.kafka.streams.processor.internals.StateDirectory", "Using an OS temp directory in the state.dir",
          "the demo and the tests keep their state in a temporary directory on purpose; run defaults to data.dir"),
      new Noise("org.apache.kafka.streams.StreamsConfig", "Processing exception handler is not enabled for the GlobalThread",
          "logged although StreamsSettings enables it for every engine (an internal configuration lacks the setting)"),
      new Noise("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils", "Not updating last stable offset",
          "the global store's consumer notes partitions it just stopped reading when it switches to its own loop"),
      new Noise("org.apache.kafka.controller.QuorumController", "Performing controller activation. The metadata log appears to be empty",
          "the in-process broker formats a new cluster: its first start is always on an empty metadata log"),
      new Noise("org.apache.kafka.clients.NetworkClient", "Attempting to close NetworkClient that has already been closed",
          "the in-process broker's shutdown closes one of its channels twice"),
      new Noise("org.apache.kafka.server.DefaultAutoTopicCreationManager", "with error 'TOPIC_ALREADY_EXISTS'",
          "the engine and its program checks start transactional producers together on a fresh broker: the second "
              + "request for the transaction log finds it created by the first"));

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || level == null || level.isGreaterOrEqual(Level.ERROR)) {
      return FilterReply.NEUTRAL;
    }
    for (Noise noise : NOISE) {
      if (logger.getName().equals(noise.logger())
          && MessageFormatter.arrayFormat(format, params).getMessage().contains(noise.messagePart())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
