-- Answers from the gateway's response cache: they cost nothing, and the ledger keeps what they would have cost.
-- Constant defaults: PostgreSQL adds these columns without rewriting the tables.

-- For a cache hit (cost_usd 0): its tokens at the model's price when the row was inserted; 0 for every other row.
ALTER TABLE usage_records
    ADD COLUMN saved_cost_usd numeric(18,6) NOT NULL DEFAULT 0;

-- Rows with cache_hit, and the sum of their saved_cost_usd. Cache hits are also counted in requests.
ALTER TABLE usage_daily
    ADD COLUMN cache_hits     bigint        NOT NULL DEFAULT 0,
    ADD COLUMN saved_cost_usd numeric(18,6) NOT NULL DEFAULT 0;
