package io.sluice.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class UsageEventTest {

    @Test
    void streamFieldsRoundTrip() {
        UsageEvent event = UsageEvent.builder("req-1").tenant("t-1", "k-1", "PRO")
                .route("sim-gpt", "openai", "sim-gpt-0").tokens(12, 34, 8).timing(56, 21)
                .result(200, UsageEvent.Outcome.INCOMPLETE).stream(true).cacheHit(true)
                .createdAt(1_700_000_000_000L).build();

        Map<String, String> fields = event.toFields();

        assertEquals("incomplete", fields.get("outcome"));
        assertEquals("34", fields.get("completion_tokens"));
        assertEquals("8", fields.get("cached_tokens"));
        assertEquals("21", fields.get("ttft_ms"));
        assertEquals(event, UsageEvent.fromFields(fields));
    }

    @Test
    void absentOptionalFieldsComeBackAsNull() {
        UsageEvent event = UsageEvent.builder("req-2").timing(3, -1).result(401, UsageEvent.Outcome.REJECTED)
                .createdAt(1L).build();

        UsageEvent back = UsageEvent.fromFields(event.toFields());

        assertNull(back.tenantId());
        assertNull(back.tier());
        assertEquals(-1, back.timeToFirstTokenMs());
        assertEquals(UsageEvent.Outcome.REJECTED, back.outcome());
    }

    @Test
    void entryOfAnOlderProducerReadsWithNeutralValues() {
        // Written before tier, cached tokens, time to first token and cache hit existed: still one ledger row.
        Map<String, String> fields = Map.of("request_id", "req-old", "tenant_id", "t-1", "prompt_tokens", "5",
                "completion_tokens", "7", "status", "200", "outcome", "success", "stream", "false",
                "created_at", "1");

        UsageEvent back = UsageEvent.fromFields(fields);

        assertEquals(0, back.cachedTokens());
        assertEquals(-1, back.timeToFirstTokenMs());
        assertEquals(false, back.cacheHit());
        assertEquals(7, back.completionTokens());
    }

    @Test
    void entryWithoutRequestIdIsRefused() {
        Map<String, String> fields = new HashMap<>(UsageEvent.builder("r").result(200, UsageEvent.Outcome.SUCCESS)
                .build().toFields());
        fields.remove("request_id");

        assertThrows(IllegalArgumentException.class, () -> UsageEvent.fromFields(fields));
    }
}
