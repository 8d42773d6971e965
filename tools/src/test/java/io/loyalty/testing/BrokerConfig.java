package io.loyalty.testing;

import io.loyalty.runtime.AppConfig;
import io.loyalty.broker.EmbeddedKafka;
import io.loyalty.runtime.TopicAdmin;
import java.nio.file.Path;
import java.util.Map;

/** Settings of an engine under test on an in-process broker, its topics created with three partitions. */
public final class BrokerConfig {
  private BrokerConfig() {}

  public static AppConfig of(EmbeddedKafka kafka, String applicationId, Path stateDir) {
    AppConfig config = AppConfig.defaults().with(Map.of(
        "kafka.bootstrap.servers", kafka.bootstrapServers(),
        "kafka.application.id", applicationId,
        "kafka.state.dir", stateDir.toString(),
        "clock.tick.interval.ms", "0"));
    TopicAdmin.createMissing(config.kafkaProperties(), config.topics(), 3, (short) 1);
    return config;
  }
}
