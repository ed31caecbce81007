package io.sluice.quota.rest.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code POST /admin/tenants}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateTenantRequest(String name, String plan,
        @Schema(description = "Response-cache settings, each optional: mode (off, exact, semantic; default off),"
                + " ttl_seconds (1 to 604800, capped by the plan; default 3600), namespaces (tenant, key, none;"
                + " default tenant)", implementation = CacheSettingsResponse.class)
        JsonNode cache,
        @Schema(description = "Conversation-memory overrides, each optional: max_items (1 to 10000), retention_days"
                + " (1 to 3650); unset: the plan's", implementation = MemorySettingsResponse.class)
        JsonNode memory) {
}
