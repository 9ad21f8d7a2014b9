package dev.agentyard.cost.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.runtime.http.OpsHttpServer;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /budgets}: every defined budget with its limit, spent, held and remaining in the
 * current period, and the reservations and leases in force (ids, instance, amounts, expiry). The
 * definitions are global; the ledger state is this instance's partitions (one instance runs every
 * partition unless the ledger is scaled out; {@code partitions} in the answer says so).
 */
public final class LedgerQueryApi implements HttpHandler {

  private final KafkaStreams streams;
  private final ObjectMapper json = new ObjectMapper();

  public LedgerQueryApi(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("GET")) {
      OpsHttpServer.respond(ex, 405, "application/json", "{\"error\":\"GET only\"}");
      return;
    }
    try {
      OpsHttpServer.respond(ex, 200, "application/json", json.writeValueAsString(budgets()));
    } catch (InvalidStateStoreException e) {
      OpsHttpServer.respond(
          ex,
          503,
          "application/json",
          "{\"error\":\"the ledger's stores are not queryable yet (rebalancing or restoring); retry\"}");
    }
  }

  private ObjectNode budgets() {
    ReadOnlyKeyValueStore<String, BudgetDefinition> defs =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                LedgerTopology.DEFINITIONS, QueryableStoreTypes.keyValueStore()));
    ReadOnlyKeyValueStore<String, BudgetLedgerState> ledger =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                LedgerTopology.LEDGER, QueryableStoreTypes.keyValueStore()));
    Map<String, BudgetLedgerState> states = new TreeMap<>();
    try (KeyValueIterator<String, BudgetLedgerState> it = ledger.all()) {
      it.forEachRemaining(kv -> states.put(kv.key, kv.value));
    }
    ObjectNode body = json.createObjectNode();
    body.put(
        "partitions",
        streams.metadataForLocalThreads().stream()
            .flatMap(t -> t.activeTasks().stream())
            .mapToInt(t -> t.topicPartitions().size())
            .sum());
    ArrayNode list = body.putArray("budgets");
    try (KeyValueIterator<String, BudgetDefinition> it = defs.all()) {
      while (it.hasNext()) {
        KeyValue<String, BudgetDefinition> kv = it.next();
        BudgetDefinition d = kv.value;
        ObjectNode b = list.addObject();
        b.put("budgetId", kv.key);
        b.put("tenant", d.getTenant());
        b.put("route", d.getRoute());
        b.put("period", d.getPeriod().name());
        b.put("mode", d.getMode().name());
        b.put("atLimit", d.getAtLimit().name());
        b.put("limitMicroUsd", d.getLimitMicroUsd());
        b.put("leaseMicroUsd", d.getLeaseMicroUsd());
        b.put("updatedBy", d.getUpdatedBy());
        b.put("updatedAt", d.getUpdatedAt().toString());
        BudgetLedgerState s = states.get(kv.key);
        if (s == null) {
          b.put("spentMicroUsd", 0);
          b.put("heldMicroUsd", 0);
          b.put("remainingMicroUsd", d.getLimitMicroUsd());
          b.putArray("holds");
          continue;
        }
        long held = BudgetBook.held(s);
        b.put("periodStart", s.getPeriodStart().toString());
        b.put("spentMicroUsd", s.getSpentMicroUsd());
        b.put("charges", s.getCharges());
        b.put("heldMicroUsd", held);
        b.put("remainingMicroUsd", d.getLimitMicroUsd() - s.getSpentMicroUsd() - held);
        ArrayNode holds = b.putArray("holds");
        new TreeMap<>(s.getHolds())
            .forEach(
                (id, h) -> {
                  ObjectNode o = holds.addObject();
                  o.put("id", id);
                  o.put("kind", h.getLease() ? "lease" : "reservation");
                  o.put("instance", h.getInstance());
                  o.put("amountMicroUsd", h.getAmountMicroUsd());
                  o.put("chargedMicroUsd", h.getChargedMicroUsd());
                  o.put("expiresAt", h.getExpiresAt().toString());
                });
      }
    }
    return body;
  }
}
