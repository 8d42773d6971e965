package io.loyalty.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loyalty.api.ApiKeys;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files under deploy/ cannot run here (no Docker engine, no cluster): what can be checked is that they parse,
 * that every setting they pass is one the engine knows and loads, and that the pieces point at each other (probes
 * at the health endpoints, selectors at the pods' labels, Prometheus at the engine's port with a key it accepts,
 * Grafana at the dashboard). .ci/run also runs yamllint and promtool on them.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void productionAndComposePropertiesLoadAndUseOnlyKnownSettings() throws Exception {
    AppConfig production = AppConfig.load(Optional.of(DEPLOY.resolve("production.properties")), Map.of());
    assertEquals("SASL_SSL", production.kafkaProperties().getProperty("security.protocol"));
    assertEquals("https://schema-registry:8081", production.registry().orElseThrow().url());
    assertUnknownKeys(keysOf(DEPLOY.resolve("production.properties")));
    AppConfig compose = AppConfig.load(Optional.of(DEPLOY.resolve("compose.properties")), Map.of());
    assertFalse(compose.registry().orElseThrow().autoRegister(), "registry mode as in production: the schemas job registers");
    assertUnknownKeys(keysOf(DEPLOY.resolve("compose.properties")));
  }

  @Test
  void everyYamlFileParses() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(DEPLOY)) {
      files = walk.filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml")).sorted().toList();
    }
    assertTrue(files.size() >= 6, files.toString());
    for (Path file : files) {
      assertFalse(documents(file).isEmpty(), file + " has no document");
    }
  }

  @Test
  void kubernetesManifestsWireProbesSelectorsAndSettings() throws Exception {
    Map<String, JsonNode> byKind = new TreeMap<>();
    for (JsonNode document : documents(DEPLOY.resolve("kubernetes/loyalty-engine.yaml"))) {
      byKind.put(document.get("kind").asText() + "/" + document.at("/metadata/name").asText(), document);
    }
    assertEquals(List.of("ConfigMap/loyalty-engine", "PodDisruptionBudget/loyalty-engine", "Service/loyalty-engine",
        "Service/loyalty-engine-headless", "ServiceMonitor/loyalty-engine", "StatefulSet/loyalty-engine"), List.copyOf(byKind.keySet()));
    JsonNode configMap = byKind.get("ConfigMap/loyalty-engine").get("data");
    JsonNode set = byKind.get("StatefulSet/loyalty-engine");
    JsonNode pod = set.at("/spec/template");
    JsonNode engine = pod.at("/spec/containers/0");
    JsonNode labels = pod.at("/metadata/labels");

    assertTrue(configMap.get("LOYALTY_KAFKA_NUM_STANDBY_REPLICAS").asInt() >= 1, "standby replicas");
    assertEquals(configMap.get("LOYALTY_KAFKA_STATE_DIR").asText(), engine.at("/volumeMounts/0/mountPath").asText());
    assertEquals(engine.at("/volumeMounts/0/name").asText(), set.at("/spec/volumeClaimTemplates/0/metadata/name").asText(),
        "the state directory is on the persistent volume");
    int apiPort = configMap.get("LOYALTY_API_PORT").asInt();
    assertEquals(apiPort, engine.at("/ports/0/containerPort").asInt());
    String portName = engine.at("/ports/0/name").asText();
    assertEquals("/health/ready", engine.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/health/live", engine.at("/livenessProbe/httpGet/path").asText());
    assertEquals("/health/live", engine.at("/startupProbe/httpGet/path").asText());
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertEquals(portName, engine.at("/" + probe + "/httpGet/port").asText(), probe);
    }
    // application.server = api.host:api.port, api.host the pod's name under the headless service.
    String headless = set.at("/spec/serviceName").asText();
    assertEquals("loyalty-engine-headless", headless);
    assertEquals("$(POD_NAME)." + headless + ".$(POD_NAMESPACE).svc.cluster.local", env(engine, "LOYALTY_API_HOST"));
    assertTrue(byKind.get("Service/" + headless).at("/spec/publishNotReadyAddresses").asBoolean());
    for (String selecting : List.of("Service/loyalty-engine", "Service/" + headless)) {
      assertEquals(labels, byKind.get(selecting).at("/spec/selector"), selecting + " selects the pods");
      assertEquals(portName, byKind.get(selecting).at("/spec/ports/0/targetPort").asText());
    }
    assertEquals(labels, byKind.get("PodDisruptionBudget/loyalty-engine").at("/spec/selector/matchLabels"));
    assertEquals(1, byKind.get("PodDisruptionBudget/loyalty-engine").at("/spec/maxUnavailable").asInt());
    JsonNode monitor = byKind.get("ServiceMonitor/loyalty-engine");
    JsonNode monitored = monitor.at("/spec/selector/matchLabels");
    List<String> scraped = byKind.entrySet().stream().filter(entry -> entry.getKey().startsWith("Service/"))
        .filter(entry -> contains(entry.getValue().at("/metadata/labels"), monitored)).map(Map.Entry::getKey).toList();
    assertEquals(List.of("Service/" + headless), scraped, "each pod is scraped once");
    assertEquals("/metrics", monitor.at("/spec/endpoints/0/path").asText());
    assertEquals("api", monitor.at("/spec/endpoints/0/port").asText());

    List<String> keys = new ArrayList<>();
    configMap.fieldNames().forEachRemaining(keys::add);
    keys.addAll(loyaltyVariables(Files.readString(DEPLOY.resolve("kubernetes/loyalty-engine.yaml"))));
    keys.addAll(loyaltyVariables(Files.readString(DEPLOY.resolve("kubernetes/setup-jobs.yaml"))));
    assertUnknownKeys(keys.stream().filter(key -> key.startsWith(AppConfig.ENV_PREFIX)).map(DeployFilesTest::settingOf).toList());
  }

  @Test
  void composeRunsTheEngineInRegistryModeBesideKafkaTheRegistryPrometheusAndGrafana() throws Exception {
    JsonNode services = documents(DEPLOY.resolve("compose.yaml")).get(0).get("services");
    for (String service : List.of("kafka", "schema-registry", "topics", "schemas", "engine", "prometheus", "grafana")) {
      assertTrue(services.has(service), "service " + service);
    }
    assertTrue(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText().contains("controller"), "a KRaft broker");
    assertEquals("[\"create-topics\"]", services.at("/topics/command").toString());
    assertEquals("[\"schemas\",\"--register\"]", services.at("/schemas/command").toString());
    AppConfig engine = AppConfig.load(Optional.of(DEPLOY.resolve("compose.properties")), Map.of());
    String mounted = "./compose.properties:" + entrypointConfig() + ":ro";
    for (String service : List.of("topics", "schemas", "engine", "pos-load")) {
      assertEquals(mounted, services.at("/" + service + "/volumes/0").asText(), service + " reads compose.properties");
    }
    assertTrue(services.has(engine.get("kafka.bootstrap.servers").split(":")[0]), "the brokers are a service");
    assertTrue(engine.registry().orElseThrow().url().startsWith("http://schema-registry:8080/"), "the registry is a service");

    JsonNode prometheus = documents(DEPLOY.resolve("prometheus/prometheus.yml")).get(0).at("/scrape_configs/0");
    assertEquals("engine:" + engine.getInt("api.port"), prometheus.at("/static_configs/0/targets/0").asText());
    assertEquals("/metrics", prometheus.get("metrics_path").asText());
    ApiKeys keys = ApiKeys.parse(engine.get("api.keys"));
    assertEquals(ApiKeys.Role.MONITOR, keys.authenticate(prometheus.at("/authorization/credentials").asText(), java.time.Instant.now()).orElseThrow().role(),
        "Prometheus sends a monitor key the engine accepts");

    String dashboard = services.at("/grafana/volumes").toString();
    assertTrue(dashboard.contains("./grafana/loyalty-engine.json"), dashboard);
    JsonNode provider = documents(DEPLOY.resolve("grafana/provisioning/dashboards/loyalty.yaml")).get(0);
    assertTrue(dashboard.contains(provider.at("/providers/0/options/path").asText()), "the dashboard is where Grafana looks");
    JsonNode datasource = documents(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yaml")).get(0).at("/datasources/0");
    JsonNode panels = new ObjectMapper().readTree(DEPLOY.resolve("grafana/loyalty-engine.json").toFile()).get("panels");
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        assertEquals(datasource.get("uid").asText(), target.at("/datasource/uid").asText(), panel.get("title").asText());
      }
    }
  }

  /** The config file the image's ENTRYPOINT passes with --config. */
  static String entrypointConfig() throws Exception {
    List<String> entrypoint = DockerfileEntrypoint.read(DEPLOY.resolve("Dockerfile"));
    return entrypoint.get(entrypoint.indexOf("--config") + 1);
  }

  private static boolean contains(JsonNode labels, JsonNode wanted) {
    List<String> missing = new ArrayList<>();
    wanted.fields().forEachRemaining(entry -> {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        missing.add(entry.getKey());
      }
    });
    return missing.isEmpty();
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode variable : container.get("env")) {
      if (variable.get("name").asText().equals(name)) {
        return variable.get("value").asText();
      }
    }
    throw new AssertionError("no " + name);
  }

  private static List<JsonNode> documents(Path file) throws Exception {
    try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return iterator.readAll().stream().filter(node -> node != null && !node.isNull() && !node.isMissingNode()).toList();
    }
  }

  private static List<String> loyaltyVariables(String text) {
    Matcher matcher = Pattern.compile("(LOYALTY_[A-Z_]+)").matcher(text);
    List<String> names = new ArrayList<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static String settingOf(String variable) {
    return variable.substring(AppConfig.ENV_PREFIX.length()).toLowerCase().replace('_', '.');
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
        .distinct()
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
