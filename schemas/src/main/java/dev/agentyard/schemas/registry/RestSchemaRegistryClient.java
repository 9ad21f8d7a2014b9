package dev.agentyard.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks the Confluent Schema Registry REST API over the JDK's HTTP client. No caching: wrap it in
 * {@link CachedSchemaRegistryClient} (or use {@link SchemaRegistryClients#create}).
 *
 * <p>Retries only where a retry can help: connection errors, timeouts and 5xx answers, with
 * exponential backoff and full jitter, failing over across the configured URLs. 4xx answers are
 * final. TLS uses the JDK's default trust store.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  /** How the client waits between retries; injectable so tests do not sleep for real. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Sleeper sleeper;

  public RestSchemaRegistryClient(RegistryClientConfig config) {
    this(config, d -> Thread.sleep(d.toMillis()));
  }

  public RestSchemaRegistryClient(RegistryClientConfig config, Sleeper sleeper) {
    this.config = config;
    this.sleeper = sleeper;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    config.sslContext().ifPresent(b::sslContext);
    this.http = b.build();
  }

  @Override
  public int register(String subject, Schema schema) {
    JsonNode body =
        send(
            "POST",
            "/subjects/" + enc(subject) + "/versions",
            schemaBody(schema),
            "register schema under subject '" + subject + "'");
    return body.path("id").asInt();
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    JsonNode body =
        send(
            "POST",
            "/subjects/" + enc(subject),
            schemaBody(schema),
            "look up schema under subject '" + subject + "'");
    return body.path("id").asInt();
  }

  @Override
  public Schema getById(int id) {
    JsonNode body = send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new SchemaRegistryException(
          "Schema id " + id + " is of type " + type + ", not AVRO", 200, -1);
    }
    return parse(body.path("schema").asText(), "schema id " + id);
  }

  @Override
  public RegisteredSchema latestVersion(String subject) {
    JsonNode body =
        send(
            "GET",
            "/subjects/" + enc(subject) + "/versions/latest",
            null,
            "fetch latest version of subject '" + subject + "'");
    return new RegisteredSchema(
        body.path("subject").asText(subject),
        body.path("version").asInt(),
        body.path("id").asInt(),
        parse(body.path("schema").asText(), "latest version of subject '" + subject + "'"));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode body =
          send(
              "POST",
              "/compatibility/subjects/" + enc(subject) + "/versions/latest",
              schemaBody(schema),
              "check compatibility under subject '" + subject + "'");
      return body.path("is_compatible").asBoolean(false);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
        return true; // nothing registered yet: anything is compatible
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(Optional<String> subject, CompatibilityLevel level) {
    ObjectNode body = json.createObjectNode().put("compatibility", level.name());
    send(
        "PUT",
        configPath(subject),
        body,
        "set compatibility of " + subject.map(s -> "subject '" + s + "'").orElse("the registry"));
  }

  @Override
  public CompatibilityLevel getCompatibility(Optional<String> subject) {
    JsonNode body =
        send(
            "GET",
            configPath(subject),
            null,
            "read compatibility of "
                + subject.map(s -> "subject '" + s + "'").orElse("the registry"));
    // Confluent answers compatibilityLevel on GET; some registries answer compatibility.
    String level =
        body.hasNonNull("compatibilityLevel")
            ? body.get("compatibilityLevel").asText()
            : body.path("compatibility").asText("NONE");
    return CompatibilityLevel.valueOf(level);
  }

  @Override
  public List<String> subjects() {
    JsonNode body = send("GET", "/subjects", null, "list subjects");
    List<String> out = new ArrayList<>();
    body.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  public void close() {
    http.close();
  }

  private static String configPath(Optional<String> subject) {
    return subject.map(s -> "/config/" + enc(s)).orElse("/config");
  }

  private ObjectNode schemaBody(Schema schema) {
    // schemaType is omitted for AVRO: it is the default, and old registries reject the field.
    return json.createObjectNode().put("schema", schema.toString());
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          "Registry returned an unparseable Avro schema for " + what + ": " + e.getMessage(),
          200,
          -1);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, JsonNode body, String what) {
    List<URI> urls = config.urls();
    Throwable lastFailure = null;
    String lastFailureText = "";
    int attempts = config.maxRetries() + 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      URI base = urls.get(attempt % urls.size());
      URI uri = URI.create(stripTrailingSlash(base.toString()) + path);
      HttpRequest.Builder req =
          HttpRequest.newBuilder(uri).timeout(config.readTimeout()).header("Accept", ACCEPT);
      config.authHeaders().forEach(req::header);
      if (body == null) {
        req.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        req.header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
      }
      try {
        HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
          return resp.body() == null || resp.body().isBlank()
              ? json.createObjectNode()
              : json.readTree(resp.body());
        }
        SchemaRegistryException error = error(status, resp.body(), what, base);
        if (status < 500) {
          throw error;
        }
        lastFailure = error;
        lastFailureText = error.getMessage();
      } catch (IOException e) {
        lastFailure = e;
        lastFailureText =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("Interrupted while trying to " + what, e);
      }
      if (attempt + 1 < attempts) {
        Duration wait = backoff(attempt);
        log.warn(
            "Schema registry at {} failed to {} ({}); retry {} of {} in {} ms",
            base,
            what,
            lastFailureText,
            attempt + 1,
            config.maxRetries(),
            wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryUnavailableException("Interrupted while trying to " + what, e);
        }
      }
    }
    if (lastFailure instanceof SchemaRegistryException sre && sre.httpStatus() >= 500) {
      throw new RegistryUnavailableException(
          "Schema registry "
              + urls
              + " failed to "
              + what
              + " after "
              + attempts
              + " attempts: "
              + lastFailureText,
          lastFailure);
    }
    throw new RegistryUnavailableException(
        "Schema registry "
            + urls
            + " unreachable while trying to "
            + what
            + " after "
            + attempts
            + " attempts: "
            + lastFailureText,
        lastFailure);
  }

  /** Exponential backoff with full jitter, capped. */
  private Duration backoff(int attempt) {
    long base = config.retriesWait().toMillis();
    long cap = config.retriesMaxWait().toMillis();
    long exp = Math.min(cap, base * (1L << Math.min(attempt, 20)));
    return Duration.ofMillis(exp <= 0 ? 0 : ThreadLocalRandom.current().nextLong(exp / 2, exp + 1));
  }

  private SchemaRegistryException error(int status, String body, String what, URI base) {
    int code = status;
    String message = "";
    try {
      JsonNode node = json.readTree(body == null ? "" : body);
      if (node != null && node.isObject()) {
        code = node.path("error_code").asInt(status);
        message = node.path("message").asText("");
      }
    } catch (IOException e) {
      message = body == null ? "" : body.substring(0, Math.min(200, body.length()));
    }
    return new SchemaRegistryException(
        "Schema registry "
            + base
            + " refused to "
            + what
            + ": HTTP "
            + status
            + ", error "
            + code
            + (message.isEmpty() ? "" : ": " + message),
        status,
        code);
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
