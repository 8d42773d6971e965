package io.loyalty.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians and spreads over the repetitions, as a table and as the JSON document. */
final class BenchReport {
  private static final List<String> FIGURES = List.of("produceEventsPerSecond", "passThroughEventsPerSecond",
      "loyaltyEventsPerSecond", "ratio", "recordsWrittenPerInput", "latencyP50Ms", "latencyP95Ms", "latencyP99Ms", "latencyMaxMs", "peakHeapBytes",
      "liveHeapBytes", "stateBytesPerMillionAccounts", "restoredRecords", "restoreSeconds", "segmentChangeLatencyP50Ms", "segmentChangeLatencyP99Ms",
      "workflowActionLatencyP50Ms", "workflowActionLatencyP99Ms", "lookupP50Ms", "lookupP99Ms", "lookupMaxMs", "lookupErrors");

  private BenchReport() {}

  static Map<String, Object> summarize(List<Map<String, Object>> runs, Map<String, Object> settings) {
    Map<String, Object> figures = new LinkedHashMap<>();
    for (String figure : FIGURES) {
      // Segment and workflow latencies are measured only when the bench defines them.
      if (runs.stream().anyMatch(run -> !run.containsKey(figure))) {
        continue;
      }
      List<Double> values = new ArrayList<>();
      runs.forEach(run -> values.add(((Number) run.get(figure)).doubleValue()));
      values.sort(Double::compare);
      double median = values.size() % 2 == 1 ? values.get(values.size() / 2)
          : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
      figures.put(figure, Map.of("median", median, "min", values.get(0), "max", values.get(values.size() - 1)));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("settings", settings);
    report.put("figures", figures);
    report.put("runs", runs);
    return report;
  }

  @SuppressWarnings("unchecked")
  static String table(Map<String, Object> report) {
    StringBuilder table = new StringBuilder(String.format("%n%-30s %14s %14s %14s%n", "figure", "median", "min", "max"));
    ((Map<String, Map<String, Double>>) report.get("figures")).forEach((figure, values) -> table.append(String.format(
        "%-30s %14.2f %14.2f %14.2f%n", figure, values.get("median"), values.get("min"), values.get("max"))));
    ((List<Map<String, Object>>) report.get("runs")).forEach(run ->
        table.append("repetition ").append(run.get("repetition")).append(": ").append(run.get("invariants")).append('\n'));
    return table.toString();
  }
}
