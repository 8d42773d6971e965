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
   * GP-TopFreq: a x y (1/2), b y z (1), c q x (0). The engine: a x y (1/2); b y z (1); c q, then the most
   * popular x (0).
   */
  private static final String BASKETS = """
      {"a": [["x", "y"], ["x"], ["x", "q"]], "b": [["y", "z"], ["z"]], "c": [["q"], ["y"]], "d": [["x"]]}
      """;

  @Test
  void eachMethodIsScoredOnTheHeldOutLastBasket(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("baskets.json");
    Files.writeString(file, BASKETS);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    EvaluateRecommendationsCommand.run(AppConfig.defaults(), new Options(List.of("--baskets", file.toString(), "--k", "2")),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals("""
        Next-basket evaluation of %s: 3 customers with 2 baskets or more, 4 training baskets, last basket held out, K = 2, half-life 90 days
          method                                             recall@2      PHR@2
          engine (decayed own frequency + co-purchases)        0.5000     0.6667
          GP-TopFreq (own frequency, then global)              0.5000     0.6667
          G-TopFreq (global popularity)                        0.5000     0.6667
        """.formatted(file), printed.toString(StandardCharsets.UTF_8), "d has one basket: nothing to hold out");
  }

  @Test
  void ownFrequencyAndCoPurchasesBeatGlobalPopularityWhenTastesDiffer() {
    // Everyone's last basket repeats their own product; the store's best seller is someone else's.
    var baskets = new java.util.LinkedHashMap<String, List<List<String>>>();
    for (int c = 0; c < 30; c++) {
      baskets.put("c" + c, List.of(List.of("own-" + c, "best"), List.of("own-" + c), List.of("own-" + c)));
    }
    RecommendationEvaluation.Result result = RecommendationEvaluation.evaluate(baskets, 1, java.time.Duration.ofDays(90));
    assertEquals(List.of(1.0, 1.0, 0.0), result.scores().stream().map(RecommendationEvaluation.Score::recall).toList());
  }
}
