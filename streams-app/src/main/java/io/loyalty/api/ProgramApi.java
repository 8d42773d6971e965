package io.loyalty.api;

import com.sun.net.httpserver.HttpExchange;
import io.loyalty.api.ApiKeys.Caller;
import io.loyalty.api.ApiKeys.Role;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.intake.ProgramValidator;
import io.loyalty.intake.Violation;
import io.loyalty.programs.ProgramKey;
import io.loyalty.topology.OverviewQueries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Program versions through the API: an admin of the organization publishes one, checked as the engine checks what
 * it reads from loyalty.programs (refused whole, 422 with every reason, nothing published), then published there
 * with the key's name as {@code publishedBy}; the organization's versions and the one in force are a read. Writes
 * straight to the topic keep working: the engine checks those when it reads them.
 */
final class ProgramApi {
  private static final Duration PUBLISH_WAIT = Duration.ofSeconds(10);
  private static final int MAX_BODY_BYTES = 1024 * 1024;

  private final OverviewQueries queries;
  private final CommandGateway commands;

  ProgramApi(OverviewQueries queries, CommandGateway commands) {
    this.queries = queries;
    this.commands = commands;
  }

  List<Route> routes() {
    String programs = Route.ORGANIZATION + "/programs";
    return List.of(
        Route.of("GET", programs, Role.MANAGER, (exchange, caller, path) ->
            Http.json(exchange, 200, Http.JSON.writeValueAsString(queries.programVersions(path.group(1), Instant.now())))),
        Route.of("POST", programs, Role.ADMIN, (exchange, caller, path) -> publish(exchange, caller, path.group(1))));
  }

  private int publish(HttpExchange exchange, Caller caller, String organizationId) throws IOException, InterruptedException {
    ProgramConfig program;
    try (InputStream in = exchange.getRequestBody()) {
      program = (ProgramConfig) JsonRecords.parse(new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8),
          ProgramConfig.getClassSchema());
    } catch (RuntimeException e) {
      // The parser's message may quote the body: only the expected type is named.
      return Http.problem(exchange, 400, "UNDECODABLE", "the body is not a ProgramConfig as ProgramConfig.avsc defines it");
    }
    if (!organizationId.equals(program.getOrganizationId())) {
      return problems(exchange, "KEY_MISMATCH", List.of("organizationId is " + program.getOrganizationId() + ", not the path's "
          + organizationId));
    }
    program.setPublishedBy(caller.name());
    Optional<Violation> refused = ProgramValidator.validate(ProgramKey.of(program), program);
    if (refused.isPresent()) {
      return problems(exchange, refused.get().reason().name(), ProgramValidator.problems(program));
    }
    commands.publishProgram(program, PUBLISH_WAIT);
    return Http.json(exchange, 201, Http.JSON.createObjectNode().put("organizationId", organizationId).put("version", program.getVersion())
        .put("effectiveFrom", program.getEffectiveFrom().toString()).put("publishedBy", caller.name()).toString());
  }

  /** A 422 naming every problem, each its own entry of {@code problems}. */
  private static int problems(HttpExchange exchange, String reasonCode, List<String> problems) throws IOException {
    var body = Http.JSON.createObjectNode().put("type", "about:blank").put("title", reasonCode).put("status", 422)
        .put("detail", String.join("; ", problems)).put("reasonCode", reasonCode);
    body.set("problems", Http.JSON.valueToTree(problems));
    return Http.send(exchange, 422, "application/problem+json", body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
