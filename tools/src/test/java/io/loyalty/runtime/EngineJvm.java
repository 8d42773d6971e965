package io.loyalty.runtime;

import io.loyalty.cli.ChildJvm;
import io.loyalty.broker.EmbeddedKafka;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

/**
 * The engine as users run it, the built jar in a JVM of its own, for tests that kill it (SIGKILL: no clean
 * close, the state directory kept) and start it again.
 */
final class EngineJvm {
  private EngineJvm() {}

  static Process start(EmbeddedKafka kafka, String applicationId, Path stateDir, String logName) throws Exception {
    return start(kafka, applicationId, stateDir, logName, Map.of());
  }

  /** The same with these environment variables too (settings as LOYALTY_... overrides). */
  static Process start(EmbeddedKafka kafka, String applicationId, Path stateDir, String logName, Map<String, String> environment)
      throws Exception {
    File jar = new File("target/loyalty-engine.jar");
    assertTrue(jar.isFile(), "the engine jar is built in the package phase, before integration tests");
    ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx512m", "-jar",
        jar.getAbsolutePath(), "run");
    // Ends with this JVM whatever happens to it, as every child JVM of the project does.
    builder.environment().put(ChildJvm.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
    builder.environment().put("LOYALTY_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    builder.environment().put("LOYALTY_KAFKA_APPLICATION_ID", applicationId);
    builder.environment().put("LOYALTY_KAFKA_STATE_DIR", stateDir.toString());
    builder.environment().put("LOYALTY_KAFKA_COMMIT_INTERVAL_MS", "200");
    builder.environment().put("LOYALTY_CLOCK_TICK_INTERVAL_MS", "0");
    // The killed member leaves no goodbye: the group waits a session timeout before the restart gets its tasks.
    builder.environment().put("LOYALTY_KAFKA_SESSION_TIMEOUT_MS", "6000");
    builder.environment().put("LOYALTY_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true).redirectOutput(new File("target/" + logName));
    return builder.start();
  }
}
