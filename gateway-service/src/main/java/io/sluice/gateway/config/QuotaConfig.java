package io.sluice.gateway.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How quotas are enforced on the hot path. */
@ConfigMapping(prefix = "sluice.quota")
public interface QuotaConfig {

    enum RedisFailurePolicy {
        /** Keep serving, limited per replica at limit ÷ replicas. */
        FAIL_OPEN,
        /** Refuse with 503 until Redis answers again. */
        FAIL_CLOSED
    }

    @WithDefault("fail-open")
    RedisFailurePolicy redisFailurePolicy();

    /** Gateway replicas sharing the limits; the local fallback allows each replica limit ÷ replicas. */
    @WithDefault("1")
    int replicas();

    /** A quota decision that Redis has not answered by then is taken without Redis. */
    @WithDefault("500ms")
    Duration redisTimeout();

    /**
     * Most quota decisions in one script run: the requests an event loop reads in one turn are decided together
     * (one round trip); more wait for the next run.
     */
    @WithDefault("100")
    int redisBatch();

    /** Quota blocks a replica takes from Redis for tenants with large limits ({@code QuotaLeases}). */
    Lease lease();

    interface Lease {
        /**
         * Share of each of a tenant's limits one replica takes per Redis decision, in percent: the requests it covers
         * are admitted without a round trip. A replica leaves at most this much of a limit unspent when its window
         * turns. Limits whose share does not cover two requests are decided request by request. 0: always.
         */
        @WithDefault("1")
        int percent();

        /** Most requests one block covers, whatever the percentage gives. */
        @WithDefault("100")
        int maxRequests();

        /** Tenants whose blocks one replica keeps at most; the least recently used are dropped first. */
        @WithDefault("10000")
        long tenants();
    }

    /** After a Redis failure, decisions stay local this long before Redis is tried again. */
    @WithDefault("1s")
    Duration redisRetryInterval();

    /**
     * Completion tokens per choice reserved for a chat request that sets no max_tokens, and the cap the orchestrator
     * applies to its call (so it can never cost more than was reserved); settled to the real count afterwards.
     * 4096 holds nearly every answer; a client wanting more sets max_tokens.
     */
    @WithDefault("4096")
    int defaultCompletionReservation();

    /**
     * Weight of each endpoint's tokens against token quotas (embeddings are cheaper than chat). USD budgets are not
     * weighted: they are spent at the price the ledger bills.
     */
    Map<String, Double> endpointMultipliers();

    @WithDefault("100000")
    long localCounterCapacity();
}
