package io.loyalty.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.cli.Options;
import io.loyalty.runtime.AppConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.loyalty.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
          "--exit", "--port", "0", "--customers", "60", "--now", "2026-12-01T12:00:00Z", "--data-dir", dataDir.toString())),
          DemoIT::dashboardInChromium);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertEquals(0, status);
    assertTrue(output.contains("Records published (POS events and commands): 347"), output);
    for (String expected : SUMMARY_LINES) {
      assertTrue(output.contains(expected), "missing '" + expected + "' in\n" + output);
    }
  }

  /**
   * The dashboard in a real headless Chromium against the running demo: the page loads, the KPI, segment,
   * workflow and rejection charts render with data, and the lookup finds the customer the link names. The
   * screenshot is left in target/dashboard.png.
   */
  private static void dashboardInChromium(int apiPort, String apiKey) throws Exception {
    String url = "http://localhost:" + apiPort + "/dashboard/#key=" + apiKey + "&org=greenleaf&customer=c1";
    String dom = Chromium.dumpDom(url, 30_000);
    assertTrue(dom.contains("data-state=\"ready\""), dom);
    for (String chart : List.of("chart-retention", "chart-orders", "chart-points", "chart-liability", "chart-segments",
        "chart-workflows", "chart-lift", "chart-rejections")) {
      Matcher points = Pattern.compile("id=\"" + chart + "\"[^>]*data-points=\"(\\d+)\"").matcher(dom);
      assertTrue(points.find(), chart + " was not rendered:\n" + dom);
      assertTrue(Integer.parseInt(points.group(1)) > 0, chart + " has no data");
    }
    assertTrue(dom.contains("data-account=\"greenleaf:c1\""), "the lookup found greenleaf:c1:\n" + dom);
    Chromium.screenshot(url, Path.of("target", "dashboard.png"), 30_000);
    assertTrue(Files.size(Path.of("target", "dashboard.png")) > 10_000, "a screenshot with something on it");
    everyMetricOfTheGrafanaDashboardIsScraped(apiPort, apiKey);
  }

  /** deploy/grafana/loyalty-engine.json asks only for series the running engine's /metrics exports. */
  private static void everyMetricOfTheGrafanaDashboardIsScraped(int apiPort, String apiKey) throws Exception {
    HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + apiPort + "/metrics")).header("Authorization", "Bearer " + apiKey).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scrape.statusCode());
    Set<String> exported = scrape.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "deploy", "grafana", "loyalty-engine.json").toFile());
    Set<String> asked = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher names = Pattern.compile("\\b((?:loyalty|kafka|jvm|process)_[a-z_]+)\\b").matcher(target.get("expr").asText());
        while (names.find()) {
          asked.add(names.group(1));
        }
      }
    }
    assertTrue(asked.size() >= 20, asked.toString());
    Set<String> missing = new TreeSet<>(asked);
    missing.removeAll(exported);
    assertEquals(Set.of(), missing, "series the Grafana dashboard asks for that /metrics does not export");
  }

  /** Filled from the first run of this deterministic sample (seed 42, 60 customers, the clock at noon UTC on 1 December 2026). */
  private static final List<String> SUMMARY_LINES = List.of(
      "Ledger entries (loyalty.ledger): 349",
      "  EARN                  270 entries       43572.81 points",
      "  OFFER_BONUS             1 entries             25 points",
      "  REDEEM                 45 entries          -4215 points",
      "  RETURN_REVERSAL         7 entries      -650.2943 points",
      "  SIGNUP_BONUS           20 entries            500 points",
      "  VOID_REVERSAL           5 entries       -1165.81 points",
      "Customer profiles (loyalty.profiles): 85 accounts",
      "    greenleaf:c1      3880.8066 points  lifetime spend    3928.36  visits 25",
      "  Customer insights of greenleaf:c1: prefers concentrate, HYBRID, CONCENTRATE (strains Wedding Cake, Pineapple Express, "
          + "Durban Poison); favourites CO-LR-1, ED-CHO-10, ED-GUM-EN, AC-BATT, ED-GUM-SL",
      "    recommended: Live resin 1g                            you often buy it",
      "  APPLIED                      38",
      "Notification requests (loyalty.notifications): 110",
      "  EMAIL next_visit_deal              15",
      "  EMAIL personalized_offer            7",
      "  EMAIL points_earn                  20",
      "  EMAIL winback_first                 4",
      "  EMAIL winback_second                4",
      "  SMS sms_opt_in_confirmation         4",
      "Offers (loyalty.offers): 104 events",
      "  ISSUED                       23",
      "  REDEEMED                      1",
      "  not made: WEEKLY_CAP         60",
      "Segment changes (loyalty.segment-changes): 415",
      "  ENTERED                     316",
      "  now in dormant-21-with-email    16 customers",
      "  now in first-time-buyers        28 customers",
      "  now in without-email            65 customers",
      "Workflow messages (workflow / step): 23",
      String.format("  %-30s %6d", "winback / first-email", 4),
      String.format("  %-30s %6d", "winback / second-email", 4),
      "Workflow runs under way (on the profiles): 0",
      "Rejections (loyalty.rejections): 11",
      "Program KPIs of greenleaf by month (GET /v1/organizations/greenleaf/kpis?grain=MONTH&periods=12, also on loyalty.metrics):",
      "  2026-09       52         -    4.2308     148.06     153.93      10.1%       36    37386.82",
      "  winback/1        treatment   12,   0.0% converted,    0.00 spent each; control    4,   0.0%; lift 0.0 pts (95%: 0.0 pts to 0.0 pts)",
      "  DUPLICATE                     3",
      "  UNKNOWN_SCHEMA                2");
}
