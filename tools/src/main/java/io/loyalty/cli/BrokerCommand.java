package io.loyalty.cli;

import io.loyalty.broker.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node KRaft broker on its own, until stopped: for local tools and for the benchmark, which runs the
 * broker in another process so that its memory figures are the engine's alone.
 */
final class BrokerCommand {
  static final String READY = "broker ready at ";

  private BrokerCommand() {}

  static int run(Options options) throws Exception {
    int port = options.intValue("--port", 9092);
    Path dataDir = options.value("--data-dir").map(Path::of).orElse(Files.createTempDirectory("loyalty-broker-"));
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, options.value("--data-dir").isEmpty(), port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }, "broker-shutdown"));
    System.out.println(READY + kafka.bootstrapServers());
    stopped.await();
    return 0;
  }
}
