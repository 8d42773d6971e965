package io.loyalty.broker;

import io.loyalty.runtime.Directories;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker, in-process, in KRaft mode (broker and controller in one), with the
 * single-node settings exactly-once needs. Its data lives in a given directory or a temporary one that is
 * deleted on close.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;

  private final Path dataDir;
  private final boolean temporary;
  private final int brokerPort;
  private KafkaRaftServer server;

  private EmbeddedKafka(Path dataDir, boolean temporary, int brokerPort) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.brokerPort = brokerPort;
  }

  /** Starts a broker on a free port, data in a temporary directory. */
  public static EmbeddedKafka start() {
    try {
      return start(Files.createTempDirectory("loyalty-kafka-"), true, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a broker; port 0 picks a free one. A directory formatted before is reused with its data. */
  public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose, int port) {
    EmbeddedKafka kafka = new EmbeddedKafka(dataDir, deleteOnClose, port == 0 ? freePort() : port);
    kafka.startServer();
    return kafka;
  }

  private void startServer() {
    int controllerPort = freePort();
    Path logDir = dataDir.resolve("kraft-combined-logs");
    Properties props = new Properties();
    props.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", String.valueOf(NODE_ID)),
        Map.entry("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", logDir.toString()),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "5"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "5"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // A single local broker: a client may detect a failed member within a second (Kafka's floor is 6 s).
        Map.entry("group.min.session.timeout.ms", "1000"),
        Map.entry("log.flush.interval.messages", "10000")));
    try {
      Files.createDirectories(logDir);
      // Formatted before (a restart, or a kept --data-dir): its cluster id is there, and formatting again
      // with a new one would fail.
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .addDirectory(logDir.toString())
            .setMetadataLogDirectory(logDir.toString())
            .setReleaseVersion(MetadataVersion.latestProduction())
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setControllerListenerName("CONTROLLER")
            .run();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the embedded broker's log directory " + logDir, e);
    }
    server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    try {
      server.startup();
      awaitReady();
    } catch (RuntimeException e) {
      // A broker that failed to start is stopped here: nobody else holds it to close it.
      stop();
      throw e;
    }
    LOG.info("embedded Kafka broker (KRaft) ready at {}, data in {}", bootstrapServers(), dataDir);
  }

  private void awaitReady() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("embedded broker did not become ready", e);
          }
        }
      }
    }
  }

  public String bootstrapServers() {
    return "localhost:" + brokerPort;
  }

  /** Stops the broker without deleting its data, as a crash or maintenance stop would. */
  public void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** Starts the broker again on the same port and data. */
  public void restart() {
    stop();
    startServer();
  }

  @Override
  public void close() {
    stop();
    if (temporary) {
      Directories.deleteRecursively(dataDir);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
