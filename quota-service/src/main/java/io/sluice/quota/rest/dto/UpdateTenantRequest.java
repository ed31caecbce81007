package io.sluice.quota.rest.dto;

import java.math.BigDecimal;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code PATCH /admin/tenants/{id}}: what is absent stays as it is. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateTenantRequest(
        @Schema(description = "New plan, e.g. PRO (GET /admin/plans lists them)")
        String plan,
        @Schema(description = "Overrides of the plan's limits: requests_per_minute, requests_per_hour,"
                + " requests_per_day, tokens_per_day; a positive whole number sets one, null removes it")
        Map<String, Long> overrides,
        @Schema(description = "USD budgets: daily_usd (UTC day), monthly_usd (UTC calendar month); a positive amount"
                + " with at most 6 decimals sets one, null removes it")
        Map<String, BigDecimal> budgets,
        @Schema(description = "Response-cache settings: mode (off, exact, semantic), ttl_seconds (1 to 604800,"
                + " capped by the plan), namespaces (tenant, key, none); a field set to null is unset (the default:"
                + " off, 3600, tenant), an absent one stays; null unsets them all",
                implementation = CacheSettingsResponse.class)
        JsonNode cache,
        @Schema(description = "Conversation-memory overrides of the plan's: max_items (1 to 10000), retention_days"
                + " (1 to 3650); a field set to null is unset (the plan's applies), an absent one stays; null unsets"
                + " both", implementation = MemorySettingsResponse.class)
        JsonNode memory) {
}
