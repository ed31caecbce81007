package io.sluice.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Deterministic completion content: words drawn from a fixed list by a generator seeded with the
 * prompt hash. A longer completion of the same prompt extends a shorter one, so streamed and plain
 * responses agree word for word.
 */
final class CompletionText {
  static final int DEFAULT_TOKENS = 16;
  static final int MAX_TOKENS = 4096;

  private static final String[] WORDS = {
    "the", "river", "flows", "through", "a", "quiet", "valley", "where", "light", "falls",
    "on", "stone", "and", "water", "gateway", "sluice", "token", "stream", "model", "request",
    "answer", "signal", "bright", "simple", "careful", "measure", "every", "moment", "under", "open",
    "sky", "cloud", "rain", "steady", "current", "gate", "lock", "channel", "bridge", "harbor",
    "north", "south", "east", "west", "morning", "evening", "silver", "amber", "green", "blue",
    "small", "large", "swift", "slow", "clear", "deep", "shallow", "warm", "cold", "calm",
    "vector", "packet", "latency", "budget", "quota", "route", "cache", "trace", "metric", "pulse",
    "is", "of", "to", "in", "with", "from", "over", "near", "again", "still"
  };

  private CompletionText() {}

  /**
   * The completion for a prompt.
   *
   * @param maxTokens the request's output limit, if it set one
   * @param directives a {@code tokens=N} directive sets the natural length; without one the
   *     completion is exactly {@code maxTokens} (or {@value #DEFAULT_TOKENS}) words long
   */
  static Completion complete(Prompt prompt, OptionalLong maxTokens, Directives directives) {
    long limit = Math.min(maxTokens.orElse(MAX_TOKENS), MAX_TOKENS);
    long wanted = directives.tokens().orElse(maxTokens.orElse(DEFAULT_TOKENS));
    int count = (int) Math.min(wanted, limit);
    return new Completion(words(prompt.seed(), count), wanted > limit);
  }

  static List<String> words(long seed, int count) {
    SplitMix64 random = new SplitMix64(seed);
    List<String> words = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      words.add(WORDS[(int) Long.remainderUnsigned(random.next(), WORDS.length)]);
    }
    return words;
  }

  /** SplitMix64, spelled out so the sequence never changes with the JDK. */
  static final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
      this.state = seed;
    }

    long next() {
      long z = (state += 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /** Uniform in [-1, 1). */
    double nextSigned() {
      return (next() >>> 11) * 0x1.0p-53 * 2 - 1;
    }
  }
}
