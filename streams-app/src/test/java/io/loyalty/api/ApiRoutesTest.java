package io.loyalty.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document (/openapi.json) names exactly the routes the server answers, and each path matches its route. */
class ApiRoutesTest {
  private static List<Route> routes() {
    SerdeFactory serdes = SerdeFactory.singleObject();
    Topics topics = new Topics("", "loyalty-engine");
    return ApiServer.routes(new CustomerApi(null, null, null, null, null), new ExportApi(null, null, null, topics, serdes),
        new KpiApi(null, null), new OverviewApi(null, null, null, null, topics, serdes), new ProgramApi(null, null));
  }

  @Test
  void theDocumentDescribesEveryRouteAndNoOther() throws Exception {
    JsonNode document;
    try (InputStream in = ApiRoutesTest.class.getClassLoader().getResourceAsStream("web/openapi.json")) {
      document = new ObjectMapper().readTree(in);
    }
    Set<String> documented = new TreeSet<>();
    for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      document.get("paths").get(path).fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path));
    }
    Set<String> served = new TreeSet<>();
    routes().forEach(route -> served.add(route.name()));
    assertEquals(served, documented);
  }

  @Test
  void templatesMatchTheirPathsOnly() {
    Route customer = routes().stream().filter(route -> route.name().equals("GET /v1/organizations/{organizationId}/customers/{customerId}"))
        .findFirst().orElseThrow();
    var matcher = customer.path().matcher("/v1/organizations/greenleaf/customers/c-1001");
    assertTrue(matcher.matches());
    assertEquals("greenleaf", matcher.group(1));
    assertEquals("c-1001", matcher.group(2));
    assertTrue(!customer.path().matcher("/v1/organizations/green:leaf/customers/c1").matches(), "no ':' in an organization id");
    Route export = routes().stream().filter(route -> route.name().endsWith("/exports/ledger.csv")).findFirst().orElseThrow();
    assertTrue(export.path().matcher("/v1/organizations/greenleaf/exports/ledger.csv").matches());
    assertTrue(!export.path().matcher("/v1/organizations/greenleaf/exports/ledgerXcsv").matches(), "a dot is a dot");
    Route members = routes().stream().filter(route -> route.name().endsWith("/exports/segments/{segmentId}.csv")).findFirst().orElseThrow();
    var segment = members.path().matcher("/v1/organizations/greenleaf/exports/segments/away-21.csv");
    assertTrue(segment.matches());
    assertEquals("away-21", segment.group(2));
    assertTrue(!members.path().matcher("/v1/organizations/greenleaf/exports/segments/Away%2021.csv").matches(), "a segment id as programs define them");
  }
}
