package dev.agentyard.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Registry client settings, read from the same keys Confluent's client uses, so a configuration
 * written for {@code KafkaAvroSerializer} works unchanged.
 *
 * <p>Credentials are kept only as ready-made request headers and never appear in {@link
 * #toString()}.
 */
public final class RegistryClientConfig {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String BEARER_AUTH_LOGICAL_CLUSTER = "bearer.auth.logical.cluster";
  public static final String BEARER_AUTH_IDENTITY_POOL_ID = "bearer.auth.identity.pool.id";
  public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";
  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
  public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
  public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
  public static final String SSL_ENDPOINT_IDENTIFICATION = "ssl.endpoint.identification.algorithm";

  /**
   * Confluent's prefix for the client's own settings among a serde's ({@code
   * schema.registry.ssl.*}).
   */
  static final String PREFIX = "schema.registry.";

  public static final int DEFAULT_MAX_SCHEMAS_PER_SUBJECT = 1000;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_RETRIES_WAIT = Duration.ofMillis(200);
  public static final Duration DEFAULT_RETRIES_MAX_WAIT = Duration.ofSeconds(5);

  /**
   * Negative: the latest version of a subject is cached until restart, as in Confluent's client.
   */
  public static final long DEFAULT_LATEST_CACHE_TTL_SEC = -1;

  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

  private final List<URI> urls;
  private final Map<String, String> authHeaders;
  private final String authDescription;
  private final int maxSchemasPerSubject;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxRetries;
  private final Duration retriesWait;
  private final Duration retriesMaxWait;
  private final long latestCacheTtlSec;
  private final SSLContext sslContext;

  private RegistryClientConfig(
      List<URI> urls,
      Map<String, String> authHeaders,
      String authDescription,
      int maxSchemasPerSubject,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      Duration retriesWait,
      Duration retriesMaxWait,
      long latestCacheTtlSec,
      SSLContext sslContext) {
    this.sslContext = sslContext;
    this.urls = List.copyOf(urls);
    this.authHeaders = Map.copyOf(authHeaders);
    this.authDescription = authDescription;
    this.maxSchemasPerSubject = maxSchemasPerSubject;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxRetries = maxRetries;
    this.retriesWait = retriesWait;
    this.retriesMaxWait = retriesMaxWait;
    this.latestCacheTtlSec = latestCacheTtlSec;
  }

  /** Builds the config from client properties, failing with the name of the bad key. */
  public static RegistryClientConfig fromMap(Map<String, ?> props) {
    String rawUrls =
        string(props, URL)
            .orElseThrow(
                () ->
                    new ConfigException(
                        URL,
                        null,
                        "missing: set it to the registry's base URL, e.g. http://localhost:8081"));
    List<URI> urls = new ArrayList<>();
    String urlUserInfo = null;
    for (String part : rawUrls.split(",")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = new URI(trimmed);
      } catch (URISyntaxException e) {
        throw new ConfigException(URL, "<hidden>", "not a valid URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new ConfigException(URL, redact(uri).toString(), "must be an http or https URL");
      }
      if (uri.getRawUserInfo() != null) {
        urlUserInfo = uri.getRawUserInfo();
      }
      urls.add(redact(uri));
    }
    if (urls.isEmpty()) {
      throw new ConfigException(URL, "", "must name at least one URL");
    }

    Map<String, String> headers = new LinkedHashMap<>();
    String authDescription = "none";
    String bearerSource =
        string(props, BEARER_AUTH_CREDENTIALS_SOURCE).orElse("").toUpperCase(Locale.ROOT);
    String basicSource =
        string(props, BASIC_AUTH_CREDENTIALS_SOURCE).orElse("URL").toUpperCase(Locale.ROOT);
    if (!bearerSource.isEmpty()) {
      if (!bearerSource.equals("STATIC_TOKEN")) {
        throw new ConfigException(
            BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource, "only STATIC_TOKEN is supported");
      }
      String token =
          string(props, BEARER_AUTH_TOKEN)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          BEARER_AUTH_TOKEN,
                          "<hidden>",
                          "missing while " + BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN"));
      headers.put("Authorization", "Bearer " + token);
      string(props, BEARER_AUTH_LOGICAL_CLUSTER)
          .ifPresent(v -> headers.put("target-sr-cluster", v));
      string(props, BEARER_AUTH_IDENTITY_POOL_ID)
          .ifPresent(v -> headers.put("Confluent-Identity-Pool-Id", v));
      authDescription = "bearer";
    } else {
      String userInfo =
          switch (basicSource) {
            case "URL" ->
                urlUserInfo == null ? null : URLDecoder.decode(urlUserInfo, StandardCharsets.UTF_8);
            case "USER_INFO" ->
                string(props, BASIC_AUTH_USER_INFO)
                    .orElseThrow(
                        () ->
                            new ConfigException(
                                BASIC_AUTH_USER_INFO,
                                "<hidden>",
                                "missing while " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO"));
            case "SASL_INHERIT" -> saslUserInfo(string(props, SASL_JAAS_CONFIG).orElse(""));
            default ->
                throw new ConfigException(
                    BASIC_AUTH_CREDENTIALS_SOURCE,
                    basicSource,
                    "must be URL, USER_INFO or SASL_INHERIT");
          };
      if (userInfo != null) {
        if (!userInfo.contains(":")) {
          throw new ConfigException(BASIC_AUTH_USER_INFO, "<hidden>", "must be user:password");
        }
        headers.put(
            "Authorization",
            "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        authDescription = "basic (" + basicSource + ")";
      }
    }

    return new RegistryClientConfig(
        urls,
        headers,
        authDescription,
        positiveInt(props, MAX_SCHEMAS_PER_SUBJECT, DEFAULT_MAX_SCHEMAS_PER_SUBJECT),
        Duration.ofMillis(
            positiveInt(props, HTTP_CONNECT_TIMEOUT_MS, (int) DEFAULT_CONNECT_TIMEOUT.toMillis())),
        Duration.ofMillis(
            positiveInt(props, HTTP_READ_TIMEOUT_MS, (int) DEFAULT_READ_TIMEOUT.toMillis())),
        nonNegativeInt(props, MAX_RETRIES, DEFAULT_MAX_RETRIES),
        Duration.ofMillis(
            nonNegativeInt(props, RETRIES_WAIT_MS, (int) DEFAULT_RETRIES_WAIT.toMillis())),
        Duration.ofMillis(
            nonNegativeInt(props, RETRIES_MAX_WAIT_MS, (int) DEFAULT_RETRIES_MAX_WAIT.toMillis())),
        longValue(props, LATEST_CACHE_TTL_SEC, DEFAULT_LATEST_CACHE_TTL_SEC),
        sslContext(props));
  }

  /**
   * The TLS context trusting {@code ssl.truststore.*} (PKCS12, JKS or PEM, as Kafka's clients take
   * them), or the JVM's default when none is set. Host names are always verified.
   */
  private static SSLContext sslContext(Map<String, ?> props) {
    // (an empty value is how Kafka's clients turn host name verification off: refused here)
    Object algorithm = raw(props, SSL_ENDPOINT_IDENTIFICATION);
    if (algorithm != null && !algorithm.toString().trim().equalsIgnoreCase("https")) {
      throw new ConfigException(
          SSL_ENDPOINT_IDENTIFICATION, algorithm, "only https (host names verified) is supported");
    }
    Optional<String> location = string(props, SSL_TRUSTSTORE_LOCATION);
    if (location.isEmpty()) {
      return null;
    }
    String type = string(props, SSL_TRUSTSTORE_TYPE).orElse("PKCS12").toUpperCase(Locale.ROOT);
    char[] password = string(props, SSL_TRUSTSTORE_PASSWORD).map(String::toCharArray).orElse(null);
    try (InputStream in = Files.newInputStream(Path.of(location.get()))) {
      KeyStore trust;
      if (type.equals("PEM")) {
        trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
        if (i == 0) {
          throw new ConfigException(
              SSL_TRUSTSTORE_LOCATION, location.get(), "holds no certificate");
        }
      } else {
        trust = KeyStore.getInstance(type);
        trust.load(in, password);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          SSL_TRUSTSTORE_LOCATION,
          location.get(),
          "cannot read it as a " + type + " truststore: " + e.getMessage());
    }
  }

  /** TLS to trust the registry's certificate by, when {@code ssl.truststore.*} names one. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  private static String saslUserInfo(String jaas) {
    Matcher user = JAAS_USERNAME.matcher(jaas);
    Matcher pass = JAAS_PASSWORD.matcher(jaas);
    if (!user.find() || !pass.find()) {
      throw new ConfigException(
          SASL_JAAS_CONFIG,
          "<hidden>",
          "needs username and password when " + BASIC_AUTH_CREDENTIALS_SOURCE + "=SASL_INHERIT");
    }
    return user.group(1) + ":" + pass.group(1);
  }

  /** The URL without user info, safe to log. */
  static URI redact(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(
          uri.getScheme(),
          null,
          uri.getHost(),
          uri.getPort(),
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new ConfigException(URL, "<hidden>", "not a valid URL");
    }
  }

  /**
   * A setting as given, by its name or, as Confluent's client also takes it, with {@code
   * schema.registry.} in front (the prefixed spelling wins).
   */
  private static Object raw(Map<String, ?> props, String key) {
    Object value = props.get(PREFIX + key);
    return value != null ? value : props.get(key);
  }

  /** A non-blank setting by its name or its prefixed name ({@link #raw}), trimmed. */
  private static Optional<String> string(Map<String, ?> props, String key) {
    Object value = raw(props, key);
    if (value == null) {
      return Optional.empty();
    }
    String s = value instanceof Password p ? p.value() : value.toString();
    return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  private static long longValue(Map<String, ?> props, String key, long dflt) {
    Optional<String> s = string(props, key);
    if (s.isEmpty()) {
      return dflt;
    }
    try {
      return Long.parseLong(s.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, s.get(), "must be a whole number");
    }
  }

  private static int nonNegativeInt(Map<String, ?> props, String key, int dflt) {
    long v = longValue(props, key, dflt);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new ConfigException(key, v, "must be between 0 and " + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  private static int positiveInt(Map<String, ?> props, String key, int dflt) {
    int v = nonNegativeInt(props, key, dflt);
    if (v == 0) {
      throw new ConfigException(key, v, "must be positive");
    }
    return v;
  }

  /** Registry base URLs, without user info; tried in order, failing over on connection errors. */
  public List<URI> urls() {
    return urls;
  }

  /** Headers that carry the credentials. Never log these. */
  Map<String, String> authHeaders() {
    return authHeaders;
  }

  public int maxSchemasPerSubject() {
    return maxSchemasPerSubject;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Duration retriesWait() {
    return retriesWait;
  }

  public Duration retriesMaxWait() {
    return retriesMaxWait;
  }

  public long latestCacheTtlSec() {
    return latestCacheTtlSec;
  }

  @Override
  public String toString() {
    return "RegistryClientConfig{urls="
        + urls
        + ", auth="
        + authDescription
        + ", maxSchemasPerSubject="
        + maxSchemasPerSubject
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", maxRetries="
        + maxRetries
        + "}";
  }
}
