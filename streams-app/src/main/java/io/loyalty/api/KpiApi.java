package io.loyalty.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import io.loyalty.api.ApiKeys.Role;
import io.loyalty.avro.KpiGrain;
import io.loyalty.avro.ProgramKpis;
import io.loyalty.topology.KpiQueries;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The program's KPIs per period, read from the instance that holds the organization's rows. */
final class KpiApi {
  private static final int MAX_PERIODS = 400;
  private final KpiQueries queries;
  private final Owners owners;

  KpiApi(KpiQueries queries, Owners owners) {
    this.queries = queries;
    this.owners = owners;
  }

  List<Route> routes() {
    return List.of(Route.of("GET", Route.ORGANIZATION + "/kpis", Role.MANAGER,
        (exchange, caller, path) -> kpis(exchange, path.group(1))));
  }

  /** ?grain=DAY|WEEK|MONTH (default WEEK), periods=N (latest N with figures, default 12), location=id (default all). */
  private int kpis(HttpExchange exchange, String organizationId) throws IOException, InterruptedException {
    Map<String, String> query = Http.query(exchange);
    KpiGrain grain;
    int periods;
    try {
      grain = KpiGrain.valueOf(query.getOrDefault("grain", "WEEK").toUpperCase(Locale.ROOT));
      periods = Integer.parseInt(query.getOrDefault("periods", "12"));
    } catch (IllegalArgumentException e) {
      return Http.problem(exchange, 400, "INVALID_FIELD", "grain is DAY, WEEK or MONTH; periods is a number from 1 to " + MAX_PERIODS);
    }
    if (periods < 1 || periods > MAX_PERIODS) {
      return Http.problem(exchange, 400, "INVALID_FIELD", "periods is a number from 1 to " + MAX_PERIODS);
    }
    String location = query.get("location");
    return owners.answer(exchange, queries.placement(organizationId), false, stale -> {
      ArrayNode body = Http.JSON.createArrayNode();
      for (ProgramKpis kpis : queries.latest(organizationId, location, grain, periods)) {
        body.add(Http.JSON.readTree(JsonRecords.toJson(kpis)));
      }
      return Http.json(exchange, 200, body.toString());
    });
  }
}
