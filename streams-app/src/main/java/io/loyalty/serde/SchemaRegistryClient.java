package io.loyalty.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * The part of the Schema Registry REST API the serde needs: register a schema under a subject, find a
 * registered schema's id, and fetch a schema by id. Answers are cached both ways, since ids never change.
 *
 * <p>Schemas travel in their published form ({@link PublishedSchema}) and with {@code normalize=true}, so a
 * subject registered by a pipeline from the repository's .avsc files is found by the engine's lookup: Confluent
 * compares parsed schemas, Apicurio compares the text unless asked to normalize.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NORMALIZE = "?normalize=true";

  private final RegistrySettings settings;
  private final HttpClient http;
  private final Optional<String> authorization;
  private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

  public SchemaRegistryClient(RegistrySettings settings) {
    this.settings = settings;
    // HTTP/1.1, as every registry speaks it: with the JDK client's default (an h2c upgrade on http://) a request to the
    // Apicurio registry once went unanswered and the client's own timeout never fired (a test waited 14 minutes).
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).version(HttpClient.Version.HTTP_1_1);
    if (settings.trustStore().isPresent() || settings.keyStore().isPresent()) {
      builder.sslContext(sslContext(settings));
    }
    this.http = builder.build();
    this.authorization = settings.bearerToken().map(token -> "Bearer " + token)
        .or(() -> settings.basicAuthUserInfo().map(userInfo ->
            "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
  }

  /** Registers (or finds, if already there) the schema under the subject and returns its global id. */
  public int register(String subject, Schema schema) {
    return idOf(subject, schema, "/subjects/" + encode(subject) + "/versions" + NORMALIZE);
  }

  /** The id of a schema already registered under the subject; a RegistryException (40403) when it is not. */
  public int lookup(String subject, Schema schema) {
    return idOf(subject, schema, "/subjects/" + encode(subject) + NORMALIZE);
  }

  private int idOf(String subject, Schema schema, String path) {
    String published = PublishedSchema.of(schema);
    return idBySubjectAndSchema.computeIfAbsent(subject + '\u0000' + published, ignored -> {
      int id = send("POST", path, JSON.createObjectNode().put("schema", published).toString()).path("id").asInt(-1);
      schemaById.putIfAbsent(id, schema);
      return id;
    });
  }

  /** The schema with this global id; a RegistryException (40403) when the registry does not know it. */
  public Schema schemaById(int id) {
    return schemaById.computeIfAbsent(id, ignored -> {
      JsonNode answer = send("GET", "/schemas/ids/" + id, null);
      String type = answer.path("schemaType").asText("AVRO");
      if (!"AVRO".equals(type)) {
        throw new RegistryException(200, 0, "schema id " + id + " is a " + type + " schema, not Avro");
      }
      return new Schema.Parser().parse(answer.path("schema").asText());
    });
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
        .timeout(settings.requestTimeout())
        .header("Accept", CONTENT_TYPE)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    HttpResponse<String> response;
    // The request's timeout, and a bound of twice it around the whole call: a serializer must never wait forever.
    CompletableFuture<HttpResponse<String>> call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      response = call.get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      String message = "schema registry " + settings.url() + " gave no answer within " + settings.requestTimeout().multipliedBy(2);
      throw new RegistryUnavailableException(message, new HttpTimeoutException(message));
    } catch (ExecutionException e) {
      IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      throw new RegistryUnavailableException("schema registry " + settings.url() + " unreachable: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the schema registry", e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      int errorCode = answer.path("error_code").asInt(response.statusCode());
      String message = answer.path("message").asText(response.body());
      throw new RegistryException(response.statusCode(), errorCode,
          "schema registry " + method + " " + path + " answered " + response.statusCode() + " (" + errorCode + "): " + message);
    }
    return answer;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", body);
    }
  }

  private static SSLContext sslContext(RegistrySettings settings) {
    try {
      TrustManagerFactory trust = null;
      if (settings.trustStore().isPresent()) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(settings.trustStore().get()));
      }
      KeyManagerFactory keys = null;
      if (settings.keyStore().isPresent()) {
        RegistrySettings.KeyMaterial material = settings.keyStore().get();
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(material), material.password().toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("schema registry TLS settings unusable: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(RegistrySettings.KeyMaterial material) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(material.type());
    try (InputStream in = Files.newInputStream(Path.of(material.location()))) {
      store.load(in, material.password().toCharArray());
    }
    return store;
  }
}
