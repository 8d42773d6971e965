package io.loyalty.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalty.cli.Options;
import io.loyalty.cli.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs one benchmark repetition in a child JVM with the parent's options and reads back its figures. */
final class RepetitionProcess {
  private RepetitionProcess() {}

  static Map<String, Object> run(Options options, int repetition, Path out) throws Exception {
    List<String> arguments = new ArrayList<>(List.of("bench"));
    arguments.addAll(options.without("--out", "--repetitions", "--heap"));
    arguments.addAll(List.of("--single-repetition", Integer.toString(repetition), "--out", out.toString()));
    Process process = ChildJvm.builder(options.value("--heap").orElse("1g"), arguments).inheritIO().start();
    int status;
    try {
      status = process.waitFor();
    } finally {
      ChildJvm.stop(process, Duration.ofSeconds(30));
    }
    if (status != 0) {
      throw new IllegalStateException("repetition " + repetition + " failed with exit status " + status);
    }
    return new ObjectMapper().readValue(out.toFile(), new TypeReference<Map<String, Object>>() { });
  }
}
