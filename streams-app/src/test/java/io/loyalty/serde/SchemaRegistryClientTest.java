package io.loyalty.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loyalty.avro.LedgerEntry;
import io.loyalty.avro.TransactionEvent;
import io.loyalty.testing.FakeSchemaRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

  private static RegistrySettings settings(FakeSchemaRegistry registry, String userInfo) {
    return new RegistrySettings(registry.url() + "/", Optional.ofNullable(userInfo), Optional.empty(), Optional.empty(),
        Optional.empty(), true, Duration.ofSeconds(5));
  }

  @Test
  void registersUnderTheSubjectFindsByIdAndCachesBothWays() throws Exception {
    try (FakeSchemaRegistry registry = new FakeSchemaRegistry(null)) {
      SchemaRegistryClient client = new SchemaRegistryClient(settings(registry, null));
      int id = client.register("pos.transactions-value", TransactionEvent.getClassSchema());
      assertEquals(100, id);
      assertEquals(100, client.register("pos.transactions-value", TransactionEvent.getClassSchema()));
      assertEquals(TransactionEvent.getClassSchema(), client.schemaById(100));
      assertEquals(1, registry.requests.get(), "the second register and the lookup by id are served from the cache");

      assertEquals(101, client.register("loyalty.ledger-value", LedgerEntry.getClassSchema()));
      SchemaRegistryClient other = new SchemaRegistryClient(settings(registry, null));
      assertEquals(LedgerEntry.getClassSchema(), other.schemaById(101));
      assertEquals(101, other.lookup("loyalty.ledger-value", LedgerEntry.getClassSchema()));
    }
  }

  @Test
  void reportsTheRegistrysErrorsWithTheirCodes() throws Exception {
    try (FakeSchemaRegistry registry = new FakeSchemaRegistry(null)) {
      SchemaRegistryClient client = new SchemaRegistryClient(settings(registry, null));
      RegistryException unknownId = assertThrows(RegistryException.class, () -> client.schemaById(7));
      assertEquals(404, unknownId.httpStatus());
      assertEquals(40403, unknownId.errorCode());
      assertEquals("schema registry GET /schemas/ids/7 answered 404 (40403): Schema 7 not found", unknownId.getMessage());

      RegistryException unknownSubject = assertThrows(RegistryException.class,
          () -> client.lookup("nothing-value", LedgerEntry.getClassSchema()));
      assertEquals(40401, unknownSubject.errorCode());

      registry.rejectAsIncompatible("loyalty.ledger-value");
      RegistryException incompatible = assertThrows(RegistryException.class,
          () -> client.register("loyalty.ledger-value", LedgerEntry.getClassSchema()));
      assertEquals(409, incompatible.httpStatus());
      assertEquals("schema registry POST /subjects/loyalty.ledger-value/versions answered 409 (409): Schema being registered is "
          + "incompatible with an earlier schema for subject \"loyalty.ledger-value\"", incompatible.getMessage());
    }
  }

  @Test
  void sendsBasicAuthenticationAndReportsItsAbsence() throws Exception {
    try (FakeSchemaRegistry registry = new FakeSchemaRegistry("loyalty:s3cret")) {
      assertEquals(100, new SchemaRegistryClient(settings(registry, "loyalty:s3cret"))
          .register("pos.transactions-value", TransactionEvent.getClassSchema()));
      RegistryException refused = assertThrows(RegistryException.class, () -> new SchemaRegistryClient(settings(registry, null))
          .register("pos.transactions-value", TransactionEvent.getClassSchema()));
      assertEquals(401, refused.httpStatus());
      RegistryException wrong = assertThrows(RegistryException.class, () -> new SchemaRegistryClient(settings(registry, "loyalty:wrong"))
          .schemaById(100));
      assertEquals(401, wrong.httpStatus());
    }
  }
}
