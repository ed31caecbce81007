package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.service.IssuedApiKey;
import io.sluice.quota.service.RotatedApiKey;

/**
 * The one response that carries a key's plaintext ({@code key}); nothing returns it again.
 *
 * @param replaces on rotation, the old key and when it stops working; null for a key issued afresh
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssuedKeyResponse(UUID id, String key, String prefix, String last4, String name, UUID tenantId,
        List<String> models, LimitsResponse limits, CacheSettingsResponse cache, Instant createdAt, Instant expiresAt,
        ReplacedKey replaces) {

    public static IssuedKeyResponse from(IssuedApiKey issued) {
        return from(issued, null);
    }

    public static IssuedKeyResponse from(RotatedApiKey rotated) {
        ApiKey previous = rotated.previous();
        return from(rotated.replacement(), new ReplacedKey(previous.id, previous.expiresAt));
    }

    private static IssuedKeyResponse from(IssuedApiKey issued, ReplacedKey replaces) {
        var key = issued.key();
        return new IssuedKeyResponse(key.id, issued.plaintext(), key.prefix, key.last4, key.name, key.tenantId,
                ApiKeyResponse.models(key), LimitsResponse.from(key.limits()), CacheSettingsResponse.from(key.cache()),
                key.createdAt, key.expiresAt, replaces);
    }

    @Override
    public String toString() {
        return "IssuedKeyResponse[id=" + id + "]";
    }

    /** The rotated key, which keeps working until {@code expiresAt}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReplacedKey(UUID id, Instant expiresAt) {
    }
}
