package io.sluice.gateway.cache.key;

import java.io.IOException;
import java.io.CharArrayWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
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
    private static final JsonFactory JSON = new JsonFactory();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private CanonicalRequest() {
    }

    /** Hex SHA-256 of the endpoint and the canonical body. */
    public static String sha256(String endpoint, Buffer body) {
        return sha256(endpoint, body.toJsonObject());
    }

    /**
     * Hex SHA-256 of the endpoint and the canonical form of a body already parsed (or derived from one): the bytes
     * of {@code endpoint + "\n"} and the body's JSON encoding with every object's members sorted by name. The JSON
     * is written from the body as it is (no sorted copy of it), since this runs for every request of a key with the
     * cache on.
     */
    public static String sha256(String endpoint, JsonObject body) {
        Scratch scratch = SCRATCH.get();
        scratch.text.reset();
        scratch.text.append(endpoint).append('\n');
        // Jackson's character generator: the one the JSON encoding of Vert.x (the key's definition) uses; its byte
        // generator escapes some characters differently.
        try (JsonGenerator out = JSON.createGenerator(scratch.text)) {
            writeObject(out, body.getMap(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MessageDigest digest = scratch.digest;
        digest.reset();
        digest.update(StandardCharsets.UTF_8.encode(CharBuffer.wrap(scratch.text.toCharArray())));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A thread's digest and text buffer, reused: looking a digest up by name costs more than the hash itself. */
    private static final class Scratch {
        final MessageDigest digest;
        final CharArrayWriter text = new CharArrayWriter(1024);

        Scratch() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    private static void writeObject(JsonGenerator out, Map<?, ?> map, boolean top) throws IOException {
        String[] names = new String[map.size()];
        Object[] values = new Object[map.size()];
        int count = 0;
        for (Map.Entry<?, ?> member : map.entrySet()) {
            String name = String.valueOf(member.getKey());
            if (!top || !DELIVERY_FIELDS.contains(name)) {
                names[count] = name;
                values[count++] = member.getValue();
            }
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
        out.writeStartObject();
        for (Integer i : order) {
            out.writeFieldName(names[i]);
            writeValue(out, values[i]);
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof JsonObject object) {
            writeObject(out, object.getMap(), false);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, false);
        } else if (value instanceof JsonArray array) {
            writeArray(out, array.getList());
        } else if (value instanceof List<?> list) {
            writeArray(out, list);
        } else if (value instanceof Boolean flag) {
            out.writeBoolean(flag);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number) {
            out.writeNumber(number.doubleValue());
        } else if (value instanceof Float number) {
            out.writeNumber(number.floatValue());
        } else if (value instanceof BigInteger number) {
            out.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            out.writeNumber(number);
        } else {
            // Nothing a parsed body holds; encoded as Vert.x encodes it.
            out.writeRawValue(Json.encode(value));
        }
    }

    private static void writeArray(JsonGenerator out, List<?> list) throws IOException {
        out.writeStartArray();
        for (Object item : list) {
            writeValue(out, item);
        }
        out.writeEndArray();
    }
}
