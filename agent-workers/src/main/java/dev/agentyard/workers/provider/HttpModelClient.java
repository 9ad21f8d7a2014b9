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
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The shared part of the two wire formats: one asynchronous JSON POST on the JDK's HTTP client,
 * streamed as server-sent events by default, with a deadline over the whole answer, and the sorting
 * of every failure into a {@link ProviderException.Kind}. See ADR 0006 for why this is not the
 * providers' SDKs, ADR 0017 for streaming and the error table.
 */
abstract class HttpModelClient implements ModelClient {

  protected static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_TEXT = 300;

  private final String provider;
  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;
  private final boolean stream;
  private final StreamObserver observer;

  HttpModelClient(
      String provider,
      URI endpoint,
      HttpClient http,
      Duration timeout,
      boolean stream,
      StreamObserver observer) {
    this.provider = provider;
    this.endpoint = endpoint;
    this.http = http;
    this.timeout = timeout;
    this.stream = stream;
    this.observer = observer == null ? StreamObserver.NONE : observer;
  }

  @Override
  public String provider() {
    return provider;
  }

  /** True when calls are streamed (server-sent events). */
  public boolean streaming() {
    return stream;
  }

  /** The request body in this provider's format. */
  abstract ObjectNode body(ChatRequest request, boolean stream);

  /** Adds this provider's auth and version headers. */
  abstract void headers(HttpRequest.Builder builder);

  /** The response header with the provider's own id of the request. */
  abstract String requestIdHeader();

  /** A fresh accumulator for one streamed answer. */
  abstract StreamAccumulator accumulator();

  /**
   * Parses an answer body (sent as is, or built from a stream); throws
   * ProviderException(MALFORMED_RESPONSE) when it is not what the API promises.
   */
  abstract ChatResponse parse(
      ChatRequest request, JsonNode body, String providerRequestId, boolean usageEstimated);

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(body(request, stream));
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
            .header("Accept", stream ? "text/event-stream" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    if (request.requestId() != null) {
      b.header(ChatRequest.REQUEST_ID_HEADER, request.requestId());
    }
    headers(b);
    return new Call(request).start(b.build());
  }

  /** One call: its stream, its deadline, its single outcome. */
  private final class Call {
    final ChatRequest request;
    final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    final long sentAt = System.nanoTime();
    volatile StreamAccumulator acc;
    volatile Flow.Subscription subscription;
    volatile String providerRequestId;
    volatile ProviderException streamError;
    long lastChunk;

    Call(ChatRequest request) {
      this.request = request;
    }

    CompletableFuture<ChatResponse> start(HttpRequest httpRequest) {
      CompletableFuture<HttpResponse<String>> sent = http.sendAsync(httpRequest, this::bodyHandler);
      CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .execute(
              () -> {
                if (!result.isDone()) {
                  // the outcome first: cancelling completes the exchange, which must not win
                  fail(
                      ProviderException.Kind.TIMEOUT,
                      0,
                      provider + " did not finish its answer within " + timeout,
                      null);
                  cancelStream();
                  sent.cancel(true);
                }
              });
      sent.whenComplete(
          (response, error) -> {
            if (result.isDone()) {
              return;
            }
            try {
              if (error != null) {
                throw transportFailure(error);
              }
              result.complete(answer(response));
            } catch (ProviderException e) {
              result.completeExceptionally(e);
            } catch (RuntimeException e) {
              result.completeExceptionally(
                  new ProviderException(
                      ProviderException.Kind.MALFORMED_RESPONSE,
                      response == null ? 0 : response.statusCode(),
                      null,
                      null,
                      providerRequestId,
                      partial(),
                      provider + " answer could not be read: " + e.getClass().getSimpleName(),
                      e));
            }
          });
      return result;
    }

    HttpResponse.BodySubscriber<String> bodyHandler(HttpResponse.ResponseInfo info) {
      providerRequestId = info.headers().firstValue(requestIdHeader()).orElse(null);
      boolean sse =
          info.statusCode() == 200
              && info.headers()
                  .firstValue("content-type")
                  .orElse("")
                  .toLowerCase(Locale.ROOT)
                  .startsWith("text/event-stream");
      if (!sse) {
        return HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8);
      }
      acc = accumulator();
      return HttpResponse.BodySubscribers.fromLineSubscriber(
          new Lines(), l -> (String) null, java.nio.charset.StandardCharsets.UTF_8, null);
    }

