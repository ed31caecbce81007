package io.sluice.orchestrator.conversation;

import io.vertx.core.json.JsonObject;

public record MemoryItem(String id, JsonObject item, int tokens) {}
