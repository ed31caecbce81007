package io.sluice.gateway.cache.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Two requests share a cached answer only when every answer-changing field is equal: checked over random requests
 * (seeded; {@code -Dsluice.cache.seed} replays a run) and random changes to one field at a time.
 */
class CanonicalRequestTest {
    private static final long SEED = Long.getLong("sluice.cache.seed", System.nanoTime());
    private static final int TRIES = 300;

    /** Each changes one field that changes the answer. */
    private static final List<UnaryOperator<JsonObject>> ANSWER_CHANGES = List.of(
            body -> body.put("model", body.getString("model") + "-mini"),
            body -> body.put("temperature", body.getDouble("temperature") + 0.1),
            body -> body.put("max_tokens", body.getInteger("max_tokens") + 1),
            body -> body.put("top_p", 0.5),
            body -> body.put("seed", 7),
            body -> body.put("n", 2),
            body -> body.put("stop", new JsonArray().add("END")),
            body -> body.put("response_format", new JsonObject().put("type", "json_object")),
            body -> body.put("tools", new JsonArray().add(new JsonObject().put("type", "function")
                    .put("function", new JsonObject().put("name", "lookup")))),
            body -> body.put("tool_choice", "none"),
            body -> {
                body.getJsonArray("messages").getJsonObject(0).put("content", "You are terse!");
                return body;
            },
            body -> {
                JsonObject last = lastMessage(body);
                last.put("content", last.getString("content") + " ");
                return body;
            },
            body -> {
                lastMessage(body).put("role", "system");
                return body;
            },
            body -> {
                body.getJsonArray("messages").add(new JsonObject().put("role", "user").put("content", "and?"));
                return body;
            });

    @Test
    void keyOrderAndDeliveryFieldsDoNotChangeTheKey() {
        Random random = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            JsonObject request = randomRequest(random);
            JsonObject delivered = reordered(request.copy(), random)
                    .put("stream", random.nextBoolean())
                    .put("stream_options", new JsonObject().put("include_usage", random.nextBoolean()))
                    .put("user", "user-" + random.nextInt());
            assertEquals(CanonicalRequest.sha256("/v1/chat/completions", request),
                    CanonicalRequest.sha256("/v1/chat/completions", delivered), "seed " + SEED);
        }
    }

    @Test
    void everyAnswerChangingFieldChangesTheKey() {
        Random random = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            JsonObject request = randomRequest(random);
            String original = CanonicalRequest.sha256("/v1/chat/completions", request);
            int change = random.nextInt(ANSWER_CHANGES.size());
            String changed = CanonicalRequest.sha256("/v1/chat/completions",
                    ANSWER_CHANGES.get(change).apply(request.copy()));
            assertNotEquals(original, changed, "change " + change + " of " + request.encode() + ", seed " + SEED);
        }
    }

    /**
     * The digest is written straight from the body; it must stay the SHA-256 of the documented canonical text (the
     * endpoint, a newline and the body encoded with its members sorted), so that entries stored before keep their keys.
     */
    @Test
    void keyIsTheDigestOfTheSortedEncoding() throws Exception {
        Random random = new Random(SEED);
        List<JsonObject> bodies = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            JsonObject request = randomRequest(random);
            bodies.add(request);
            bodies.add(new JsonObject(reordered(request.copy(), random).put("stream", true).encode()));
        }
        bodies.add(new JsonObject("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"é \\u2028 \\\"q\\\" \\\\ "
                + "\\n \\u0001 😀 </x>\"}],\"n\":12345678901234,\"t\":1e5,\"u\":-0.0,\"v\":123456789012345678901234567890,"
                + "\"w\":null,\"x\":[true,false,{\"b\":1,\"a\":[2.5,{}]}],\"user\":\"u\"}"));
        for (JsonObject body : bodies) {
            java.util.Map<String, Object> sorted = new java.util.TreeMap<>();
            body.getMap().forEach((name, value) -> {
                if (!CanonicalRequest.DELIVERY_FIELDS.contains(name)) {
                    sorted.put(name, sortedCopy(value));
                }
            });
            String text = "/v1/chat/completions\n" + new JsonObject(sorted).encode();
            String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(expected, CanonicalRequest.sha256("/v1/chat/completions", body), body.encode());
        }
    }

    private static Object sortedCopy(Object value) {
        if (value instanceof JsonObject object) {
            return sortedCopy(object.getMap());
        }
        if (value instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Object> sorted = new java.util.TreeMap<>();
            map.forEach((name, member) -> sorted.put(String.valueOf(name), sortedCopy(member)));
            return sorted;
        }
        if (value instanceof JsonArray array) {
            return sortedCopy(array.getList());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CanonicalRequestTest::sortedCopy).toList();
        }
        return value;
    }

    @Test
    void routesDoNotShareAnswers() {
        JsonObject request = randomRequest(new Random(SEED));
        assertNotEquals(CanonicalRequest.sha256("/v1/chat/completions", request),
                CanonicalRequest.sha256("/v1/messages", request));
    }

    @Test
    void distinctRequestsHaveDistinctKeys() {
        Random random = new Random(SEED);
        Set<String> bodies = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < TRIES; i++) {
            JsonObject request = randomRequest(random);
            if (bodies.add(request.encode())) {
                keys.add(CanonicalRequest.sha256("/v1/chat/completions", request));
            }
        }
        assertEquals(bodies.size(), keys.size(), "seed " + SEED);
    }

    private static JsonObject randomRequest(Random random) {
        JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", "Be brief."));
        for (int turn = random.nextInt(3); turn >= 0; turn--) {
            messages.add(new JsonObject().put("role", "user").put("content", words(random)));
            if (turn > 0) {
                messages.add(new JsonObject().put("role", "assistant").put("content", words(random)));
            }
        }
        return new JsonObject().put("model", random.nextBoolean() ? "sim-gpt" : "sim-claude")
                .put("messages", messages)
                .put("temperature", random.nextInt(10) / 10.0)
                .put("max_tokens", 1 + random.nextInt(512));
    }

    private static String words(Random random) {
        String[] vocabulary = { "what", "is", "the", "capital", "of", "France", "two", "plus", "not", "Paris" };
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            text.append(vocabulary[random.nextInt(vocabulary.length)]).append(i > 1 ? " " : "?");
        }
        return text.toString();
    }

    private static JsonObject reordered(JsonObject body, Random random) {
        List<String> names = new ArrayList<>(body.fieldNames());
        Collections.shuffle(names, random);
        JsonObject shuffled = new JsonObject();
        names.forEach(name -> shuffled.put(name, body.getValue(name) instanceof JsonArray messages
                ? reorderedEach(messages, random) : body.getValue(name)));
        return shuffled;
    }

    private static JsonArray reorderedEach(JsonArray messages, Random random) {
        JsonArray out = new JsonArray();
        messages.forEach(message -> out.add(message instanceof JsonObject object ? reordered(object, random)
                : message));
        return out;
    }

    private static JsonObject lastMessage(JsonObject body) {
        JsonArray messages = body.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1);
    }
}
