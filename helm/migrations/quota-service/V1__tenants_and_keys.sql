-- Tenants and their API keys. Only the SHA-256 of a key is stored; the plaintext is shown once at issue time.

CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    plan       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id             uuid        PRIMARY KEY,
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    name           text,
    key_hash       char(64)    NOT NULL UNIQUE,
    prefix         text        NOT NULL,
    last4          text        NOT NULL,
    -- NULL means every model is allowed
    allowed_models text[],
    status         text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    revoked_at     timestamptz
);

CREATE INDEX api_keys_tenant_id_idx ON api_keys (tenant_id);
