package io.loyalty.runtime;

import io.loyalty.serde.RegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The application's settings: defaults from {@code loyalty.properties}, then an optional file, then environment
 * variables ({@code LOYALTY_KAFKA_BOOTSTRAP_SERVERS} overrides {@code kafka.bootstrap.servers}).
 */
public final class AppConfig {
  public static final String ENV_PREFIX = "LOYALTY_";
  private static final String KAFKA_PREFIX = "kafka.";
  private static final String STREAMS_PASSTHROUGH_PREFIX = "loyalty.app.";

  private final Map<String, String> values;

  private AppConfig(Map<String, String> values) {
    this.values = values;
  }

  public static AppConfig load(Optional<Path> file, Map<String, String> environment) {
    Map<String, String> values = new TreeMap<>();
    try (InputStream defaults = AppConfig.class.getClassLoader().getResourceAsStream("loyalty.properties")) {
      putAll(values, read(defaults));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled loyalty.properties", e);
    }
    if (file.isPresent()) {
      try (Reader reader = Files.newBufferedReader(file.get())) {
        Properties properties = new Properties();
        properties.load(reader);
        putAll(values, properties);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read config file " + file.get(), e);
      }
    }
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX)) {
        values.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return new AppConfig(values);
  }

  /** The settings StreamsSettings passed along inside the Streams configuration, for pluggable classes. */
  public static AppConfig fromStreamsConfigs(Map<String, ?> configs) {
    Map<String, String> values = new TreeMap<>();
    configs.forEach((key, value) -> {
      if (key.startsWith(STREAMS_PASSTHROUGH_PREFIX) && value != null) {
        values.put(key.substring(STREAMS_PASSTHROUGH_PREFIX.length()), value.toString());
      }
    });
    return new AppConfig(values);
  }

  /** Every setting that is not a Kafka client setting, prefixed so Kafka ignores it and plugins can read it. */
  public Map<String, String> passthrough() {
    Map<String, String> passthrough = new TreeMap<>();
    values.forEach((key, value) -> {
      if (!key.startsWith(KAFKA_PREFIX)) {
        passthrough.put(STREAMS_PASSTHROUGH_PREFIX + key, value);
      }
    });
    return passthrough;
  }

  public static AppConfig defaults() {
    return load(Optional.empty(), Map.of());
  }

  private static Properties read(InputStream in) throws IOException {
    Properties properties = new Properties();
    properties.load(in);
    return properties;
  }

  private static void putAll(Map<String, String> values, Properties properties) {
    properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
  }

  /** A copy with some settings replaced, for the embedded runtime and tests. */
  public AppConfig with(Map<String, String> overrides) {
    Map<String, String> copy = new TreeMap<>(values);
    copy.putAll(overrides);
    return new AppConfig(copy);
  }

  public String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing setting " + key + " (environment " + envName(key) + ")");
    }
    return value;
  }

  public Optional<String> optional(String key) {
    return Optional.ofNullable(values.get(key)).filter(value -> !value.isBlank());
  }

  public int getInt(String key) {
    return Integer.parseInt(get(key));
  }

  public BigDecimal getDecimal(String key) {
    return new BigDecimal(get(key));
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Every {@code kafka.*} setting without its prefix, for the Kafka clients. */
  public Properties kafkaProperties() {
    Properties properties = new Properties();
    values.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX) && !value.isBlank()) {
        properties.put(key.substring(KAFKA_PREFIX.length()), value);
      }
    });
    return properties;
  }

  public Topics topics() {
    return new Topics(optional("topic.prefix").orElse(""), get("kafka.application.id"));
  }

  public Optional<RegistrySettings> registry() {
    return optional("schema.registry.url").map(url -> new RegistrySettings(
        url,
        optional("schema.registry.basic.auth.user.info"),
        optional("schema.registry.bearer.token"),
        keyMaterial("schema.registry.ssl.truststore"),
        keyMaterial("schema.registry.ssl.keystore"),
        Boolean.parseBoolean(get("schema.registry.auto.register")),
        Duration.ofMillis(Long.parseLong(get("schema.registry.request.timeout.ms")))));
  }

  private Optional<RegistrySettings.KeyMaterial> keyMaterial(String prefix) {
    return optional(prefix + ".location").map(location -> new RegistrySettings.KeyMaterial(
        location, optional(prefix + ".password").orElse(""), get(prefix + ".type")));
  }
}
