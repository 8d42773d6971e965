package io.loyalty.bench;

import io.loyalty.cli.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The in-process broker of the `broker` command, started in a child JVM so it stays out of the engine's heap. */
final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  static BrokerProcess start(Path dataDir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process = ChildJvm.builder("1g", List.of("broker", "--port", Integer.toString(port), "--data-dir", dataDir.toString()))
        .redirectErrorStream(true).start();
    try {
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
      throw new IllegalStateException("the broker process exited before it was ready (exit " + process.waitFor() + ")");
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
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
    ChildJvm.stop(process, Duration.ofSeconds(60));
  }
}
