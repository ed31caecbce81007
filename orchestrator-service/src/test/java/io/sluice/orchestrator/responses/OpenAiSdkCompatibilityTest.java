package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ResponsesFixtures.chatCompletion;
import static io.sluice.orchestrator.responses.ResponsesFixtures.draft;
import static io.sluice.orchestrator.responses.ResponsesFixtures.events;
import static io.sluice.orchestrator.responses.ResponsesFixtures.finishChunk;
import static io.sluice.orchestrator.responses.ResponsesFixtures.request;
import static io.sluice.orchestrator.responses.ResponsesFixtures.textChunk;
import static io.sluice.orchestrator.responses.ResponsesFixtures.toolCall;
import static io.sluice.orchestrator.responses.ResponsesFixtures.toolChunk;
import static io.sluice.orchestrator.responses.ResponsesFixtures.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputContent;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputText;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceFunction;

import io.sluice.orchestrator.responses.ResponsesFixtures.Event;
import io.sluice.orchestrator.responses.ResponsesRequest.Truncation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What Sluice writes read by the official OpenAI Java SDK's own models (its Jackson mapper, then {@code validate()},
 * which throws on any missing or mistyped required field), and what the SDK sends read by Sluice.
 */
class OpenAiSdkCompatibilityTest {
    private static final JsonMapper SDK = ObjectMappers.jsonMapper();

    private static Response sdkResponse(JsonObject json) throws JsonProcessingException {
        return SDK.readValue(json.encode(), Response.class).validate();
    }

    private static List<ResponseStreamEvent> sdkEvents(Buffer sse) throws JsonProcessingException {
        List<ResponseStreamEvent> parsed = new ArrayList<>();
        for (Event event : events(sse)) {
            parsed.add(SDK.readValue(event.data().encode(), ResponseStreamEvent.class).validate());
        }
        return parsed;
    }

    private static ResponsesRequest parsed(ResponseCreateParams params) throws JsonProcessingException {
        return ResponsesRequest.parse(new JsonObject(SDK.writeValueAsString(params._body())));
    }

    @Test
    void theSdkReadsATextResponse() throws Exception {
        Response response = sdkResponse(ChatCompletionToResponse.response(
                draft(request("{\"model\":\"sim-gpt\",\"input\":\"hi\",\"metadata\":{\"a\":\"b\"}}")),
                chatCompletion("Hello", null, "stop")));
        assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
        assertEquals("Hello", response.output().get(0).asMessage().content().get(0).asOutputText().text());
        assertEquals(12, response.usage().orElseThrow().inputTokens());
        assertEquals(4, response.usage().orElseThrow().inputTokensDetails().cachedTokens());
        assertEquals(17, response.usage().orElseThrow().totalTokens());
        assertEquals("sim-gpt", response.model().asString());
        assertEquals("b", response.metadata().orElseThrow()._additionalProperties().get("a").asStringOrThrow());
    }

