-- An append to a conversation as one call: take the seqs (locking the conversation row, so concurrent appends
-- queue), insert the items (an id the conversation already holds is skipped), prune to the newest p_max_items. One
-- round trip instead of a transaction of four statements, on every turn in a conversation.
-- No row: no such conversation (or expired). whole: the conversation holds only this append's items.
CREATE FUNCTION append_items(p_tenant text, p_conversation text, p_items jsonb, p_max_items integer,
        p_now timestamptz, p_expires_at timestamptz)
    RETURNS TABLE (before_seq bigint, after_seq bigint, added text[], whole boolean)
    LANGUAGE plpgsql
    SET search_path = memory, pg_temp
AS $$
DECLARE
    v_count integer := jsonb_array_length(p_items);
    v_after bigint;
    v_added text[];
BEGIN
    UPDATE conversations c SET next_seq = c.next_seq + v_count, expires_at = p_expires_at
        WHERE c.tenant = p_tenant AND c.id = p_conversation AND c.expires_at > p_now
        RETURNING c.next_seq INTO v_after;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    WITH inserted AS (
        INSERT INTO conversation_items AS i (tenant, conversation_id, seq, id, item, tokens, created_at)
        SELECT p_tenant, p_conversation, v_after - v_count + batch.ord, batch.entry->>'id', batch.entry->'item',
               (batch.entry->>'tokens')::integer, p_now
        FROM jsonb_array_elements(p_items) WITH ORDINALITY AS batch(entry, ord)
        ON CONFLICT (tenant, conversation_id, id) DO NOTHING
        RETURNING i.id)
    SELECT coalesce(array_agg(inserted.id), '{}') INTO v_added FROM inserted;
    DELETE FROM conversation_items d
        WHERE d.tenant = p_tenant AND d.conversation_id = p_conversation AND d.seq <= (
            SELECT k.seq FROM conversation_items k WHERE k.tenant = p_tenant AND k.conversation_id = p_conversation
            ORDER BY k.seq DESC OFFSET p_max_items LIMIT 1);
    -- whole when no item older than this append is left (an index probe, not a count of the kept items)
    RETURN QUERY SELECT v_after - v_count, v_after, v_added, NOT EXISTS (
        SELECT 1 FROM conversation_items k
        WHERE k.tenant = p_tenant AND k.conversation_id = p_conversation AND k.seq <= v_after - v_count);
END
$$;
