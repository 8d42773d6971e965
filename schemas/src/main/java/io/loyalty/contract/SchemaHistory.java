package io.loyalty.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record schema, bundled as classpath resources
 * {@code schema-history/<full name>/v<N>.avsc} (N = 1, 2, ... without gaps). Each file is self-contained, so a
 * reader resolves data written by any version without the writer's code.
 */
public final class SchemaHistory {
  public static final String RESOURCE_ROOT = "schema-history";

  private SchemaHistory() {}

  public static List<Schema> versionsOf(String fullName) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = resourcePath(fullName, version);
      try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
  }

  public static String resourcePath(String fullName, int version) {
    return RESOURCE_ROOT + "/" + fullName + "/v" + version + ".avsc";
  }
}
