package io.loyalty.cli;

import io.loyalty.api.JsonRecords;
import io.loyalty.api.RecordPublisher;
import io.loyalty.api.TopicContract;
import io.loyalty.runtime.AppConfig;
import io.loyalty.serde.SerdeFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Publishes JSON lines from stdin to a topic; a line that does not fit the schema is reported and skipped. */
final class ProduceCommand {
  private ProduceCommand() {}

  static int run(AppConfig config, Options options) throws IOException {
    if (options.positional().size() != 1) {
      System.err.println("usage: produce TOPIC < records.jsonl");
      return 2;
    }
    TopicContract<?> contract = TopicContract.of(config.topics(), options.positional().get(0));
    int published = 0;
    int refused = 0;
    try (RecordPublisher publisher = new RecordPublisher(config.kafkaProperties(), SerdeFactory.of(config.registry()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      int lineNumber = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          SpecificRecord record = JsonRecords.parse(line, SpecificData.get().getSchema(contract.type()));
          publisher.publish(contract, record).get();
          published++;
        } catch (IllegalArgumentException e) {
          System.err.println("line " + lineNumber + " not published: " + e.getMessage());
          refused++;
        } catch (Exception e) {
          System.err.println("line " + lineNumber + " not published: " + e);
          refused++;
        }
      }
    }
    System.err.println("published " + published + " record(s) to " + contract.topic()
        + (contract.toEveryPartition() ? ", each to every partition" : "") + (refused > 0 ? ", " + refused + " refused" : ""));
    return refused > 0 ? 1 : 0;
  }
}
