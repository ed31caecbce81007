package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of {@code POST /admin/tenants/{id}/keys}; every field is optional.
 *
 * @param models models the key may call; absent or null for all
 * @param expiresAt ISO-8601 instant after which the key stops working; absent for never
 * @param limits the key's own limits on top of its tenant's
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssueKeyRequest(String name, List<String> models, Instant expiresAt,
        @Schema(description = "The key's own limits on top of its tenant's: requests_per_minute, requests_per_hour,"
                + " requests_per_day, tokens_per_day, each a positive whole number; absent or null for none")
        Map<String, Long> limits,
        @Schema(description = "The key's own response-cache settings: mode (off, exact, semantic), ttl_seconds (1 to"
                + " 604800, capped by the plan), namespaces (tenant, key, none); what it does not set is the tenant's",
                implementation = CacheSettingsResponse.class)
        JsonNode cache) {

    public static final IssueKeyRequest EMPTY = new IssueKeyRequest(null, null, null, null, null);
}
