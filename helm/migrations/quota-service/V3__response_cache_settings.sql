-- Response cache (issue 19). Tenants and keys get cache settings, each field nullable: a NULL tenant field takes the
-- default (mode off, TTL 3600 s, namespaces per tenant), a NULL key field inherits the tenant's, as key limits do.
-- Plans cap the TTL and give each tenant on them a byte budget for stored answers (0: no caching on the plan).

ALTER TABLE plans
    ADD COLUMN cache_max_ttl_seconds bigint NOT NULL DEFAULT 3600
        CHECK (cache_max_ttl_seconds BETWEEN 1 AND 604800),
    ADD COLUMN cache_max_bytes       bigint NOT NULL DEFAULT 1048576
        CHECK (cache_max_bytes >= 0);

-- Plans seeded before this migration get the caps that sluice.plans now gives new databases; a plan the operator
-- made keeps the defaults above until PUT /admin/plans/{name} sets its caps.
UPDATE plans SET cache_max_ttl_seconds = 86400, cache_max_bytes = 4194304 WHERE name = 'BASIC';
UPDATE plans SET cache_max_ttl_seconds = 86400, cache_max_bytes = 16777216 WHERE name = 'PRO';
UPDATE plans SET cache_max_ttl_seconds = 86400, cache_max_bytes = 67108864 WHERE name = 'ENTERPRISE';

ALTER TABLE tenants
    ADD COLUMN cache_mode        text CHECK (cache_mode IN ('off', 'exact', 'semantic')),
    ADD COLUMN cache_ttl_seconds bigint CHECK (cache_ttl_seconds BETWEEN 1 AND 604800),
    ADD COLUMN cache_namespaces  text CHECK (cache_namespaces IN ('tenant', 'key', 'none'));

ALTER TABLE api_keys
    ADD COLUMN cache_mode        text CHECK (cache_mode IN ('off', 'exact', 'semantic')),
    ADD COLUMN cache_ttl_seconds bigint CHECK (cache_ttl_seconds BETWEEN 1 AND 604800),
    ADD COLUMN cache_namespaces  text CHECK (cache_namespaces IN ('tenant', 'key', 'none'));
