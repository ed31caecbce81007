package io.sluice.sim;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** Request counters served at {@code GET /sim/stats}; synchronized for the same reason as RuleBook. */
final class Stats {
  private long requests;
  private long cancelled;
  private final Map<String, Long> byModel = new TreeMap<>();
  private final Map<String, Long> byPath = new TreeMap<>();

  synchronized void request(String path) {
    requests++;
    byPath.merge(path, 1L, Long::sum);
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
  }

  synchronized JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests)
        .put("byModel", new JsonObject(new TreeMap<String, Object>(byModel)))
        .put("byPath", new JsonObject(new TreeMap<String, Object>(byPath)))
        .put("cancelled", cancelled);
  }
}
