package io.loyalty.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The in-process broker of the `broker` command, started in a child JVM so it stays out of the engine's heap. */
final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  static BrokerProcess start(Path dataDir) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.loyalty.cli.Main", "broker", "--port", Integer.toString(port), "--data-dir", dataDir.toString()))
        .redirectErrorStream(true).start();
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = output.readLine()) != null) {
      if (line.startsWith("broker ready at ")) {
        Thread drain = new Thread(() -> drain(output), "broker-output");
        drain.setDaemon(true);
        drain.start();
        return new BrokerProcess(process, line.substring("broker ready at ".length()).trim());
      }
    }
    throw new IllegalStateException("the broker process exited before it was ready (exit " + process.exitValue() + ")");
  }

  /** Keeps the child's pipe from filling up; the pipe closes with the child. */
  private static void drain(BufferedReader output) {
    try {
      while (output.readLine() != null) {
        continue;
      }
    } catch (IOException closed) {
      return;
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
