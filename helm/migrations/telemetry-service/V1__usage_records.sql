-- The usage ledger: exactly one row per request, whatever the number of times its event is delivered.
CREATE TABLE usage_records (
    id                bigserial   PRIMARY KEY,
    request_id        text        NOT NULL UNIQUE,
    tenant_id         text,
    key_id            text,
    model             text,
    provider          text,
    deployment        text,
    prompt_tokens     int,
    completion_tokens int,
    latency_ms        bigint,
    status            int,
    outcome           text,
    stream            boolean,
    created_at        timestamptz,
    recorded_at       timestamptz DEFAULT now()
);

-- Usage reports are always per tenant over a time range.
CREATE INDEX usage_records_tenant_created_idx ON usage_records (tenant_id, created_at);
