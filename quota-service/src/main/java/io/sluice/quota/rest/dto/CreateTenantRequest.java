package io.sluice.quota.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code POST /admin/tenants}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateTenantRequest(String name, String plan) {
}
