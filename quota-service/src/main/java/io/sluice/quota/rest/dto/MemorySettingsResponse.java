package io.sluice.quota.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.MemorySettings;

/** A tenant's conversation-memory overrides as stored: a null field is not set (the plan's applies). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MemorySettingsResponse(Integer maxItems, Integer retentionDays) {

    public static MemorySettingsResponse from(MemorySettings settings) {
        return new MemorySettingsResponse(settings.maxItems(), settings.retentionDays());
    }
}
