package io.loyalty.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationEvaluationTest {
  /**
   * a: trains on [x y] [x], holds out {x q}; b: trains on [y z], holds out {z}; c: trains on [q], holds out {y}.
   * G-TopFreq recommends x y to all (x and y are in two training baskets each): a finds x (1/2), c finds y (1).
   * GP-TopFreq and P-TopFreq: a x y (1/2), b y z (1), c q x / q (0). The engine: a x y (1/2); b y z (1); c q, then the
   * most popular x (0). TIFU-KNN (m 7, so each basket its own group: a's x 0.5 (0.9 x 0.7^6 + 0.7^5) = 0.1370, y
   * 0.0529; b's y and z, c's q 0.7^6 = 0.1176), alpha 0.7 with the mean of the two others: a x (0.0959) y (0.0547); b y
   * (0.0903) z (0.0824); c q (0.0824), then y (0.3 x (0.0529 + 0.1176) / 2 = 0.0256) over x (0.0205) and z (0.0176):
   * c finds y. Repeat: the held-out products bought before (a's x, b's z); explore: the others (a's q, c's y).
   */
  private static final String BASKETS = """
      {"a": [["x", "y"], ["x"], ["x", "q"]], "b": [["y", "z"], ["z"]], "c": [["q"], ["y"]], "d": [["x"]]}
      """;

  @Test
  void eachMethodIsScoredOnTheHeldOutLastBasketOnRepeatAndExploreProducts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("baskets.json");
    Files.writeString(file, BASKETS);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    EvaluateRecommendationsCommand.run(AppConfig.defaults(), new Options(List.of("--baskets", file.toString(), "--k", "2")),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    String row = "  %-58s %10s %10s %10s %10s%n";
    assertEquals("Next-basket evaluation of " + file + ": 3 customers with 2 baskets or more, 4 training baskets, last basket held out,"
        + " K = 2, half-life 90 days, explore slots 0\n"
        + row.formatted("method", "recall@2", "PHR@2", "repeat", "explore")
        + row.formatted("engine (repeat first, store priors, co-purchases)", "0.5000", "0.6667", "1.0000", "0.0000")
        + row.formatted("TIFU-KNN (k 300, r_b 0.9, r_g 0.7, alpha 0.7, m 7)", "0.8333", "1.0000", "1.0000", "0.5000")
        + row.formatted("GP-TopFreq (own frequency, then global)", "0.5000", "0.6667", "1.0000", "0.0000")
        + row.formatted("P-TopFreq (own frequency)", "0.5000", "0.6667", "1.0000", "0.0000")
        + row.formatted("G-TopFreq (global popularity)", "0.5000", "0.6667", "0.5000", "0.5000"),
        printed.toString(StandardCharsets.UTF_8), "d has one basket: nothing to hold out");
  }

  @Test
  void theRealityChecksHistoryAndFutureFilesReadAsOneHistory(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history.json");
    Path future = dir.resolve("future.json");
    Files.writeString(history, "{\"1\": [[-1], [46, 34], [46], [-1]], \"2\": [[-1], [80]]}");
    Files.writeString(future, "{\"1\": [[-1], [46, 7], [-1]], \"2\": [[-1], [81], [-1]]}");
    assertEquals(java.util.Map.of("1", List.of(List.of("46", "34"), List.of("46"), List.of("46", "7")), "2", List.of(List.of("80"),
        List.of("81"))), EvaluateRecommendationsCommand.read(history + "+" + future));
  }

  @Test
  void lastBasketsKeepsEachCustomersMostRecentOnes() {
    assertEquals(java.util.Map.of("a", List.of(List.of("y"), List.of("z")), "b", List.of(List.of("q"))),
        EvaluateRecommendationsCommand.lastBaskets(java.util.Map.of("a", List.of(List.of("x"), List.of("y"), List.of("z")), "b",
            List.of(List.of("q"))), 2));
  }

  @Test
  void ownFrequencyBeatsGlobalPopularityWhenTastesDiffer() {
    // Each of 30 customers keeps buying their own product; the store's best seller is 10 fans' (their 30 baskets).
    var baskets = new java.util.LinkedHashMap<String, List<List<String>>>();
    for (int c = 0; c < 30; c++) {
      baskets.put("c" + c, List.of(List.of("own-" + c), List.of("own-" + c), List.of("own-" + c)));
    }
    for (int f = 0; f < 10; f++) {
      baskets.put("fan" + f, List.of(List.of("best"), List.of("best"), List.of("best")));
    }
    RecommendationEvaluation.Result result = RecommendationEvaluation.evaluate(baskets, 1, java.time.Duration.ofDays(90), 0,
        EvaluateRecommendationsCommand.TIFU_DEFAULTS);
    assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 0.25), result.scores().stream().map(RecommendationEvaluation.Score::recall).toList());
  }
}
