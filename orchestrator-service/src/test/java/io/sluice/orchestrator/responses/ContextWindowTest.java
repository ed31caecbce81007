package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ResponsesFixtures.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.conversation.MemoryItem;
import io.sluice.orchestrator.responses.ResponsesRequest.Truncation;
import io.vertx.core.json.JsonObject;

class ContextWindowTest {
    private static MemoryItem item(String id, String type, int tokens) {
        return new MemoryItem(id, new JsonObject().put("id", id).put("type", type), tokens);
    }

    private final List<MemoryItem> history = List.of(item("msg_1", "message", 100), item("fc_1", "function_call", 50),
            item("fco_1", "function_call_output", 50), item("msg_2", "message", 100));

    @Test
    void historyThatFitsIsSentWhole() {
        assertEquals(history, ContextWindow.fit(history, 100, 100, 500, Truncation.DISABLED));
        assertEquals(history, ContextWindow.fit(history, 100, 100, 500, Truncation.AUTO));
    }

    @Test
    void autoDropsTheOldestAndNeverLeavesAnOrphanToolOutputFirst() {
        assertEquals(history.subList(1, 4), ContextWindow.fit(history, 100, 100, 400, Truncation.AUTO));
        // dropping the call (50 more) would fit, but its output must go with it
        assertEquals(history.subList(3, 4), ContextWindow.fit(history, 100, 100, 350, Truncation.AUTO));
        assertEquals(List.of(), ContextWindow.fit(history, 100, 100, 250, Truncation.AUTO));
    }

    @Test
    void disabledOrAnInputTooLargeAloneIsContextLengthExceeded() {
        var e = rejected("input", () -> ContextWindow.fit(history, 100, 100, 400, Truncation.DISABLED));
        assertEquals("context_length_exceeded", e.error().error().code());
        rejected("input", () -> ContextWindow.fit(history, 300, 100, 350, Truncation.AUTO));
    }

    @Test
    void anUnknownWindowKeepsEverything() {
        assertEquals(history, ContextWindow.fit(history, 1_000_000, 100, 0, Truncation.DISABLED));
    }
}
