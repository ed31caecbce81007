-- Conversation memory (issue 20): the public API a request came through (chat, embeddings, messages, responses) and
-- the stored response and conversation it created or extended, so that a Responses API bill can be traced to them.
-- NULL for rows written before, and for requests that touched no stored state. Nullable without a default:
-- PostgreSQL adds these columns without rewriting the table. Values are checked at intake (LedgerFields).
ALTER TABLE usage_records
    ADD COLUMN endpoint        text,
    ADD COLUMN response_id     text,
    ADD COLUMN conversation_id text;
