package io.sluice.sim;

/** Server-sent-event wire framing. */
final class SseFrame {
  private SseFrame() {}

  /** {@code data: ...} event, the OpenAI and Gemini style. */
  static String data(String data) {
    return "data: " + data + "\n\n";
  }

  /** Named event, the Anthropic style. */
  static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }
}
