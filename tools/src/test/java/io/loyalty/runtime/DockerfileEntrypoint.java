package io.loyalty.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The exec-form ENTRYPOINT of a Dockerfile, as the container runtime splits it. */
final class DockerfileEntrypoint {
  private DockerfileEntrypoint() {}

  static List<String> read(Path dockerfile) throws Exception {
    String line = Files.readAllLines(dockerfile).stream().filter(text -> text.startsWith("ENTRYPOINT ")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no ENTRYPOINT in " + dockerfile));
    return Arrays.asList(new ObjectMapper().readValue(line.substring("ENTRYPOINT ".length()), String[].class));
  }
}
