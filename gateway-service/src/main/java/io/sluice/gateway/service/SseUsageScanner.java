package io.sluice.gateway.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Watches an OpenAI SSE stream as it is relayed, without holding it back, to learn what to bill: the final usage
 * chunk if the stream completes, the number of content deltas delivered if it does not, and how it ended.
 * Lines may be split across network chunks, so a partial line is carried over.
 */
public final class SseUsageScanner {
    private final StringBuilder partialLine = new StringBuilder();
    private int promptTokens;
    private int completionTokens = -1;
    private int contentDeltas;
    private boolean done;
    private boolean errored;

    public void accept(Buffer chunk) {
        partialLine.append(chunk.toString());
        int newline;
        while ((newline = partialLine.indexOf("\n")) >= 0) {
            String line = partialLine.substring(0, newline).strip();
            partialLine.delete(0, newline + 1);
            if (line.startsWith("data:")) {
                dataLine(line.substring(5).strip());
            }
        }
    }

    private void dataLine(String data) {
        if (data.equals("[DONE]")) {
            done = true;
        } else if (data.startsWith("{\"error\"")) {
            errored = true;
        } else if (data.contains("\"usage\":{")) {
            JsonObject usage = new JsonObject(data).getJsonObject("usage");
            promptTokens = usage.getInteger("prompt_tokens", 0);
            completionTokens = usage.getInteger("completion_tokens", 0);
        } else if (data.contains("\"content\":\"") && !data.contains("\"content\":\"\"")) {
            contentDeltas++;
        }
    }

    /** True when the stream ended with [DONE] and no error event. */
    public boolean completed() {
        return done && !errored;
    }

    public int promptTokens() {
        return promptTokens;
    }

    /** The upstream's count when it sent one, else one token per delivered content delta. */
    public int completionTokens() {
        return completionTokens >= 0 ? completionTokens : contentDeltas;
    }
}
