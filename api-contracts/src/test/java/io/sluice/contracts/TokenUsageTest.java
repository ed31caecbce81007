package io.sluice.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class TokenUsageTest {

    @Test
    void anAnswersUsageTravelsThroughTheRelayHeaderUnchanged() {
        TokenUsage usage = TokenUsage.ofAnswer(new JsonObject("""
                {"usage":{"prompt_tokens":12,"completion_tokens":30,"prompt_tokens_details":{"cached_tokens":8}}}"""));
        assertEquals(new TokenUsage(12, 30, 8), usage);
        assertEquals("12,30,8", usage.headerValue());
        assertEquals(usage, TokenUsage.fromHeaderValue(usage.headerValue()));
    }

    @Test
    void whatAnAnswerDoesNotReportCountsZero() {
        assertEquals(TokenUsage.NONE, TokenUsage.ofAnswer(new JsonObject("{\"id\":\"x\"}")));
        assertEquals(TokenUsage.NONE, TokenUsage.ofAnswer(new JsonObject("{\"usage\":\"n/a\"}")));
        assertEquals(new TokenUsage(5, 0, 0), TokenUsage.ofAnswer(new JsonObject(
                "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":\"many\",\"prompt_tokens_details\":null}}")));
    }

    @Test
    void aMissingOrMalformedHeaderIsNoUsage() {
        // The gateway then reads the usage from the body, as it did before orchestrators sent the header.
        assertNull(TokenUsage.fromHeaderValue(null));
        assertNull(TokenUsage.fromHeaderValue("12,30"));
        assertNull(TokenUsage.fromHeaderValue("12,x,0"));
        assertNull(TokenUsage.fromHeaderValue("1,2,3,4"));
    }
}
