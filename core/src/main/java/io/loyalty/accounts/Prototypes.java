package io.loyalty.accounts;

import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Fresh records copied from a blank prototype. A generated builder resolves every field's default on each build,
 * a visible cost for records made on every event (a first purchase, a first offer); a deep copy of a record built
 * once costs a fraction of that.
 */
public final class Prototypes {
  private Prototypes() {}

  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecordBase> T copyOf(T prototype) {
    return (T) SpecificData.getForClass(prototype.getClass()).deepCopy(prototype.getSchema(), prototype);
  }
}
