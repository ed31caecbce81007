package io.sluice.gateway.cache.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The identity of a request's answer: the SHA-256 of its endpoint and its body in canonical form (object members
 * sorted, at every depth), without the fields that change only how the answer is delivered or who asked:
 * {@code stream}, {@code stream_options} and {@code user}. Every other field (messages, tools, temperature,
 * response format, max tokens, the model alias, ...) is part of it, so two requests share an answer only when
 * nothing that could change the answer differs. The body is the one forwarded to the orchestrator, so an Anthropic
 * request is keyed on its translation.
 */
public final class CanonicalRequest {
    static final Set<String> DELIVERY_FIELDS = Set.of("stream", "stream_options", "user");

    private CanonicalRequest() {
    }

    /** Hex SHA-256 of the endpoint and the canonical body. */
    public static String sha256(String endpoint, Buffer body) {
        return sha256(endpoint, body.toJsonObject());
    }

    /** Hex SHA-256 of the endpoint and the canonical form of a body already parsed (or derived from one). */
    public static String sha256(String endpoint, JsonObject body) {
        Map<String, Object> answerFields = new TreeMap<>();
        body.getMap().forEach((name, value) -> {
            if (!DELIVERY_FIELDS.contains(name)) {
                answerFields.put(name, canonical(value));
            }
        });
        String canonical = endpoint + "\n" + new JsonObject(answerFields).encode();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Object canonical(Object value) {
        if (value instanceof JsonObject object) {
            return canonical(object.getMap());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((name, member) -> sorted.put(String.valueOf(name), canonical(member)));
            return sorted;
        }
        if (value instanceof JsonArray array) {
            return canonical(array.getList());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CanonicalRequest::canonical).toList();
        }
        return value;
    }
}
