package io.sluice.orchestrator.conversation;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Conversation memory: the Redis hot cache, the retention job and how long a store call may take. */
@ConfigMapping(prefix = "sluice.memory")
public interface MemoryConfig {

    /** Longest a response or conversation stays in Redis after its last write or read from PostgreSQL. */
    @WithDefault("1h")
    Duration hotTtl();

    /** How often the retention job deletes expired responses and conversations. */
    @WithDefault("10m")
    Duration retentionInterval();

    /** Rows one retention DELETE statement removes at most (it repeats until none are left). */
    @WithDefault("500")
    int retentionBatchSize();

    /** Longest a PostgreSQL call may take before the request fails with memory_unavailable. */
    @WithDefault("2s")
    Duration dbTimeout();

    /** Longest a Redis call may take before the store reads PostgreSQL instead. */
    @WithDefault("500ms")
    Duration redisTimeout();

    /** Whether the orchestrator migrates schema memory itself at start-up (off when a migration Job does it). */
    @WithDefault("true")
    boolean migrateAtStart();

    /** How often a start-up migration that failed (PostgreSQL down) is tried again. */
    @WithDefault("5s")
    Duration migrateRetry();
}
