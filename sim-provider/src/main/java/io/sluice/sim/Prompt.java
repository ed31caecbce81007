package io.sluice.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The text of a chat request's messages (system included), in order, as the simulated model sees it. */
final class Prompt {
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_PROMPT = 3;

  private final List<String> roles = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();

  Prompt add(String role, String text) {
    roles.add(role);
    texts.add(text);
    return this;
  }

  /** Words of each message plus a fixed per-message and per-prompt overhead, like real tokenizers. */
  int tokens() {
    int tokens = TOKENS_PER_PROMPT;
    for (String text : texts) {
      tokens += countWords(text) + TOKENS_PER_MESSAGE;
    }
    return tokens;
  }

  /** A stable hash of roles and texts: the same conversation always yields the same completion. */
  long seed() {
    long hash = 0xcbf29ce484222325L; // FNV-1a 64: tiny, and stable across JVMs unlike String.hashCode mixes
    for (int i = 0; i < texts.size(); i++) {
      hash = fnv(hash, roles.get(i));
      hash = fnv(hash, "\u0000");
      hash = fnv(hash, texts.get(i));
      hash = fnv(hash, "\u0001");
    }
    return hash;
  }

  static long hash(String text) {
    return fnv(0xcbf29ce484222325L, text);
  }

  private static long fnv(long hash, String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  static int countWords(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  /**
   * Text of a message's content in any of the providers' shapes: a plain string, or an array of
   * parts/blocks whose {@code text} fields are joined (images, tool calls etc. contribute nothing).
   */
  static String textOf(Object content) {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray parts) {
      return parts.stream()
          .map(Prompt::textOfPart)
          .filter(text -> !text.isEmpty())
          .collect(Collectors.joining(" "));
    }
    return "";
  }

  private static String textOfPart(Object part) {
    if (part instanceof String text) {
      return text;
    }
    if (part instanceof JsonObject object && object.getValue("text") instanceof String text) {
      return text;
    }
    return "";
  }
}