    ChatResponse answer(HttpResponse<String> response) {
      int status = response.statusCode();
      if (streamError != null) {
        throw streamError;
      }
      StreamAccumulator a = acc;
      if (a != null) {
        if (!a.complete()) {
          throw new ProviderException(
              ProviderException.Kind.CONNECTION,
              status,
              null,
              null,
              providerRequestId,
              a.partialUsage(request),
              provider + " stream ended before the answer was complete",
              null);
        }
        return parse(request, a.body(), providerRequestId, a.usageEstimated());
      }
      String raw = response.body() == null ? "" : response.body();
      JsonNode body = null;
      try {
        body = JSON.readTree(raw);
      } catch (IOException e) {
        if (status == 200) {
          throw new ProviderException(
              ProviderException.Kind.MALFORMED_RESPONSE,
              status,
              null,
              null,
              providerRequestId,
              null,
              provider + " answered 200 with a body that is not JSON (" + raw.length() + " bytes)",
              null);
        }
        // an error page that is not JSON: described by status and text
      }
      if (status == 200 && body != null && body.hasNonNull("error")) {
        // a 200 whose body is an error (some gateways and servers answer so): keep its message
        throw error(effectiveStatus(body), body, raw, response.headers());
      }
      if (status == 200) {
        return parse(request, body, providerRequestId, false);
      }
      throw error(status, body, raw, response.headers());
    }

    ProviderException error(int status, JsonNode body, String raw, HttpHeaders headers) {
      Boolean shouldRetry =
          headers == null
              ? null
              : headers
                  .firstValue("x-should-retry")
                  .map(v -> v.trim().equalsIgnoreCase("true"))
                  .orElse(null);
      return new ProviderException(
          classify(status, body, raw),
          status,
          headers == null ? null : retryAfter(headers).orElse(null),
          shouldRetry,
          providerRequestId,
          null,
          provider + " HTTP " + status + ": " + errorText(body, raw),
          null);
    }

    void fail(ProviderException.Kind kind, int status, String message, Throwable cause) {
      result.completeExceptionally(
          new ProviderException(
              kind, status, null, null, providerRequestId, partial(), message, cause));
    }

    TokenUsage partial() {
      StreamAccumulator a = acc;
      return a == null ? null : a.partialUsage(request);
    }

    /**
     * Ends the call with an error found in the stream at once, whatever the server does with the
     * connection after it.
     */
    void endWith(ProviderException e) {
      result.completeExceptionally(e);
      cancelStream();
    }

    void cancelStream() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    ProviderException transportFailure(Throwable error) {
      Throwable e = ProviderException.unwrap(error);
      if (e instanceof ProviderException p) {
        return p;
      }
      if (streamError != null) {
        return streamError;
      }
      String message;
      ProviderException.Kind kind;
      if (e instanceof HttpTimeoutException) {
        kind = ProviderException.Kind.TIMEOUT;
        message = provider + " did not answer within " + timeout;
      } else if (e instanceof ConnectException || e instanceof IOException) {
        kind = ProviderException.Kind.CONNECTION;
        message =
            provider
                + (acc == null ? " connection failed: " : " stream cut off: ")
                + SecretRedactor.redact(String.valueOf(e.getMessage()));
      } else {
        kind = ProviderException.Kind.CONNECTION;
        message = provider + " call failed: " + e.getClass().getSimpleName();
      }
      return new ProviderException(kind, 0, null, null, providerRequestId, partial(), message, e);
    }

    /** Server-sent events, line by line (https://html.spec.whatwg.org/#server-sent-events). */
    private final class Lines implements Flow.Subscriber<String> {
      private String event;
      private final StringBuilder data = new StringBuilder();

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(String line) {
        if (streamError != null || result.isDone()) {
          return;
        }
        if (line.isEmpty()) {
          dispatch();
        } else if (!line.startsWith(":")) {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          if (field.equals("event")) {
            event = value;
          } else if (field.equals("data")) {
            if (!data.isEmpty()) {
              data.append('\n');
            }
            data.append(value);
          }
        }
      }

      private void dispatch() {
        if (data.isEmpty()) {
          event = null;
          return;
        }
        String d = data.toString();
        String type = event;
        data.setLength(0);
        event = null;
        JsonNode json;
        if (d.equals("[DONE]")) {
          json = JSON.createObjectNode().put("type", "[DONE]");
          type = "[DONE]";
        } else {
          try {
            json = JSON.readTree(d);
          } catch (IOException e) {
            streamError =
                new ProviderException(
                    ProviderException.Kind.MALFORMED_RESPONSE,
                    200,
                    null,
                    null,
                    providerRequestId,
                    partial(),
                    provider + " stream event is not JSON (" + d.length() + " bytes)",
                    null);
            endWith(streamError);
            return;
          }
        }
        if (json.hasNonNull("error") && !"[DONE]".equals(type)) {
          // an error event mid-stream (overloaded, rate limited...): the answer ends here
          ProviderException e = error(effectiveStatus(json), json, d, null);
          streamError =
              new ProviderException(
                  e.kind(),
                  e.httpStatus(),
                  null,
                  null,
                  providerRequestId,
                  partial(),
                  e.getMessage(),
                  null);
          endWith(streamError);
          return;
        }
        boolean content;
        try {
          content = acc.event(type == null ? json.path("type").asText("") : type, json);
        } catch (ProviderException e) {
          streamError = e;
          endWith(e);
          return;
        }
        if (content) {
          long now = System.nanoTime();
          String model = request.model();
          if (lastChunk == 0) {
            observer.firstChunk(provider, model, Duration.ofNanos(now - sentAt));
          } else {
            observer.nextChunk(provider, model, Duration.ofNanos(now - lastChunk));
          }
          lastChunk = now;
        }
      }

