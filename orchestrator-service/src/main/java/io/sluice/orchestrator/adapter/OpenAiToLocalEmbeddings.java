package io.sluice.orchestrator.adapter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's embeddings request to the texts an in-process model embeds, and its vectors back to OpenAI's {@code list}
 * of embeddings. Every field the model depends on is checked here, on the event loop, before anything is queued for
 * a worker: a request that would fail there is a 400 naming its field instead.
 */
public final class OpenAiToLocalEmbeddings {

    /**
     * The texts to embed, in the client's order, whether the vectors go back as base64, and whether the client sent
     * one string rather than an array (which names the field in errors).
     */
    public record Texts(List<String> texts, boolean base64, int characters, boolean oneString) {
        public Texts {
            texts = List.copyOf(texts);
        }

        /** The request field that holds text {@code index}. */
        public String param(int index) {
            return oneString ? "input" : RequestReader.path("input", index);
        }
    }

    private OpenAiToLocalEmbeddings() {
    }

    /**
     * Reads {@code input} (a string or an array of strings), {@code encoding_format} ({@code float}, the default, or
     * {@code base64}) and {@code dimensions} (absent or the model's own), within the request bounds.
     */
    public static Texts read(JsonObject openAiRequest, int modelDimensions, int maxInputs, int maxTotalCharacters) {
        Object dimensions = openAiRequest.getValue("dimensions");
        if (dimensions != null && !(dimensions instanceof Integer || dimensions instanceof Long)) {
            throw RequestReader.wrongType("dimensions", "an integer");
        }
        if (dimensions != null && ((Number) dimensions).longValue() != modelDimensions) {
            throw new InvalidRequestException("invalid_value", "dimensions", "This model's embeddings have "
                    + modelDimensions + " dimensions; 'dimensions' may only be " + modelDimensions + " or absent.");
        }
        String format = RequestReader.string(openAiRequest, "", "encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw new InvalidRequestException("invalid_value", "encoding_format",
                    "'encoding_format' must be 'float' or 'base64'.");
        }
        Object input = openAiRequest.getValue("input");
        List<String> texts = texts(input, maxInputs);
        long characters = 0;
        for (int i = 0; i < texts.size(); i++) {
            // Whitespace alone has no tokens to embed (the model would have nothing to average); OpenAI refuses it too.
            if (texts.get(i).isBlank()) {
                String param = input instanceof String ? "input" : RequestReader.path("input", i);
                throw new InvalidRequestException("invalid_value", param,
                        "'" + param + "' must contain text, not only whitespace.");
            }
            characters += texts.get(i).length();
        }
        if (characters > maxTotalCharacters) {
            throw new InvalidRequestException("invalid_value", "input", "'input' may hold at most "
                    + maxTotalCharacters + " characters in all for this model.");
        }
        return new Texts(texts, "base64".equals(format), (int) characters, input instanceof String);
    }

    private static List<String> texts(Object input, int maxInputs) {
        if (input instanceof String one) {
            return List.of(one);
        }
        if (!(input instanceof JsonArray many)) {
            throw input == null
                    ? new InvalidRequestException("missing_required_parameter", "input", "'input' is required")
                    : RequestReader.wrongType("input", "a string or an array of strings");
        }
        if (many.isEmpty()) {
            throw new InvalidRequestException("invalid_value", "input", "'input' must not be an empty array.");
        }
        if (many.size() > maxInputs) {
            throw new InvalidRequestException("invalid_value", "input",
                    "'input' may hold at most " + maxInputs + " texts for this model.");
        }
        List<String> texts = new ArrayList<>(many.size());
        for (int i = 0; i < many.size(); i++) {
            Object item = many.getValue(i);
            if (item instanceof String text) {
                texts.add(text);
            } else if (item instanceof Number || item instanceof JsonArray) {
                // Token ids of another tokenizer (OpenAI's) mean nothing to this model's vocabulary.
                throw new InvalidRequestException("invalid_value", "input",
                        "This model takes text input; token-array 'input' is not supported.");
            } else {
                throw RequestReader.wrongType(RequestReader.path("input", i), "a string");
            }
        }
        return texts;
    }

    /**
     * The vectors as OpenAI's {@code list}: {@code data[i]} for {@code input[i]}, floats or, with {@code base64},
     * the little-endian float32 bytes in base64 as OpenAI sends them; usage counts only prompt tokens.
     */
    public static ClientAnswer answer(List<float[]> vectors, int promptTokens, String model, boolean base64) {
        // Written directly rather than through a JSON tree: a batch is hundreds of thousands of floats.
        StringBuilder json = new StringBuilder(64 + vectors.size() * (base64 ? 2100 : 4700));
        json.append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < vectors.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
            float[] vector = vectors.get(i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                json.append('"').append(Base64.getEncoder().encodeToString(bytes.array())).append('"');
            } else {
                json.append('[');
                for (int j = 0; j < vector.length; j++) {
                    if (j > 0) {
                        json.append(',');
                    }
                    json.append(vector[j]);
                }
                json.append(']');
            }
            json.append('}');
        }
        json.append("],\"model\":").append(Json.encode(model))
                .append(",\"usage\":{\"prompt_tokens\":").append(promptTokens).append(",\"total_tokens\":")
                .append(promptTokens).append("}}");
        return new ClientAnswer(Buffer.buffer(json.toString()), new TokenUsage(promptTokens, 0, 0));
    }
}
