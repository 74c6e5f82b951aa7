package org.clientregistry.admin;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.clientregistry.api.FhirHandlers;
import org.clientregistry.api.FhirResponse;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.LinkAdmin;
import org.clientregistry.linking.MatchingState;
import org.clientregistry.linking.ReviewView;
import org.clientregistry.store.AdminReads;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;

/** The review queue, link management, history and the change feed (docs/administration.md), as JSON. */
public final class AdminRoutes {
  private static final int MAX_COUNT = 100;

  private final PatientStore store;
  private final LinkAdmin links;
  private final ReviewView reviews;
  private final Supplier<MatchingState> matching;
  private final Rematching rematch;

  public AdminRoutes(PatientStore store, LinkAdmin links, ReviewView reviews, Supplier<MatchingState> matching,
                     Rematching rematch) {
    this.store = store;
    this.links = links;
    this.reviews = reviews;
    this.matching = matching;
    this.rematch = rematch;
  }

  public Future<FhirResponse> reviewQueue(RoutingContext ctx) {
    AdminReads.ReviewQuery query = reviewQuery(ctx);
    return store.reviewItems(query).compose(page -> details(page.items()).map(items -> json(200,
        new JsonObject().put("total", page.total()).put("offset", query.offset()).put("count", items.size())
            .put("items", items))));
  }

  public Future<FhirResponse> reviewItem(RoutingContext ctx) {
    return item(ctx.pathParam("id")).compose(reviews::detail).map(d -> json(200, AdminJson.review(d)));
  }

  public Future<FhirResponse> decide(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String id = ctx.pathParam("id");
    return links.decide(actor(ctx, body), id, required(body, "decision"))
        .compose(v -> item(id)).compose(done -> linksOf(List.of(done.goldenId()), List.of(done.sourceId())))
        .map(result -> json(200, result));
  }

  public Future<FhirResponse> links(RoutingContext ctx) {
    String method = first(ctx, "method", ctx.queryParams().get("source"));
    String golden = id(first(ctx, "goldenId", ctx.queryParams().get("golden")));
    String source = id(first(ctx, "sourceId", null));
    if (golden == null && source == null) {
      throw FhirException.badRequest("Give goldenId or sourceId");
    }
    if (method != null && !method.equals("auto") && !method.equals("manual")) {
      throw FhirException.badRequest("method must be auto or manual");
    }
    int offset = intParam(ctx, "_offset", 0);
    int count = Math.min(intParam(ctx, "_count", 50), MAX_COUNT);
    return store.links(new AdminReads.LinkQuery(golden, source, method, offset, count)).map(page -> json(200,
        new JsonObject().put("total", page.total()).put("offset", offset).put("links", linkArray(page.items()))));
  }

  public Future<FhirResponse> history(RoutingContext ctx) {
    String source = id(ctx.queryParams().get("source"));
    String golden = id(ctx.queryParams().get("golden"));
    if ((source == null) == (golden == null)) {
      throw FhirException.badRequest("Give exactly one of source or golden");
    }
    return store.linkHistory(source, golden, Math.min(intParam(ctx, "_count", 200), 1000))
        .map(events -> json(200, new JsonObject().put("events", AdminJson.events(events))));
  }

  public Future<FhirResponse> changes(RoutingContext ctx) {
    String since = ctx.queryParams().get("since");
    return store.linkChanges(since, Math.min(intParam(ctx, "_count", 100), 1000)).recover(e -> Future.failedFuture(
            e instanceof IllegalArgumentException ? FhirException.badRequest(e.getMessage()) : e))
        .map(events -> json(200, new JsonObject().put("changes", AdminJson.events(events))
            .put("next", events.isEmpty() ? since : events.get(events.size() - 1).position())));
  }

  public Future<FhirResponse> breakLink(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String source = id(required(body, "source"));
    String before = golden(source);
    return links.breakOff(actor(ctx, body), source)
        .compose(golden -> linksOf(List.of(before, golden), List.of(source))).map(r -> json(200, r));
  }

  public Future<FhirResponse> unbreak(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String source = id(required(body, "source"));
    String other = id(required(body, "other"));
    return links.unbreak(actor(ctx, body), source, other)
        .compose(v -> linksOf(List.of(), List.of(source, other))).map(r -> json(200, r));
  }

  public Future<FhirResponse> merge(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String into = id(required(body, "into"));
    return links.merge(actor(ctx, body), id(required(body, "from")), into)
        .compose(v -> linksOf(List.of(into), List.of())).map(r -> json(200, r));
  }

  public Future<FhirResponse> link(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String source = id(required(body, "source"));
    String golden = id(required(body, "golden"));
    String before = golden(source);
    return links.link(actor(ctx, body), source, golden)
        .compose(v -> linksOf(List.of(before, golden), List.of(source))).map(r -> json(200, r));
  }

  public Future<FhirResponse> rematchStatus(RoutingContext ctx) {
    return rematch.status().map(status -> json(200, status));
  }

