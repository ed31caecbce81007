package io.sluice.quota.rest.dto;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code PATCH /admin/keys/{id}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateKeyRequest(
        @Schema(description = "Limits of the key to change: requests_per_minute, requests_per_hour,"
                + " requests_per_day, tokens_per_day; a positive whole number sets one, null removes it, an absent"
                + " limit stays as it is")
        Map<String, Long> limits) {
}
