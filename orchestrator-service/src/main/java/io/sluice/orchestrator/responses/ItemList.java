package io.sluice.orchestrator.responses;

import java.util.List;

import io.sluice.orchestrator.conversation.MemoryItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A page of items in OpenAI's list shape: {@code object: "list"}, {@code data}, {@code first_id}, {@code last_id}, {@code has_more}. */
public final class ItemList {
    private ItemList() {
    }

    public static JsonObject of(List<MemoryItem> items, boolean hasMore) {
        JsonArray data = new JsonArray();
        items.forEach(item -> data.add(item.item()));
        return new JsonObject()
                .put("object", "list")
                .put("data", data)
                .put("first_id", items.isEmpty() ? null : items.get(0).id())
                .put("last_id", items.isEmpty() ? null : items.get(items.size() - 1).id())
                .put("has_more", hasMore);
    }
}
