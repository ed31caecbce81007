package io.sluice.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a {@link Reply} the way the directives ask: delays, error statuses, hangs, drops and
 * garbage. Every wait is a Vert.x timer, so thousands of slow responses cost no threads.
 *
 * <p>Precedence when several faults are set: hang, then status, then disconnect-after, then
 * malformed.
 */
final class ReplyWriter {
  /** Piece size of a "slow drip" non-streamed body. */
  private static final int DRIP_BYTES = 16;

  private static final String MALFORMED_BODY = "{\"id\": \"sim-malformed\", \"choices\": [{\"message\": {\"content\": \"unterminat";

  private final Exchange exchange;
  private final ErrorFormat errors;
  private final Directives directives;

  ReplyWriter(Exchange exchange, ErrorFormat errors, Directives directives) {
    this.exchange = exchange;
    this.errors = errors;
    this.directives = directives;
  }

  void write(Reply reply) {
    if (directives.hang()) {
      return; // keep the request open until the client gives up; Exchange counts the cancel
    }
    long jitter = directives.jitterMs() == 0 ? 0 : ThreadLocalRandom.current().nextLong(directives.jitterMs() + 1);
    long headDelay = directives.latencyMs() + jitter;
    if (headDelay > 0) {
      exchange.after(headDelay, () -> respond(reply));
    } else {
      respond(reply);
    }
  }

  private void respond(Reply reply) {
    if (directives.status().isPresent()) {
      int status = (int) directives.status().getAsLong();
      String message = "Simulated error: sim-provider was asked to answer " + status + " (directive status=" + status + ")";
      sendBody(status, "application/json", errors.body(status, message).encode());
    } else if (directives.disconnectAfter().isPresent() && reply instanceof Reply.Json) {
      exchange.abort();
    } else if (directives.malformed()) {
      if (reply instanceof Reply.Stream stream) {
        startStream(stream.contentType());
        exchange.after(directives.ttftMs(), () -> {
          exchange.response().write(stream.malformedFrame());
          exchange.abort();
        });
      } else {
        sendBody(200, "application/json", MALFORMED_BODY);
      }
    } else if (reply instanceof Reply.Stream stream) {
      play(stream);
    } else if (reply instanceof Reply.Json json) {
      sendBody(200, "application/json", padded(json.body()).encode());
    }
  }

  /** The answer with {@code pad} bytes of filler in a field of its own, so that it stays valid JSON. */
  private JsonObject padded(JsonObject body) {
    return directives.padBytes() == 0 ? body : body.copy().put("sim_padding", "x".repeat((int) directives.padBytes()));
  }

  /** A whole body: headers now, body after ttft, dripped in small pieces when a gap is set. */
  private void sendBody(int status, String contentType, String body) {
    HttpServerResponse response = exchange.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    directives.retryAfterSeconds().ifPresent(s -> response.putHeader("Retry-After", String.valueOf(s)));
    Buffer bytes = Buffer.buffer(body);
    if (directives.ttftMs() == 0 && directives.gapMs() == 0) {
      response.end(bytes);
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(bytes.length()));
    response.writeHead();
    exchange.after(directives.ttftMs(), () -> drip(bytes, 0));
  }

  private void drip(Buffer bytes, int from) {
    HttpServerResponse response = exchange.response();
    if (directives.gapMs() == 0) {
      response.end(bytes.getBuffer(from, bytes.length()));
      return;
    }
    int to = Math.min(from + DRIP_BYTES, bytes.length());
    if (to == bytes.length()) {
      response.end(bytes.getBuffer(from, to));
    } else {
      response.write(bytes.getBuffer(from, to));
      exchange.after(directives.gapMs(), () -> drip(bytes, to));
    }
  }

  private void startStream(String contentType) {
    exchange
        .response()
        .setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .writeHead();
  }

  private void play(Reply.Stream stream) {
    List<String> frames = new ArrayList<>(stream.leading().size() + stream.content().size() + stream.trailing().size());
    frames.addAll(stream.leading());
    frames.addAll(stream.content());
    frames.addAll(stream.trailing());
    if (directives.padBytes() > 0 && stream.contentType().startsWith("text/event-stream") && !frames.isEmpty()) {
      // A comment line belongs to the event it starts: one valid SSE event that is pad bytes longer.
      int first = Math.min(stream.leading().size(), frames.size() - 1);
      frames.set(first, ": " + "x".repeat((int) directives.padBytes()) + "\n" + frames.get(first));
    }
    int stopAt =
        directives.disconnectAfter().isPresent()
            ? stream.leading().size() + (int) Math.min(directives.disconnectAfter().getAsLong(), stream.content().size())
            : -1;
    startStream(stream.contentType());
    exchange.after(directives.ttftMs(), () -> frame(frames, 0, stopAt));
  }

  /** Writes frame {@code i}, then schedules the next one; {@code stopAt} is where a drop cuts in. */
  private void frame(List<String> frames, int i, int stopAt) {
    HttpServerResponse response = exchange.response();
    if (i == stopAt) {
      exchange.abort();
      return;
    }
    if (i == frames.size() - 1 && stopAt != frames.size()) {
      response.end(frames.get(i));
      return;
    }
    response.write(frames.get(i));
    Runnable next = () -> frame(frames, i + 1, stopAt);
    if (response.writeQueueFull()) {
      response.drainHandler(v -> exchange.after(directives.gapMs(), next)); // slow reader: wait for TCP
    } else {
      exchange.after(directives.gapMs(), next);
    }
  }
}
