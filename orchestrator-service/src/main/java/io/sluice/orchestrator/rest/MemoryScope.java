package io.sluice.orchestrator.rest;

import java.util.regex.Pattern;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.vertx.core.MultiMap;

/**
 * Whose memory a request reads or writes, as the gateway says it ({@link RelayHeaders#TENANT}, set from the
 * calling key) and the tenant's limits ({@link RelayHeaders#MEMORY_POLICY}; absent: the defaults). Only the gateway
 * sets these headers: a missing or malformed tenant is refused, never defaulted, so no request reaches a store
 * unscoped.
 */
public record MemoryScope(String tenant, MemoryPolicy policy) {
    /** Tenant ids as quota-service issues them; the id ends up in Redis keys, so its charset is bounded. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public static MemoryScope of(MultiMap headers) {
        return of(headers.get(RelayHeaders.TENANT), headers.get(RelayHeaders.MEMORY_POLICY));
    }

    public static MemoryScope of(String tenant, String policy) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw malformed(RelayHeaders.TENANT, "the calling key's tenant id");
        }
        if (policy == null || policy.isBlank()) {
            return new MemoryScope(tenant, MemoryPolicy.DEFAULT);
        }
        MemoryPolicy parsed = MemoryPolicy.fromWire(policy.strip());
        if (parsed == null) {
            throw malformed(RelayHeaders.MEMORY_POLICY, "maxItems,retentionDays");
        }
        return new MemoryScope(tenant, parsed);
    }

    private static ApiException malformed(String header, String expected) {
        return new ApiException(400, ApiError.invalidRequest("invalid_relay_header", header,
                "The " + header + " header must be " + expected + "."));
    }
}
