package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.Tenant;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantResponse(UUID id, String name, String plan, Instant createdAt) {

    public static TenantResponse from(Tenant tenant) {
        return new TenantResponse(tenant.id, tenant.name, tenant.plan, tenant.createdAt);
    }
}
