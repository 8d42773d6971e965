package io.loyalty.serde;

import io.loyalty.contract.Contract;
import io.loyalty.contract.SchemaHistory;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** Writer schemas of single-object encoded data, found by their 64-bit fingerprint in the bundled history. */
public final class BundledSchemas {
  private static final BundledSchemas INSTANCE = load();

  private final Map<Long, Schema> byFingerprint;

  private BundledSchemas(Map<Long, Schema> byFingerprint) {
    this.byFingerprint = byFingerprint;
  }

  public static BundledSchemas get() {
    return INSTANCE;
  }

  private static BundledSchemas load() {
    Map<Long, Schema> byFingerprint = new HashMap<>();
    for (Schema current : Contract.all()) {
      byFingerprint.put(fingerprint(current), current);
      for (Schema released : SchemaHistory.versionsOf(current.getFullName())) {
        byFingerprint.put(fingerprint(released), released);
      }
    }
    return new BundledSchemas(Map.copyOf(byFingerprint));
  }

  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The writer schema with this fingerprint, or null when no bundled version has it. */
  public Schema byFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }
}
