package io.loyalty.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loyalty.avro.TransactionEvent;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Shows that the check of ContractHistoryTest catches deliberately incompatible changes and lets compatible ones pass. */
class CompatibilityCheckTest {
  private static final List<Schema> RELEASED = SchemaHistory.versionsOf(TransactionEvent.getClassSchema().getFullName());

  private static Schema edited(String from, String to) {
    String json = TransactionEvent.getClassSchema().toString();
    assertTrue(json.contains(from), "test edit does not apply: " + from);
    return new Schema.Parser().parse(json.replace(from, to));
  }

  @Test
  void addingARequiredFieldWithoutDefaultIsCaught() {
    Schema changed = edited("{\"name\":\"source\"",
        "{\"name\":\"cashierId\",\"type\":\"string\",\"doc\":\"new\"},{\"name\":\"source\"");
    List<String> problems = CompatibilityCheck.problems(changed, RELEASED);
    assertEquals(2, problems.size(), "one per released version (v1, v2): " + problems);
    assertTrue(problems.get(0).startsWith("io.loyalty.avro.TransactionEvent cannot read v1: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/15"),
        problems.get(0));
    assertTrue(problems.get(0).contains("cashierId"), problems.get(0));
  }

  @Test
  void removingAnEnumSymbolIsCaught() {
    Schema changed = edited("[\"PURCHASE\",\"RETURN\",\"VOID\"]", "[\"PURCHASE\",\"RETURN\"]");
    List<String> problems = CompatibilityCheck.problems(changed, RELEASED);
    assertEquals(2, problems.size(), "one per released version (v1, v2): " + problems);
    assertTrue(problems.get(0).contains("MISSING_ENUM_SYMBOLS") && problems.get(0).contains("VOID"), problems.get(0));
  }

  @Test
  void changingAStringToALongIsCaught() {
    Schema changed = edited("{\"name\":\"locationId\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}",
        "{\"name\":\"locationId\",\"type\":\"long\"");
    List<String> problems = CompatibilityCheck.problems(changed, RELEASED);
    assertEquals(2, problems.size(), "one per released version (v1, v2): " + problems);
    assertTrue(problems.get(0).equals("io.loyalty.avro.TransactionEvent cannot read v1: TYPE_MISMATCH at /fields/4/type (reader type: LONG not compatible with writer type: STRING)"), problems.get(0));
  }

  @Test
  void addingAnOptionalFieldWithDefaultIsCompatible() {
    Schema changed = edited("{\"name\":\"source\"",
        "{\"name\":\"cashierId\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"new\"},{\"name\":\"source\"");
    assertEquals(List.of(), CompatibilityCheck.problems(changed, RELEASED));
  }
}
