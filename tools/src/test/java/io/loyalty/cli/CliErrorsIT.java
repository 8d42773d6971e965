package io.loyalty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A user's mistake on the command line gets one line saying what is wrong and exit status 2, never a stack trace. */
class CliErrorsIT {

  @Test
  void anUnknownTopicIsNamedWithTheKnownOnes() throws Exception {
    assertEquals(List.of("2", "produce: unknown topic nosuch; known: [acc.pos.transactions, acc.loyalty.commands, acc.loyalty.activity, acc.loyalty.clock, "
        + "acc.loyalty.programs, acc.loyalty.products, acc.loyalty.offers, acc.loyalty.segment-changes, acc.loyalty.ledger, acc.loyalty.profiles, acc.loyalty.rewards, "
        + "acc.loyalty.notifications, acc.loyalty.command-results, acc.loyalty.rejections, acc.loyalty.metrics]"), run("produce", "nosuch"));
  }

  @Test
  void aMissingConfigFileIsNamed() throws Exception {
    assertEquals(List.of("2", "consume: cannot read config file /nonexistent/loyalty.properties"),
        run("--config", "/nonexistent/loyalty.properties", "consume", "loyalty.ledger"));
  }

  /** The exit status, then every line the command wrote to stderr. */
  private static List<String> run(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-jar",
        new File("target/loyalty-engine.jar").getAbsolutePath()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("LOYALTY_TOPIC_PREFIX", "acc.");
    Process process = builder.start();
    try {
      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(60, TimeUnit.SECONDS);
      List<String> result = new ArrayList<>(List.of(Integer.toString(process.exitValue())));
      stderr.lines().forEach(result::add);
      return result;
    } finally {
      process.destroyForcibly();
    }
  }
}
