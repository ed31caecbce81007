package io.sluice.sim;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One in-flight provider request: schedules its delayed steps on the request's event loop and
 * notices when the client goes away, so pending timers are cancelled and the request is counted
 * as cancelled. Confined to the request's event loop, hence no locking.
 */
final class Exchange {
  private final RoutingContext ctx;
  private final Vertx vertx;
  private final Context context;
  private final Stats stats;
  private long timerId = -1;
  private boolean closed;

  Exchange(RoutingContext ctx, Stats stats) {
    this.ctx = ctx;
    this.vertx = ctx.vertx();
    this.context = vertx.getOrCreateContext();
    this.stats = stats;
    ctx.response().closeHandler(v -> clientClosed());
  }

  HttpServerResponse response() {
    return ctx.response();
  }

  /**
   * Runs {@code step} after {@code delayMs} unless the connection is gone by then. A zero delay
   * still goes through the event loop so consecutive stream frames are flushed one by one.
   */
  void after(long delayMs, Runnable step) {
    if (closed) {
      return;
    }
    if (delayMs <= 0) {
      context.runOnContext(v -> runIfOpen(step));
    } else {
      timerId = vertx.setTimer(delayMs, id -> {
        timerId = -1;
        runIfOpen(step);
      });
    }
  }

  /** Drops the TCP connection without finishing the response (server-side fault, not a cancel). */
  void abort() {
    closed = true;
    ctx.request().connection().close();
  }

  private void runIfOpen(Runnable step) {
    if (!closed) {
      step.run();
    }
  }

  private void clientClosed() {
    if (closed) {
      return; // we aborted it ourselves
    }
    closed = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (!ctx.response().ended()) {
      stats.cancelled();
    }
  }
}
