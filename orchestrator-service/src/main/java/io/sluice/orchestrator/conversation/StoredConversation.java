package io.sluice.orchestrator.conversation;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/** A conversation's own fields (its items are read apart: {@link ConversationStore#history}). */
public record StoredConversation(String tenant, String id, JsonObject metadata, Instant createdAt,
        Instant expiresAt) {

    JsonObject toJson() {
        return new JsonObject().put("tenant", tenant).put("id", id).put("metadata", metadata)
                .put("createdAt", createdAt.toEpochMilli()).put("expiresAt", expiresAt.toEpochMilli());
    }

    static StoredConversation fromJson(JsonObject json) {
        return new StoredConversation(json.getString("tenant"), json.getString("id"), json.getJsonObject("metadata"),
                Instant.ofEpochMilli(json.getLong("createdAt")), Instant.ofEpochMilli(json.getLong("expiresAt")));
    }
}
