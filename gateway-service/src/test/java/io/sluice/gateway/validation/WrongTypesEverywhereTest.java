package io.sluice.gateway.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.anthropic.AnthropicMessagesValidator;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.EmbeddingsRequestValidator;
import io.sluice.gateway.service.InferenceRequest;
import io.sluice.gateway.service.InferenceRequestValidator;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Every field of a request that uses every feature, replaced in turn by a value of every other JSON type (and
 * removed): each validator either accepts the request or refuses it with a 400 naming a parameter, never with any
 * other exception, which would leave the translation, or the request, to fail somewhere later. An Anthropic request
 * it accepts translates into a chat request the chat validator accepts.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class WrongTypesEverywhereTest {
    private static final List<Object> WRONG = List.of(7, -1, 2.5, "x", "", true, new JsonObject(), new JsonArray(),
            new JsonArray().add("x"), new JsonArray().add(1), new JsonObject().put("type", "x"), "\u0000\uD800",
            "x".repeat(5_000));

    private static final String CHAT = """
            {"model":"sim-gpt","stream":true,"stream_options":{"include_usage":true},"max_tokens":50,
             "max_completion_tokens":60,"n":1,"temperature":0.5,"top_p":0.9,"stop":["END","STOP"],"user":"u-1",
             "tools":[{"type":"function","function":{"name":"weather","description":"Weather now",
                       "parameters":{"type":"object"},"strict":true}}],
             "tool_choice":{"type":"function","function":{"name":"weather"}},
             "messages":[
               {"role":"system","content":"Be brief."},
               {"role":"user","name":"ann","content":[{"type":"text","text":"Hi"},
                 {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},
               {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"weather","arguments":"{}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"-3C"}]}""";

    private static final String MESSAGES = """
            {"model":"sim-claude","max_tokens":100,"stream":true,"system":[{"type":"text","text":"terse"}],
             "temperature":0.5,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"u-1"},
             "tools":[{"name":"weather","description":"Weather now","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"tool","name":"weather"},
             "messages":[
               {"role":"user","content":[{"type":"text","text":"Weather?"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},
                 {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]},
               {"role":"assistant","content":[{"type":"text","text":"Checking."},
                 {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":false,
                 "content":[{"type":"text","text":"-3C"}]}]}]}""";

    @Inject
    ChatRequestValidator chat;

    @Inject
    EmbeddingsRequestValidator embeddings;

    @Inject
    AnthropicMessagesValidator messages;

    @Test
    void chatCompletions() {
        everyVariant(CHAT, body -> accepted(chat, body));
    }

    @Test
    void embeddings() {
        everyVariant("{\"model\":\"sim-embed\",\"input\":[\"a\",\"b\"],\"dimensions\":8,\"encoding_format\":\"float\","
                + "\"user\":\"u\"}", body -> accepted(embeddings, body));
        everyVariant("{\"model\":\"sim-embed\",\"input\":[[1,2],[3]]}", body -> accepted(embeddings, body));
        everyVariant("{\"model\":\"sim-embed\",\"input\":[1,2,3]}", body -> accepted(embeddings, body));
    }

    @Test
    void anthropicMessagesAndTheirTranslation() {
        everyVariant(MESSAGES, body -> {
            InferenceRequest translated = accepted(messages, body);
            if (translated != null) {
                try {
                    chat.validate(translated.body());
                } catch (ApiException refused) {
                    fail("the translation of an accepted request is refused at " + refused.error().error().param()
                            + ": " + ascii(body));
                }
            }
        });
    }

    /** The request as validated, or null when refused as it must be: 400, a parameter named. */
    private static InferenceRequest accepted(InferenceRequestValidator validator, JsonObject body) {
        try {
            return validator.validate(body.toBuffer());
        } catch (ApiException refused) {
            assertEquals(400, refused.status(), () -> "status for " + ascii(body));
            assertNotNull(refused.error().error().param(), () -> "no param named for " + ascii(body));
            return null;
        } catch (RuntimeException other) {
            StackTraceElement[] at = other.getStackTrace();
            throw new AssertionError(other.getClass().getName() + " at " + (at.length > 0 ? at[0] : "?") + " for "
                    + ascii(body));
        }
    }

    /** The body with every character outside printable ASCII escaped, fit for a test report. */
    private static String ascii(JsonObject body) {
        StringBuilder out = new StringBuilder();
        for (char c : body.encode().toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.length() > 600 ? out.substring(0, 600) + "…" : out.toString();
    }

    private static void everyVariant(String json, Consumer<JsonObject> check) {
        JsonObject original = new JsonObject(json);
        check.accept(original.copy());
        List<List<Object>> paths = new ArrayList<>();
        collect(original, new ArrayList<>(), paths);
        for (List<Object> path : paths) {
            for (Object wrong : WRONG) {
                JsonObject variant = original.copy();
                set(variant, path, wrong);
                check.accept(variant);
            }
            JsonObject without = original.copy();
            set(without, path, null);
            check.accept(without);
        }
    }

    /** Every path to a value: object fields and array elements, at every depth. */
    private static void collect(Object node, List<Object> at, List<List<Object>> paths) {
        if (node instanceof JsonObject object) {
            for (String field : object.fieldNames()) {
                List<Object> path = new ArrayList<>(at);
                path.add(field);
                paths.add(path);
                collect(object.getValue(field), path, paths);
            }
        } else if (node instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                List<Object> path = new ArrayList<>(at);
                path.add(i);
                paths.add(path);
                collect(array.getValue(i), path, paths);
            }
        }
    }

    /** Sets the value at {@code path}; null removes an object's field (and sets an array element to null). */
    private static void set(JsonObject root, List<Object> path, Object value) {
        Object node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node instanceof JsonObject object ? object.getValue((String) path.get(i))
                    : ((JsonArray) node).getValue((Integer) path.get(i));
        }
        Object last = path.get(path.size() - 1);
        if (node instanceof JsonObject object) {
            if (value == null) {
                object.remove((String) last);
            } else {
                object.put((String) last, value);
            }
        } else {
            ((JsonArray) node).set((Integer) last, value);
        }
    }

    @Test
    void theModelRuleIsTheSameAtEveryEndpoint() {
        String[] refused = { "", " ", "a".repeat(129), "gpt 4", "gpt\u0000", "gpt\n", "модель", "m\uD83D\uDE00",
                "a,b", "a;b", "a\"b", "<m>" };
        for (String model : refused) {
            for (InferenceRequestValidator validator : List.of(chat, embeddings, messages)) {
                JsonObject body = new JsonObject().put("model", model).put("max_tokens", 5).put("input", "x")
                        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x")));
                ApiException refusal = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                        () -> validator.validate(body.toBuffer()), () -> "model accepted: " + model);
                assertEquals("model", refusal.error().error().param());
                org.junit.jupiter.api.Assertions.assertFalse(refusal.getMessage().contains(model.strip())
                        && !model.isBlank(), "the refusal does not repeat the name");
            }
        }
        for (String model : List.of("gpt-4.1", "claude-3-5-sonnet@20241022", "models/gemini-1.5-pro",
                "meta-llama/Llama-3.1-8B-Instruct", "ft:gpt-4o-mini:org:name:id", "a+b", "a".repeat(128))) {
            JsonObject body = new JsonObject().put("model", model).put("input", "x")
                    .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x")));
            assertEquals(model, chat.validate(body.toBuffer()).model());
            assertEquals(model, embeddings.validate(body.toBuffer()).model());
        }
    }
}
