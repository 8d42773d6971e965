package io.loyalty.evaluation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.api.RecordReader;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.avro.TransactionLine;
import io.loyalty.avro.TransactionType;
import io.loyalty.cli.Options;
import io.loyalty.demo.SampleCatalog;
import io.loyalty.demo.SampleStream;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import io.loyalty.serde.SerdeFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code evaluate-recommendations}: recall@K and PHR@K of the engine's recommendations against G-TopFreq and
 * GP-TopFreq on the same split, from baskets in the public benchmarks' JSON format, from generated customers
 * with latent tastes, or from the POS events on the engine's transactions topic.
 */
public final class EvaluateRecommendationsCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvaluateRecommendationsCommand() {}

  public static int run(AppConfig config, Options options, PrintStream out) {
    int k = options.intValue("--k", 10);
    Duration halfLife = Duration.ofDays(options.intValue("--half-life-days", 90));
    Map<String, List<List<String>>> baskets;
    String source;
    if (options.value("--baskets").isPresent()) {
      Path file = Path.of(options.value("--baskets").get());
      baskets = read(file);
      source = file.toString();
    } else if (options.flag("--from-topic")) {
      baskets = fromTopic(config);
      source = config.topics().transactions();
    } else {
      int customers = options.intValue("--generated", 5000);
      baskets = generated(options.intValue("--seed", 42), customers);
      source = customers + " generated customers with latent tastes (seed " + options.intValue("--seed", 42) + ")";
    }
    options.value("--write").ifPresent(file -> write(Path.of(file), baskets));
    RecommendationEvaluation.Result result = RecommendationEvaluation.evaluate(baskets, k, halfLife);
    out.printf("Next-basket evaluation of %s: %d customers with 2 baskets or more, %d training baskets, "
        + "last basket held out, K = %d, half-life %d days%n", source, result.customers(), result.trainingBaskets(), k,
        halfLife.toDays());
    out.printf("  %-48s %10s %10s%n", "method", "recall@" + k, "PHR@" + k);
    for (RecommendationEvaluation.Score score : result.scores()) {
      out.printf("  %-48s %10.4f %10.4f%n", score.method(), score.recall(), score.hitRate());
    }
    return 0;
  }

  static Map<String, List<List<String>>> read(Path file) {
    try {
      return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, List<List<String>>>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read baskets from " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, Map<String, List<List<String>>> baskets) {
    try {
      JSON.writeValue(file.toFile(), baskets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Customers of the load generator's tastes (favourite products, category and strain type, companions), each
   * with 2 to 20 visits.
   */
  static Map<String, List<List<String>>> generated(long seed, int customers) {
    Random random = new Random(seed);
    Map<String, List<List<String>>> baskets = new LinkedHashMap<>();
    for (int c = 1; c <= customers; c++) {
      String customer = SampleStream.GREENLEAF + ":c" + c;
      SampleCatalog.Taste taste = SampleCatalog.Taste.of(SampleStream.TASTE_SEED, customer);
      int visits = 2 + random.nextInt(19);
      List<List<String>> history = new ArrayList<>();
      for (int v = 0; v < visits; v++) {
        history.add(SampleCatalog.basket(random, taste).lines().stream().map(TransactionLine::getSku).toList());
      }
      baskets.put(customer, history);
    }
    return baskets;
  }

  /** Each customer's purchases in the order the topic holds them, less those voided. */
  private static Map<String, List<List<String>>> fromTopic(AppConfig config) {
    AvroCodec<TransactionEvent> codec = SerdeFactory.of(config.registry()).codec(TransactionEvent.class);
    Map<String, Map<String, List<String>>> purchases = new LinkedHashMap<>();
    RecordReader.read(config.kafkaProperties(), config.topics().transactions(), Duration.ofSeconds(3), Long.MAX_VALUE, record -> {
      TransactionEvent event;
      try {
        event = codec.decode(record.value());
      } catch (DecodeException | NullPointerException e) {
        return;
      }
      if (event.getCustomerId() == null) {
        return;
      }
      Map<String, List<String>> own = purchases.computeIfAbsent(event.getOrganizationId() + ":" + event.getCustomerId(),
          customer -> new LinkedHashMap<>());
      if (event.getType() == TransactionType.PURCHASE) {
        own.putIfAbsent(event.getTransactionId(), event.getLines().stream().map(TransactionLine::getSku).toList());
      } else if (event.getType() == TransactionType.VOID) {
        own.remove(event.getOriginalTransactionId());
      }
    });
    Map<String, List<List<String>>> baskets = new LinkedHashMap<>();
    purchases.forEach((customer, own) -> baskets.put(customer, new ArrayList<>(own.values())));
    return baskets;
  }
}
