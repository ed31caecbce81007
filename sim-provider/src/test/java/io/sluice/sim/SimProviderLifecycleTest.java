package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Starting, addressing and closing embedded sims. */
class SimProviderLifecycleTest {

  @Test
  void portZeroPicksDistinctFreeLoopbackPorts() {
    try (SimProvider a = SimProvider.start(0); SimProvider b = SimProvider.start(0)) {
      assertTrue(a.port() > 0);
      assertNotEquals(a.port(), b.port());
      assertEquals("http://127.0.0.1:" + a.port(), a.baseUrl());
      assertEquals(200, new SimHttp(a).get("/v1/models").statusCode());
    }
  }

  @Test
  void closeStopsListeningButLeavesAGivenVertxRunning() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SimProvider sim = SimProvider.start(vertx, 0);
      SimHttp http = new SimHttp(sim);
      assertEquals(200, http.get("/v1/models").statusCode());

      sim.close();
      sim.close(); // idempotent

      assertThrows(UncheckedIOException.class, () -> http.get("/v1/models"));
      long timer = vertx.setTimer(10, id -> {});
      assertTrue(timer >= 0, "the caller's Vertx still schedules work");
      try (SimProvider again = SimProvider.start(vertx, 0)) {
        assertEquals(200, new SimHttp(again).get("/v1/models").statusCode());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void startFailsClearlyWhenThePortIsTaken() {
    try (SimProvider sim = SimProvider.start(0)) {
      IllegalStateException error = assertThrows(IllegalStateException.class, () -> SimProvider.start(sim.port()));
      assertTrue(error.getMessage().contains("failed"), error.getMessage());
    }
  }
}
