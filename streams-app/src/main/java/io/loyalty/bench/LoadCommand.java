package io.loyalty.bench;

import io.loyalty.api.RecordPublisher;
import io.loyalty.api.TopicContract;
import io.loyalty.avro.ProgramConfig;
import io.loyalty.cli.Options;
import io.loyalty.demo.SampleStream;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.Topics;
import io.loyalty.serde.SerdeFactory;
import java.time.Instant;

/** The `load` command: the generated POS stream (and the sample programs) into the configured cluster. */
public final class LoadCommand {
  private LoadCommand() {}

  public static int run(AppConfig config, Options options) throws InterruptedException {
    int events = options.intValue("--events", 1_000_000);
    LoadGenerator generator = new LoadGenerator(options.intValue("--seed", 42), options.intValue("--accounts", 1_000_000),
        Double.parseDouble(options.value("--zipf").orElse("0.8")),
        Instant.parse(options.value("--start").orElse("2026-09-01T16:00:00Z")));
    Topics topics = config.topics();
    Pacer pacer = new Pacer(options.intValue("--rate", 0));
    long begin = System.nanoTime();
    try (RecordPublisher publisher = new RecordPublisher(LoadProducer.properties(config), SerdeFactory.of(config.registry()))) {
      for (ProgramConfig program : SampleStream.programs()) {
        publisher.publish(TopicContract.of(topics, topics.programs()), program);
      }
      TopicContract<?> transactions = TopicContract.of(topics, topics.transactions());
      TopicContract<?> commands = TopicContract.of(topics, topics.commands());
      for (int sent = 0; sent < events; sent++) {
        pacer.await(sent);
        SampleStream.publish(publisher, transactions, commands, generator.next());
      }
      publisher.flush();
    }
    System.out.printf("published %d records in %.1f s%n", events, (System.nanoTime() - begin) / 1e9);
    return 0;
  }
}
