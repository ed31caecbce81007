package io.sluice.gateway.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.memory.HistoryReference;
import io.sluice.contracts.memory.MemoryKeys;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.memory.MemoryScope;
import io.vertx.mutiny.redis.client.Response;

/**
 * The tokens of stored history a Responses request continues, for its quota reservation. First the token counts the
 * orchestrator keeps beside its hot copy in Redis ({@link MemoryKeys}: one read, no call to the orchestrator); when
 * Redis has none (a cold history, an empty conversation, one that does not exist) or fails, the orchestrator's
 * {@code GET /internal/memory/context}, which reads PostgreSQL and answers the client's 404 for an unknown id.
 * The counts may trail an append still in flight by one turn: the reservation is an estimate, settled to the
 * provider's usage.
 */
@ApplicationScoped
public class HistorySizer {
    private final ReactiveRedisDataSource redis;
    private final OrchestratorMemoryClient orchestrator;
    private final Duration redisTimeout;

    public HistorySizer(ReactiveRedisDataSource redis, OrchestratorMemoryClient orchestrator, QuotaConfig quota) {
        this.redis = redis;
        this.orchestrator = orchestrator;
        this.redisTimeout = quota.redisTimeout();
    }

    public Uni<Long> tokens(MemoryScope scope, HistoryReference history, String requestId) {
        return stored(scope.tenant(), history)
                .ifNoItem().after(redisTimeout).fail()
                .onFailure().recoverWithItem(failure -> {
                    Log.debugf("request %s: history size not read from Redis (%s)", requestId, failure.toString());
                    return null;
                })
                .chain(tokens -> tokens != null ? Uni.createFrom().item(tokens)
                        : orchestrator.contextSize(scope, history, requestId)
                                .map(OrchestratorMemoryClient.ContextSize::tokens));
    }

    /** Null when Redis holds no count for the history. */
    private Uni<Long> stored(String tenant, HistoryReference history) {
        if (history.isResponse()) {
            return redis.execute("GET", MemoryKeys.responseTokens(tenant, history.id()))
                    .map(value -> value == null ? null : nonNegative(value.toLong()));
        }
        return redis.execute("LRANGE", MemoryKeys.itemTokens(tenant, history.id()), "0", "-1")
                .map(HistorySizer::sum);
    }

    private static Long sum(Response counts) {
        if (counts == null || counts.size() == 0) {
            return null;
        }
        long sum = 0;
        for (Response count : counts) {
            sum += Math.max(0, count.toLong());
        }
        return sum;
    }

    private static Long nonNegative(Long value) {
        return value == null ? null : Math.max(0, value);
    }
}
