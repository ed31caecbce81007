package io.sluice.orchestrator.conversation;

/** A stored object's key: ids are unique within a tenant only. */
record TenantScopedId(String tenant, String id) {
}
