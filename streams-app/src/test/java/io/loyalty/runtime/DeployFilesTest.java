package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The files under deploy/ cannot run here (no Docker engine); what can be checked is that their settings load. */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");

  @Test
  void productionPropertiesLoadAndUseOnlyKnownSettings() throws Exception {
    Path file = DEPLOY.resolve("production.properties");
    AppConfig config = AppConfig.load(Optional.of(file), Map.of());
    assertEquals("SASL_SSL", config.kafkaProperties().getProperty("security.protocol"));
    assertEquals("https://schema-registry:8081", config.registry().orElseThrow().url());
    assertUnknownKeys(keysOf(file));
  }

  @Test
  void kubernetesEnvironmentVariablesNameKnownSettings() throws Exception {
    String manifest = Files.readString(DEPLOY.resolve("kubernetes/loyalty-engine.yaml"));
    Matcher matcher = Pattern.compile("(LOYALTY_[A-Z_]+)").matcher(manifest);
    List<String> keys = new java.util.ArrayList<>();
    while (matcher.find()) {
      keys.add(matcher.group(1).substring(AppConfig.ENV_PREFIX.length()).toLowerCase().replace('_', '.'));
    }
    assertTrue(keys.size() >= 5, keys.toString());
    assertUnknownKeys(keys);
  }

  private static List<String> keysOf(Path file) throws Exception {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return List.copyOf(properties.stringPropertyNames());
  }

  /** Kafka client settings pass through; every other key must be one the bundled defaults define. */
  private static void assertUnknownKeys(List<String> keys) {
    AppConfig defaults = AppConfig.defaults();
    List<String> unknown = keys.stream()
        .filter(key -> !key.startsWith("kafka."))
        .filter(key -> defaults.optional(key).isEmpty() && !defaultKeyExists(defaults, key))
        .toList();
    assertEquals(List.of(), unknown);
  }

  private static boolean defaultKeyExists(AppConfig defaults, String key) {
    try {
      defaults.get(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
