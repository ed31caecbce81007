package io.sluice.sim;

import java.util.List;

/**
 * A generated completion: one word per token.
 *
 * @param truncated true when the output limit cut it short (finish reason "length"/"max_tokens")
 */
record Completion(List<String> words, boolean truncated) {

  String text() {
    return String.join(" ", words);
  }

  int tokens() {
    return words.size();
  }

  /** The stream piece for word {@code i}: words after the first carry their separating space. */
  String piece(int i) {
    return i == 0 ? words.get(0) : " " + words.get(i);
  }
}
