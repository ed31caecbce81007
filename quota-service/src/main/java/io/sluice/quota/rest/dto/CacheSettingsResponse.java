package io.sluice.quota.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;
import io.sluice.quota.entity.CacheSettings;

/**
 * Response-cache settings as stored: a null field is not set (a tenant's then takes the default, a key's its
 * tenant's).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheSettingsResponse(CacheMode mode, Long ttlSeconds, CacheNamespaces namespaces) {

    public static CacheSettingsResponse from(CacheSettings settings) {
        return new CacheSettingsResponse(settings.mode(), settings.ttlSeconds(), settings.namespaces());
    }
}
