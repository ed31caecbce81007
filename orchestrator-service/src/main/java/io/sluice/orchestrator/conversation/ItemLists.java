package io.sluice.orchestrator.conversation;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;

/** Lists of stored items as one JSON array (a jsonb column, a Redis value) and back. */
final class ItemLists {
    private ItemLists() {
    }

    static JsonArray toJson(List<MemoryItem> items) {
        JsonArray array = new JsonArray(new ArrayList<>(items.size()));
        for (MemoryItem item : items) {
            array.add(item.toJson());
        }
        return array;
    }

    static List<MemoryItem> fromJson(JsonArray array) {
        List<MemoryItem> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(MemoryItem.fromJson(array.getJsonObject(i)));
        }
        return items;
    }

    /** The last {@code max} items (the oldest are the ones a memory limit drops). */
    static <T> List<T> lastOf(List<T> items, int max) {
        return items.size() <= max ? items : items.subList(items.size() - max, items.size());
    }

    static int tokens(List<MemoryItem> items) {
        int sum = 0;
        for (MemoryItem item : items) {
            sum += item.tokens();
        }
        return sum;
    }
}
