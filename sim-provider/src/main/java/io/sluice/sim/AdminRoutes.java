package io.sluice.sim;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code /sim} control API: per-run rules ({@code POST/GET/DELETE /sim/rules},
 * {@code DELETE /sim/rules/{id}}), counters ({@code GET /sim/stats},
 * {@code POST /sim/stats/reset}) and the last request bodies received ({@code GET /sim/requests}). Errors are {@code {"error": "..."}}.
 */
final class AdminRoutes {
  private final RuleBook rules;
  private final Stats stats;

  AdminRoutes(RuleBook rules, Stats stats) {
    this.rules = rules;
    this.stats = stats;
  }

  void mount(Router router) {
    router.post("/sim/rules").handler(this::addRule);
    router.get("/sim/rules").handler(ctx -> json(ctx, 200, rules.toJson().encode()));
    router.delete("/sim/rules").handler(ctx -> {
      rules.clear();
      ctx.response().setStatusCode(204).end();
    });
    router.delete("/sim/rules/:id").handler(this::deleteRule);
    router.get("/sim/stats").handler(ctx -> json(ctx, 200, stats.toJson().encode()));
    router.get("/sim/requests").handler(ctx -> json(ctx, 200, stats.receivedJson().encode()));
    router.post("/sim/stats/reset").handler(ctx -> {
      stats.reset();
      ctx.response().setStatusCode(204).end();
    });
  }

  private void addRule(RoutingContext ctx) {
    JsonObject spec;
    try {
      spec = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "Rule must be a JSON object");
      return;
    }
    if (spec == null) {
      error(ctx, 400, "Rule must be a JSON object");
      return;
    }
    try {
      json(ctx, 201, rules.add(spec).toJson().encode());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    }
  }

  private void deleteRule(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      error(ctx, 404, "No rule " + ctx.pathParam("id"));
      return;
    }
    if (rules.remove(id)) {
      ctx.response().setStatusCode(204).end();
    } else {
      error(ctx, 404, "No rule " + id);
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message).encode());
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }
}
