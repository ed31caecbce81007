package io.sluice.telemetry.service;

import java.util.Map;

/**
 * A usage event as it arrives, not yet parsed: the fields of {@code UsageEvent.toFields()}.
 *
 * @param streamId its entry id in the usage stream, or null when it did not come through the stream
 */
public record UsageEntry(String streamId, Map<String, String> fields) {

    public UsageEntry {
        fields = fields == null ? Map.of() : fields;
    }
}
