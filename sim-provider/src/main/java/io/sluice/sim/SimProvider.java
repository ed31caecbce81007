package io.sluice.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Simulated OpenAI-, Anthropic- and Gemini-compatible LLM upstream on a plain Vert.x HTTP server,
 * with latency and faults injectable per request ({@code x-sim} header) or per run ({@code /sim}
 * admin API). Embed it in tests with {@code try (SimProvider sim = SimProvider.start(0)) {...}}.
 */
public final class SimProvider implements AutoCloseable {
  static final String LOOPBACK = "127.0.0.1";
  private static final long MAX_BODY_BYTES = 32L * 1024 * 1024;
  private static final long STARTUP_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpServer server;
  private boolean closed;

  private SimProvider(Vertx vertx, boolean ownsVertx, HttpServer server) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.server = server;
  }

  /** Starts on {@code 127.0.0.1:port} ({@code 0} picks a free port) with its own Vertx; blocks until listening. */
  public static SimProvider start(int port) {
    return start(ownVertx(), true, LOOPBACK, port, new JsonArray());
  }

  /** Starts on {@code 127.0.0.1:port} on the given Vertx, which {@link #close()} leaves running. */
  public static SimProvider start(Vertx vertx, int port) {
    return start(vertx, false, LOOPBACK, port, new JsonArray());
  }

  static SimProvider start(Vertx vertx, boolean ownsVertx, String host, int port, JsonArray rules) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("SimProvider.start blocks; call it off the event loop");
    }
    HttpServer server = null;
    try {
      RuleBook ruleBook = new RuleBook();
      ruleBook.addAll(rules);
      server = vertx.createHttpServer().requestHandler(router(vertx, ruleBook, new Stats()));
      await(server.listen(port, host));
      return new SimProvider(vertx, ownsVertx, server);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (ownsVertx) {
        vertx.close();
      }
      throw e;
    }
  }

  private static Router router(Vertx vertx, RuleBook rules, Stats stats) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    Pipeline pipeline = new Pipeline(rules, stats);
    new OpenAiRoutes().mount(router, pipeline);
    new AnthropicRoutes().mount(router, pipeline);
    new GeminiRoutes().mount(router, pipeline);
    new AdminRoutes(rules, stats).mount(router);
    return router;
  }

  /** One event loop is plenty for a simulator, and no classpath file cache (it litters .vertx dirs). */
  static Vertx ownVertx() {
    return Vertx.vertx(
        new VertxOptions()
            .setEventLoopPoolSize(1)
            .setWorkerPoolSize(1)
            .setInternalBlockingPoolSize(1)
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://" + LOOPBACK + ":" + port();
  }

  /** Stops listening (dropping open connections) and, if it created its Vertx, closes that too. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      await(server.close());
    } finally {
      if (ownsVertx) {
        await(vertx.close());
      }
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the sim-provider server", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("sim-provider server operation failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("sim-provider server operation timed out", e);
    }
  }
}
