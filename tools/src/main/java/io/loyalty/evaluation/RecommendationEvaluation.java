package io.loyalty.evaluation;

import io.loyalty.avro.state.CoPurchases;
import io.loyalty.avro.state.CustomerPreferences;
import io.loyalty.avro.state.Recommendation;
import io.loyalty.preferences.BasketItem;
import io.loyalty.preferences.PreferenceRules;
import io.loyalty.recommendations.OrganizationBaskets;
import io.loyalty.recommendations.Recommender;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Next-basket evaluation on a leave-last-basket-out split, the protocol of the public benchmarks (TIFU-KNN,
 * SIGIR 2020; "A next basket recommendation reality check", TOIS 2023): every customer with two baskets or more
 * has their last basket held out; the others are replayed, round by round (each customer's first basket, then
 * each one's second...), through the engine's own classes (preferences, basket counts, ranking); then each
 * method recommends K products per customer and is scored against the held-out basket. Baskets carry no time:
 * consecutive baskets of a customer are a week apart (basket order is the clock). The baselines are those of the
 * reality check: G-TopFreq (the K most bought), P-TopFreq (the customer's K most bought), GP-TopFreq (P-TopFreq
 * filled with G-TopFreq) and TIFU-KNN ({@link TifuKnn}).
 */
public final class RecommendationEvaluation {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration BASKET_SPACING = Duration.ofDays(7);
  private static final String ORGANIZATION = "evaluation";

  /**
   * recall@K (the held-out basket's share found, averaged over customers) and PHR@K (customers with a hit); and
   * recall@K on the held-out products the customer bought before (repeat) and on those new to them (explore), each
   * averaged over the customers whose held-out basket has such products.
   */
  public record Score(String method, double recall, double hitRate, double repeatRecall, double exploreRecall) {}

  public record Result(int customers, int trainingBaskets, List<Score> scores) {}

  private RecommendationEvaluation() {}

  public static Result evaluate(Map<String, List<List<String>>> baskets, int k, Duration halfLife, int exploreSlots,
      TifuKnn.Parameters tifu) {
    Map<String, List<List<String>>> training = new LinkedHashMap<>();
    Map<String, Set<String>> heldOut = new LinkedHashMap<>();
    baskets.forEach((customer, history) -> {
      List<List<String>> nonEmpty = history.stream().filter(basket -> !basket.isEmpty()).toList();
      if (nonEmpty.size() >= 2) {
        training.put(customer, nonEmpty.subList(0, nonEmpty.size() - 1));
        heldOut.put(customer, new LinkedHashSet<>(nonEmpty.get(nonEmpty.size() - 1)));
      }
    });

    Map<String, CoPurchases> counts = new HashMap<>();
    OrganizationBaskets organization = new OrganizationBaskets(ORGANIZATION, OrganizationBaskets.Counts.of(counts::get, counts::put));
    Map<String, CustomerPreferences> preferences = new HashMap<>();
    Map<String, Integer> globalFrequency = new HashMap<>();
    Map<String, Map<String, Integer>> personalFrequency = new HashMap<>();
    int rounds = training.values().stream().mapToInt(List::size).max().orElse(0);
    int trainingBaskets = 0;
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, List<List<String>>> customer : training.entrySet()) {
        if (round >= customer.getValue().size()) {
          continue;
        }
        trainingBaskets++;
        Set<String> basket = new LinkedHashSet<>(customer.getValue().get(round));
        List<BasketItem> items = basket.stream().map(sku -> BasketItem.of(sku, null, 1.0)).toList();
        Instant at = START.plus(BASKET_SPACING.multipliedBy(round));
        CustomerPreferences own = preferences.computeIfAbsent(customer.getKey(), c -> PreferenceRules.empty(at));
        Set<String> boughtBefore = PreferenceRules.productsHeld(own);
        PreferenceRules.purchase(own, items, BigDecimal.ZERO, at, halfLife);
        organization.count(items, false, boughtBefore);
        for (String sku : basket) {
          globalFrequency.merge(sku, 1, Integer::sum);
          personalFrequency.computeIfAbsent(customer.getKey(), c -> new HashMap<>()).merge(sku, 1, Integer::sum);
        }
      }
    }

    List<String> globalTop = ranked(globalFrequency, globalFrequency).stream().limit(k).toList();
    Map<String, List<String>> tifuKnn = TifuKnn.recommend(training, tifu, k);
    Tally engine = new Tally("engine (repeat first, store priors, co-purchases)");
    Tally tifuTally = new Tally("TIFU-KNN (" + tifu + ")");
    Tally personal = new Tally("GP-TopFreq (own frequency, then global)");
    Tally ownOnly = new Tally("P-TopFreq (own frequency)");
    Tally global = new Tally("G-TopFreq (global popularity)");
    heldOut.forEach((customer, truth) -> {
      Set<String> bought = personalFrequency.get(customer).keySet();
      List<String> recommended = Recommender.rank(preferences.get(customer), organization, sku -> true, k, exploreSlots).stream()
          .map(Recommendation::getSku).toList();
      engine.add(recommended, truth, bought);
      tifuTally.add(tifuKnn.get(customer), truth, bought);
      global.add(globalTop, truth, bought);
      List<String> own = ranked(personalFrequency.get(customer), globalFrequency);
      ownOnly.add(own.stream().limit(k).toList(), truth, bought);
      List<String> filled = new ArrayList<>(own);
      for (String sku : globalTop) {
        if (!filled.contains(sku)) {
          filled.add(sku);
        }
      }
      personal.add(filled.stream().limit(k).toList(), truth, bought);
    });
    return new Result(heldOut.size(), trainingBaskets, List.of(engine.score(), tifuTally.score(), personal.score(), ownOnly.score(),
        global.score()));
  }

  /** By count, ties by the global count, then by sku. */
  private static List<String> ranked(Map<String, Integer> frequency, Map<String, Integer> global) {
    return frequency.keySet().stream()
        .sorted(Comparator.comparing((String sku) -> frequency.get(sku)).reversed()
            .thenComparing(Comparator.comparing((String sku) -> global.getOrDefault(sku, 0)).reversed())
            .thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  private static final class Tally {
    private final String method;
    private double recall;
    private int hits;
    private int customers;
    private double repeatRecall;
    private int repeatCustomers;
    private double exploreRecall;
    private int exploreCustomers;

    Tally(String method) {
      this.method = method;
    }

    void add(List<String> recommended, Set<String> truth, Set<String> boughtBefore) {
      Set<String> found = new HashSet<>(recommended);
      found.retainAll(truth);
      recall += found.size() / (double) truth.size();
      hits += found.isEmpty() ? 0 : 1;
      customers++;
      long repeats = truth.stream().filter(boughtBefore::contains).count();
      long repeatsFound = found.stream().filter(boughtBefore::contains).count();
      if (repeats > 0) {
        repeatRecall += repeatsFound / (double) repeats;
        repeatCustomers++;
      }
      if (repeats < truth.size()) {
        exploreRecall += (found.size() - repeatsFound) / (double) (truth.size() - repeats);
        exploreCustomers++;
      }
    }

    Score score() {
      return new Score(method, customers == 0 ? 0 : recall / customers, customers == 0 ? 0 : hits / (double) customers,
          repeatCustomers == 0 ? 0 : repeatRecall / repeatCustomers, exploreCustomers == 0 ? 0 : exploreRecall / exploreCustomers);
    }
  }
}
