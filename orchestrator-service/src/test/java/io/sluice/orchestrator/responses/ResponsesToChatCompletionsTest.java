package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ResponsesFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class ResponsesToChatCompletionsTest {

    @Test
    void instructionsComeFirstThenHistoryThenTheNewInput() {
        ResponsesRequest r = request("{\"model\":\"sim-gpt\",\"instructions\":\"be brief\",\"input\":\"third\"}");
        List<JsonObject> history = List.of(
                request("{\"model\":\"m\",\"input\":\"first\"}").input().get(0),
                InputItemReader.message("assistant", new JsonArray().add(InputItemReader.textPart("output_text", "one")),
                        "msg_1"));
        JsonObject chat = ResponsesToChatCompletions.chatRequest(r, history);
        assertEquals(new JsonObject("""
                {"model":"sim-gpt","messages":[
                  {"role":"system","content":"be brief"},
                  {"role":"user","content":"first"},
                  {"role":"assistant","content":"one"},
                  {"role":"user","content":"third"}]}
                """), chat);
    }

    @Test
    void consecutiveCallsAreOneAssistantTurnAndOutputsAreToolMessages() {
        ResponsesRequest r = request("""
                {"model":"m","input":[
                  {"role":"user","content":"weather?"},
                  {"role":"assistant","content":"checking"},
                  {"type":"function_call","call_id":"call_1","name":"w","arguments":"{\\"c\\":\\"a\\"}"},
                  {"type":"function_call","call_id":"call_2","name":"w","arguments":"{\\"c\\":\\"b\\"}"},
                  {"type":"function_call_output","call_id":"call_1","output":"sun"},
                  {"type":"function_call_output","call_id":"call_2","output":"rain"},
                  {"type":"function_call","call_id":"call_3","name":"w","arguments":"{}"}]}
                """);
        JsonArray messages = ResponsesToChatCompletions.chatRequest(r, List.of()).getJsonArray("messages");
        assertEquals(new JsonArray("""
                [{"role":"user","content":"weather?"},
                 {"role":"assistant","content":"checking","tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"w","arguments":"{\\"c\\":\\"a\\"}"}},
                   {"id":"call_2","type":"function","function":{"name":"w","arguments":"{\\"c\\":\\"b\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sun"},
                 {"role":"tool","tool_call_id":"call_2","content":"rain"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_3","type":"function","function":{"name":"w","arguments":"{}"}}]}]
                """), messages);
    }

    @Test
    void developerIsSystemAndImagesAreImageUrlParts() {
        ResponsesRequest r = request("""
                {"model":"m","input":[
                  {"role":"developer","content":[{"type":"input_text","text":"rules"}]},
                  {"role":"system","content":"more rules"},
                  {"role":"user","content":[{"type":"input_text","text":"what is it"},
                    {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"}]}]}
                """);
        JsonArray messages = ResponsesToChatCompletions.chatRequest(r, List.of()).getJsonArray("messages");
        assertEquals(new JsonArray("""
                [{"role":"system","content":"rules"},
                 {"role":"system","content":"more rules"},
                 {"role":"user","content":[{"type":"text","text":"what is it"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]}]
                """), messages);
    }

    @Test
    void parametersMapToTheirChatNames() {
        ResponsesRequest r = request("""
                {"model":"sim-claude","input":"x","temperature":0.2,"top_p":0.5,"max_output_tokens":100,
                 "parallel_tool_calls":false,"stream":true,
                 "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"}}],
                 "tool_choice":{"type":"function","name":"f"},
                 "text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"}}}}
                """);
        JsonObject chat = ResponsesToChatCompletions.chatRequest(r, List.of());
        chat.remove("messages");
        assertEquals(new JsonObject("""
                {"model":"sim-claude","temperature":0.2,"top_p":0.5,"max_tokens":100,"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],
                 "tool_choice":{"type":"function","function":{"name":"f"}},
                 "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},
                 "stream":true,"stream_options":{"include_usage":true}}
                """), chat);
    }

    @Test
    void modeToolChoicesPassAndParallelCallsNeedTools() {
        for (String mode : List.of("auto", "none", "required")) {
            JsonObject chat = ResponsesToChatCompletions.chatRequest(request("{\"model\":\"m\",\"input\":\"x\","
                    + "\"tool_choice\":\"" + mode + "\",\"parallel_tool_calls\":true}"), List.of());
            assertEquals(mode, chat.getString("tool_choice"));
            assertFalse(chat.containsKey("parallel_tool_calls"));
            assertFalse(chat.containsKey("stream"));
        }
    }
}
