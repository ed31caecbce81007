package io.sluice.gateway.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.sluice.gateway.cache.key.CanonicalRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class SemanticRequestTest {
    private static final String CHAT = "/v1/chat/completions";

    private static JsonObject chat(Object lastContent) {
        return new JsonObject().put("model", "sim-gpt").put("temperature", 0.2)
                .put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "system").put("content", "Be brief."))
                        .add(new JsonObject().put("role", "user").put("content", "Hi"))
                        .add(new JsonObject().put("role", "assistant").put("content", "Hello!"))
                        .add(new JsonObject().put("role", "user").put("content", lastContent)));
    }

    private static SemanticRequest of(JsonObject body) {
        return SemanticRequest.of(CHAT, body).orElseThrow();
    }

    private static JsonArray textParts(String... texts) {
        JsonArray parts = new JsonArray();
        for (String text : texts) {
            parts.add(new JsonObject().put("type", "text").put("text", text));
        }
        return parts;
    }

    @Test
    void theQuestionIsTheLastUserMessagesText() {
        assertEquals("What is the capital of France?", of(chat("  What is the capital of France?\n")).question());
        assertEquals("Look at this:\nwhat does it mean?", of(chat(textParts("Look at this:", "what does it mean?")))
                .question());
    }

    @Test
    void requestsThatDifferOnlyInTheQuestionShareTheirContext() {
        SemanticRequest stored = of(chat("What is the capital of France?"));
        SemanticRequest asked = of(chat("Which city is France's capital?"));
        assertEquals(stored.contextSha256(), asked.contextSha256());
        assertEquals(stored.contextSha256(), of(chat(textParts("Which city", "is France's capital?")))
                .contextSha256(), "text parts are the same question as a string");
    }

    @Test
    void deliveryFieldsAndKeyOrderDoNotChangeTheContext() {
        JsonObject body = chat("Why?");
        JsonObject delivered = new JsonObject().put("stream", true).put("user", "u-7")
                .put("messages", body.getJsonArray("messages").copy()).put("temperature", 0.2).put("model", "sim-gpt");
        assertEquals(of(body).contextSha256(), of(delivered).contextSha256());
    }

    @Test
    void everythingButTheQuestionIsPartOfTheContext() {
        String context = of(chat("Why?")).contextSha256();
        JsonObject otherSystem = chat("Why?");
        otherSystem.getJsonArray("messages").getJsonObject(0).put("content", "Be verbose.");
        JsonObject otherTurn = chat("Why?");
        otherTurn.getJsonArray("messages").getJsonObject(1).put("content", "Hello");
        JsonObject otherName = chat("Why?");
        otherName.getJsonArray("messages").getJsonObject(3).put("name", "bob");
        for (JsonObject changed : new JsonObject[] { otherSystem, otherTurn, otherName,
                chat("Why?").put("temperature", 0.3), chat("Why?").put("model", "sim-claude"),
                chat("Why?").put("tools", new JsonArray().add(new JsonObject().put("type", "function"))) }) {
            assertNotEquals(context, of(changed).contextSha256(), changed.encode());
        }
        assertNotEquals(context, SemanticRequest.of("/v1/messages", chat("Why?")).orElseThrow().contextSha256());
    }

    @Test
    void theContextKeyIsNeverAWholeRequestsKey() {
        JsonObject body = chat("Why?");
        JsonObject withoutContent = body.copy();
        withoutContent.getJsonArray("messages").getJsonObject(3).remove("content");
        assertNotEquals(CanonicalRequest.sha256(CHAT, withoutContent), of(body).contextSha256());
    }

    @Test
    void onlyATextQuestionOfAUserIsEligible() {
        JsonObject assistantLast = chat("Why?");
        assistantLast.getJsonArray("messages").getJsonObject(3).put("role", "assistant");
        JsonObject toolLast = chat("{\"temp\": 20}");
        toolLast.getJsonArray("messages").getJsonObject(3).put("role", "tool").put("tool_call_id", "c1");
        JsonArray withImage = textParts("What is in this picture?").add(new JsonObject().put("type", "image_url")
                .put("image_url", new JsonObject().put("url", "https://example.com/cat.png")));
        for (JsonObject ineligible : new JsonObject[] { assistantLast, toolLast, chat(withImage), chat("   "),
                chat(new JsonArray()), chat(null), chat(42), chat(textParts("a").add("b")),
                new JsonObject().put("model", "sim-gpt"), new JsonObject().put("messages", new JsonArray()),
                new JsonObject().put("messages", "Why?"), new JsonObject().put("input", "Why?") }) {
            assertEquals(Optional.empty(), SemanticRequest.of(CHAT, ineligible), ineligible.encode());
        }
        assertTrue(SemanticRequest.of(CHAT, new JsonObject().put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "Why?")))).isPresent());
    }

    @Test
    void theBodyIsNotChanged() {
        JsonObject body = chat("Why?");
        JsonObject before = body.copy();
        of(body);
        assertEquals(before, body);
    }
}
