package io.sluice.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class SseUsageScannerTest {

    private static final String STREAM = """
            data: {"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

            data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hello"}}]}

            data: {"id":"c1","choices":[{"index":0,"delta":{"content":" world"}}]}

            data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"id":"c1","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

            data: [DONE]

            """;

    @Test
    void completeStreamIsBilledFromItsUsageChunkEvenWhenLinesAreSplitAcrossChunks() {
        SseUsageScanner scanner = new SseUsageScanner();
        // Feed the stream in 7-byte pieces, as a network might deliver it.
        for (int i = 0; i < STREAM.length(); i += 7) {
            scanner.accept(Buffer.buffer(STREAM.substring(i, Math.min(STREAM.length(), i + 7))));
        }
        assertTrue(scanner.completed());
        assertEquals(9, scanner.promptTokens());
        assertEquals(2, scanner.completionTokens());
    }

    @Test
    void cutStreamCountsTheDeliveredContentDeltas() {
        SseUsageScanner scanner = new SseUsageScanner();
        String cut = STREAM.substring(0, STREAM.indexOf("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},"));
        scanner.accept(Buffer.buffer(cut));
        scanner.accept(Buffer.buffer("data: {\"error\":{\"message\":\"gone\",\"type\":\"server_error\"}}\n\n"));
        assertFalse(scanner.completed());
        assertEquals(2, scanner.completionTokens());
    }
}
