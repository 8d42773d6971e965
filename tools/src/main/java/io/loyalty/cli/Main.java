package io.loyalty.cli;

import io.loyalty.bench.BenchCommand;
import io.loyalty.bench.LoadCommand;
import io.loyalty.chaos.ChaosCommand;
import io.loyalty.evaluation.EvaluateRecommendationsCommand;
import io.loyalty.demo.DemoCommand;
import io.loyalty.api.ApiKeys;
import io.loyalty.runtime.AppConfig;
import io.loyalty.runtime.LogFormat;
import io.loyalty.cli.ChildJvm;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code java -jar loyalty-engine.jar <command> [options]}: run, demo, produce, consume, check, load, broker, bench, chaos,
 * evaluate-recommendations. */
public final class Main {
  private static final String USAGE = """
      usage: java -jar loyalty-engine.jar [--config FILE] <command> [options]

        run                      run the engine against kafka.bootstrap.servers (Ctrl-C stops it cleanly)
            --create-topics      create missing topics first (topic.partitions, topic.replication.factor)
        demo                     start an in-process Kafka broker, the engine and a sample POS stream,
                                 print a summary, keep running until Ctrl-C
            --data-dir DIR       keep the broker's data in DIR (default: a temporary directory)
            --port PORT          broker port (default 9092; 0 picks a free one)
            --customers N        sample customers (default 300)
            --exit               exit after the summary instead of waiting for Ctrl-C
        hash-key KEY             print the api.keys entry of a key (name:role:organizations:sha256[:expires])
            --name NAME          who the key is (the actor of what it writes)
            --role ROLE          monitor, register, manager or admin
            --organizations ORG[,ORG...]  the organizations it acts for, or '*' for all (a platform operator)
            --expires DATE       its last valid day, yyyy-MM-dd (UTC); none: it does not expire
                                 (without --name, --role and --organizations: the key's SHA-256 alone)
        create-topics            create the engine's missing topics (topic.partitions, topic.replication.factor)
        schemas                  write each topic's value schema as published (<topic>-value.avsc), for a
                                 pipeline that registers the subjects (schema.registry.auto.register=false)
            --out DIR            (default: schemas)
            --register           register them in schema.registry.url instead
        produce TOPIC            publish JSON lines read from stdin to TOPIC, keyed and framed by the contract
        consume TOPIC            print TOPIC from the beginning as JSON lines
            --max N              stop after N records
            --idle-ms MS         stop when nothing arrived for MS (default 3000)
        check                    invariant check of the topics (read_committed): records in, accounted for,
                                 missing, duplicated, balance mismatches; exit status 1 if any fails
            --idle-ms MS         stop reading a topic when nothing arrived for MS (default 5000)
        broker                   run a single-node KRaft broker until Ctrl-C
            --port PORT          (default 9092)   --data-dir DIR  (default: a temporary directory)
        load                     publish a generated POS stream (power-law customers, returns, voids,
                                 duplicates, malformed records) and the sample programs to the cluster
            --events N (1000000) --accounts N (1000000) --rate EV_PER_S (0: as fast as possible)
            --seed N (42) --zipf EXPONENT (0.8) --start BUSINESS_TIME (2026-09-01T16:00:00Z)
        bench                    benchmark: exactly-once pass-through vs the loyalty topology, latency at a
                                 fixed rate, heap, state size, restore time; table and JSON
            --events N (300000) --accounts N (1000000) --partitions N (6) --repetitions N (3)
            --rate EV_PER_S (5000) --latency-seconds S (30) --seed N (42) --zipf EXPONENT (0.8; 0: uniform)
            --out FILE (bench-results.json)
            --heap SIZE (1g)     -Xmx of each repetition's JVM
            --bootstrap-servers HOST:PORT   use a running cluster instead of a broker in a child JVM
            --segments / --workflows       define the ten standard segments (and five workflows)
        chaos                    3 instances (JVMs) on a 12-partition in-process broker under load: kill one,
                                 add one, restart the broker, crash-loop one; then the invariant check and a
                                 comparison with a single instance; exit status 0 when all holds
            --events N (60000) --rate EV_PER_S (500) --partitions N (12)

        evaluate-recommendations recall@K, PHR@K, repeat and explore recall of the engine's recommendations
                                 against TIFU-KNN, GP-TopFreq, P-TopFreq and G-TopFreq, last basket held out
            --baskets FILE[,FILE...] JSON {"customer": [["sku", ...], ...]}, baskets oldest first, or the
                                 reality check's HISTORY+FUTURE pair
            --from-topic         the purchases on the transactions topic (kafka.bootstrap.servers)
            --generated N (5000) customers with latent tastes (the load generator's); --seed N (42)
            --last-baskets N     each customer's last N baskets only (short histories)
            --k K (10) --half-life-days D (90) --explore-slots N (0) --tifu k,r_b,r_g,alpha,m (300,0.9,0.7,0.7,7)
            --write FILE         the baskets evaluated, as JSON

      Settings: loyalty.properties defaults, then --config FILE, then LOYALTY_* environment variables.
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    Optional<Path> configFile = Optional.empty();
    if (rest.size() >= 2 && rest.get(0).equals("--config")) {
      configFile = Optional.of(Path.of(rest.get(1)));
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("help")) {
      System.out.print(USAGE);
      return;
    }
    ChildJvm.exitWithParent(System.getenv());
    int status;
    try {
      AppConfig config = AppConfig.load(configFile, System.getenv());
      LogFormat.apply(config);
      status = dispatch(rest.get(0), config, new Options(rest.subList(1, rest.size())));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      // A user's mistake (an unknown topic, a malformed option, a config file that is not there): the message
      // says what is wrong, no stack trace.
      System.err.println(rest.get(0) + ": " + e.getMessage());
      status = 2;
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  private static int dispatch(String command, AppConfig config, Options options) throws Exception {
    return switch (command) {
      case "run" -> RunCommand.run(config, options);
      case "hash-key" -> {
        if (options.positional().size() != 1) {
          throw new IllegalArgumentException("give the key: hash-key KEY");
        }
        String key = options.positional().get(0);
        if (options.value("--name").isEmpty() && options.value("--role").isEmpty() && options.value("--organizations").isEmpty()) {
          System.out.println(ApiKeys.hash(key));
          yield 0;
        }
        String name = options.value("--name").orElseThrow(() -> new IllegalArgumentException("hash-key needs --name NAME"));
        String role = options.value("--role").orElseThrow(() -> new IllegalArgumentException("hash-key needs --role ROLE"));
        String organizations = options.value("--organizations").orElseThrow(
            () -> new IllegalArgumentException("hash-key needs --organizations ORG[,ORG...] (or '*' for all)"));
        System.out.println(ApiKeys.entry(name, ApiKeys.Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)),
            java.util.Arrays.stream(organizations.split(",")).map(String::trim).toList(), key,
            options.value("--expires").map(java.time.LocalDate::parse)));
        yield 0;
      }
      case "schemas" -> SchemasCommand.run(config, options);
      case "create-topics" -> RunCommand.createTopics(config);
      case "demo" -> DemoCommand.run(config, options);
      case "produce" -> ProduceCommand.run(config, options);
      case "consume" -> ConsumeCommand.run(config, options);
      case "broker" -> BrokerCommand.run(options);
      case "check" -> CheckCommand.run(config, options);
      case "bench" -> BenchCommand.run(config, options);
      case "load" -> LoadCommand.run(config, options);
      case "chaos" -> ChaosCommand.run(config, options);
      case "evaluate-recommendations" -> EvaluateRecommendationsCommand.run(config, options, System.out);
      default -> {
        System.err.println("unknown command " + command);
        System.err.print(USAGE);
        yield 2;
      }
    };
  }
}
