package io.loyalty.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `bench` command end to end, tiny: one repetition in its own JVM, every figure present, the invariants hold. */
class BenchIT {
  @Test
  void oneSmallRepetitionMeasuresEverythingAndHoldsTheInvariants(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench.json");
    int status = BenchCommand.run(AppConfig.defaults(), new Options(List.of("--events", "3000", "--accounts", "3000",
        "--repetitions", "1", "--latency-seconds", "2", "--rate", "200", "--heap", "512m", "--out", out.toString())));
    assertEquals(0, status);
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    JsonNode run = report.get("runs").get(0);
    assertEquals("records in 3400, accounted for 3400, missing 0, duplicated 0, balance mismatches 0",
        run.get("invariants").asText());
    for (String figure : List.of("passThroughEventsPerSecond", "loyaltyEventsPerSecond", "ratio", "latencyP99Ms",
        "peakHeapBytes", "stateBytesPerMillionAccounts", "restoreSeconds", "lookupP50Ms", "lookupP99Ms")) {
      assertTrue(report.get("figures").get(figure).get("median").asDouble() > 0, figure + " in " + report);
    }
    assertTrue(run.get("lookupEventsMeasured").asLong() > 0, "the register's lookups were answered: " + run);
    assertEquals(0, run.get("lookupErrors").asLong(), "every lookup of a customer the load touched found it: " + run);
  }
}
