package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ResponsesFixtures.rejected;
import static io.sluice.orchestrator.responses.ResponsesFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.responses.ResponsesRequest.Truncation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class ResponsesRequestTest {

    @Test
    void aStringInputIsOneUserMessageAndDefaultsAreOpenAis() {
        ResponsesRequest r = request("{\"model\":\"sim-gpt\",\"input\":\"hi\"}");
        assertEquals("sim-gpt", r.model());
        assertEquals(new JsonObject("{\"type\":\"message\",\"role\":\"user\",\"status\":\"completed\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}"), r.input().get(0));
        assertTrue(r.store());
        assertFalse(r.stream());
        assertEquals(Truncation.DISABLED, r.truncation());
        assertEquals(new JsonObject(), r.metadata());
        assertEquals(new JsonArray(), r.tools());
        assertEquals(ResponsesRequest.plainText(), r.text());
        assertNull(r.temperature());
        assertNull(r.maxOutputTokens());
        assertNull(r.parallelToolCalls());
        assertNull(r.toolChoice());
    }

    @Test
    void everyGeneratingFieldIsRead() {
        ResponsesRequest r = request("""
                {"model":"m","input":"x","instructions":"be brief","temperature":0.5,"top_p":0.9,
                 "max_output_tokens":16,"metadata":{"k":"v"},"previous_response_id":"resp_1","store":false,
                 "truncation":"auto","stream":true,"parallel_tool_calls":false,
                 "tools":[{"type":"function","name":"f","parameters":{"type":"object"},"strict":false}],
                 "tool_choice":{"type":"function","name":"f"},
                 "user":"u","safety_identifier":"s","prompt_cache_key":"p","service_tier":"auto","background":false}
                """);
        assertEquals("be brief", r.instructions());
        assertEquals(0.5, r.temperature());
        assertEquals(0.9, r.topP());
        assertEquals(16, r.maxOutputTokens());
        assertEquals(new JsonObject().put("k", "v"), r.metadata());
        assertEquals("resp_1", r.previousResponseId());
        assertFalse(r.store());
        assertEquals(Truncation.AUTO, r.truncation());
        assertTrue(r.stream());
        assertEquals(false, r.parallelToolCalls());
        assertEquals(new JsonObject("{\"type\":\"function\",\"name\":\"f\",\"description\":null,"
                + "\"parameters\":{\"type\":\"object\"},\"strict\":false}"), r.tools().getJsonObject(0));
        assertEquals(new JsonObject("{\"type\":\"function\",\"name\":\"f\"}"), r.toolChoice());
    }

    @Test
    void conversationIsAnIdOrAnObjectWithOne() {
        assertEquals("conv_1", request("{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}").conversationId());
        assertEquals("conv_2",
                request("{\"model\":\"m\",\"input\":\"x\",\"conversation\":{\"id\":\"conv_2\"}}").conversationId());
        rejected("conversation", "{\"model\":\"m\",\"input\":\"x\",\"conversation\":3}");
        rejected("conversation.id", "{\"model\":\"m\",\"input\":\"x\",\"conversation\":{}}");
    }

    @Test
    void previousResponseAndConversationTogetherAreRefusedAsOpenAiRefusesThem() {
        var e = rejected("conversation",
                "{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\",\"previous_response_id\":\"resp_1\"}");
        assertTrue(e.getMessage().contains("Mutually exclusive"));
    }

    @Test
    void itemListsKeepMessagesCallsAndOutputs() {
        ResponsesRequest r = request("""
                {"model":"m","input":[
                  {"role":"developer","content":"rules"},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"look"},
                     {"type":"input_image","image_url":"https://x/y.png"}]},
                  {"type":"message","id":"msg_a","role":"assistant","content":[{"type":"output_text","text":"ok"}]},
                  {"role":"assistant","content":"plain"},
                  {"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":"{}"},
                  {"type":"function_call_output","call_id":"call_1","output":"42"}]}
                """);
        assertEquals(6, r.input().size());
        assertEquals("developer", r.input().get(0).getString("role"));
        assertEquals(new JsonObject("{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\",\"detail\":\"auto\"}"),
                r.input().get(1).getJsonArray("content").getJsonObject(1));
        assertEquals("msg_a", r.input().get(2).getString("id"));
        assertEquals(new JsonObject("{\"type\":\"output_text\",\"text\":\"plain\",\"annotations\":[]}"),
                r.input().get(3).getJsonArray("content").getJsonObject(0));
        assertEquals(new JsonObject("{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"f\","
                + "\"arguments\":\"{}\",\"status\":\"completed\"}"), r.input().get(4));
        assertEquals(new JsonObject("{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"42\","
                + "\"status\":\"completed\"}"), r.input().get(5));
    }

    @Test
    void functionOutputsAsPartArraysAreJoined() {
        ResponsesRequest r = request("{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\","
                + "\"output\":[{\"type\":\"input_text\",\"text\":\"a\"},{\"type\":\"input_text\",\"text\":\"b\"}]}]}");
        assertEquals("ab", r.input().get(0).getString("output"));
    }

    @Test
    void badItemsAreNamedByTheirPath() {
        rejected("input", "{\"model\":\"m\"}");
        rejected("input", "{\"model\":\"m\",\"input\":[]}");
        rejected("input", "{\"model\":\"m\",\"input\":5}");
        rejected("model", "{\"input\":\"x\"}");
        rejected("input[0]", "{\"model\":\"m\",\"input\":[\"x\"]}");
        rejected("input[0].role", "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}");
        rejected("input[0].content", "{\"model\":\"m\",\"input\":[{\"role\":\"user\"}]}");
        rejected("input[1].content[0].type", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}");
        rejected("input[0].content[1].type", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"input_text\",\"text\":\"a\"},{\"type\":\"output_text\",\"text\":\"b\"}]}]}");
        rejected("input[0].content[0].type", "{\"model\":\"m\",\"input\":[{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"input_text\",\"text\":\"a\"}]}]}");
        rejected("input[0].content[0].text", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"input_text\"}]}]}");
        rejected("input[0].content[0].detail", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"input_image\",\"image_url\":\"u\",\"detail\":\"huge\"}]}]}");
        rejected("input[0].call_id", "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\","
                + "\"arguments\":\"{}\"}]}");
        rejected("input[0].output", "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\"}]}");
        rejected("input[0].type", "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}");
        rejected("input[0].type", "{\"model\":\"m\",\"input\":[{\"type\":\"web_search_call\"}]}");
    }

    @Test
    void rangesAreOpenAis() {
        request("{\"model\":\"m\",\"input\":\"x\",\"temperature\":2,\"top_p\":0}");
        rejected("temperature", "{\"model\":\"m\",\"input\":\"x\",\"temperature\":2.1}");
        rejected("temperature", "{\"model\":\"m\",\"input\":\"x\",\"temperature\":\"hot\"}");
        rejected("top_p", "{\"model\":\"m\",\"input\":\"x\",\"top_p\":1.5}");
        rejected("max_output_tokens", "{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":15}");
        rejected("max_output_tokens", "{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":20.5}");
        rejected("truncation", "{\"model\":\"m\",\"input\":\"x\",\"truncation\":\"middle\"}");
        rejected("store", "{\"model\":\"m\",\"input\":\"x\",\"store\":\"yes\"}");
    }

    @Test
    void metadataHasOpenAisLimits() {
        JsonObject sixteen = new JsonObject();
        for (int i = 0; i < 16; i++) {
            sixteen.put("k" + i, "v");
        }
        String base = "{\"model\":\"m\",\"input\":\"x\",\"metadata\":";
        request(base + sixteen.encode() + "}");
        rejected("metadata", base + sixteen.copy().put("k16", "v").encode() + "}");
        rejected("metadata", base + new JsonObject().put("k".repeat(65), "v").encode() + "}");
        rejected("metadata.k", base + new JsonObject().put("k", "v".repeat(513)).encode() + "}");
        rejected("metadata.k", base + "{\"k\":1}}");
    }

    @Test
    void onlyFunctionToolsAndChoicesAmongThem() {
        rejected("tools[1].type", "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},"
                + "{\"type\":\"web_search\"}]}");
        rejected("tools[0].name", "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\"}]}");
        rejected("tools[0].name", "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"a b\"}]}");
        rejected("tool_choice", "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":\"sometimes\"}");
        rejected("tool_choice.type", "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"file_search\"}}");
        rejected("tool_choice.name", "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"function\",\"name\":\"g\"}}");
        assertEquals("required", request("{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":\"required\"}").toolChoice());
    }

    @Test
    void textFormatsMapToChatResponseFormats() {
        assertNull(request("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"text\"}}}")
                .chatResponseFormat());
        assertEquals(new JsonObject().put("type", "json_object"),
                request("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_object\"}}}")
                        .chatResponseFormat());
        ResponsesRequest schema = request("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\","
                + "\"name\":\"answer\",\"schema\":{\"type\":\"object\"},\"strict\":true}}}");
        assertEquals(new JsonObject("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\","
                + "\"schema\":{\"type\":\"object\"},\"strict\":true}}"), schema.chatResponseFormat());
        rejected("text.format.schema", "{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\","
                + "\"name\":\"a\"}}}");
        rejected("text.format.type", "{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"xml\"}}}");
    }

    @Test
    void backgroundPromptsAndUnknownParametersAreRefused() {
        var background = rejected("background", "{\"model\":\"m\",\"input\":\"x\",\"background\":true}");
        assertTrue(background.getMessage().contains("not supported"));
        rejected("prompt", "{\"model\":\"m\",\"input\":\"x\",\"prompt\":{\"id\":\"p\"}}");
        var unknown = rejected("frobnicate", "{\"model\":\"m\",\"input\":\"x\",\"frobnicate\":1}");
        assertEquals("unknown_parameter", unknown.error().error().code());
    }
}
