package io.sluice.orchestrator.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A cheap token estimate of a stored item: its text's characters / 4 plus a fixed per-item overhead (role and
 * framing, as chat formats count them). Exactness is not needed: it sizes the quota reservation of a history, which
 * is settled to the provider's usage afterwards, and the truncation of a history to a context window.
 */
public final class ItemTokens {
    static final int ITEM_OVERHEAD = 4;
    /** An image part, whatever its size (OpenAI's low-detail cost; high detail costs more and is settled later). */
    static final int IMAGE_TOKENS = 85;

    private ItemTokens() {
    }

    public static int estimate(JsonObject item) {
        long chars = 0;
        int images = 0;
        Object content = item.getValue("content");
        if (content instanceof String text) {
            chars += text.length();
        } else if (content instanceof JsonArray parts) {
            for (Object part : parts) {
                if (part instanceof JsonObject p) {
                    if (p.getValue("text") instanceof String text) {
                        chars += text.length();
                    } else if (p.containsKey("image_url") || "input_image".equals(p.getString("type"))) {
                        images++;
                    }
                }
            }
        }
        chars += length(item, "name") + length(item, "arguments") + length(item, "output") + length(item, "call_id");
        long tokens = ITEM_OVERHEAD + (chars + 3) / 4 + (long) images * IMAGE_TOKENS;
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    private static int length(JsonObject item, String field) {
        return item.getValue(field) instanceof String text ? text.length() : 0;
    }
}
