package io.loyalty.serde;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach a Schema Registry REST API (Confluent Schema Registry, Karapace, Redpanda, Apicurio's
 * compatibility API). TLS material is optional: without it the JVM's default trust store applies.
 */
public record RegistrySettings(
    String url,
    Optional<String> basicAuthUserInfo,
    Optional<String> bearerToken,
    Optional<KeyMaterial> trustStore,
    Optional<KeyMaterial> keyStore,
    boolean autoRegister,
    Duration requestTimeout) {

  /** A key or trust store file. */
  public record KeyMaterial(String location, String password, String type) {}

  public RegistrySettings {
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public static RegistrySettings of(String url) {
    return new RegistrySettings(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true,
        Duration.ofSeconds(10));
  }
}
