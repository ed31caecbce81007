package io.sluice.sim;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A parsed set of simulation directives, e.g. {@code "latency=200;status=503;retry-after=2"}.
 *
 * <p>Grammar: {@code directive (';' directive)*} where a directive is {@code name} or {@code
 * name=value}; names are case-insensitive, whitespace around items is ignored, empty items are
 * skipped and a repeated name keeps its last value. Values are non-negative decimal integers
 * (milliseconds for delays). Anything else is rejected with an {@link IllegalArgumentException}
 * whose message is meant to be shown to the caller as a 400.
 */
final class Directives {
  static final long MAX_DELAY_MS = 3_600_000;
  /** The largest filler {@code pad} adds: 256 MiB, well beyond any answer size limit worth testing. */
  static final long MAX_PAD_BYTES = 256L << 20;
  static final Directives NONE = new Directives(new EnumMap<>(Directive.class));

  private final EnumMap<Directive, Long> values;

  private Directives(EnumMap<Directive, Long> values) {
    this.values = values;
  }

  static Directives parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    EnumMap<Directive, Long> values = new EnumMap<>(Directive.class);
    for (String item : spec.split(";")) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
      String value = eq < 0 ? null : trimmed.substring(eq + 1).trim();
      Directive directive =
          Directive.named(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Unknown sim directive '" + name + "'; known directives: " + Directive.knownNames()));
      values.put(directive, parseValue(directive, value));
    }
    return new Directives(values);
  }

  private static long parseValue(Directive directive, String value) {
    if (directive.flag) {
      if (value != null) {
        throw new IllegalArgumentException("Sim directive '" + directive.wireName + "' takes no value");
      }
      return 1;
    }
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("Sim directive '" + directive.wireName + "' needs a value, e.g. " + directive.wireName + "=" + Math.max(1, directive.min));
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Sim directive '" + directive.wireName + "' needs an integer, got '" + value + "'");
    }
    if (parsed < directive.min || parsed > directive.max) {
      throw new IllegalArgumentException(
          "Sim directive '" + directive.wireName + "' must be between " + directive.min + " and " + directive.max + ", got " + parsed);
    }
    return parsed;
  }

  /** These directives with each one that {@code overrides} sets replaced by its value there. */
  Directives overriddenBy(Directives overrides) {
    if (overrides.values.isEmpty()) {
      return this;
    }
    EnumMap<Directive, Long> merged = new EnumMap<>(values);
    merged.putAll(overrides.values);
    return new Directives(merged);
  }

  long latencyMs() {
    return values.getOrDefault(Directive.LATENCY, 0L);
  }

  long jitterMs() {
    return values.getOrDefault(Directive.JITTER, 0L);
  }

  long ttftMs() {
    return values.getOrDefault(Directive.TTFT, 0L);
  }

  long gapMs() {
    return values.getOrDefault(Directive.GAP, 0L);
  }

  OptionalLong status() {
    return optional(Directive.STATUS);
  }

  OptionalLong retryAfterSeconds() {
    return optional(Directive.RETRY_AFTER);
  }

  boolean hang() {
    return values.containsKey(Directive.HANG);
  }

  OptionalLong disconnectAfter() {
    return optional(Directive.DISCONNECT_AFTER);
  }

  boolean malformed() {
    return values.containsKey(Directive.MALFORMED);
  }

  OptionalLong tokens() {
    return optional(Directive.TOKENS);
  }

  OptionalLong cached() {
    return optional(Directive.CACHED);
  }

  long padBytes() {
    return values.getOrDefault(Directive.PAD, 0L);
  }

  boolean toolCall() {
    return values.containsKey(Directive.TOOL_CALL);
  }

  private OptionalLong optional(Directive directive) {
    Long value = values.get(directive);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /** Canonical text form, parseable by {@link #parse}. */
  @Override
  public String toString() {
    return values.entrySet().stream().map(Directives::format).collect(Collectors.joining(";"));
  }

  private static String format(Map.Entry<Directive, Long> e) {
    return e.getKey().flag ? e.getKey().wireName : e.getKey().wireName + "=" + e.getValue();
  }
}