  public Future<FhirResponse> rematch(RoutingContext ctx) {
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : body(ctx);
    boolean apply = body.getBoolean("apply", false);
    return (apply ? rematch.apply(FhirHandlers.client(ctx).id()) : rematch.dryRun())
        .map(report -> json(apply ? 202 : 200, report));
  }

  // ---- helpers

  private Future<List<JsonObject>> details(List<ReviewItem> items) {
    List<Future<ReviewView.Detail>> all = new ArrayList<>();
    items.forEach(i -> all.add(reviews.detail(i)));
    return Future.all(all).map(done -> {
      List<JsonObject> out = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        out.add(AdminJson.review(done.resultAt(i)));
      }
      return out;
    });
  }

  private Future<ReviewItem> item(String id) {
    return store.reviewItem(id).map(found -> found.orElseThrow(() -> FhirException.notFound("No review item " + id)));
  }

  /** The links of these golden records and of the golden records these source records are in now. */
  private Future<JsonObject> linksOf(List<String> goldens, List<String> sources) {
    Set<String> ids = new LinkedHashSet<>();
    goldens.stream().filter(g -> g != null).forEach(ids::add);
    sources.forEach(s -> ids.add(golden(s)));
    ids.remove(null);
    List<Future<AdminReads.Page<org.clientregistry.store.SourceRecord>>> reads = new ArrayList<>();
    ids.forEach(g -> reads.add(store.links(new AdminReads.LinkQuery(g, null, null, 0, MAX_COUNT))));
    return Future.all(reads).map(done -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < reads.size(); i++) {
        AdminReads.Page<org.clientregistry.store.SourceRecord> page = done.resultAt(i);
        linkArray(page.items()).forEach(out::add);
      }
      return new JsonObject().put("links", out);
    });
  }

  private JsonArray linkArray(List<org.clientregistry.store.SourceRecord> records) {
    JsonArray out = new JsonArray();
    records.forEach(r -> out.add(AdminJson.link(r, matching.get().index().goldenVersion(r.goldenId()))));
    return out;
  }

  private String golden(String sourceId) {
    return matching.get().index().record(sourceId).map(r -> r.goldenId()).orElse(null);
  }

  private static LinkAdmin.Actor actor(RoutingContext ctx, JsonObject body) {
    return new LinkAdmin.Actor(FhirHandlers.client(ctx).id(), ctx.request().getHeader("If-Match"),
        body.getString("comment"));
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw FhirException.badRequest("Send a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw FhirException.badRequest("The body is not a JSON object");
    }
  }

  private static String required(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (!(v instanceof String s) || s.isBlank()) {
      throw FhirException.badRequest("'" + name + "' is required (a string)");
    }
    return s;
  }

  /** {@code Patient/<id>} or a bare id. */
  private static String id(String reference) {
    if (reference == null || reference.isBlank()) {
      return null;
    }
    String id = reference.startsWith("Patient/") ? reference.substring("Patient/".length()) : reference;
    if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw FhirException.badRequest("Not a Patient reference: " + reference);
    }
    return id;
  }

  private static String first(RoutingContext ctx, String name, String fallback) {
    String v = ctx.queryParams().get(name);
    return v != null ? v : fallback;
  }

  private static AdminReads.ReviewQuery reviewQuery(RoutingContext ctx) {
    String status = first(ctx, "status", ReviewItem.OPEN);
    if (!List.of("open", "resolved", "all").contains(status)) {
      throw FhirException.badRequest("status must be open, resolved or all");
    }
    Instant before = instant(ctx, "createdBefore");
    Double minAge = doubleParam(ctx, "minAgeHours");
    if (minAge != null) {
      Instant cut = Instant.now().minus(Duration.ofMinutes((long) (minAge * 60)));
      before = before == null || cut.isBefore(before) ? cut : before;
    }
    return new AdminReads.ReviewQuery(status.equals("all") ? null : status, ctx.queryParams().get("ruleSet"),
        ctx.queryParams().get("client"), doubleParam(ctx, "minScore"), doubleParam(ctx, "maxScore"),
        instant(ctx, "createdAfter"), before, intParam(ctx, "_offset", 0),
        Math.min(intParam(ctx, "_count", 20), MAX_COUNT));
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw FhirException.badRequest(name + " must be an instant such as 2026-01-31T00:00:00Z");
    }
  }

  private static Double doubleParam(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    try {
      return v == null ? null : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw FhirException.badRequest(name + " must be a number");
    }
  }

  private static int intParam(RoutingContext ctx, String name, int fallback) {
    String v = ctx.queryParams().get(name);
    try {
      int n = v == null ? fallback : Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw FhirException.badRequest(name + " must be a whole number of 0 or more");
    }
  }

  private static FhirResponse json(int status, JsonObject body) {
    return FhirResponse.ofJson(status, body.encode()).header("Content-Type", "application/json");
  }
}
