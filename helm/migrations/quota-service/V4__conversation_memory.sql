-- Conversation memory (issue 20): the items a conversation or response chain keeps (the oldest pruned on every
-- append) and the days stored state lives after its last write. Plans hold the values, every plan 100 items and 30
-- days until PUT /admin/plans/{name} changes them; a tenant may override either, a NULL taking its plan's. The bounds
-- are KeyGrant.MemoryPolicy's, which the orchestrator receives.

ALTER TABLE plans
    ADD COLUMN memory_max_items      integer NOT NULL DEFAULT 100
        CHECK (memory_max_items BETWEEN 1 AND 10000),
    ADD COLUMN memory_retention_days integer NOT NULL DEFAULT 30
        CHECK (memory_retention_days BETWEEN 1 AND 3650);

ALTER TABLE tenants
    ADD COLUMN memory_max_items      integer CHECK (memory_max_items BETWEEN 1 AND 10000),
    ADD COLUMN memory_retention_days integer CHECK (memory_retention_days BETWEEN 1 AND 3650);
