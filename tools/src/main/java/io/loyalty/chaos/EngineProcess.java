package io.loyalty.chaos;

import java.io.File;
import io.loyalty.cli.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One engine instance (`run`) in its own JVM, so that it can be killed without a clean close (SIGKILL). */
final class EngineProcess {
  private final String name;
  private final Map<String, String> environment;
  private final Path stateDir;
  private final Path log;
  private Process process;

  EngineProcess(String name, Map<String, String> environment, Path workDir) {
    this.name = name;
    this.environment = environment;
    this.stateDir = workDir.resolve(name + "-state");
    this.log = workDir.resolve(name + ".log");
  }

  EngineProcess start() throws IOException {
    ProcessBuilder builder = ChildJvm.builder("512m", List.of("run"));
    builder.environment().putAll(environment);
    builder.environment().put("LOYALTY_KAFKA_STATE_DIR", stateDir.toString());
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
    process = builder.start();
    return this;
  }

  /** SIGKILL: no commit, no close, no leaving the group; the group notices after the session timeout. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  void stop() throws InterruptedException {
    ChildJvm.stop(process, Duration.ofSeconds(60));
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  String name() {
    return name;
  }
}
