package io.sluice.gateway.memory;

import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.RelayHeaders;
import io.vertx.core.http.RequestOptions;

/**
 * Whose memory a forwarded request reads and writes, as the orchestrator is told it: the key's tenant (every stored
 * id is scoped to it) and the tenant's memory policy.
 *
 * @param policy {@link KeyGrant.MemoryPolicy#wire()}
 */
public record MemoryScope(String tenant, String policy) {

    public static MemoryScope of(KeyGrant grant) {
        return new MemoryScope(grant.tenantId(), grant.memoryPolicy().wire());
    }

    /** Puts {@link RelayHeaders#TENANT} and {@link RelayHeaders#MEMORY_POLICY} on a request to the orchestrator. */
    public RequestOptions putOn(RequestOptions options) {
        return options.putHeader(RelayHeaders.TENANT, tenant).putHeader(RelayHeaders.MEMORY_POLICY, policy);
    }
}
