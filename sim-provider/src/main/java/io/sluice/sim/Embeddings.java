package io.sluice.sim;

import io.vertx.core.json.JsonArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.OptionalLong;

/** Deterministic unit-length embedding vectors derived from a hash of the input text. */
final class Embeddings {
  static final int DEFAULT_DIMENSIONS = 8;
  static final int MAX_DIMENSIONS = 4096;

  private Embeddings() {}

  /** The requested vector length, or the default; 400 when out of range. */
  static int dimensions(OptionalLong requested) {
    long dimensions = requested.orElse(DEFAULT_DIMENSIONS);
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new BadRequest("dimensions must be between 1 and " + MAX_DIMENSIONS);
    }
    return (int) dimensions;
  }

  static float[] vector(String input, int dimensions) {
    CompletionText.SplitMix64 random = new CompletionText.SplitMix64(Prompt.hash(input));
    double[] raw = new double[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      raw[i] = random.nextSigned();
      norm += raw[i] * raw[i];
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      unit[i] = (float) (norm == 0 ? (i == 0 ? 1 : 0) : raw[i] / norm);
    }
    return unit;
  }

  static JsonArray toJson(float[] vector) {
    JsonArray array = new JsonArray();
    for (float v : vector) {
      array.add(v);
    }
    return array;
  }

  /** OpenAI's {@code encoding_format=base64}: little-endian float32s, base64-encoded. */
  static String toBase64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
