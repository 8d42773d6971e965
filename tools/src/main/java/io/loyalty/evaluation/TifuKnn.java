package io.loyalty.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * TIFU-KNN (Hu, He, Yang, Zhang, Li: "Modeling Personalized Item Frequency Information for Next-basket
 * Recommendation", SIGIR 2020), a baseline of the evaluation only, as its reference implementation computes it:
 * a customer is a vector over the products; each basket of their history marks its products with
 * {@code withinDecay^(n - i)} (i-th of n baskets); the baskets are split in order into {@code groups} groups
 * (the later ones one basket larger when they do not divide evenly; one basket a group when there are fewer),
 * each group is the mean of its baskets, and the groups are summed with {@code groupDecay^(groups - 1 - g)} and
 * divided by the number of groups. The prediction blends the customer's vector ({@code alpha}) with the mean of
 * their {@code neighbours} nearest customers' (Euclidean distance, every other customer a candidate), and ranks the
 * products by it. Batch over all customers at once: the engine cannot run it per event, which is why it is a
 * baseline here.
 */
final class TifuKnn {
  /** The paper's hyper-parameters: k, r_b, r_g, alpha, m. */
  record Parameters(int neighbours, double withinDecay, double groupDecay, double alpha, int groups) {
    @Override
    public String toString() {
      return "k " + neighbours + ", r_b " + withinDecay + ", r_g " + groupDecay + ", alpha " + alpha + ", m " + groups;
    }
  }

  /** A sparse vector: products (interned ids, ascending) and their values. */
  private record Vector(int[] products, double[] values, double norm2) {}

  private TifuKnn() {}

  /**
   * The top {@code k} products of each customer of {@code training} (their baskets in order), products named as
   * in the input. Products with no weight are not listed.
   */
  static Map<String, List<String>> recommend(Map<String, List<List<String>>> training, Parameters parameters, int k) {
    Map<String, Integer> ids = new HashMap<>();
    List<String> names = new ArrayList<>();
    List<String> customers = new ArrayList<>(training.keySet());
    Vector[] vectors = new Vector[customers.size()];
    for (int c = 0; c < customers.size(); c++) {
      vectors[c] = vector(training.get(customers.get(c)), parameters, ids, names);
    }
    // Inverted index: for each product, the customers holding it and their value, for the dot products.
    int[] postingCounts = new int[names.size()];
    for (Vector vector : vectors) {
      for (int product : vector.products()) {
        postingCounts[product]++;
      }
    }
    int[][] postingCustomers = new int[names.size()][];
    double[][] postingValues = new double[names.size()][];
    for (int p = 0; p < names.size(); p++) {
      postingCustomers[p] = new int[postingCounts[p]];
      postingValues[p] = new double[postingCounts[p]];
    }
    int[] filled = new int[names.size()];
    for (int c = 0; c < vectors.length; c++) {
      Vector vector = vectors[c];
      for (int i = 0; i < vector.products().length; i++) {
        int p = vector.products()[i];
        postingCustomers[p][filled[p]] = c;
        postingValues[p][filled[p]++] = vector.values()[i];
      }
    }
    Map<String, List<String>> recommended = new HashMap<>();
    double[] dot = new double[vectors.length];
    double[] blended = new double[names.size()];
    for (int c = 0; c < vectors.length; c++) {
      Vector own = vectors[c];
      Arrays.fill(dot, 0);
      for (int i = 0; i < own.products().length; i++) {
        int p = own.products()[i];
        for (int j = 0; j < postingCustomers[p].length; j++) {
          dot[postingCustomers[p][j]] += own.values()[i] * postingValues[p][j];
        }
      }
      int[] nearest = nearest(c, own, vectors, dot, parameters.neighbours());
      Arrays.fill(blended, 0);
      for (int n : nearest) {
        Vector neighbour = vectors[n];
        for (int i = 0; i < neighbour.products().length; i++) {
          blended[neighbour.products()[i]] += neighbour.values()[i] * (1 - parameters.alpha()) / nearest.length;
        }
      }
      for (int i = 0; i < own.products().length; i++) {
        blended[own.products()[i]] += own.values()[i] * parameters.alpha();
      }
      recommended.put(customers.get(c), top(blended, names, k));
    }
    return recommended;
  }

  private static Vector vector(List<List<String>> baskets, Parameters parameters, Map<String, Integer> ids, List<String> names) {
    int n = baskets.size();
    int groups = parameters.groups();
    // Group boundaries: n < m gives one basket a group; otherwise the first groups take floor(n / m) baskets and the
    // last (n mod m) one more.
    List<int[]> bounds = new ArrayList<>();
    if (n < groups) {
      for (int b = 0; b < n; b++) {
        bounds.add(new int[] {b, b + 1});
      }
    } else {
      int base = n / groups;
      int larger = n % groups;
      int start = 0;
      for (int g = 0; g < groups; g++) {
        int size = g < groups - larger ? base : base + 1;
        bounds.add(new int[] {start, start + size});
        start += size;
      }
    }
    Map<Integer, Double> sum = new HashMap<>();
    for (int g = 0; g < bounds.size(); g++) {
      int[] group = bounds.get(g);
      double groupWeight = Math.pow(parameters.groupDecay(), groups - 1 - g) / (group[1] - group[0]) / bounds.size();
      for (int b = group[0]; b < group[1]; b++) {
        double value = Math.pow(parameters.withinDecay(), n - 1 - b) * groupWeight;
        for (String product : new java.util.LinkedHashSet<>(baskets.get(b))) {
          int id = ids.computeIfAbsent(product, name -> {
            names.add(name);
            return names.size() - 1;
          });
          sum.merge(id, value, Double::sum);
        }
      }
    }
    int[] products = sum.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    double[] values = new double[products.length];
    double norm2 = 0;
    for (int i = 0; i < products.length; i++) {
      values[i] = sum.get(products[i]);
      norm2 += values[i] * values[i];
    }
    return new Vector(products, values, norm2);
  }

  /** The {@code k} customers nearest to customer {@code self} (itself aside), nearest first; ties by position. */
  private static int[] nearest(int self, Vector own, Vector[] vectors, double[] dot, int k) {
    // A max-heap of the k best so far: squared distance, then position.
    PriorityQueue<double[]> best = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(b[1], a[1]));
    for (int c = 0; c < vectors.length; c++) {
      if (c == self) {
        continue;
      }
      double distance2 = own.norm2() + vectors[c].norm2() - 2 * dot[c];
      if (best.size() < k) {
        best.add(new double[] {distance2, c});
      } else if (distance2 < best.peek()[0]) {
        best.poll();
        best.add(new double[] {distance2, c});
      }
    }
    return best.stream().mapToInt(entry -> (int) entry[1]).toArray();
  }

  /** Products by weight, highest first (ties by name), those with a weight only. */
  private static List<String> top(double[] weights, List<String> names, int k) {
    PriorityQueue<Integer> best = new PriorityQueue<>((a, b) -> weights[a] != weights[b] ? Double.compare(weights[a], weights[b])
        : names.get(b).compareTo(names.get(a)));
    for (int p = 0; p < weights.length; p++) {
      if (weights[p] <= 0) {
        continue;
      }
      best.add(p);
      if (best.size() > k) {
        best.poll();
      }
    }
    List<String> ranked = new ArrayList<>();
    while (!best.isEmpty()) {
      ranked.add(names.get(best.poll()));
    }
    java.util.Collections.reverse(ranked);
    return ranked;
  }
}
