package io.sluice.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** One fault/latency knob that an {@code x-sim} header or an admin rule can set. */
enum Directive {
  LATENCY("latency", 0, Directives.MAX_DELAY_MS),
  JITTER("jitter", 0, Directives.MAX_DELAY_MS),
  TTFT("ttft", 0, Directives.MAX_DELAY_MS),
  GAP("gap", 0, Directives.MAX_DELAY_MS),
  STATUS("status", 400, 599),
  RETRY_AFTER("retry-after", 0, 86_400),
  HANG("hang"),
  DISCONNECT_AFTER("disconnect-after", 0, Integer.MAX_VALUE),
  MALFORMED("malformed"),
  TOKENS("tokens", 0, Integer.MAX_VALUE),
  /** Prompt tokens reported as served from the provider's prompt cache (OpenAI routes), capped at the prompt. */
  CACHED("cached", 0, Integer.MAX_VALUE),
  /**
   * Filler bytes for size limits: a JSON answer gets a {@code sim_padding} field that long, an SSE stream's first
   * content event a comment line that long (one event that outgrows any buffer of that size).
   */
  PAD("pad", 0, Directives.MAX_PAD_BYTES),
  /**
   * Function calling: when the request offers tools and its last message is not a tool result, answer with a call to
   * the first offered tool; when the last message is a tool result, answer with text quoting it (see {@link ToolCalls}).
   */
  TOOL_CALL("tool-call");

  final String wireName;
  final boolean flag;
  final long min;
  final long max;

  Directive(String wireName) {
    this.wireName = wireName;
    this.flag = true;
    this.min = 0;
    this.max = 0;
  }

  Directive(String wireName, long min, long max) {
    this.wireName = wireName;
    this.flag = false;
    this.min = min;
    this.max = max;
  }

  static Optional<Directive> named(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(d -> d.wireName.equals(wanted)).findFirst();
  }

  static String knownNames() {
    return Arrays.stream(values()).map(d -> d.flag ? d.wireName : d.wireName + "=N").collect(Collectors.joining(", "));
  }
}
