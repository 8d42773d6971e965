package io.loyalty.cli;

import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.TopicAdmin;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the engine against the configured cluster until the JVM is asked to stop. */
final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  private RunCommand() {}

  static int run(AppConfig config, Options options) throws InterruptedException {
    if (options.flag("--create-topics")) {
      createTopics(config);
    }
    List<String> unordered = TopicAdmin.inputsNotStampedOnAppend(config.kafkaProperties(), config.topics());
    if (!unordered.isEmpty()) {
      LOG.warn("{} keep their producers' timestamps (message.timestamp.type is not LogAppendTime): a replay reads them "
          + "in the order of those timestamps, which may differ from the order this run reads them in; see the README, "
          + "Order and timestamps", unordered);
    }
    LoyaltyApp app = new LoyaltyApp(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "loyalty-shutdown"));
    app.start();
    stopped.await();
    return 0;
  }

  /** Creates the engine's topics that are missing (topic.partitions, topic.replication.factor), as deployments do once. */
  static int createTopics(AppConfig config) {
    TopicAdmin.createMissing(config.kafkaProperties(), config.topics(), config.getInt("topic.partitions"),
        Short.parseShort(config.get("topic.replication.factor")));
    LOG.info("topics present: {}", config.topics().all());
    return 0;
  }
}
