package io.sluice.sim;

import io.vertx.core.json.JsonObject;

/** How one provider family shapes an error response body. */
@FunctionalInterface
interface ErrorFormat {
  JsonObject body(int status, String message);
}
