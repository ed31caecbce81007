package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of {@code POST /admin/tenants/{id}/keys}; every field is optional.
 *
 * @param models models the key may call; absent or null for all
 * @param expiresAt ISO-8601 instant after which the key stops working; absent for never
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssueKeyRequest(String name, List<String> models, Instant expiresAt) {
}