    @Test
    void theSdkCheckIsStrictEnoughToCatchAMissingRequiredField() {
        JsonObject response = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"hi\"}")),
                chatCompletion("Hello", null, "stop"));
        for (String path : List.of("id", "output.0.id", "output.0.content.0.annotations", "usage.output_tokens",
                "usage.input_tokens_details.cache_write_tokens", "tools", "created_at")) {
            JsonObject broken = response.copy();
            String[] steps = path.split("\\.");
            Object parent = broken;
            for (int i = 0; i < steps.length - 1; i++) {
                parent = parent instanceof JsonObject o ? o.getValue(steps[i])
                        : ((JsonArray) parent).getValue(Integer.parseInt(steps[i]));
            }
            ((JsonObject) parent).remove(steps[steps.length - 1]);
            assertThrows(OpenAIInvalidDataException.class, () -> sdkResponse(broken), path);
        }
    }

    @Test
    void theSdkReadsToolCallsIncompleteAnswersAndEveryEchoedParameter() throws Exception {
        ResponsesRequest full = request("""
                {"model":"m","input":"x","instructions":"i","temperature":0.3,"top_p":0.4,"max_output_tokens":64,
                 "store":false,"truncation":"auto","parallel_tool_calls":false,"previous_response_id":"resp_p",
                 "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],
                 "tool_choice":{"type":"function","name":"f"},
                 "text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"},"strict":true}}}
                """);
        Response calls = sdkResponse(ChatCompletionToResponse.response(new ResponseDraft("resp_x", 1L, full, null),
                chatCompletion("", new JsonArray().add(toolCall("call_a", "f", "{\"c\":1}")), "tool_calls")));
        ResponseFunctionToolCall call = calls.output().get(0).asFunctionCall();
        assertEquals("call_a", call.callId());
        assertEquals("{\"c\":1}", call.arguments());
        assertTrue(calls.toolChoice().isFunction());
        assertEquals("f", calls.tools().get(0).asFunction().name());
        assertEquals(Response.Truncation.AUTO, calls.truncation().orElseThrow());

        Response cut = sdkResponse(ChatCompletionToResponse.response(
                new ResponseDraft("resp_y", 1L, request("{\"model\":\"m\",\"input\":\"x\"}"), "conv_1"),
                chatCompletion("Hel", null, "length")));
        assertEquals(ResponseStatus.INCOMPLETE, cut.status().orElseThrow());
        assertEquals(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS,
                cut.incompleteDetails().orElseThrow().reason().orElseThrow());
        assertEquals("conv_1", cut.conversation().orElseThrow().id());
    }

    @Test
    void everyStreamEventIsAnSdkEventAndTheSdkAccumulatesTheResponse() throws Exception {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"sim-gpt\",\"input\":\"hi\",\"stream\":true}")));
        Buffer sse = Buffer.buffer().appendBuffer(stream.start()).appendBuffer(stream.chunk(textChunk("Hel")))
                .appendBuffer(stream.chunk(textChunk("lo"))).appendBuffer(stream.chunk(toolChunk(0, "call_a", "f", "{")))
                .appendBuffer(stream.chunk(toolChunk(0, null, null, "}"))).appendBuffer(stream.chunk(finishChunk(
                        "tool_calls")))
                .appendBuffer(stream.chunk(usageChunk(9, 2))).appendBuffer(stream.complete());
        List<ResponseStreamEvent> events = sdkEvents(sse);
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        events.forEach(accumulator::accumulate);
        Response response = accumulator.response().validate();
        assertEquals("Hello", response.output().get(0).asMessage().content().get(0).asOutputText().text());
        assertEquals("{}", response.output().get(1).asFunctionCall().arguments());
        assertEquals(11, response.usage().orElseThrow().totalTokens());
        assertTrue(events.get(events.size() - 1).isCompleted());
        assertEquals(sdkResponse(stream.response()), events.get(events.size() - 1).asCompleted().response());
    }

    @Test
    void aStreamedRefusalIsARefusalPart() throws Exception {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"x\"}")));
        JsonObject refusal = textChunk("");
        refusal.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").put("refusal", "I can't help with that.");
        List<ResponseStreamEvent> events = sdkEvents(Buffer.buffer().appendBuffer(stream.start())
                .appendBuffer(stream.chunk(refusal)).appendBuffer(stream.chunk(finishChunk("stop")))
                .appendBuffer(stream.complete()));
        assertTrue(events.stream().anyMatch(ResponseStreamEvent::isRefusalDelta));
        assertTrue(events.stream().anyMatch(ResponseStreamEvent::isRefusalDone));
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        events.forEach(accumulator::accumulate);
        assertEquals("I can't help with that.",
                accumulator.response().output().get(0).asMessage().content().get(0).asRefusal().refusal());
    }

    @Test
    void incompleteAndFailedStreamsAreSdkEventsToo() throws Exception {
        ChatChunksToResponseEvents cut = new ChatChunksToResponseEvents(draft(request("{\"model\":\"m\",\"input\":\"x\"}")));
        List<ResponseStreamEvent> incomplete = sdkEvents(Buffer.buffer().appendBuffer(cut.start())
                .appendBuffer(cut.chunk(textChunk("a"))).appendBuffer(cut.chunk(finishChunk("length")))
                .appendBuffer(cut.complete()));
        assertTrue(incomplete.get(incomplete.size() - 1).isIncomplete());

        ChatChunksToResponseEvents broken = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"x\"}")));
        List<ResponseStreamEvent> failed = sdkEvents(Buffer.buffer().appendBuffer(broken.start())
                .appendBuffer(broken.chunk(toolChunk(0, "call_a", "f", "{")))
                .appendBuffer(broken.failed("upstream_disconnected", "The provider closed the stream.")));
        ResponseStreamEvent error = failed.get(failed.size() - 2);
        assertTrue(error.isError());
        assertEquals("upstream_disconnected", error.asError().code().orElseThrow());
        Response response = failed.get(failed.size() - 1).asFailed().response();
        assertEquals(ResponseStatus.FAILED, response.status().orElseThrow());
        assertEquals("The provider closed the stream.", response.error().orElseThrow().message());
    }

    @Test
    void aPlainSdkRequestParses() throws Exception {
        ResponsesRequest r = parsed(ResponseCreateParams.builder().model("sim-gpt").input("Say hi")
                .instructions("be brief").temperature(0.5).topP(0.9).maxOutputTokens(64L).store(false)
                .truncation(ResponseCreateParams.Truncation.AUTO).previousResponseId("resp_1")
                .metadata(ResponseCreateParams.Metadata.builder().putAdditionalProperty("k", JsonValue.from("v"))
                        .build())
                .build());
        assertEquals("sim-gpt", r.model());
        assertEquals("Say hi", r.input().get(0).getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals("be brief", r.instructions());
        assertEquals(64, r.maxOutputTokens());
        assertEquals(Truncation.AUTO, r.truncation());
        assertEquals("resp_1", r.previousResponseId());
        assertEquals(new JsonObject().put("k", "v"), r.metadata());
        assertEquals(false, r.store());
        assertEquals("conv_1",
                parsed(ResponseCreateParams.builder().model("m").input("x").conversation("conv_1").build())
                        .conversationId());
    }

    @Test
    void anSdkFunctionCallingRoundTripParsesIncludingTheOutputItFedBack() throws Exception {
        // turn one as Sluice answered it, read by the SDK, fed back as the SDK user does
        Response first = sdkResponse(ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"x\"}")),
                chatCompletion("Looking", new JsonArray().add(toolCall("call_a", "weather", "{\"city\":\"Oslo\"}")),
                        "tool_calls")));
        List<ResponseInputItem> items = new ArrayList<>();
        items.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .contentOfResponseInputMessageContentList(List.of(ResponseInputContent.ofInputText(ResponseInputText.builder().text("weather?")
                        .build()), ResponseInputContent.ofInputImage(ResponseInputImage.builder()
                                .imageUrl("https://example.com/sky.png").detail(ResponseInputImage.Detail.LOW).build())))
                .build()));
        for (ResponseOutputItem item : first.output()) {
            items.add(item.isMessage() ? ResponseInputItem.ofResponseOutputMessage(item.asMessage())
                    : ResponseInputItem.ofFunctionCall(item.asFunctionCall()));
        }
        items.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId("call_a").output("sunny").build()));
        ResponsesRequest r = parsed(ResponseCreateParams.builder().model("m").inputOfResponse(items)
                .addTool(FunctionTool.builder().name("weather").strict(true).parameters(FunctionTool.Parameters
                        .builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of())).build()).build())
                .toolChoice(ToolChoiceFunction.builder().name("weather").build()).parallelToolCalls(false)
                .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder().name("w")
                        .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build()).build())
                .build());
        assertEquals(List.of("message", "message", "function_call", "function_call_output"),
                r.input().stream().map(item -> item.getString("type")).toList());
        JsonObject chat = ResponsesToChatCompletions.chatRequest(r, List.of());
        assertEquals(new JsonArray("""
                [{"role":"user","content":[{"type":"text","text":"weather?"},
                   {"type":"image_url","image_url":{"url":"https://example.com/sky.png","detail":"low"}}]},
                 {"role":"assistant","content":"Looking","tool_calls":[{"id":"call_a","type":"function",
                   "function":{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_a","content":"sunny"}]
                """), chat.getJsonArray("messages"));
        assertEquals("weather", chat.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"));
        assertEquals(true, chat.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getBoolean("strict"));
        assertEquals("json_schema", chat.getJsonObject("response_format").getString("type"));
        assertEquals(false, chat.getBoolean("parallel_tool_calls"));

        // and the answer to it echoes what the SDK sent in a shape the SDK reads back
        sdkResponse(ChatCompletionToResponse.response(draft(r), chatCompletion("Sunny in Oslo", null, "stop")));
    }

    @Test
    void inputItemsWithTheStoresIdsAreSdkConversationItems() throws Exception {
        ResponsesRequest r = request("""
                {"model":"m","input":[
                  {"role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"u"}]},
                  {"role":"developer","content":"rules"},
                  {"role":"assistant","content":"ok"},
                  {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},
                  {"type":"function_call_output","call_id":"call_1","output":"42"}]}
                """);
        int n = 0;
        for (JsonObject item : r.input()) {
            JsonObject stored = item.copy().put("id", "item_" + n++); // the store assigns ids (MemoryIds)
            ResponseItem sdk = SDK.readValue(stored.encode(), ResponseItem.class).validate();
            assertTrue(sdk.isValid(), stored.encode());
        }
    }

    @Test
    void aStoredResponsesOutputIsHistoryTheNextTurnSends() throws Exception {
        JsonObject answer = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"x\"}")),
                chatCompletion("Looking", new JsonArray().add(toolCall("call_a", "f", "{}")), "tool_calls"));
        List<JsonObject> history = answer.getJsonArray("output").stream().map(JsonObject.class::cast).toList();
        JsonObject chat = ResponsesToChatCompletions.chatRequest(request("""
                {"model":"m","input":[{"type":"function_call_output","call_id":"call_a","output":"done"}]}
                """), history);
        assertEquals(new JsonArray("""
                [{"role":"assistant","content":"Looking","tool_calls":[{"id":"call_a","type":"function",
                   "function":{"name":"f","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_a","content":"done"}]
                """), chat.getJsonArray("messages"));
    }
}
