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
import java.nio.file.Files;
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

  /** TIFU-KNN's parameters unless --tifu says otherwise: those its authors and the reality check give for Ta-Feng. */
  static final TifuKnn.Parameters TIFU_DEFAULTS = new TifuKnn.Parameters(300, 0.9, 0.7, 0.7, 7);

  public static int run(AppConfig config, Options options, PrintStream out) {
    int k = options.intValue("--k", 10);
    Duration halfLife = Duration.ofDays(options.intValue("--half-life-days", 90));
    int exploreSlots = options.intValue("--explore-slots", 0);
    TifuKnn.Parameters tifu = options.value("--tifu").map(EvaluateRecommendationsCommand::tifu).orElse(TIFU_DEFAULTS);
    Map<String, Map<String, List<List<String>>>> sets = new LinkedHashMap<>();
    if (options.value("--baskets").isPresent()) {
      // Several data sets, comma-separated: each evaluated on its own.
      for (String file : options.value("--baskets").get().split(",")) {
        sets.put(file, read(file));
      }
    } else if (options.flag("--from-topic")) {
      sets.put(config.topics().transactions(), fromTopic(config));
    } else {
      int customers = options.intValue("--generated", 5000);
      sets.put(customers + " generated customers with latent tastes (seed " + options.intValue("--seed", 42) + ")",
          generated(options.intValue("--seed", 42), customers));
    }
    int lastBaskets = options.intValue("--last-baskets", 0);
    if (lastBaskets > 0) {
      sets.replaceAll((source, baskets) -> lastBaskets(baskets, lastBaskets));
    }
    options.value("--write").ifPresent(file -> write(Path.of(file), sets.values().iterator().next()));
    sets.forEach((source, baskets) -> {
      RecommendationEvaluation.Result result = RecommendationEvaluation.evaluate(baskets, k, halfLife, exploreSlots, tifu);
      out.printf("Next-basket evaluation of %s%s: %d customers with 2 baskets or more, %d training baskets, "
          + "last basket held out, K = %d, half-life %d days, explore slots %d%n", source,
          lastBaskets > 0 ? " (each customer's last " + lastBaskets + " baskets)" : "", result.customers(), result.trainingBaskets(), k,
          halfLife.toDays(), exploreSlots);
      out.printf("  %-58s %10s %10s %10s %10s%n", "method", "recall@" + k, "PHR@" + k, "repeat", "explore");
      for (RecommendationEvaluation.Score score : result.scores()) {
        out.printf("  %-58s %10.4f %10.4f %10.4f %10.4f%n", score.method(), score.recall(), score.hitRate(), score.repeatRecall(),
            score.exploreRecall());
      }
    });
    return 0;
  }

  /**
   * Each customer's last {@code count} baskets: short histories from a long data set (a young store, or a data set
   * of a few months), the store's counts then learnt from those baskets alone.
   */
  static Map<String, List<List<String>>> lastBaskets(Map<String, List<List<String>>> baskets, int count) {
    Map<String, List<List<String>>> last = new LinkedHashMap<>();
    baskets.forEach((customer, own) -> last.put(customer, own.subList(Math.max(0, own.size() - count), own.size())));
    return last;
  }

  /** "k,r_b,r_g,alpha,m", e.g. 900,0.9,0.7,0.9,3. */
  private static TifuKnn.Parameters tifu(String value) {
    String[] parts = value.split(",");
    if (parts.length != 5) {
      throw new IllegalArgumentException("--tifu takes k,r_b,r_g,alpha,m (e.g. 300,0.9,0.7,0.7,7), not " + value);
    }
    return new TifuKnn.Parameters(Integer.parseInt(parts[0].trim()), Double.parseDouble(parts[1].trim()),
        Double.parseDouble(parts[2].trim()), Double.parseDouble(parts[3].trim()), Integer.parseInt(parts[4].trim()));
  }

  /**
   * Baskets of a JSON file, or of the reality check's pair {@code HISTORY+FUTURE} (its jsondata form: each customer's
   * baskets between [-1] markers, the future one appended to the history).
   */
  static Map<String, List<List<String>>> read(String source) {
    // A file whose own name holds "+" is read as it is.
    String[] files = Files.exists(Path.of(source)) ? new String[] {source} : source.split("\\+");
    Map<String, List<List<String>>> baskets = new LinkedHashMap<>();
    for (String file : files) {
      readFile(Path.of(file)).forEach((customer, own) -> baskets.computeIfAbsent(customer, c -> new ArrayList<>())
          .addAll(own.stream().filter(basket -> !basket.equals(NO_BASKET)).toList()));
    }
    return baskets;
  }

  /** The reality check's marker of the start and end of a customer's baskets. */
  private static final List<String> NO_BASKET = List.of("-1");

  private static Map<String, List<List<String>>> readFile(Path file) {
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
