package io.sluice.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class UsageEventTest {

    @Test
    void streamFieldsRoundTrip() {
        UsageEvent event = new UsageEvent("req-1", "t-1", "k-1", "sim-gpt", "openai", "sim-gpt-0",
                12, 34, 56, 200, UsageEvent.Outcome.INCOMPLETE, true, 1_700_000_000_000L);

        Map<String, String> fields = event.toFields();

        assertEquals("incomplete", fields.get("outcome"));
        assertEquals("34", fields.get("completion_tokens"));
        assertEquals(event, UsageEvent.fromFields(fields));
    }

    @Test
    void absentOptionalFieldsComeBackAsNull() {
        UsageEvent event = new UsageEvent("req-2", null, null, null, null, null,
                0, 0, 3, 401, UsageEvent.Outcome.REJECTED, false, 1L);

        UsageEvent back = UsageEvent.fromFields(event.toFields());

        assertEquals(null, back.tenantId());
        assertEquals(UsageEvent.Outcome.REJECTED, back.outcome());
    }

    @Test
    void entryWithoutRequestIdIsRefused() {
        Map<String, String> fields = new HashMap<>(new UsageEvent("r", null, null, null, null, null,
                0, 0, 0, 200, UsageEvent.Outcome.SUCCESS, false, 1L).toFields());
        fields.remove("request_id");

        assertThrows(IllegalArgumentException.class, () -> UsageEvent.fromFields(fields));
    }
}
