package io.loyalty.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as a new user runs it (smaller sample, free port, exit after the summary). */
class DemoIT {

  @Test
  void theDemoRunsOnAnInProcessBrokerAndSummarizesExactly(@TempDir Path dataDir) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = DemoCommand.run(AppConfig.defaults(), new Options(List.of(
          "--exit", "--port", "0", "--customers", "60", "--data-dir", dataDir.toString())));
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertEquals(0, status);
    assertTrue(output.contains("Records published (POS events and commands): 346"), output);
    for (String expected : SUMMARY_LINES) {
      assertTrue(output.contains(expected), "missing '" + expected + "' in\n" + output);
    }
  }

  /** Filled from the first run of this deterministic sample (seed 42, 60 customers). */
  private static final List<String> SUMMARY_LINES = List.of(
      "Ledger entries (loyalty.ledger): 342",
      "  EARN                  270 entries       43383.77 points",
      "  REDEEM                 39 entries          -3520 points",
      "  RETURN_REVERSAL         8 entries       -618.924 points",
      "  SIGNUP_BONUS           20 entries            500 points",
      "  VOID_REVERSAL           5 entries         -79.76 points",
      "Customer profiles (loyalty.profiles): 88 accounts",
      "    greenleaf:c1        6254.71 points  lifetime spend    5876.77  visits 31",
      "  APPLIED                      39",
      "Notification requests (loyalty.notifications): 80",
      "  EMAIL points_digest                 7",
      "  EMAIL points_earn                  33",
      "  SMS sms_opt_in_confirmation         4",
      "Rejections (loyalty.rejections): 13",
      "  DUPLICATE                     6",
      "  UNKNOWN_SCHEMA                2");
}
