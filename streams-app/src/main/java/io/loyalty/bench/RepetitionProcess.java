package io.loyalty.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.cli.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs one benchmark repetition in a child JVM with the parent's options and reads back its figures. */
final class RepetitionProcess {
  private RepetitionProcess() {}

  static Map<String, Object> run(Options options, int repetition, Path out) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + options.value("--heap").orElse("1g"), "-cp", System.getProperty("java.class.path"), "io.loyalty.cli.Main", "bench"));
    command.addAll(options.without("--out", "--repetitions", "--heap"));
    command.addAll(List.of("--single-repetition", Integer.toString(repetition), "--out", out.toString()));
    Process process = new ProcessBuilder(command).inheritIO().start();
    int status = process.waitFor();
    if (status != 0) {
      throw new IllegalStateException("repetition " + repetition + " failed with exit status " + status);
    }
    return new ObjectMapper().readValue(out.toFile(), new TypeReference<Map<String, Object>>() { });
  }
}
