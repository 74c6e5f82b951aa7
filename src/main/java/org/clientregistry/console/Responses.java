package org.clientregistry.console;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.clientregistry.fhir.FhirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How console handlers answer: a page, a redirect after a change (with a notice), or an error page. */
final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {}

  static void html(RoutingContext ctx, int status, String html) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html);
    }
  }

  static void page(RoutingContext ctx, Future<String> html) {
    html.onSuccess(h -> html(ctx, 200, h)).onFailure(e -> error(ctx, e));
  }

  static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(303).putHeader("Location", to).end();
  }

  /** Post/redirect/get: after the change, go to {@code done} with a notice; on refusal, back with the reason. */
  static void afterChange(RoutingContext ctx, Future<?> change, String done, String notice, String back) {
    Visitor v = Visitor.of(ctx);
    change.onSuccess(x -> {
      v.flash(notice);
      redirect(ctx, done);
    }).onFailure(e -> {
      v.flash("Not done: " + message(e));
      redirect(ctx, back);
    });
  }

  static void error(RoutingContext ctx, Throwable e) {
    int status = status(e);
    if (status >= 500) {
      // The class only: messages may quote records.
      LOG.error("Console request failed: {}", e.getClass().getName());
    }
    Visitor v = ctx.session() == null ? null : Visitor.of(ctx);
    html(ctx, status, Html.page(v, status == 404 ? "Not found" : status == 403 ? "Not allowed" : "Something went wrong",
        "", Html.notice("error", message(e)) + "<p><a href=\"/admin/\">Back to the dashboard</a></p>"));
  }

  static int status(Throwable e) {
    if (e instanceof FhirException f) {
      return f.status();
    }
    if (e instanceof IllegalArgumentException || e instanceof org.clientregistry.matching.RulesException) {
      return 400;
    }
    return 500;
  }

  static String message(Throwable e) {
    if (e instanceof FhirException || e instanceof IllegalArgumentException
        || e instanceof org.clientregistry.matching.RulesException) {
      return e.getMessage();
    }
    return "The registry could not do this; the error is in its log.";
  }
}
