package io.loyalty.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of this jar started by another (a broker for the benchmark, engine instances for the fault test, a
 * benchmark repetition). The child ends with its parent, however the parent ends (a failed test, SIGKILL):
 * it watches the parent's process id and runs its own shutdown hooks, closing what it started, when the parent
 * is gone. So no broker, engine or repetition outlives the command or test that started it.
 */
public final class ChildJvm {
  public static final String PARENT_PID = "LOYALTY_PARENT_PID";

  private ChildJvm() {}

  /** A process builder for {@code java -Xmx<heap> -cp <this class path> io.loyalty.cli.Main <arguments>}. */
  public static ProcessBuilder builder(String heap, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
        "io.loyalty.cli.Main"));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(PARENT_PID, Long.toString(ProcessHandle.current().pid()));
    return builder;
  }

  /** In a child: exits (running shutdown hooks) once the parent process is gone. */
  public static void exitWithParent(Map<String, String> environment) {
    Optional<ProcessHandle> parent = Optional.ofNullable(environment.get(PARENT_PID))
        .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)));
    if (environment.containsKey(PARENT_PID) && parent.isEmpty()) {
      System.exit(143);
    }
    parent.ifPresent(handle -> {
      Thread watch = new Thread(() -> {
        handle.onExit().join();
        System.exit(143);
      }, "parent-watch");
      watch.setDaemon(true);
      watch.start();
    });
  }

  /** Stops a child: asks it to end (shutdown hooks run), then kills it if it has not within the grace time. */
  public static void stop(Process process, Duration grace) throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
