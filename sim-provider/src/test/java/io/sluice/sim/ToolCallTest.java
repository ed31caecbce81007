package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code tool-call} directive in the three providers' formats, plain and streamed. */
class ToolCallTest {
  private static final JsonObject WEATHER_SCHEMA =
      new JsonObject()
          .put("type", "object")
          .put("properties", new JsonObject().put("days", new JsonObject().put("type", "integer")).put("city", new JsonObject().put("type", "string")))
          .put("required", new JsonArray().add("city"));
  private static final String ARGUMENTS = "{\"city\":\"Paris\"}";
  private static final String RESULT = "Sunny, 21 C in Paris";

  private static SimProvider sim;
  private static SimHttp http;

  @BeforeAll
  static void start() {
    sim = SimProvider.start(0);
    http = new SimHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    http.resetStatsAndRules();
  }

  // ---- OpenAI ----

  private static JsonObject openAiRequest(boolean stream, JsonObject... extraMessages) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", "Weather in Paris?"));
    for (JsonObject message : extraMessages) {
      messages.add(message);
    }
    JsonObject function = new JsonObject().put("name", "get_weather").put("parameters", WEATHER_SCHEMA);
    JsonArray tools =
        new JsonArray()
            .add(new JsonObject().put("type", "function").put("function", function))
            .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "second_tool")));
    JsonObject body = new JsonObject().put("model", "sim-gpt").put("messages", messages).put("tools", tools);
    if (stream) {
      body.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }

  private static final JsonObject OPENAI_CALL =
      new JsonObject()
          .put("role", "assistant")
          .put("content", null)
          .put(
              "tool_calls",
              new JsonArray()
                  .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject().put("name", "get_weather").put("arguments", ARGUMENTS))));

  @Test
  void openAiPlainAnswersWithACallToTheFirstTool() {
    JsonObject body = new JsonObject(http.post("/v1/chat/completions", openAiRequest(false).encode(), "x-sim", "tool-call").body());

    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    assertNull(choice.getJsonObject("message").getValue("content"));
    JsonArray calls = choice.getJsonObject("message").getJsonArray("tool_calls");
    assertEquals(1, calls.size());
    JsonObject call = calls.getJsonObject(0);
    assertTrue(call.getString("id").startsWith("call_"), call.encode());
    assertEquals("function", call.getString("type"));
    assertEquals("get_weather", call.getJsonObject("function").getString("name"));
    assertEquals(ARGUMENTS, call.getJsonObject("function").getString("arguments"));
    assertEquals(1 + 2, body.getJsonObject("usage").getInteger("completion_tokens"), "name + two 8-char pieces of the arguments");
  }

  @Test
  void openAiStreamSendsToolCallDeltas() {
    SimHttp.Stream stream = http.stream("/v1/chat/completions", openAiRequest(true).encode(), "x-sim", "tool-call");

    assertTrue(stream.endedCleanly());
    List<String> data = stream.data();
    assertEquals("[DONE]", data.get(data.size() - 1));
    List<JsonObject> chunks = data.subList(0, data.size() - 1).stream().map(JsonObject::new).toList();
    StringBuilder arguments = new StringBuilder();
    String id = null;
    String name = null;
    String finish = null;
    for (JsonObject chunk : chunks) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices.isEmpty()) {
        assertEquals(3, chunk.getJsonObject("usage").getInteger("completion_tokens"));
        continue;
      }
      JsonObject choice = choices.getJsonObject(0);
      finish = choice.getString("finish_reason", finish);
      JsonArray calls = choice.getJsonObject("delta").getJsonArray("tool_calls");
      if (calls != null) {
        JsonObject call = calls.getJsonObject(0);
        assertEquals(0, call.getInteger("index"));
        if (call.containsKey("id")) {
          assertNull(id, "only the first delta names the call");
          id = call.getString("id");
          name = call.getJsonObject("function").getString("name");
        }
        arguments.append(call.getJsonObject("function").getString("arguments"));
      }
    }
    assertTrue(id.startsWith("call_"), id);
    assertEquals("get_weather", name);
    assertEquals(ARGUMENTS, arguments.toString());
    assertEquals("tool_calls", finish);
  }

  @Test
  void openAiToolResultIsQuotedPlainAndStreamed() {
    JsonObject result = new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", RESULT);
    JsonObject body = new JsonObject(http.post("/v1/chat/completions", openAiRequest(false, OPENAI_CALL, result).encode(), "x-sim", "tool-call").body());
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertEquals("Tool result: " + RESULT, choice.getJsonObject("message").getString("content"));
    assertEquals("stop", choice.getString("finish_reason"));

    SimHttp.Stream stream = http.stream("/v1/chat/completions", openAiRequest(true, OPENAI_CALL, result).encode(), "x-sim", "tool-call");
    String streamed =
        stream.data().stream()
            .filter(d -> !d.equals("[DONE]"))
            .map(JsonObject::new)
            .filter(c -> !c.getJsonArray("choices").isEmpty())
            .map(c -> c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content", ""))
            .collect(Collectors.joining());
    assertEquals("Tool result: " + RESULT, streamed);
  }

  @Test
  void withoutTheDirectiveOrWithoutToolsTheAnswerIsText() {
    JsonObject plain = new JsonObject(http.post("/v1/chat/completions", openAiRequest(false).encode()).body());
    assertEquals("stop", plain.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertFalse(plain.getJsonArray("choices").getJsonObject(0).getJsonObject("message").containsKey("tool_calls"));

    JsonObject noTools = openAiRequest(false);
    noTools.remove("tools");
    JsonObject answer = new JsonObject(http.post("/v1/chat/completions", noTools.encode(), "x-sim", "tool-call").body());
    assertEquals(16, answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content").split(" ").length);
  }

  @Test
  void aRuleSwitchesItOnAndTheOpenAiSdkReadsTheCall() {
    assertEquals(201, http.post("/sim/rules", "{\"model\":\"sim-gpt\",\"directives\":\"tool-call\"}").statusCode());
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1").apiKey("sk-dummy").maxRetries(0).build();
    try {
      FunctionParameters parameters =
          FunctionParameters.builder()
              .putAdditionalProperty("type", JsonValue.from("object"))
              .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
              .build();
      ChatCompletion completion =
          client.chat().completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("sim-gpt")
                      .addUserMessage("Weather in Paris?")
                      .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather").parameters(parameters).build()).build())
                      .build());
      ChatCompletionMessageFunctionToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
      assertEquals("get_weather", call.function().name());
      assertEquals(ARGUMENTS, call.function().arguments());
      assertEquals("tool_calls", completion.choices().get(0).finishReason().asString());
    } finally {
      client.close();
    }
  }

  @Test
  void argumentsSetTheFirstStringPropertyOrNothing() {
    assertEquals(new JsonObject().put("q", "Paris"), ToolCalls.arguments(new JsonObject().put("properties", new JsonObject().put("n", new JsonObject().put("type", "number")).put("q", new JsonObject().put("type", "STRING")))));
    assertEquals(new JsonObject(), ToolCalls.arguments(new JsonObject().put("type", "object")));
    assertEquals(new JsonObject(), ToolCalls.arguments(null));
  }

  // ---- Anthropic ----

  private static JsonObject anthropicRequest(boolean stream, JsonObject... extraMessages) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", "Weather in Paris?"));
    for (JsonObject message : extraMessages) {
      messages.add(message);
    }
    JsonArray tools =
        new JsonArray()
            .add(new JsonObject().put("name", "get_weather").put("input_schema", WEATHER_SCHEMA))
            .add(new JsonObject().put("name", "second_tool").put("input_schema", new JsonObject().put("type", "object")));
    return new JsonObject().put("model", "sim-claude").put("max_tokens", 100).put("messages", messages).put("tools", tools).put("stream", stream);
  }

  @Test
  void anthropicPlainAnswersWithAToolUseBlock() {
    JsonObject body = new JsonObject(http.post("/v1/messages", anthropicRequest(false).encode(), "x-sim", "tool-call").body());

    assertEquals("tool_use", body.getString("stop_reason"));
    JsonArray content = body.getJsonArray("content");
    assertEquals(1, content.size());
    JsonObject block = content.getJsonObject(0);
    assertEquals("tool_use", block.getString("type"));
    assertTrue(block.getString("id").startsWith("toolu_"), block.encode());
    assertEquals("get_weather", block.getString("name"));
    assertEquals(new JsonObject(ARGUMENTS), block.getJsonObject("input"));
    assertEquals(3, body.getJsonObject("usage").getInteger("output_tokens"));
  }

  @Test
  void anthropicStreamSendsContentBlockStartAndInputJsonDeltas() {
    SimHttp.Stream stream = http.stream("/v1/messages", anthropicRequest(true).encode(), "x-sim", "tool-call");

    assertTrue(stream.endedCleanly());
    List<String> names = stream.events().stream().map(SimHttp.Event::name).toList();
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names);
    JsonObject blockStart = new JsonObject(stream.events().get(1).data()).getJsonObject("content_block");
    assertEquals("tool_use", blockStart.getString("type"));
    assertEquals("get_weather", blockStart.getString("name"));
    assertTrue(blockStart.getString("id").startsWith("toolu_"));
    assertEquals(new JsonObject(), blockStart.getJsonObject("input"));
    String json =
        stream.events().stream()
            .filter(e -> "content_block_delta".equals(e.name()))
            .map(e -> new JsonObject(e.data()).getJsonObject("delta"))
            .peek(d -> assertEquals("input_json_delta", d.getString("type")))
            .map(d -> d.getString("partial_json"))
            .collect(Collectors.joining());
    assertEquals(ARGUMENTS, json);
    assertEquals("tool_use", new JsonObject(stream.events().get(6).data()).getJsonObject("delta").getString("stop_reason"));
  }

  @Test
  void anthropicToolResultIsQuoted() {
    JsonObject call =
        new JsonObject()
            .put("role", "assistant")
            .put("content", new JsonArray().add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "get_weather").put("input", new JsonObject(ARGUMENTS))));
    JsonObject result =
        new JsonObject()
            .put("role", "user")
            .put("content", new JsonArray().add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", RESULT)));
    JsonObject body = new JsonObject(http.post("/v1/messages", anthropicRequest(false, call, result).encode(), "x-sim", "tool-call").body());

    assertEquals("end_turn", body.getString("stop_reason"));
    assertEquals("Tool result: " + RESULT, body.getJsonArray("content").getJsonObject(0).getString("text"));

    SimHttp.Stream stream = http.stream("/v1/messages", anthropicRequest(true, call, result).encode(), "x-sim", "tool-call");
    String streamed =
        stream.events().stream()
            .filter(e -> "content_block_delta".equals(e.name()))
            .map(e -> new JsonObject(e.data()).getJsonObject("delta").getString("text"))
            .collect(Collectors.joining());
    assertEquals("Tool result: " + RESULT, streamed);
  }

  // ---- Gemini ----

  private static JsonObject geminiRequest(JsonObject... extraContents) {
    JsonArray contents = new JsonArray().add(new JsonObject().put("role", "user").put("parts", new JsonArray().add(new JsonObject().put("text", "Weather in Paris?"))));
    for (JsonObject content : extraContents) {
      contents.add(content);
    }
    JsonArray declarations =
        new JsonArray()
            .add(new JsonObject().put("name", "get_weather").put("parametersJsonSchema", WEATHER_SCHEMA))
            .add(new JsonObject().put("name", "second_tool"));
    return new JsonObject().put("contents", contents).put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
  }

  private static JsonObject firstPart(JsonObject response) {
    return response.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts").getJsonObject(0);
  }

  @Test
  void geminiPlainAndStreamedAnswerWithAFunctionCallPart() {
    JsonObject body = new JsonObject(http.post("/v1beta/models/sim-gemini:generateContent", geminiRequest().encode(), "x-sim", "tool-call").body());
    JsonObject call = firstPart(body).getJsonObject("functionCall");
    assertEquals("get_weather", call.getString("name"));
    assertEquals(new JsonObject(ARGUMENTS), call.getJsonObject("args"));
    assertEquals("STOP", body.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
    assertEquals(3, body.getJsonObject("usageMetadata").getInteger("candidatesTokenCount"));

    SimHttp.Stream stream = http.stream("/v1beta/models/sim-gemini:streamGenerateContent?alt=sse", geminiRequest().encode(), "x-sim", "tool-call");
    assertTrue(stream.endedCleanly());
    assertEquals(1, stream.data().size());
    JsonObject chunk = new JsonObject(stream.data().get(0));
    assertEquals(call, firstPart(chunk).getJsonObject("functionCall"));
    assertEquals("STOP", chunk.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));

    JsonArray array = new JsonArray(http.post("/v1beta/models/sim-gemini:streamGenerateContent", geminiRequest().encode(), "x-sim", "tool-call").body());
    assertEquals(call, firstPart(array.getJsonObject(0)).getJsonObject("functionCall"));
  }

  @Test
  void geminiFunctionResponseIsQuoted() {
    JsonObject call =
        new JsonObject()
            .put("role", "model")
            .put("parts", new JsonArray().add(new JsonObject().put("functionCall", new JsonObject().put("name", "get_weather").put("args", new JsonObject(ARGUMENTS)))));
    JsonObject result =
        new JsonObject()
            .put("role", "user")
            .put("parts", new JsonArray().add(new JsonObject().put("functionResponse", new JsonObject().put("name", "get_weather").put("response", new JsonObject().put("content", RESULT)))));
    JsonObject body = new JsonObject(http.post("/v1beta/models/sim-gemini:generateContent", geminiRequest(call, result).encode(), "x-sim", "tool-call").body());
    assertEquals("Tool result: " + RESULT, firstPart(body).getString("text"));

    SimHttp.Stream stream = http.stream("/v1beta/models/sim-gemini:streamGenerateContent?alt=sse", geminiRequest(call, result).encode(), "x-sim", "tool-call");
    String streamed = stream.data().stream().map(d -> firstPart(new JsonObject(d)).getString("text")).collect(Collectors.joining());
    assertEquals("Tool result: " + RESULT, streamed);
  }
}
