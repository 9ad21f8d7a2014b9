package dev.agentyard.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.dlq.inspect.DeadLetter;
import dev.agentyard.dlq.inspect.DeadLetterBrowser;
import dev.agentyard.dlq.inspect.ValueDecoder;
import dev.agentyard.dlq.replay.Redrive;
import dev.agentyard.dlq.review.ReviewQueue;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** JSON views of the console's results, shared by the HTTP API and the CLI's {@code --json}. */
public final class Views {

  public static final ObjectMapper JSON = new ObjectMapper();

  private Views() {}

  /** A dead letter without its value: where, why, what it cost, and its trace's page. */
  public static ObjectNode deadLetter(DeadLetter d, Function<String, Optional<String>> traceLinks) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", d.coordinates());
    o.put("topic", d.topic()).put("partition", d.partition()).put("offset", d.offset());
    o.put("timestamp", d.timestamp().toString());
    o.put("key", d.content().key());
    o.put("reason", d.failure().reason())
        .put("errorClass", d.failure().errorClass())
        .put("errorMessage", d.failure().message());
    o.put("stage", d.failure().stage())
        .put("route", d.run().route())
        .put("model", d.run().model())
        .put("taskId", d.run().taskId())
        .put("traceId", d.run().traceId())
        .put("traceLink", traceLinks.apply(d.run().traceId()).orElse(null));
    o.put("originalTopic", d.origin().topic().orElse(null));
    o.put("originalPartition", d.origin().partition().orElse(null));
    o.put("originalOffset", d.origin().offset().orElse(null));
    o.put("replayCount", d.run().replayCount()).put("attempts", d.run().attempts());
    o.put("tokensSpent", d.run().tokensSpent())
        .put("costSpentMicroUsd", d.run().costSpentMicroUsd());
    o.put("valueSizeBytes", d.content().valueSize());
    return o;
  }

  public static ObjectNode page(
      DeadLetterBrowser.Page p, Function<String, Optional<String>> traceLinks) {
    ObjectNode o = JSON.createObjectNode();
    o.put("total", p.total());
    ArrayNode items = o.putArray("items");
    p.items().forEach(d -> items.add(deadLetter(d, traceLinks)));
    o.put("nextCursor", p.nextCursor().orElse(null));
    return o;
  }

  public static JsonNode summary(DeadLetterBrowser.Summary s) {
    return JSON.valueToTree(s);
  }

  public static ObjectNode inspection(
      DlqConsole.Inspection i, Function<String, Optional<String>> traceLinks) {
    ObjectNode o = deadLetter(i.letter(), traceLinks);
    ArrayNode headers = o.putArray("headers");
    for (String[] row : i.letter().headerRows()) {
      headers.addObject().put("convention", row[0]).put("name", row[1]).put("value", row[2]);
    }
    o.set("value", i.value());
    o.set("disposition", i.disposition().map(Views::avro).orElse(JSON.nullNode()));
    return o;
  }

  public static ObjectNode report(Redrive.Report r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("auditId", r.auditId()).put("action", r.action().name()).put("dryRun", r.dryRun());
    o.put("selected", r.selected())
        .put("accepted", r.accepted().size())
        .put("refused", r.refused().size())
        .put("done", r.done());
    o.put("estimatedTokens", r.estimatedTokens())
        .put("estimatedCostMicroUsd", r.estimatedCostMicroUsd());
    o.put("estimatedCostUsd", r.estimatedCostMicroUsd() / 1_000_000.0);
    o.put("acceptedWithoutRecordedUsage", r.withoutUsage());
    o.put("outcome", r.outcome().name()).put("detail", r.detail());
    ArrayNode a = o.putArray("acceptedItems");
    r.accepted()
        .forEach(
            i ->
                a.addObject()
                    .put("id", i.coordinates())
                    .put("taskId", i.taskId())
                    .put("target", i.target())
                    .put("tokens", i.tokens())
                    .put("costMicroUsd", i.costMicroUsd()));
    ArrayNode f = o.putArray("refusedItems");
    r.refused()
        .forEach(
            i ->
                f.addObject()
                    .put("id", i.coordinates())
                    .put("taskId", i.taskId())
                    .put("refusal", i.refusal().orElse("")));
    return o;
  }

  public static ObjectNode review(
      ReviewQueue.Entry e, boolean showContent, Function<String, Optional<String>> traceLinks) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", e.item().getReviewId()).put("at", e.coordinates()).put("open", e.open());
    o.put("traceId", e.traceId().orElse(null));
    o.put("traceLink", e.traceId().flatMap(traceLinks).orElse(null));
    o.set("item", ValueDecoder.toJson(e.item(), e.item().getSchema(), showContent));
    o.set("decision", e.decision().map(Views::avro).orElse(JSON.nullNode()));
    o.set(
        "claim",
        e.claim()
            .filter(c -> e.open())
            .<JsonNode>map(
                c ->
                    JSON.createObjectNode()
                        .put("by", c.actor())
                        .put("at", c.at().toString())
                        .put("until", c.until().toString()))
            .orElse(JSON.nullNode()));
    return o;
  }

  public static ArrayNode reviews(
      List<ReviewQueue.Entry> entries, Function<String, Optional<String>> traceLinks) {
    ArrayNode a = JSON.createArrayNode();
    entries.forEach(e -> a.add(review(e, false, traceLinks)));
    return a;
  }

  public static ObjectNode decision(ReviewQueue.Decision d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("auditId", d.auditId())
        .put("action", d.action().name())
        .put("reviewId", d.reviewId())
        .put("taskId", d.taskId());
    o.put("target", d.target())
        .put("grantId", d.grantId().orElse(null))
        .put("outcome", d.outcome().name())
        .put("detail", d.detail());
    return o;
  }

  public static ArrayNode audit(List<DlqAuditEvent> events) {
    ArrayNode a = JSON.createArrayNode();
    events.forEach(e -> a.add(avro(e)));
    return a;
  }

  public static ArrayNode budgets(List<dev.agentyard.avro.BudgetDefinition> budgets) {
    ArrayNode a = JSON.createArrayNode();
    budgets.forEach(b -> a.add(avro(b)));
    return a;
  }

  public static JsonNode budget(dev.agentyard.avro.BudgetDefinition b) {
    return avro(b);
  }

  private static JsonNode avro(SpecificRecord r) {
    return ValueDecoder.toJson(r, r.getSchema(), true);
  }
}
