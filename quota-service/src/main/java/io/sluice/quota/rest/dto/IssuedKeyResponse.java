package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.service.IssuedApiKey;

/** The one response that carries a key's plaintext ({@code key}); nothing returns it again. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IssuedKeyResponse(UUID id, String key, String prefix, String last4, String name, UUID tenantId,
        List<String> models, Instant createdAt, Instant expiresAt) {

    public static IssuedKeyResponse from(IssuedApiKey issued) {
        var key = issued.key();
        return new IssuedKeyResponse(key.id, issued.plaintext(), key.prefix, key.last4, key.name, key.tenantId,
                ApiKeyResponse.models(key), key.createdAt, key.expiresAt);
    }

    @Override
    public String toString() {
        return "IssuedKeyResponse[id=" + id + "]";
    }
}
