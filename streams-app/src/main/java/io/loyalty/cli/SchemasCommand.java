package io.loyalty.cli;

import io.loyalty.api.TopicContract;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.PublishedSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Writes each topic's value schema as the contract publishes it, one self-contained file per subject
 * ({@code <topic>-value.avsc}), for a deployment pipeline that registers the subjects itself
 * ({@code schema.registry.auto.register=false}); the engine's lookup finds exactly these.
 */
final class SchemasCommand {
  private SchemasCommand() {}

  static int run(AppConfig config, Options options) throws IOException {
    Path out = Path.of(options.value("--out").orElse("schemas"));
    Files.createDirectories(out);
    for (TopicContract<?> contract : TopicContract.all(config.topics())) {
      Schema schema = SpecificData.get().getSchema(contract.type());
      String subject = contract.topic() + "-value";
      Path file = out.resolve(subject + ".avsc");
      Files.writeString(file, new Schema.Parser().parse(PublishedSchema.of(schema)).toString(true) + "\n");
      System.out.println(subject + " " + file);
    }
    return 0;
  }
}
