package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the standalone launcher reads its port, host and start-up rules. */
class MainSettingsTest {

  @Test
  void defaultsTo8090OnAllInterfacesWithNoRules() {
    Main.Settings settings = Main.Settings.from(new String[0], Map.of());

    assertEquals(8090, settings.port());
    assertEquals("0.0.0.0", settings.host());
    assertEquals(new JsonArray(), settings.rules());
  }

  @Test
  void portFlagWinsOverEnvironment() {
    assertEquals(9100, Main.Settings.from(new String[] {"--port", "9100"}, Map.of("SIM_PORT", "9200")).port());
    assertEquals(9200, Main.Settings.from(new String[0], Map.of("SIM_PORT", "9200")).port());
    assertEquals("127.0.0.1", Main.Settings.from(new String[0], Map.of("SIM_HOST", "127.0.0.1")).host());
    assertThrows(IllegalArgumentException.class, () -> Main.Settings.from(new String[] {"--port", "http"}, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> Main.Settings.from(new String[] {"--verbose"}, Map.of()));
  }

  @Test
  void simRulesFromEnvironmentApplyFromTheFirstRequest() {
    String rules = "[{\"model\":\"sim-gpt\",\"directives\":\"status=503\",\"times\":1}]";
    Main.Settings settings = Main.Settings.from(new String[] {"--port", "0"}, Map.of("SIM_RULES", rules, "SIM_HOST", "127.0.0.1"));

    try (SimProvider sim = SimProvider.start(SimProvider.ownVertx(), true, settings.host(), settings.port(), settings.rules())) {
      SimHttp http = new SimHttp(sim);
      String request = new JsonObject().put("model", "sim-gpt").put("messages", new JsonArray().add(new JsonObject().put("content", "hi"))).encode();

      assertEquals(503, http.post("/v1/chat/completions", request).statusCode());
      assertEquals(200, http.post("/v1/chat/completions", request).statusCode());
    }
  }

  @Test
  void invalidSimRulesAreRejectedAtStart() {
    assertThrows(IllegalArgumentException.class, () -> Main.Settings.from(new String[0], Map.of("SIM_RULES", "[{")));

    JsonArray badDirective = new JsonArray().add(new JsonObject().put("directives", "explode"));
    assertThrows(IllegalArgumentException.class, () -> SimProvider.start(SimProvider.ownVertx(), true, "127.0.0.1", 0, badDirective));
  }
}
