-- Usage event v2 fields, the price of each row, and daily rollups that outlive the raw rows.

ALTER TABLE usage_records
    ADD COLUMN tier          text,
    ADD COLUMN cached_tokens int           NOT NULL DEFAULT 0,
    -- Time to first token of a stream; NULL when the request had none.
    ADD COLUMN ttft_ms       bigint,
    ADD COLUMN cache_hit     boolean       NOT NULL DEFAULT false,
    -- Priced when the row is inserted (price table at that moment): micro-USD / 1e6, exact.
    ADD COLUMN cost_usd      numeric(18,6) NOT NULL DEFAULT 0,
    -- True once the row is counted in usage_daily. Reports read usage_daily plus the rows not yet rolled up, so
    -- every row counts exactly once whether it is still here or already pruned.
    ADD COLUMN rolled_up     boolean       NOT NULL DEFAULT false;

-- Rows waiting for the rollup, and the raw part of every report: small, as the rollup keeps it to today's rows.
CREATE INDEX usage_records_not_rolled_up_idx ON usage_records (created_at) WHERE NOT rolled_up;
-- Cross-tenant reports and the per-component summary scan raw rows by time.
CREATE INDEX usage_records_created_idx ON usage_records (created_at);

-- One row per UTC day and (tenant, model, provider, deployment, tier). Absent values are '' so that the key is
-- unique (PostgreSQL 14 treats NULLs as distinct in unique constraints).
CREATE TABLE usage_daily (
    day               date          NOT NULL,
    tenant_id         text          NOT NULL,
    model             text          NOT NULL,
    provider          text          NOT NULL,
    deployment        text          NOT NULL,
    tier              text          NOT NULL,
    requests          bigint        NOT NULL,
    successes         bigint        NOT NULL,
    errors            bigint        NOT NULL,
    prompt_tokens     bigint        NOT NULL,
    completion_tokens bigint        NOT NULL,
    cached_tokens     bigint        NOT NULL,
    cost_usd          numeric(18,6) NOT NULL,
    PRIMARY KEY (day, tenant_id, model, provider, deployment, tier)
);

CREATE INDEX usage_daily_tenant_day_idx ON usage_daily (tenant_id, day);

-- Which days the rollup has covered, and from when on their raw rows may be gone (then late rows are added to the
-- day's rollup instead of recomputing it from raw rows that no longer exist).
CREATE TABLE usage_rollup_days (
    day           date        PRIMARY KEY,
    rolled_up_at  timestamptz NOT NULL,
    raw_pruned_at timestamptz
);