      @Override
      public void onError(Throwable throwable) {
        // the response future fails with it; transportFailure reads the partial usage
      }

      @Override
      public void onComplete() {
        dispatch();
      }
    }
  }

  /**
   * The status an error carried inside a 200 body or a stream stands for, from its type or code
   * (Anthropic's error types, OpenAI's error codes).
   */
  static int effectiveStatus(JsonNode body) {
    JsonNode error = body.path("error");
    String type = error.path("type").asText("") + " " + error.path("code").asText("");
    if (type.contains("overloaded")) {
      return 529;
    }
    if (type.contains("insufficient_quota") || type.contains("rate_limit")) {
      return 429;
    }
    if (type.contains("billing")) {
      return 402;
    }
    if (type.contains("authentication")) {
      return 401;
    }
    if (type.contains("permission")) {
      return 403;
    }
    if (type.contains("not_found")) {
      return 404;
    }
    if (type.contains("request_too_large")) {
      return 413;
    }
    if (type.contains("timeout")) {
      return 504;
    }
    if (type.contains("invalid_request") || type.contains("context_length")) {
      return 400;
    }
    return 500;
  }

  /** The kind of a failed answer, from its status and body: docs/agent-workers.md, errors. */
  static ProviderException.Kind classify(int status, JsonNode body, String raw) {
    String message =
        (body != null && body.path("error").path("message").isTextual()
                ? body.path("error").path("message").asText()
                : raw)
            .toLowerCase(Locale.ROOT);
    if (isQuotaError(status, body, message)) {
      return ProviderException.Kind.QUOTA_EXHAUSTED;
    }
    if (status == 429) {
      return ProviderException.Kind.RATE_LIMITED;
    }
    if (status >= 500) {
      return ProviderException.Kind.SERVER_ERROR;
    }
    if (status == 401 || status == 403) {
      return ProviderException.Kind.AUTHENTICATION;
    }
    if ((status == 400 || status == 413) && isContextLengthError(body, message)) {
      return ProviderException.Kind.CONTEXT_LENGTH;
    }
    if (status == 408) {
      return ProviderException.Kind.TIMEOUT;
    }
    if (status == 409) {
      return ProviderException.Kind.CONFLICT;
    }
    return ProviderException.Kind.BAD_REQUEST;
  }

  /**
   * Out of quota or credit: OpenAI's {@code insufficient_quota} (a 429, unlike a rate limit not
   * lifted by waiting), Anthropic's {@code billing_error} (402) and its 400 "credit balance is too
   * low".
   */
  static boolean isQuotaError(int status, JsonNode body, String message) {
    if (body != null) {
      JsonNode error = body.path("error");
      String code = error.path("code").asText("") + " " + error.path("type").asText("");
      if (code.contains("insufficient_quota") || code.contains("billing")) {
        return true;
      }
    }
    return status == 402
        || message.contains("credit balance is too low")
        || message.contains("exceeded your current quota")
        || message.contains("insufficient_quota");
  }

  /**
   * The prompt does not fit the model: Anthropic ("prompt is too long: N tokens > M maximum",
   * "input length and `max_tokens` exceed context limit: N + M > L"), OpenAI ({@code
   * context_length_exceeded}, "maximum context length is N tokens"), vLLM ("maximum context
   * length", "longer than the maximum model length"), llama.cpp ({@code exceed_context_size_error},
   * "exceeds the available context size") and Ollama ("input length exceeds the context length").
   */
  static boolean isContextLengthError(JsonNode body, String message) {
    if (body != null) {
      JsonNode error = body.path("error");
      String code = error.path("code").asText("") + " " + error.path("type").asText("");
      if (code.contains("context_length_exceeded") || code.contains("exceed_context_size")) {
        return true;
      }
    }
    return message.contains("prompt is too long")
        || message.contains("exceed context limit")
        || message.contains("context window")
        || message.contains("context length")
        || message.contains("context_length")
        || message.contains("maximum model length")
        || message.contains("context size");
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

  /** Output tokens in {@code chars} characters of generated text: 4 characters a token. */
  static long estimateTokens(long chars) {
    return (chars + 3) / 4;
  }
}
