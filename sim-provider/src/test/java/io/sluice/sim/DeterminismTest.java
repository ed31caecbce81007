package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Same messages, same words: across requests, max-token settings and separately started sims. */
class DeterminismTest {

  private static String content(SimHttp http, String userText, int maxTokens) {
    String body = new JsonObject().put("model", "sim-gpt").put("max_tokens", maxTokens)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", userText)))
        .encode();
    return new JsonObject(http.post("/v1/chat/completions", body).body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }

  @Test
  void sameRequestGivesSameContentEvenOnAnotherSimInstance() {
    try (SimProvider first = SimProvider.start(0); SimProvider second = SimProvider.start(0)) {
      SimHttp http = new SimHttp(first);
      String once = content(http, "What is the weather like", 20);
      String twice = content(http, "What is the weather like", 20);
      String elsewhere = content(new SimHttp(second), "What is the weather like", 20);

      assertEquals(once, twice);
      assertEquals(once, elsewhere);
    }
  }

  @Test
  void differentMessagesGiveDifferentContent() {
    try (SimProvider sim = SimProvider.start(0)) {
      SimHttp http = new SimHttp(sim);
      assertNotEquals(content(http, "What is the weather like", 20), content(http, "What is the weather like?", 20));
      assertNotEquals(content(http, "first question", 20), content(http, "second question", 20));
    }
  }

  @Test
  void shorterCompletionIsPrefixOfLongerOne() {
    try (SimProvider sim = SimProvider.start(0)) {
      SimHttp http = new SimHttp(sim);
      String shorter = content(http, "prefix check", 5);
      String longer = content(http, "prefix check", 50);

      assertEquals(5, shorter.split(" ").length);
      assertEquals(50, longer.split(" ").length);
      assertEquals(shorter, longer.substring(0, shorter.length()));
    }
  }
}
