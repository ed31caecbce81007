package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.ApiKey;

/**
 * A key as listed: identifiable by prefix and last four characters, never by the key or its hash.
 *
 * @param limits the key's own limits (null ones are not set)
 * @param cache the key's own response-cache settings (null ones are its tenant's)
 * @param replacedBy the key that replaced this one on rotation; null if it was never rotated
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApiKeyResponse(UUID id, String prefix, String last4, String name, UUID tenantId, List<String> models,
        LimitsResponse limits, CacheSettingsResponse cache, String status, Instant createdAt, Instant expiresAt,
        Instant revokedAt, UUID replacedBy) {

    public static ApiKeyResponse from(ApiKey key) {
        return new ApiKeyResponse(key.id, key.prefix, key.last4, key.name, key.tenantId, models(key),
                LimitsResponse.from(key.limits()), CacheSettingsResponse.from(key.cache()), key.status.column(),
                key.createdAt, key.expiresAt, key.revokedAt, key.replacedBy);
    }

    public static List<String> models(ApiKey key) {
        return key.allowedModels == null ? null : List.of(key.allowedModels);
    }
}
