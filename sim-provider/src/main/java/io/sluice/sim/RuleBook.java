package io.sluice.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Per-run directive rules set through the admin API (or {@code SIM_RULES}). Rules are checked in
 * insertion order and the first match wins; a rule with {@code times} expires after that many
 * matches. Synchronized because admin and provider requests may run on different event loops.
 */
final class RuleBook {

  /** One rule; {@code remaining} is null for rules that never expire. */
  static final class Rule {
    final long id;
    final String model;
    final String pathPrefix;
    final Directives directives;
    Integer remaining;

    Rule(long id, String model, String pathPrefix, Directives directives, Integer remaining) {
      this.id = id;
      this.model = model;
      this.pathPrefix = pathPrefix;
      this.directives = directives;
      this.remaining = remaining;
    }

    boolean matches(String requestModel, String path) {
      return (model == null || model.equals(requestModel))
          && (pathPrefix == null || path.startsWith(pathPrefix));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("model", model)
          .put("path", pathPrefix)
          .put("directives", directives.toString())
          .put("times", remaining);
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private long nextId = 1;

  /**
   * Adds a rule from its JSON form {@code {"model","path","directives","times"}}.
   *
   * @throws IllegalArgumentException if the rule is malformed (message is caller-facing)
   */
  synchronized Rule add(JsonObject spec) {
    String model = optionalString(spec, "model");
    String path = optionalString(spec, "path");
    if (!(spec.getValue("directives") instanceof String text)) {
      throw new IllegalArgumentException("Rule needs a \"directives\" string, e.g. \"status=503\"");
    }
    Directives directives = Directives.parse(text);
    Integer times = null;
    Object timesValue = spec.getValue("times");
    if (timesValue != null) {
      if (!(timesValue instanceof Number number) || number.intValue() < 1) {
        throw new IllegalArgumentException("Rule \"times\" must be a positive integer");
      }
      times = number.intValue();
    }
    Rule rule = new Rule(nextId++, model, path, directives, times);
    rules.add(rule);
    return rule;
  }

  /** Adds every rule of a JSON array (the {@code SIM_RULES} format); all or nothing. */
  synchronized void addAll(JsonArray specs) {
    List<Rule> before = new ArrayList<>(rules);
    try {
      for (Object spec : specs) {
        if (!(spec instanceof JsonObject rule)) {
          throw new IllegalArgumentException("Each rule must be a JSON object, got: " + spec);
        }
        add(rule);
      }
    } catch (RuntimeException e) {
      rules.clear();
      rules.addAll(before);
      throw e;
    }
  }

  /** Directives of the first rule matching this request, consuming one of its uses. */
  synchronized Optional<Directives> match(String model, String path) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.matches(model, path)) {
        if (rule.remaining != null && --rule.remaining == 0) {
          it.remove();
        }
        return Optional.of(rule.directives);
      }
    }
    return Optional.empty();
  }

  synchronized JsonArray toJson() {
    JsonArray array = new JsonArray();
    rules.forEach(rule -> array.add(rule.toJson()));
    return array;
  }

  synchronized boolean remove(long id) {
    return rules.removeIf(rule -> rule.id == id);
  }

  synchronized void clear() {
    rules.clear();
  }

  private static String optionalString(JsonObject spec, String field) {
    Object value = spec.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException("Rule \"" + field + "\" must be a string");
  }
}
