package io.loyalty.testing;

import io.loyalty.api.JsonRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** The sample JSON of each record type under src/test/resources/samples, as the README shows them. */
public final class Samples {
  private Samples() {}

  public static String json(Schema schema) {
    String resource = "samples/" + schema.getName() + ".json";
    try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no sample " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T extends SpecificRecord> T record(Schema schema) {
    return JsonRecords.parse(json(schema), schema);
  }
}
