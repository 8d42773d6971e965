package io.loyalty.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * A schema as the contract publishes it: what parsing the repository's .avsc files gives, without the
 * {@code avro.java.string} property the Java code generator adds to every string. Registries store this form,
 * so readers in other languages see the contract, and a subject registered from the .avsc files matches.
 */
public final class PublishedSchema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAVA_STRING_PROPERTY = "avro.java.string";

  private PublishedSchema() {}

  public static String of(Schema schema) {
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      withoutJavaProperties(tree);
      return new Schema.Parser().parse(tree.toString()).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("schema " + schema.getFullName() + " does not print as JSON", e);
    }
  }

  private static void withoutJavaProperties(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(JAVA_STRING_PROPERTY);
    }
    node.forEach(PublishedSchema::withoutJavaProperties);
  }
}
