-- Plans become data: sluice.plans in configuration only seeds missing rows at start-up, so a plan changed through
-- PUT /admin/plans/{name} keeps its values across restarts. Tenants get per-field overrides of their plan and USD
-- budgets; keys get limits of their own. A NULL limit or budget means "not set".

CREATE TABLE plans (
    name                text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_]{1,40}$'),
    requests_per_minute bigint      NOT NULL CHECK (requests_per_minute > 0),
    requests_per_hour   bigint      NOT NULL CHECK (requests_per_hour > 0),
    requests_per_day    bigint      NOT NULL CHECK (requests_per_day > 0),
    tokens_per_day      bigint      NOT NULL CHECK (tokens_per_day > 0),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE tenants
    ADD COLUMN requests_per_minute bigint CHECK (requests_per_minute > 0),
    ADD COLUMN requests_per_hour   bigint CHECK (requests_per_hour > 0),
    ADD COLUMN requests_per_day    bigint CHECK (requests_per_day > 0),
    ADD COLUMN tokens_per_day      bigint CHECK (tokens_per_day > 0),
    ADD COLUMN daily_usd           numeric(14, 6) CHECK (daily_usd > 0),
    ADD COLUMN monthly_usd         numeric(14, 6) CHECK (monthly_usd > 0);

CREATE INDEX tenants_plan_idx ON tenants (plan);

ALTER TABLE api_keys
    ADD COLUMN requests_per_minute bigint CHECK (requests_per_minute > 0),
    ADD COLUMN requests_per_hour   bigint CHECK (requests_per_hour > 0),
    ADD COLUMN requests_per_day    bigint CHECK (requests_per_day > 0),
    ADD COLUMN tokens_per_day      bigint CHECK (tokens_per_day > 0),
    -- Set when the key was rotated: the key that replaces it. The old key works until its expires_at (the grace end).
    ADD COLUMN replaced_by         uuid REFERENCES api_keys (id);
