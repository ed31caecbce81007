package io.sluice.gateway.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.service.InferenceRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class AnthropicMessagesValidatorTest {

    private final AnthropicMessagesValidator validator = new AnthropicMessagesValidator(new Limits(),
            new PromptTokenEstimator());

    @Test
    void plainRequestBecomesAChatRequestReservingPromptAndMaxTokens() {
        InferenceRequest request = validator.validate(Buffer.buffer("""
                {"model":"sim-claude","max_tokens":16,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Hello world"}],
                 "temperature":0.2,"top_p":0.9,"top_k":5,"stop_sequences":["END"],"metadata":{"user_id":"u-1"}}"""));
        assertEquals("sim-claude", request.model());
        assertFalse(request.stream());
        assertTrue(request.clientWantsUsage());
        JsonObject body = request.body().toJsonObject();
        assertEquals(new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "Be brief."))
                .add(new JsonObject().put("role", "user").put("content", "Hello world")), body.getJsonArray("messages"));
        assertEquals(16, body.getInteger("max_tokens"));
        assertEquals(0.2, body.getDouble("temperature"));
        assertEquals(0.9, body.getDouble("top_p"));
        assertEquals(new JsonArray().add("END"), body.getJsonArray("stop"));
        assertEquals("u-1", body.getString("user"));
        assertFalse(body.containsKey("top_k"), "OpenAI has no top_k");
        assertFalse(body.containsKey("stream"));
        // "Be brief." is 3 cl100k tokens and "Hello world" 2, plus 4 per message and 3 for the reply.
        assertEquals(3 + 2 + 2 * 4 + 3, request.estimate().inputTokens());
        assertEquals(16, request.estimate().outputTokens());
    }

    @Test
    void streamedRequestAsksTheOrchestratorForTheUsageChunk() {
        InferenceRequest request = validator.validate(Buffer.buffer(
                "{\"model\":\"m\",\"max_tokens\":8,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertTrue(request.stream());
        assertTrue(request.body().toJsonObject().getBoolean("stream"));
        assertTrue(request.body().toJsonObject().getJsonObject("stream_options").getBoolean("include_usage"));
    }

    @Test
    void blocksToolUseAndToolResultsBecomeOpenAiMessages() {
        InferenceRequest request = validator.validate(Buffer.buffer("""
                {"model":"m","max_tokens":100,
                 "system":[{"type":"text","text":"You are "},{"type":"text","text":"terse."}],
                 "tools":[{"name":"weather","description":"Weather now","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"tool","name":"weather"},
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"Weather in Oslo?"}]},
                   {"role":"assistant","content":[{"type":"text","text":"Checking."},
                     {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"-3C"},
                     {"type":"text","text":"And tomorrow?"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}"""));
        JsonArray messages = request.body().toJsonObject().getJsonArray("messages");
        assertEquals("You are terse.", messages.getJsonObject(0).getString("content"));
        assertEquals("Weather in Oslo?", messages.getJsonObject(1).getString("content"));
        JsonObject assistant = messages.getJsonObject(2);
        assertEquals("Checking.", assistant.getString("content"));
        JsonObject call = assistant.getJsonArray("tool_calls").getJsonObject(0);
        assertEquals("toolu_1", call.getString("id"));
        assertEquals("weather", call.getJsonObject("function").getString("name"));
        assertEquals(new JsonObject().put("city", "Oslo"),
                new JsonObject(call.getJsonObject("function").getString("arguments")));
        JsonObject toolMessage = messages.getJsonObject(3);
        assertEquals("tool", toolMessage.getString("role"));
        assertEquals("toolu_1", toolMessage.getString("tool_call_id"));
        assertEquals("-3C", toolMessage.getString("content"));
        JsonArray parts = messages.getJsonObject(4).getJsonArray("content");
        assertEquals("And tomorrow?", parts.getJsonObject(0).getString("text"));
        assertEquals("data:image/png;base64,AAAA",
                parts.getJsonObject(1).getJsonObject("image_url").getString("url"));
        JsonObject tool = request.body().toJsonObject().getJsonArray("tools").getJsonObject(0);
        assertEquals("function", tool.getString("type"));
        assertEquals("Weather now", tool.getJsonObject("function").getString("description"));
        assertEquals("weather", request.body().toJsonObject().getJsonObject("tool_choice").getJsonObject("function").getString("name"));
    }

    @Test
    void invalidRequestsAreRefusedNamingTheParameter() {
        String hello = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        assertParam("max_tokens", "{\"model\":\"m\"," + hello + "}");
        assertParam("max_tokens", "{\"model\":\"m\",\"max_tokens\":0," + hello + "}");
        assertParam("max_tokens", "{\"model\":\"m\",\"max_tokens\":999999999," + hello + "}");
        assertParam("model", "{\"max_tokens\":5," + hello + "}");
        assertParam("messages", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}");
        assertParam("messages[0].role", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}");
        assertParam("messages[0].content", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":5}]}");
        assertParam("messages[0].content[0].type", "{\"model\":\"m\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}");
        assertParam("stream", "{\"model\":\"m\",\"max_tokens\":5,\"stream\":\"yes\"," + hello + "}");
        assertParam("system", "{\"model\":\"m\",\"max_tokens\":5,\"system\":7," + hello + "}");
        assertParam("stop_sequences[0]", "{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":[1]," + hello + "}");
        assertParam("temperature", "{\"model\":\"m\",\"max_tokens\":5,\"temperature\":1.5," + hello + "}");
        assertParam("metadata.user_id", "{\"model\":\"m\",\"max_tokens\":5,\"metadata\":{\"user_id\":7}," + hello + "}");
        assertParam("tools[0].name", "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"no spaces\"}]," + hello + "}");
        assertParam("tools[0].input_schema", "{\"model\":\"m\",\"max_tokens\":5,"
                + "\"tools\":[{\"name\":\"t\",\"input_schema\":[]}]," + hello + "}");
        assertParam("tools[0].type", "{\"model\":\"m\",\"max_tokens\":5,"
                + "\"tools\":[{\"name\":\"web_search\",\"type\":\"web_search_20250305\"}]," + hello + "}");
        assertParam("tool_choice", "{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":\"auto\"," + hello + "}");
        assertParam("tool_choice.name", "{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"tool\"}," + hello + "}");
        String assistant = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":[%s]}]}";
        assertParam("messages[0].content[0].input", String.format(assistant,
                "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":5}"));
        assertParam("messages[0].content[0].id", String.format(assistant,
                "{\"type\":\"tool_use\",\"id\":5,\"name\":\"f\",\"input\":{}}"));
        String user = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[%s]}]}";
        assertParam("messages[0].content[0].tool_use_id", String.format(user,
                "{\"type\":\"tool_result\",\"tool_use_id\":[],\"content\":\"x\"}"));
        assertParam("messages[0].content[0].source", String.format(user, "{\"type\":\"image\",\"source\":\"x\"}"));
        assertParam("messages[0].content[0].source.media_type", String.format(user,
                "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":1,\"data\":\"AA\"}}"));
        assertParam("messages[0].content", "{\"model\":\"m\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(262_145) + "\"}]}");
    }

    private void assertParam(String param, String body) {
        ApiException refused = assertThrows(ApiException.class, () -> validator.validate(Buffer.buffer(body)));
        assertEquals(400, refused.status());
        assertEquals(param, refused.error().error().param());
    }

    /** The configured defaults. */
    private static final class Limits implements RequestLimitsConfig {
        @Override
        public long maxBodyBytes() {
            return 1_048_576;
        }

        @Override
        public int maxMessages() {
            return 1000;
        }

        @Override
        public int maxMessageChars() {
            return 262_144;
        }

        @Override
        public int maxTokens() {
            return 131_072;
        }

        @Override
        public int maxChoices() {
            return 8;
        }

        @Override
        public int maxEmbeddingInputs() {
            return 2048;
        }
    }
}
