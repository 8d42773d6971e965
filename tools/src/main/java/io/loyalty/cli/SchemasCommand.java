package io.loyalty.cli;

import io.loyalty.api.TopicContract;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.PublishedSchema;
import io.loyalty.serde.RegistrySettings;
import io.loyalty.serde.SchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Writes each topic's value schema as the contract publishes it, one self-contained file per subject
 * ({@code <topic>-value.avsc}), for a deployment pipeline that registers the subjects itself
 * ({@code schema.registry.auto.register=false}); the engine's lookup finds exactly these. With
 * {@code --register} it registers them in the configured registry instead (a deployment's one-off job).
 */
final class SchemasCommand {
  private SchemasCommand() {}

  static int run(AppConfig config, Options options) throws IOException {
    if (options.flag("--register")) {
      RegistrySettings settings = config.registry()
          .orElseThrow(() -> new IllegalArgumentException("--register needs schema.registry.url"));
      SchemaRegistryClient registry = new SchemaRegistryClient(settings);
      for (TopicContract<?> contract : TopicContract.all(config.topics())) {
        String subject = contract.topic() + "-value";
        System.out.println(subject + " id " + registry.register(subject, SpecificData.get().getSchema(contract.type())));
      }
      return 0;
    }
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
