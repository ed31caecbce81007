package io.sluice.sim;

import java.util.concurrent.ThreadLocalRandom;

/** Response ids in the providers' styles, e.g. {@code chatcmpl-...} or {@code msg_...}. */
final class Ids {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  private Ids() {}

  static String next(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
