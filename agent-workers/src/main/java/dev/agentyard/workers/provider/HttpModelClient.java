package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.runtime.errors.SecretRedactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The shared part of the two wire formats: one asynchronous JSON POST on the JDK's HTTP client,
 * with a per-call timeout, and the sorting of every failure into a {@link ProviderException.Kind}.
 * See ADR 0006 for why this is not the providers' SDKs.
 */
abstract class HttpModelClient implements ModelClient {

  protected static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_TEXT = 300;

  private final String provider;
  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;

  HttpModelClient(String provider, URI endpoint, HttpClient http, Duration timeout) {
    this.provider = provider;
    this.endpoint = endpoint;
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public String provider() {
    return provider;
  }

  /** The request body in this provider's format. */
  abstract ObjectNode body(ChatRequest request);

  /** Adds this provider's auth and version headers. */
  abstract void headers(HttpRequest.Builder builder);

  /**
   * Parses a 200 answer; throws ProviderException(MALFORMED_RESPONSE) when it is not what the API
   * promises.
   */
  abstract ChatResponse parse(ChatRequest request, JsonNode body);

  /** True when a 400 body says the prompt is too long for the model. */
  abstract boolean isContextLengthError(JsonNode errorBody, String raw);

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(body(request));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new ProviderException(
              ProviderException.Kind.BAD_REQUEST,
              0,
              null,
              "cannot encode request: " + e.getMessage(),
              e));
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    if (request.requestId() != null) {
      b.header(ChatRequest.REQUEST_ID_HEADER, request.requestId());
    }
    headers(b);
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw new CompletionException(transportFailure(error));
              }
              return answer(request, response);
            });
  }

  private ChatResponse answer(ChatRequest request, HttpResponse<String> response) {
    int status = response.statusCode();
    String raw = response.body() == null ? "" : response.body();
    if (status == 200) {
      JsonNode body;
      try {
        body = JSON.readTree(raw);
      } catch (IOException e) {
        throw new ProviderException(
            ProviderException.Kind.MALFORMED_RESPONSE,
            status,
            null,
            provider + " answered 200 with a body that is not JSON (" + raw.length() + " bytes)",
            null);
      }
      return parse(request, body);
    }
    JsonNode errorBody = null;
    try {
      errorBody = JSON.readTree(raw);
    } catch (IOException ignored) {
      // an error page that is not JSON: described by status and text
    }
    String message = provider + " HTTP " + status + ": " + errorText(errorBody, raw);
    ProviderException.Kind kind;
    if (status == 429) {
      kind = ProviderException.Kind.RATE_LIMITED;
    } else if (status >= 500) {
      kind = ProviderException.Kind.SERVER_ERROR;
    } else if (status == 401 || status == 403) {
      kind = ProviderException.Kind.AUTHENTICATION;
    } else if ((status == 400 || status == 413) && isContextLengthError(errorBody, raw)) {
      kind = ProviderException.Kind.CONTEXT_LENGTH;
    } else if (status == 408) {
      kind = ProviderException.Kind.TIMEOUT;
    } else {
      kind = ProviderException.Kind.BAD_REQUEST;
    }
    throw new ProviderException(
        kind, status, retryAfter(response.headers()).orElse(null), message, null);
  }

  private ProviderException transportFailure(Throwable error) {
    Throwable e = ProviderException.unwrap(error);
    if (e instanceof ProviderException p) {
      return p;
    }
    if (e instanceof HttpTimeoutException) {
      return new ProviderException(
          ProviderException.Kind.TIMEOUT,
          0,
          null,
          provider + " did not answer within " + timeout,
          e);
    }
    if (e instanceof ConnectException || e instanceof IOException) {
      return new ProviderException(
          ProviderException.Kind.CONNECTION,
          0,
          null,
          provider + " connection failed: " + SecretRedactor.redact(String.valueOf(e.getMessage())),
          e);
    }
    return new ProviderException(
        ProviderException.Kind.CONNECTION,
        0,
        null,
        provider + " call failed: " + e.getClass().getSimpleName(),
        e);
  }

  /** {@code retry-after-ms} (OpenAI), else {@code retry-after} in seconds or as an HTTP date. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      try {
        return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get()))));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    return headers
        .firstValue("retry-after")
        .flatMap(
            v -> {
              try {
                return Optional.of(
                    Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v.trim()) * 1000))));
              } catch (NumberFormatException e) {
                try {
                  Duration d =
                      Duration.between(
                          Instant.now(),
                          ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                  return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException ignored) {
                  return Optional.empty();
                }
              }
            });
  }

  private static String errorText(JsonNode errorBody, String raw) {
    String text =
        errorBody != null && errorBody.path("error").path("message").isTextual()
            ? errorBody.path("error").path("message").asText()
            : raw;
    text = SecretRedactor.redact(text.replaceAll("\\s+", " ").strip());
    return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
  }

  static ProviderException malformed(String provider, String what) {
    return new ProviderException(
        ProviderException.Kind.MALFORMED_RESPONSE, 200, null, provider + " answer " + what, null);
  }
}
