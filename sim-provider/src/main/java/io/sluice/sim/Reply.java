package io.sluice.sim;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a provider endpoint answers when no fault intervenes. */
sealed interface Reply {

  /** A complete JSON response body. */
  record Json(JsonObject body) implements Reply {}

  /**
   * A streamed response, already cut into wire frames (SSE events or JSON-array elements).
   *
   * @param leading frames before the first content frame (role chunk, message_start, ...)
   * @param content one frame per completion word; {@code disconnect-after=N} counts these
   * @param trailing frames after the content (finish, usage, [DONE], ...)
   * @param malformedFrame an unparseable frame used by the {@code malformed} directive
   */
  record Stream(
      String contentType,
      List<String> leading,
      List<String> content,
      List<String> trailing,
      String malformedFrame)
      implements Reply {}
}
