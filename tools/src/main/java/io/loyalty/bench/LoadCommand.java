package io.loyalty.bench;

import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import java.time.Instant;

/** The `load` command: the generated POS stream (and the sample programs) into the configured cluster. */
public final class LoadCommand {
  private LoadCommand() {}

  public static int run(AppConfig config, Options options) throws InterruptedException {
    int events = options.intValue("--events", 1_000_000);
    LoadGenerator generator = new LoadGenerator(options.intValue("--seed", 42), options.intValue("--accounts", 1_000_000),
        Double.parseDouble(options.value("--zipf").orElse("0.8")),
        Instant.parse(options.value("--start").orElse("2026-09-01T16:00:00Z")));
    Pacer pacer = new Pacer(options.intValue("--rate", 0));
    long begin = System.nanoTime();
    try (LoadPublisher publisher = new LoadPublisher(config)) {
      for (int sent = 0; sent < events; sent++) {
        pacer.await(sent);
        publisher.publish(generator.next());
      }
      publisher.flush();
    }
    System.out.printf("published %d records in %.1f s%n", events, (System.nanoTime() - begin) / 1e9);
    return 0;
  }
}
