package org.clientregistry.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clientregistry.linking.ReviewView;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;

/** How administration answers look: plain JSON, references as {@code Patient/<id>}. */
final class AdminJson {
  private AdminJson() {}

  static String ref(String id) {
    return id == null ? null : "Patient/" + id;
  }

  static JsonObject review(ReviewView.Detail d) {
    ReviewItem i = d.item();
    JsonObject raised = new JsonObject().put("score", i.score()).put("grade", i.grade()).put("ruleSet", i.rule())
        .put("candidate", ref(i.candidateId()));
    JsonArray fields = new JsonArray();
    d.fields().forEach(f -> fields.add(new JsonObject().put("field", f.field()).put("valueA", f.valueA())
        .put("valueB", f.valueB()).put("algorithm", f.algorithm()).put("similarity", f.similarity())
        .put("agreement", f.agreement()).put("weight", f.weight())));
    return new JsonObject().put("id", i.id()).put("status", i.status()).put("reason", i.reason())
        .put("created", i.created().toString())
        .put("ageHours", Duration.between(i.created(), Instant.now()).toMinutes() / 60.0)
        .put("golden", ref(i.goldenId())).put("score", d.score()).put("grade", d.grade())
        .put("ruleSet", d.ruleSet()).put("rescored", d.rescored()).put("raised", raised)
        .put("source", side(d.source())).put("candidate", side(d.candidate())).put("fields", fields)
        .put("decision", i.decision()).put("resolvedBy", i.resolvedBy())
        .put("resolvedAt", i.resolvedAt() == null ? null : i.resolvedAt().toString()).put("comment", i.comment());
  }

  private static JsonObject side(ReviewView.Side side) {
    if (side == null) {
      return null;
    }
    SourceRecord r = side.record();
    JsonArray ids = new JsonArray();
    side.identifiers().forEach(id -> ids.add(new JsonObject().put("system", id.system()).put("value", id.value())));
    return new JsonObject().put("id", ref(r.id())).put("client", r.clientId()).put("version", r.version())
        .put("golden", ref(r.goldenId())).put("link", facts(r.link())).put("identifiers", ids)
        .put("resource", new JsonObject(r.resourceJson()));
  }

  static JsonObject link(SourceRecord r, int goldenVersion) {
    return new JsonObject().put("source", ref(r.id())).put("golden", ref(r.goldenId()))
        .put("goldenVersion", goldenVersion).put("version", r.version()).put("client", r.clientId())
        .mergeIn(facts(r.link()));
  }

  private static JsonObject facts(LinkFacts f) {
    if (f == null) {
      return new JsonObject();
    }
    JsonObject o = new JsonObject().put("method", f.method()).put("score", f.score()).put("grade", f.grade())
        .put("rule", f.rule()).put("at", f.at() == null ? null : f.at().toString());
    if (f.explanationJson() != null) {
      o.put("explanation", new JsonArray(f.explanationJson()));
    }
    return o;
  }

  static JsonObject event(LinkEvent e) {
    return new JsonObject().put("position", e.position()).put("at", e.at().toString())
        .put("source", ref(e.sourceId())).put("golden", ref(e.goldenId()))
        .put("previousGolden", ref(e.previousGoldenId())).put("actor", e.actor()).put("comment", e.comment())
        .mergeIn(facts(e.facts()));
  }

  static JsonArray events(List<LinkEvent> events) {
    JsonArray out = new JsonArray();
    events.forEach(e -> out.add(event(e)));
    return out;
  }
}
