package io.sluice.quota.rest.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Optional body of {@code POST /admin/keys/{id}/rotate}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RotateKeyRequest(
        @Schema(description = "How long the old key keeps working, in seconds; 0 stops it at once; absent for"
                + " sluice.keys.rotation-grace (default 24h)")
        Long graceSeconds) {
}
