-- Conversation memory (Responses and Conversations APIs). Every row is keyed by tenant first: a lookup by another
-- tenant's id finds nothing. Rows live until expires_at (retention after the last write); RetentionJob deletes them.

CREATE TABLE responses (
    tenant          text        NOT NULL,
    id              text        NOT NULL,
    response        jsonb       NOT NULL,
    input_items     jsonb       NOT NULL,
    -- what a response chained on this one sends before its own input, already pruned to the tenant's max items
    context         jsonb       NOT NULL,
    context_tokens  integer     NOT NULL,
    conversation_id text,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX responses_expires_at ON responses (expires_at);

CREATE TABLE conversations (
    tenant     text        NOT NULL,
    id         text        NOT NULL,
    metadata   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- the last seq handed out: an append locks this row to take the next ones, so concurrent appends never collide
    next_seq   bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX conversations_expires_at ON conversations (expires_at);

CREATE TABLE conversation_items (
    tenant          text        NOT NULL,
    conversation_id text        NOT NULL,
    seq             bigint      NOT NULL,
    id              text        NOT NULL,
    item            jsonb       NOT NULL,
    tokens          integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant, conversation_id, seq),
    UNIQUE (tenant, conversation_id, id),
    -- items go with their conversation (DELETE and the retention job delete only the conversation row)
    FOREIGN KEY (tenant, conversation_id) REFERENCES conversations (tenant, id) ON DELETE CASCADE
);
