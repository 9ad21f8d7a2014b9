package dev.agentyard.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.schemas.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live cost over HTTP, from the state stores (interactive queries). Any instance answers for all:
 * it asks every instance of the application (found through {@code application.server}) for its
 * share with {@code local=true} and merges. Each key lives on exactly one instance, so the merge is
 * a concatenation.
 *
 * <ul>
 *   <li>{@code GET
 *       /cost/totals?dimension=route|route-model|tenant&period=day|month[&at=2026-11-21T00:00:00Z]}
 *   <li>{@code GET /cost/open?dimension=route&window=1m}: windows not yet closed
 *   <li>{@code GET /cost/top?period=day&n=5}: routes by spend, highest first
 * </ul>
 */
final class CostQueryApi implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(CostQueryApi.class);

  private final KafkaStreams streams;
  private final CostAggregatorConfig config;
  private final HostInfo self;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  CostQueryApi(KafkaStreams streams, CostAggregatorConfig config, HostInfo self, Clock clock) {
    this.streams = streams;
    this.config = config;
    this.self = self;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      if (!ex.getRequestMethod().equals("GET")) {
        OpsHttpServer.respond(ex, 405, "application/json", "{\"error\":\"GET only\"}");
        return;
      }
      Map<String, String> q = query(ex.getRequestURI());
      String path = ex.getRequestURI().getPath();
      ObjectNode body =
          switch (path) {
            case "/cost/totals" -> totals(q, ex.getRequestURI());
            case "/cost/open" -> open(q, ex.getRequestURI());
            case "/cost/top" -> top(q, ex.getRequestURI());
            default -> null;
          };
      if (body == null) {
        OpsHttpServer.respond(
            ex,
            404,
            "application/json",
            "{\"error\":\"unknown path; see docs/cost-aggregator.md\"}");
      } else {
        OpsHttpServer.respond(ex, 200, "application/json", json.writeValueAsString(body));
      }
    } catch (IllegalArgumentException e) {
      OpsHttpServer.respond(
          ex, 400, "application/json", json.writeValueAsString(Map.of("error", e.getMessage())));
    } catch (InvalidStateStoreException e) {
      OpsHttpServer.respond(
          ex,
          503,
          "application/json",
          json.writeValueAsString(
              Map.of("error", "state stores not queryable yet (rebalancing or restoring); retry")));
    } catch (RuntimeException e) {
      log.warn("Cost query {} failed", ex.getRequestURI(), e);
      OpsHttpServer.respond(
          ex,
          500,
          "application/json",
          json.writeValueAsString(Map.of("error", e.getClass().getSimpleName())));
    }
  }

  private ObjectNode totals(Map<String, String> q, URI uri) {
    CostDimension d = dimension(q);
    Budget.Period period = period(q);
    Instant at = q.containsKey("at") ? Instant.parse(q.get("at")) : clock.instant();
    String label = period.label(at);
    ArrayNode items =
        gather(
            uri,
            q,
            () -> {
              List<KeyValue<String, CostTotals>> rows =
                  scan(CostStores.names(d).periods(), period.name() + "|" + label + "|");
              ArrayNode out = json.createArrayNode();
              rows.forEach(
                  kv ->
                      out.add(
                          row(
                              d,
                              kv.key.substring(period.name().length() + label.length() + 2),
                              kv.value)));
              return out;
            });
    ObjectNode body =
        json.createObjectNode()
            .put("dimension", q.getOrDefault("dimension", "route"))
            .put("period", period.name())
            .put("label", label);
    body.put("totalCostMicroUsd", sum(items));
    body.set("items", items);
    return body;
  }

  private ObjectNode open(Map<String, String> q, URI uri) {
    CostDimension d = dimension(q);
    String window = q.getOrDefault("window", Topics.label(config.windows().get(0)));
    Duration size =
        config.windows().stream()
            .filter(w -> Topics.label(w).equals(window))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "window must be one of "
                            + config.windows().stream().map(Topics::label).toList()));
    ArrayNode items =
        gather(
            uri,
            q,
            () -> {
              ArrayNode out = json.createArrayNode();
              for (KeyValue<String, CostTotals> kv :
                  scan(CostStores.names(d).windows(), CostStores.WindowKey.prefix(window))) {
                CostStores.WindowKey key = CostStores.WindowKey.parse(kv.key);
                long start = key.start();
                ObjectNode r = row(d, key.dimKey(), kv.value);
                r.put("windowStart", Instant.ofEpochMilli(start).toString())
                    .put("windowEnd", Instant.ofEpochMilli(start + size.toMillis()).toString());
                out.add(r);
              }
              return out;
            });
    ObjectNode body =
        json.createObjectNode()
            .put("dimension", q.getOrDefault("dimension", "route"))
            .put("window", window);
    body.set("items", items);
    return body;
  }

  private ObjectNode top(Map<String, String> q, URI uri) {
    Map<String, String> q2 = new HashMap<>(q);
    q2.put("dimension", "route");
    ObjectNode all = totals(q2, uri);
    int n = Integer.parseInt(q.getOrDefault("n", "10"));
    List<JsonNode> rows = new ArrayList<>();
    all.get("items").forEach(rows::add);
    rows.sort(Comparator.comparingLong((JsonNode r) -> r.get("costMicroUsd").asLong()).reversed());
    ArrayNode items = json.createArrayNode();
    rows.stream().limit(n).forEach(items::add);
    all.set("items", items);
    all.put("n", n);
    return all;
  }

  /** This instance's rows, or (unless local=true) every instance's rows merged. */
  private ArrayNode gather(URI uri, Map<String, String> q, Supplier<ArrayNode> local) {
    if ("true".equals(q.get("local"))) {
      return local.get();
    }
    ArrayNode merged = json.createArrayNode();
    boolean sawSelf = false;
    for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
      if (m.hostInfo().equals(self)) {
        merged.addAll(local.get());
        sawSelf = true;
        continue;
      }
      String remote =
          "http://"
              + m.host()
              + ":"
              + m.port()
              + uri.getPath()
              + "?"
              + (uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&")
              + "local=true";
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(remote)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(
              "instance " + m.hostInfo() + " answered " + r.statusCode());
        }
        merged.addAll((ArrayNode) json.readTree(r.body()).get("items"));
      } catch (IOException e) {
        throw new IllegalStateException(
            "instance " + m.hostInfo() + " unreachable: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (!sawSelf) {
      merged.addAll(local.get());
    }
    return merged;
  }

  private List<KeyValue<String, CostTotals>> scan(String storeName, String prefix) {
    ReadOnlyKeyValueStore<String, CostTotals> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
    List<KeyValue<String, CostTotals>> out = new ArrayList<>();
    try (KeyValueIterator<String, CostTotals> it = store.range(prefix, prefix + "\uffff")) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private ObjectNode row(CostDimension d, String dimKey, CostTotals t) {
    ObjectNode r = json.createObjectNode();
    switch (d) {
      case ROUTE -> r.put("route", dimKey);
      case ROUTE_MODEL -> {
        String[] rm = CostStores.routeAndModel(dimKey);
        r.put("route", rm[0]).put("model", rm[1]);
      }
      default -> r.put("tenant", dimKey);
    }
    return r.put("requests", t.requests())
        .put("attempts", t.attempts())
        .put("failures", t.failures())
        .put("fallbacks", t.fallbacks())
        .put("inputTokens", t.inputTokens())
        .put("outputTokens", t.outputTokens())
        .put("cacheReadTokens", t.cacheReadTokens())
        .put("cacheWriteTokens", t.cacheWriteTokens())
        .put("cacheWrite1hTokens", t.cacheWrite1hTokens())
        .put("costMicroUsd", t.costMicroUsd())
        .put("unconfirmedCalls", t.unconfirmedCalls())
        .put("unconfirmedMicroUsd", t.unconfirmedMicroUsd())
        .put("priceTableVersion", t.priceTableVersion());
  }

  private static long sum(ArrayNode items) {
    long s = 0;
    for (JsonNode n : items) {
      s += n.get("costMicroUsd").asLong();
    }
    return s;
  }

  private static CostDimension dimension(Map<String, String> q) {
    return switch (q.getOrDefault("dimension", "route").toLowerCase(Locale.ROOT)) {
      case "route" -> CostDimension.ROUTE;
      case "route-model", "route_model", "model" -> CostDimension.ROUTE_MODEL;
      case "tenant" -> CostDimension.TENANT;
      default ->
          throw new IllegalArgumentException("dimension must be route, route-model or tenant");
    };
  }

  private static Budget.Period period(Map<String, String> q) {
    return switch (q.getOrDefault("period", "day").toLowerCase(Locale.ROOT)) {
      case "day", "today" -> Budget.Period.DAY;
      case "month" -> Budget.Period.MONTH;
      default -> throw new IllegalArgumentException("period must be day or month");
    };
  }

  private static Map<String, String> query(URI uri) {
    return OpsHttpServer.query(uri);
  }
}
