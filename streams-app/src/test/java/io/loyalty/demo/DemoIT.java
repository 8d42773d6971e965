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
    assertTrue(output.contains("POS records published: 307"), output);
    for (String expected : SUMMARY_LINES) {
      assertTrue(output.contains(expected), "missing '" + expected + "' in\n" + output);
    }
  }

  /** Filled from the first run of this deterministic sample (seed 42, 60 customers). */
  private static final List<String> SUMMARY_LINES = List.of(
      "Ledger entries (loyalty.ledger): 310",
      "  EARN                  271 entries       45368.46 points",
      "  REDEEM                 39 entries          -3425 points",
      "Customer profiles (loyalty.profiles): 92 accounts",
      "    greenleaf:c1        5614.93 points  lifetime spend    5422.20  visits 25",
      "Rejections (loyalty.rejections): 19",
      "  DUPLICATE                     4",
      "  UNKNOWN_SCHEMA                2",
      "  UNSUPPORTED_EVENT             8");
}
