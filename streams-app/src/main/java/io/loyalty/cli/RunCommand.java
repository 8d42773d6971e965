package io.loyalty.cli;

import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.LoyaltyApp;
import io.loyalty.runtime.TopicAdmin;
import java.util.concurrent.CountDownLatch;

/** Runs the engine against the configured cluster until the JVM is asked to stop. */
final class RunCommand {
  private RunCommand() {}

  static int run(AppConfig config, Options options) throws InterruptedException {
    if (options.flag("--create-topics")) {
      TopicAdmin.createMissing(config.kafkaProperties(), config.topics(), config.getInt("topic.partitions"),
          Short.parseShort(config.get("topic.replication.factor")));
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
}
