package io.loyalty.contract;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Backward compatibility as the contract defines it: the current schema must read data written with every
 * released version. Uses Avro's own {@link SchemaCompatibility}, which also explains each incompatibility.
 */
public final class CompatibilityCheck {
  private CompatibilityCheck() {}

  /** The incompatibilities found, one readable line each; empty when the reader reads every writer. */
  public static List<String> problems(Schema reader, List<Schema> releasedWriters) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < releasedWriters.size(); i++) {
      SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(reader, releasedWriters.get(i));
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
          problems.add(reader.getFullName() + " cannot read v" + (i + 1) + ": "
              + incompatibility.getType() + " at " + incompatibility.getLocation()
              + " (" + incompatibility.getMessage() + ")");
        }
      }
    }
    return problems;
  }
}
