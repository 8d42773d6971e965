package io.loyalty.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (Debian's chromium package; .ci/run installs it), driven from its command line: the
 * page's DOM once its scripts have run, and a screenshot.
 */
public final class Chromium {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

  private Chromium() {}

  /** The browser's path; a machine without it fails the test that needs it, saying what to install. */
  public static Path binary() {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : NAMES) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new AssertionError("no Chromium on this machine: install Debian's chromium package (.ci/run does)");
  }

  /** The DOM after the page's scripts ran for up to {@code budgetMillis} of virtual time. */
  public static String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
    return run(List.of("--virtual-time-budget=" + budgetMillis, "--dump-dom", url));
  }

  public static void screenshot(String url, Path png, int budgetMillis) throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    run(List.of("--virtual-time-budget=" + budgetMillis, "--window-size=1400,2400", "--screenshot=" + png.toAbsolutePath(), url));
  }

  private static String run(List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--hide-scrollbars"));
    command.addAll(arguments);
    Path output = Files.createTempFile("chromium-", ".out");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Chromium did not finish in 120 s: " + command);
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
