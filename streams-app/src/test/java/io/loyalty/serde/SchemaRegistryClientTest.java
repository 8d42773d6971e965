package io.loyalty.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.Rejection;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.testing.SchemaRegistryServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Against a real Schema Registry (Apicurio's app, Confluent-compatible API). */
class SchemaRegistryClientTest {
  private final SchemaRegistryServer registry = SchemaRegistryServer.shared();

  private static RegistrySettings settings(String url, String userInfo) {
    return new RegistrySettings(url + "/", Optional.ofNullable(userInfo), Optional.empty(), Optional.empty(),
        Optional.empty(), true, Duration.ofSeconds(5));
  }

  @Test
  void registersThePublishedFormAndFindsItById() {
    String subject = SchemaRegistryServer.uniqueTopic("pos.transactions") + "-value";
    SchemaRegistryClient client = new SchemaRegistryClient(settings(registry.url(), null));
    int id = client.register(subject, TransactionEvent.getClassSchema());
    assertEquals(id, client.register(subject, TransactionEvent.getClassSchema()));
    assertEquals(id, new SchemaRegistryClient(settings(registry.url(), null)).lookup(subject, TransactionEvent.getClassSchema()));

    String stored = registry.schemaText(id);
    assertFalse(stored.contains("avro.java.string"), "the registry holds the contract, not the Java generator's hints");
    Schema fetched = new SchemaRegistryClient(settings(registry.url(), null)).schemaById(id);
    assertEquals(PublishedSchema.of(TransactionEvent.getClassSchema()), fetched.toString());
  }

  @Test
  void findsASubjectRegisteredFromTheRepositorysAvscFile() throws Exception {
    // A deployment pipeline registers the .avsc text as written (indented, with docs); auto-register is off.
    String subject = SchemaRegistryServer.uniqueTopic("loyalty.rejections") + "-value";
    String avsc = Files.readString(Path.of("..", "schemas", "src", "main", "avro", "Rejection.avsc"));
    int id = registry.register(subject, avsc);
    SchemaRegistryClient client = new SchemaRegistryClient(settings(registry.url(), null));
    assertEquals(id, client.lookup(subject, Rejection.getClassSchema()));
  }

  @Test
  void reportsTheRegistrysErrorsWithTheirCodes() {
    SchemaRegistryClient client = new SchemaRegistryClient(settings(registry.url(), null));
    RegistryException unknownId = assertThrows(RegistryException.class, () -> client.schemaById(2_000_000_007));
    assertEquals(404, unknownId.httpStatus());
    assertEquals(40403, unknownId.errorCode());
    assertTrue(unknownId.getMessage().startsWith("schema registry GET /schemas/ids/2000000007 answered 404 (40403): "),
        unknownId.getMessage());

    String missing = SchemaRegistryServer.uniqueTopic("nothing") + "-value";
    RegistryException unknownSubject = assertThrows(RegistryException.class, () -> client.lookup(missing, LedgerEntry.getClassSchema()));
    assertEquals(40401, unknownSubject.errorCode());

    String subject = SchemaRegistryServer.uniqueTopic("loyalty.ledger") + "-value";
    client.register(subject, LedgerEntry.getClassSchema());
    registry.compatibility(subject, "BACKWARD");
    RegistryException incompatible = assertThrows(RegistryException.class,
        () -> client.register(subject, withRequiredField(LedgerEntry.getClassSchema(), "region")));
    assertEquals(409, incompatible.httpStatus());
    assertTrue(incompatible.getMessage().startsWith("schema registry POST /subjects/" + subject + "/versions?normalize=true answered 409"),
        incompatible.getMessage());
  }

  /** The schema with one more field and no default: a reader of it cannot read older records (not BACKWARD). */
  private static Schema withRequiredField(Schema schema, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    schema.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
    fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), "added without a default"));
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  @Test
  void sendsBasicAuthentication() throws Exception {
    // Apicurio's in-memory app has no user store (its authentication needs Keycloak), so the header the client
    // sends is checked at a local endpoint.
    List<String> authorizations = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext("/", exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"id\":5}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://localhost:" + server.getAddress().getPort();
      assertEquals(5, new SchemaRegistryClient(settings(url, "loyalty:s3cret")).register("t-value", TransactionEvent.getClassSchema()));
      assertEquals(List.of("Basic bG95YWx0eTpzM2NyZXQ="), authorizations);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRegistryThatNeverAnswersIsUnavailableWithinTwiceTheRequestTimeout() throws Exception {
    // A socket that accepts the connection and never writes a byte back.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      RegistrySettings settings = new RegistrySettings("http://localhost:" + silent.getLocalPort(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), true, Duration.ofMillis(300));
      // Without the bound this call waited forever: the guard only stops the test from hanging the build.
      RegistryUnavailableException unavailable = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> org.junit.jupiter.api.Assertions.assertThrows(RegistryUnavailableException.class,
              () -> new SchemaRegistryClient(settings).register("t-value", TransactionEvent.getClassSchema())));
      org.junit.jupiter.api.Assertions.assertTrue(unavailable.getMessage().startsWith("schema registry http://localhost:" + silent.getLocalPort()),
          unavailable.getMessage());
    }
  }
}
