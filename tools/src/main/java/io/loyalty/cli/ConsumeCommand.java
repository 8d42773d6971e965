package io.loyalty.cli;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordReader;
import io.loyalty.api.TopicContract;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.AvroCodec;
import io.loyalty.serde.DecodeException;
import io.loyalty.serde.SerdeFactory;
import java.time.Duration;

/** Prints a topic from the beginning as JSON lines (committed records only). */
final class ConsumeCommand {
  private ConsumeCommand() {}

  static int run(AppConfig config, Options options) {
    if (options.positional().size() != 1) {
      System.err.println("usage: consume TOPIC [--max N] [--idle-ms MS]");
      return 2;
    }
    TopicContract<?> contract = TopicContract.of(config.topics(), options.positional().get(0));
    AvroCodec<?> codec = SerdeFactory.of(config.registry()).codec(contract.type());
    RecordReader.read(config.kafkaProperties(), contract.topic(), Duration.ofMillis(options.intValue("--idle-ms", 3000)),
        options.intValue("--max", Integer.MAX_VALUE), record -> {
          try {
            System.out.println(JsonRecords.toJson(codec.decode(record.value())));
          } catch (DecodeException e) {
            System.err.println("partition " + record.partition() + " offset " + record.offset() + ": " + e.reason()
                + " " + e.getMessage());
          }
        });
    return 0;
  }
}
