package io.sluice.quota.rest.dto;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code PATCH /admin/keys/{id}}: what is absent stays as it is. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateKeyRequest(
        @Schema(description = "Limits of the key to change: requests_per_minute, requests_per_hour,"
                + " requests_per_day, tokens_per_day; a positive whole number sets one, null removes it, an absent"
                + " limit stays as it is")
        Map<String, Long> limits,
        @Schema(description = "The key's own response-cache settings: mode (off, exact, semantic), ttl_seconds (1 to"
                + " 604800, capped by the plan), namespaces (tenant, key, none); a field set to null is unset (the"
                + " tenant's applies), an absent one stays; null unsets them all",
                implementation = CacheSettingsResponse.class)
        JsonNode cache) {
}
