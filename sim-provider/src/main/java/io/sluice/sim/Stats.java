package io.sluice.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Request counters served at {@code GET /sim/stats}, and the last {@value #KEPT_BODIES} request bodies at
 * {@code GET /sim/requests} (what a provider was really sent: tests check what the gateway forwarded); synchronized
 * for the same reason as RuleBook.
 */
final class Stats {
  static final int KEPT_BODIES = 16;
  /** Path and body, kept undecoded: decoding happens only when a test asks. */
  private final Deque<Map.Entry<String, Buffer>> received = new ArrayDeque<>();
  private long requests;
  private long cancelled;
  private final Map<String, Long> byModel = new TreeMap<>();
  private final Map<String, Long> byPath = new TreeMap<>();

  synchronized void request(String path) {
    requests++;
    byPath.merge(path, 1L, Long::sum);
  }

  /** Keeps a received body; only the last {@value #KEPT_BODIES}, so memory stays bounded. */
  synchronized void received(String path, Buffer body) {
    if (received.size() == KEPT_BODIES) {
      received.removeFirst();
    }
    received.addLast(Map.entry(path, body));
  }

  /** The kept bodies, oldest first: {@code [{"path": …, "body": "…"}]}. */
  synchronized JsonArray receivedJson() {
    JsonArray bodies = new JsonArray();
    received.forEach(entry -> bodies.add(
        new JsonObject().put("path", entry.getKey()).put("body", entry.getValue().toString())));
    return bodies;
  }

  synchronized void model(String model) {
    byModel.merge(model, 1L, Long::sum);
  }

  /** A client closed its connection before its response was complete. */
  synchronized void cancelled() {
    cancelled++;
  }

  synchronized void reset() {
    requests = 0;
    cancelled = 0;
    byModel.clear();
    byPath.clear();
    received.clear();
  }

  synchronized JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests)
        .put("byModel", new JsonObject(new TreeMap<String, Object>(byModel)))
        .put("byPath", new JsonObject(new TreeMap<String, Object>(byPath)))
        .put("cancelled", cancelled);
  }
}
