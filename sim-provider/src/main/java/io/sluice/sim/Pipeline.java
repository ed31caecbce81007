package io.sluice.sim;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * The steps every provider endpoint shares: count the request, read the {@code x-sim} header,
 * let the endpoint parse its body, apply the first matching admin rule, then write the reply.
 */
final class Pipeline {
  static final String DIRECTIVES_HEADER = "x-sim";

  /** A parsed request: the model it names (may be null) and how to answer it under directives. */
  record Call(String model, Function<Directives, Reply> reply) {}

  /** Parses one endpoint's request; throws {@link BadRequest} (or IllegalArgumentException) for a 400. */
  @FunctionalInterface
  interface Endpoint {
    Call parse(RoutingContext ctx);
  }

  private final RuleBook rules;
  private final Stats stats;

  Pipeline(RuleBook rules, Stats stats) {
    this.rules = rules;
    this.stats = stats;
  }

  Handler<RoutingContext> handler(ErrorFormat errors, Endpoint endpoint) {
    return ctx -> {
      String path = ctx.request().path();
      stats.request(path);
      if (ctx.body() != null && ctx.body().length() > 0) {
        stats.received(path, ctx.body().buffer());
      }
      Directives requested;
      Call call;
      try {
        requested = Directives.parse(ctx.request().getHeader(DIRECTIVES_HEADER));
        call = endpoint.parse(ctx);
      } catch (IllegalArgumentException e) {
        ctx.response()
            .setStatusCode(400)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(errors.body(400, e.getMessage()).encode());
        return;
      }
      if (call.model() != null) {
        stats.model(call.model());
      }
      Directives effective = rules.match(call.model(), path).map(rule -> rule.overriddenBy(requested)).orElse(requested);
      Reply reply = call.reply().apply(effective);
      new ReplyWriter(new Exchange(ctx, stats), errors, effective).write(reply);
    };
  }
}
