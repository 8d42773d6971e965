package io.loyalty.cli;

import io.loyalty.audit.InvariantChecker;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;

/** The `check` command: the invariant check on the configured cluster's topics, in one line. */
final class CheckCommand {
  private CheckCommand() {}

  static int run(AppConfig config, Options options) {
    InvariantChecker.Report report = InvariantChecker.check(config.kafkaProperties(), config.topics(),
        SerdeFactory.of(config.registry()), Duration.ofMillis(options.intValue("--idle-ms", 5000)));
    System.out.println(report.line());
    report.examples().forEach(example -> System.out.println("  " + example));
    return report.holds() ? 0 : 1;
  }
}
