package dev.agentyard.workers;

import dev.agentyard.avro.ModelTier;
import dev.agentyard.runtime.approval.ApprovalGrants;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.config.Secrets;
import dev.agentyard.runtime.kafka.KafkaSettings;
import dev.agentyard.runtime.pricing.PriceTable;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.agent.AgentSpec;
import dev.agentyard.workers.agent.OutputValidator;
import dev.agentyard.workers.provider.ApiKey;
import dev.agentyard.workers.provider.CallOptions;
import dev.agentyard.workers.provider.OpenAiClient;
import dev.agentyard.workers.resilience.ModelRef;
import dev.agentyard.workers.resilience.ResilienceSettings;
import dev.agentyard.workers.tools.ToolRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent workers' configuration: which routes this instance serves and how each route's agent
 * works, the providers and their credentials, the calling policy, and the consumer's bounds. Built
 * from the effective configuration (the bundled defaults {@code
 * agentyard-workers-defaults.properties} overlaid with the service's file and environment by {@link
 * ConfigLoader}); validated when built. {@link #toString()} hides credentials.
 */
public record WorkerConfig(
    KafkaSettings kafka,
    List<String> routes,
    Map<String, AgentSpec> specs,
    Map<String, Provider> providers,
    ResilienceSettings resilience,
    PriceTable prices,
    int maxInFlight,
    Duration commitInterval,
    Duration drainTimeout,
    List<Duration> retryDelays,
    Duration idempotencyLookBack,
    int idempotencyMaxEntries,
    Duration startupCatchUp,
    String instanceId,
    boolean journalEnabled,
    String httpHost,
    int httpPort,
    Optional<ApprovalGrants.SigningKey> approvalKey,
    boolean captureContent,
    Budgets budgets) {

  /**
   * How this instance reserves against the budget ledger (ADR 0023).
   *
   * @param enabled whether calls are reserved before they are sent ({@code worker.budget.enabled})
   * @param reserveTimeout how long a call waits for the ledger's answer before its budget counts as
   *     exhausted ({@code worker.budget.reserve-timeout})
   * @param holdTtl how long a hard-mode reservation lives without its usage event (longer than a
   *     call's timeout plus a resume from the journal; {@code worker.budget.hold-ttl})
   * @param leaseTtl how long a lease lives without renewal; it is renewed every quarter of it and
   *     not used past 80 % of it unrenewed ({@code worker.budget.lease-ttl})
   * @param holdWait how long a call waits when a budget is refused only for what calls in flight
   *     hold (their worst cases settle at what they cost) before it counts as exhausted ({@code
   *     worker.budget.hold-wait})
   */
  public record Budgets(
      boolean enabled,
      Duration reserveTimeout,
      Duration holdTtl,
      Duration leaseTtl,
      Duration holdWait) {}

  public static final String SERVICE = "agent-workers";
  public static final int DEFAULT_MAX_TURNS = 8;
  public static final int DEFAULT_MAX_TOOL_CALLS = 12;

  /** USD 0.50 per task. */
  public static final long DEFAULT_COST_CAP_MICRO_USD = 500_000;

  public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 1024;
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A provider client's settings.
   *
   * @param type {@code anthropic} or {@code openai} (the wire format)
   * @param apiKey null when none is configured (local servers)
   * @param timeout the deadline of a whole call, streamed answer included
   * @param stream true to stream answers (server-sent events)
   * @param maxTokensField the field an OpenAI-format server reads the output cap from
   */
  public record Provider(
      String name,
      String type,
      String baseUrl,
      ApiKey apiKey,
      Duration timeout,
      boolean stream,
      OpenAiClient.MaxTokensField maxTokensField) {}

  public WorkerConfig {
    routes = List.copyOf(routes);
    specs = Map.copyOf(specs);
    providers = Map.copyOf(providers);
    retryDelays = List.copyOf(retryDelays);
  }

  /** The consumer group of a route: one per route topic. */
  public static String groupOf(String route) {
    return "agentyard-workers-" + route;
  }

  /** The topics a route's consumer reads: the route topic and its delay topics. */
  public List<String> topicsOf(String route) {
    List<String> t = new ArrayList<>(List.of(Topics.route(route).name()));
    retryDelays.forEach(d -> t.add(Topics.route(route).name() + ".retry." + Topics.label(d)));
    return t;
  }

  /**
   * The bundled defaults ({@code agentyard-workers-defaults.properties}): the only place a default
   * lives.
   */
  public static Map<String, String> defaults() {
    return ConfigLoader.defaults(WorkerConfig.class, "/agentyard-workers-defaults.properties");
  }

  /**
   * The effective configuration of the defaults overlaid with {@code settings} (as a config file
   * would hold them).
   */
  public static Map<String, String> effective(Map<String, String> settings) {
    return ConfigLoader.overlay(defaults(), settings);
  }

  /** The config of the defaults overlaid with {@code settings} (tests and tools). */
  public static WorkerConfig withDefaults(Map<String, String> settings, Map<String, String> env) {
    return fromMap(effective(settings), env, ConfigFiles.disk());
  }

  /**
   * Settings that send every provider of the defaults to one base URL with one key: the provider
   * simulator, which speaks every wire format (the local stack, the benchmarks and the evals).
   */
  public static Map<String, String> providersAt(String baseUrl, String apiKey, Duration timeout) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : new ConfigValues(defaults()).names("worker.provider.")) {
      m.put("worker.provider." + p + ".base-url", baseUrl + "/v1");
      m.put("worker.provider." + p + ".api-key", apiKey);
      m.put("worker.provider." + p + ".timeout", timeout.toSeconds() + "s");
    }
    return m;
  }

  /**
   * Builds the config from the effective map (defaults included, see {@link ConfigLoader}); API
   * keys named by {@code *.api-key-env} come from {@code env}.
   */
  public static WorkerConfig fromMap(
      Map<String, String> map, Map<String, String> env, ConfigFiles files) {
    ConfigValues c = new ConfigValues(map);
    PriceTable prices =
        c.optional("pricing.table")
            .map(p -> PriceTable.load("pricing.table", Path.of(p), files))
            .orElseGet(PriceTable::bundled);
    ToolRegistry tools = ToolRegistry.loanTools();

    Map<String, Provider> providers = new LinkedHashMap<>();
    c.names("worker.provider.").forEach(name -> providers.put(name, provider(c, name, env, files)));

    List<String> routes = c.list("worker.routes", List.of());
    if (routes.isEmpty()) {
      throw new InvalidConfigException("worker.routes", "must name at least one route");
    }
    Map<String, AgentSpec> specs = new LinkedHashMap<>();
    for (String r : routes) {
      specs.put(r, spec(c, r, providers, prices, tools, files));
    }

    Map<String, ResilienceSettings.RateLimits> limits = new HashMap<>();
    for (String p : providers.keySet()) {
      String pre = "worker.provider." + p + ".";
      limits.put(
          p,
          new ResilienceSettings.RateLimits(
              c.intValue(pre + "requests-per-minute", 0, 0, Integer.MAX_VALUE),
              c.intValue(pre + "tokens-per-minute", 0, 0, Integer.MAX_VALUE)));
    }
    ResilienceSettings resilience =
        ResilienceSettings.builder()
            .attemptsPerModel(c.intValue("worker.resilience.attempts-per-model", 1, 10))
            .initialBackoff(c.duration("worker.resilience.initial-backoff"))
            .maxRetryAfter(c.duration("worker.resilience.max-retry-after"))
            .breakerFailureRate(c.intValue("worker.resilience.breaker.failure-rate", 1, 100))
            .breakerWindow(c.intValue("worker.resilience.breaker.window", 1, 10_000))
            .breakerMinimumCalls(c.intValue("worker.resilience.breaker.minimum-calls", 1, 10_000))
            .breakerOpenFor(c.duration("worker.resilience.breaker.open-for"))
            .providerLimits(limits)
            .maxThrottleWait(c.duration("worker.resilience.max-throttle-wait"))
            .quotaPause(c.duration("worker.resilience.quota-pause"))
            .build();

    List<Duration> delays = c.durations("worker.retry.delays");
    for (Duration delay : delays) {
      try {
        Topics.label(delay);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            "worker.retry.delays", "delays are whole seconds, got " + delay);
      }
    }
    return new WorkerConfig(
        KafkaSettings.fromConfig(c),
        routes,
        specs,
        providers,
        resilience,
        prices,
        c.intValue("worker.max-in-flight", 1, 100_000),
        c.duration("worker.commit-interval"),
        c.duration("worker.drain-timeout"),
        delays,
        c.duration("worker.idempotency.look-back"),
        c.intValue("worker.idempotency.max-entries", 1_000, Integer.MAX_VALUE),
        c.duration("worker.startup.catch-up-timeout"),
        instanceId(c),
        c.bool("worker.journal.enabled"),
        c.required("http.host"),
        c.intValue("http.port", 0, 65535),
        ApprovalGrants.signingKey(c, env, files),
        c.bool("worker.tracing.capture-content"),
        new Budgets(
            c.bool("worker.budget.enabled"),
            c.duration("worker.budget.reserve-timeout"),
            c.duration("worker.budget.hold-ttl"),
            c.duration("worker.budget.lease-ttl"),
            c.duration("worker.budget.hold-wait")));
  }

  /**
   * {@code worker.instance-id}: a stable name per instance (e.g. the StatefulSet pod name), or a
   * random one per process when unset.
   */
  private static String instanceId(ConfigValues c) {
    String id = c.optional("worker.instance-id").map(String::strip).orElse("");
    if (id.isEmpty()) {
      return "";
    }
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new InvalidConfigException(
          "worker.instance-id",
          "letters, digits, '.', '_' and '-' only, at most 64, got '" + id + "'");
    }
    return id;
  }

  /**
   * Whether {@link #instanceId} is stable across restarts: then the route consumers are static
   * members ({@code group.instance.id}) and a restarted instance fences its predecessor's
   * transactions at once.
   */
  public boolean stableInstance() {
    return !instanceId.isEmpty();
  }

  /** The id that names this instance's transactional producers: stable, or random per process. */
  public String transactionalInstance() {
    return stableInstance() ? instanceId : RANDOM_INSTANCE;
  }

  private static final String RANDOM_INSTANCE = java.util.UUID.randomUUID().toString();

  private static Provider provider(
      ConfigValues c, String name, Map<String, String> env, ConfigFiles files) {
    String pre = "worker.provider." + name + ".";
    String type = c.string(pre + "type", name);
    if (!type.equals("anthropic") && !type.equals("openai")) {
      throw new InvalidConfigException(
          pre + "type", "must be anthropic or openai (the wire format), got '" + type + "'");
    }
    ApiKey key = null;
    if (c.optional(pre + "api-key").filter(v -> !v.isBlank()).isPresent()) {
      key = ApiKey.of(c.required(pre + "api-key"));
    } else if (c.optional(pre + "api-key-file").isPresent()) {
      Path file = Path.of(c.required(pre + "api-key-file"));
      String text = files.read(pre + "api-key-file", file);
      try {
        key = ApiKey.of(text);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            pre + "api-key-file", "no API key in " + file + " (" + e.getMessage() + ")");
      }
    } else if (c.optional(pre + "api-key-env").isPresent()) {
      String v = env.get(c.required(pre + "api-key-env"));
      key = v == null || v.isBlank() ? null : ApiKey.of(v);
    }
    String field = c.string(pre + "max-tokens-field", "max_completion_tokens");
    OpenAiClient.MaxTokensField maxTokensField =
        switch (field) {
          case "max_completion_tokens" -> OpenAiClient.MaxTokensField.MAX_COMPLETION_TOKENS;
          case "max_tokens" -> OpenAiClient.MaxTokensField.MAX_TOKENS;
          default ->
              throw new InvalidConfigException(
                  pre + "max-tokens-field",
                  "must be max_completion_tokens or max_tokens (Ollama and older servers), got '"
                      + field
                      + "'");
        };
    return new Provider(
        name,
        type,
        c.required(pre + "base-url"),
        key,
        c.duration(pre + "timeout", DEFAULT_CALL_TIMEOUT),
        c.bool(pre + "stream", true),
        maxTokensField);
  }

  private static AgentSpec spec(
      ConfigValues c,
      String route,
      Map<String, Provider> providers,
      PriceTable prices,
      ToolRegistry tools,
      ConfigFiles files) {
    String pre = "worker.route." + route + ".";
    List<ModelRef> models = new ArrayList<>();
    for (String m : c.list(pre + "models", List.of())) {
      int colon = m.indexOf(':');
      if (colon <= 0) {
        throw new InvalidConfigException(
            pre + "models", "each model is provider:model, got '" + m + "'");
      }
      String provider = m.substring(0, colon);
      String model = m.substring(colon + 1);
      if (!providers.containsKey(provider)) {
        throw new InvalidConfigException(
            pre + "models",
            "provider '" + provider + "' is not configured (worker.provider." + provider + ".*)");
      }
      if (prices.price(model).isEmpty()) {
        throw new InvalidConfigException(
            pre + "models", "model '" + model + "' has no price in table " + prices.version());
      }
      String tier = c.string("worker.model." + model + ".tier", "UNKNOWN");
      ModelTier t;
      try {
        t = ModelTier.valueOf(tier);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            "worker.model." + model + ".tier", "must be SMALL, MEDIUM or LARGE");
      }
      models.add(
          new ModelRef(
              provider,
              model,
              c.longValue("worker.model." + model + ".context-window", 128_000, 1, Long.MAX_VALUE),
              t));
    }
    if (models.isEmpty()) {
      throw new InvalidConfigException(
          pre + "models", "route " + route + " needs at least one provider:model");
    }
    List<String> allowed = c.list(pre + "tools", List.of());
    for (String t : allowed) {
      if (tools.find(t).isEmpty()) {
        throw new InvalidConfigException(
            pre + "tools", "unknown tool '" + t + "'; known: " + tools.names());
      }
    }
    String prompt =
        c.optional(pre + "system-prompt-file")
            .map(f -> files.read(pre + "system-prompt-file", Path.of(f)))
            .orElseGet(
                () ->
                    resource("routes/preamble.md")
                        + "\n"
                        + resource("routes/" + route + ".md", pre + "system-prompt-file"));
    String schema =
        c.optional(pre + "output-schema-file")
            .map(f -> files.read(pre + "output-schema-file", Path.of(f)))
            .orElseGet(
                () -> resource("routes/" + route + ".schema.json", pre + "output-schema-file"));
    OutputValidator validator;
    try {
      validator = new OutputValidator(schema);
    } catch (RuntimeException e) {
      throw new InvalidConfigException(
          pre + "output-schema-file", "not a valid JSON Schema: " + e.getMessage());
    }
    return new AgentSpec(
        route,
        prompt,
        models,
        allowed,
        c.intValue(pre + "max-turns", DEFAULT_MAX_TURNS, 1, 1000),
        c.intValue(pre + "max-tool-calls", DEFAULT_MAX_TOOL_CALLS, 0, 10_000),
        c.longValue(pre + "cost-cap-micro-usd", DEFAULT_COST_CAP_MICRO_USD, 0, Long.MAX_VALUE),
        c.longValue(pre + "token-cap", 0, 0, Long.MAX_VALUE),
        c.duration(pre + "timeout", DEFAULT_TASK_TIMEOUT),
        c.intValue(pre + "max-output-tokens", DEFAULT_MAX_OUTPUT_TOKENS, 16, 1_000_000),
        validator,
        options(c, pre, prices),
        c.list(pre + "checked-figures", List.of()));
  }

  private static CallOptions options(ConfigValues c, String pre, PriceTable prices) {
    String tier = c.string(pre + "service-tier", PriceTable.STANDARD);
    if (!prices.tiers().contains(tier)) {
      throw new InvalidConfigException(
          pre + "service-tier",
          "tier '" + tier + "' is not in price table " + prices.version() + " " + prices.tiers());
    }
    int budget = c.intValue(pre + "thinking-budget", 0, 0, 1_000_000);
    int maxOutput = c.intValue(pre + "max-output-tokens", DEFAULT_MAX_OUTPUT_TOKENS, 16, 1_000_000);
    if (budget > 0 && (budget < 1024 || budget >= maxOutput)) {
      throw new InvalidConfigException(
          pre + "thinking-budget",
          "0 (off) or at least 1024 and below max-output-tokens ("
              + maxOutput
              + "), got "
              + budget);
    }
    String ttl = c.string(pre + "cache-ttl", "5m");
    if (!ttl.equals("5m") && !ttl.equals("1h")) {
      throw new InvalidConfigException(pre + "cache-ttl", "must be 5m or 1h, got '" + ttl + "'");
    }
    return new CallOptions(ttl, budget, tier);
  }

  private static String resource(String name) {
    return resource(name, null);
  }

  private static String resource(String name, String keyIfMissing) {
    try (InputStream in = WorkerConfig.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new InvalidConfigException(
            keyIfMissing == null ? name : keyIfMissing,
            "no bundled " + name + "; configure the file");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("kafka", kafka.toString());
    shown.put("routes", routes.toString());
    providers.forEach(
        (n, p) ->
            shown.put(
                "provider." + n,
                p.type()
                    + " "
                    + p.baseUrl()
                    + " key="
                    + (p.apiKey() == null ? "none" : Secrets.HIDDEN)));
    specs.forEach(
        (r, s) ->
            shown.put(
                "route." + r,
                s.models().stream().map(ModelRef::id).toList()
                    + " tools="
                    + s.tools()
                    + " turns="
                    + s.maxTurns()
                    + " toolCalls="
                    + s.maxToolCalls()
                    + " costCap="
                    + s.costCapMicroUsd()));
    shown.put("maxInFlight", Integer.toString(maxInFlight));
    shown.put("instanceId", stableInstance() ? instanceId : "(random per process)");
    shown.put("journal", journalEnabled ? "on" : "OFF");
    shown.put("traceContent", captureContent ? "captured (identifiers redacted)" : "off");
    shown.put("retryDelays", retryDelays.toString());
    shown.put("prices", prices.version());
    shown.put(
        "approvals",
        approvalKey.isPresent()
            ? "signing key " + Secrets.HIDDEN
            : "none (no irreversible action can be approved)");
    return "WorkerConfig" + shown;
  }
}
