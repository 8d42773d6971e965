package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image's ENTRYPOINT (deploy/Dockerfile) starts: without a Docker engine, the same command runs here with
 * the files the Dockerfile copies in their place (the built jar, deploy/production.properties), and answers
 * --help (DeployFilesTest loads the settings file it names).
 */
class ImageEntrypointIT {
  @Test
  void theImagesEntrypointStartsWithItsBundledSettings() throws Exception {
    Path dockerfile = Path.of("..", "deploy", "Dockerfile");
    String text = Files.readString(dockerfile);
    List<String> command = new ArrayList<>();
    for (String part : DockerfileEntrypoint.read(dockerfile)) {
      command.add(switch (part) {
        case "java" -> Path.of(System.getProperty("java.home"), "bin", "java").toString();
        case "/opt/loyalty/loyalty-engine.jar" -> Path.of("target", "loyalty-engine.jar").toAbsolutePath().toString();
        case "/etc/loyalty/loyalty.properties" -> Path.of("..", "deploy", "production.properties").toAbsolutePath().toString();
        default -> part;
      });
    }
    assertTrue(text.contains("COPY --from=build /src/tools/target/loyalty-engine.jar /opt/loyalty/loyalty-engine.jar"), text);
    assertTrue(text.contains("COPY deploy/production.properties /etc/loyalty/loyalty.properties"), text);
    command.add("--help");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.startsWith("usage: java -jar loyalty-engine.jar"), output);
    for (String used : List.of("run", "create-topics", "schemas", "load")) {
      assertTrue(output.contains("\n  " + used + " ") || output.contains("\n        " + used + " "), used + " in\n" + output);
    }
  }
}
