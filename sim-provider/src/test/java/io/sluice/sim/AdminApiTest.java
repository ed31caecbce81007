package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-run rules and statistics through the /sim admin API. */
class AdminApiTest {
  private static SimProvider sim;
  private static SimHttp http;
  private static OpenAIClient openAi;

  @BeforeAll
  static void start() {
    sim = SimProvider.start(0);
    http = new SimHttp(sim);
    openAi = OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1").apiKey("sk-dummy").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openAi.close();
    sim.close();
  }

  @BeforeEach
  void reset() {
    http.resetStatsAndRules();
  }

  private static ChatCompletion chat(String model) {
    return openAi.chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").maxCompletionTokens(4).build());
  }

  private static JsonObject addRule(String json) {
    HttpResponse<String> response = http.post("/sim/rules", json);
    assertEquals(201, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  @Test
  void ruleMatchingAModelFailsItsNextTwoRequestsOnly() {
    JsonObject rule = addRule("{\"model\":\"sim-gpt\",\"directives\":\"status=503\",\"times\":2}");
    assertTrue(rule.getLong("id") > 0);

    InternalServerException first = assertThrows(InternalServerException.class, () -> chat("sim-gpt"));
    assertEquals(503, first.statusCode());
    assertEquals(4, chat("sim-gpt-mini").usage().orElseThrow().completionTokens(), "other models are unaffected");
    assertThrows(InternalServerException.class, () -> chat("sim-gpt"));
    assertEquals(4, chat("sim-gpt").usage().orElseThrow().completionTokens(), "third request succeeds");
    assertEquals(new JsonArray(), new JsonArray(http.get("/sim/rules").body()), "expired rule is gone");
  }

  @Test
  void headerDirectivesOverrideRuleDirectivesNameByName() {
    addRule("{\"path\":\"/v1/messages\",\"directives\":\"status=500;retry-after=7\"}");
    String request = "{\"model\":\"sim-claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> fromRule = http.post("/v1/messages", request);
    HttpResponse<String> overridden = http.post("/v1/messages", request, "x-sim", "status=429");
    HttpResponse<String> otherPath = http.post("/v1/chat/completions", request);

    assertEquals(500, fromRule.statusCode());
    assertEquals("api_error", new JsonObject(fromRule.body()).getJsonObject("error").getString("type"));
    assertEquals(429, overridden.statusCode());
    assertEquals("7", overridden.headers().firstValue("retry-after").orElse(null), "unset names keep the rule's value");
    assertEquals(200, otherPath.statusCode());
  }

  @Test
  void firstMatchingRuleWinsAndRulesCanBeListedAndDeleted() {
    long tokensRule = addRule("{\"model\":\"sim-gpt\",\"directives\":\"tokens=2\"}").getLong("id");
    addRule("{\"directives\":\"tokens=3\"}");

    assertEquals(2, chat("sim-gpt").usage().orElseThrow().completionTokens());
    assertEquals(3, chat("sim-gpt-mini").usage().orElseThrow().completionTokens());

    JsonArray listed = new JsonArray(http.get("/sim/rules").body());
    assertEquals(2, listed.size());
    assertEquals("tokens=2", listed.getJsonObject(0).getString("directives"));
    assertEquals("sim-gpt", listed.getJsonObject(0).getString("model"));

    assertEquals(204, http.delete("/sim/rules/" + tokensRule).statusCode());
    assertEquals(404, http.delete("/sim/rules/" + tokensRule).statusCode());
    assertEquals(3, chat("sim-gpt").usage().orElseThrow().completionTokens());

    assertEquals(204, http.delete("/sim/rules").statusCode());
    assertEquals(4, chat("sim-gpt").usage().orElseThrow().completionTokens());
  }

  @Test
  void invalidRulesAreRejected() {
    HttpResponse<String> badDirective = http.post("/sim/rules", "{\"directives\":\"explode\"}");
    HttpResponse<String> noDirectives = http.post("/sim/rules", "{\"model\":\"sim-gpt\"}");
    HttpResponse<String> badTimes = http.post("/sim/rules", "{\"directives\":\"status=500\",\"times\":0}");
    HttpResponse<String> notJson = http.post("/sim/rules", "[1,2");

    assertEquals(400, badDirective.statusCode());
    assertTrue(new JsonObject(badDirective.body()).getString("error").contains("explode"));
    assertEquals(400, noDirectives.statusCode());
    assertEquals(400, badTimes.statusCode());
    assertEquals(400, notJson.statusCode());
    assertEquals(new JsonArray(), new JsonArray(http.get("/sim/rules").body()));
  }

  @Test
  void statsCountRequestsByModelAndPathAndReset() {
    chat("sim-gpt");
    chat("sim-gpt");
    http.post("/v1/messages", "{\"model\":\"sim-claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    http.post("/v1beta/models/sim-gemini:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
    http.get("/v1/models");

    JsonObject stats = http.stats();
    assertEquals(5, stats.getLong("requests"));
    assertEquals(new JsonObject().put("sim-claude", 1).put("sim-gemini", 1).put("sim-gpt", 2), stats.getJsonObject("byModel"));
    assertEquals(2, stats.getJsonObject("byPath").getInteger("/v1/chat/completions"));
    assertEquals(1, stats.getJsonObject("byPath").getInteger("/v1/messages"));
    assertEquals(1, stats.getJsonObject("byPath").getInteger("/v1beta/models/sim-gemini:generateContent"));
    assertEquals(1, stats.getJsonObject("byPath").getInteger("/v1/models"));
    assertEquals(0, stats.getLong("cancelled"));

    assertEquals(204, http.post("/sim/stats/reset", "").statusCode());
    assertEquals(new JsonObject().put("requests", 0).put("byModel", new JsonObject()).put("byPath", new JsonObject()).put("cancelled", 0), http.stats());
  }
}
