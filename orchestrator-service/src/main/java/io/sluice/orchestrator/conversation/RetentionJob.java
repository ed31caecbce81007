package io.sluice.orchestrator.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Deletes expired responses and conversations (items go with their conversation) every retention-interval, in
 * batches of retention-batch-size rows, and their Redis keys. Replicas may run it at once: each batch skips rows
 * another replica has locked. Counts in {@code sluice_memory_expired_total{kind=response|conversation}}.
 */
@ApplicationScoped
public class RetentionJob {
    private final ResponseRepository responses;
    private final ConversationRepository conversations;
    private final HotCache hot;
    private final MemoryConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final Counter expiredResponses;
    private final Counter expiredConversations;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public RetentionJob(ResponseRepository responses, ConversationRepository conversations, HotCache hot,
            MemoryConfig config, Clock clock, Vertx vertx, MeterRegistry registry) {
        this.responses = responses;
        this.conversations = conversations;
        this.hot = hot;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        this.expiredResponses = counter(registry, "response");
        this.expiredConversations = counter(registry, "conversation");
    }

    private static Counter counter(MeterRegistry registry, String kind) {
        return Counter.builder("sluice_memory_expired_total")
                .description("Stored responses and conversations the retention job deleted")
                .tag("kind", kind).register(registry);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.retentionInterval().toMillis(), id -> runOnce().subscribe().with(
                deleted -> { }, failure -> Log.warnf("retention job failed: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * One pass at the clock's current time: deletes every expired response and conversation. Returns how many rows
     * went (0 when a pass is already running).
     */
    public Uni<Long> runOnce() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(0L);
        }
        Instant now = clock.instant();
        return drain(now, responses::deleteExpired, true)
                .chain(r -> drain(now, conversations::deleteExpired, false).map(c -> {
                    if (r + c > 0) {
                        Log.infof("retention: deleted %d expired responses and %d expired conversations", r, c);
                    }
                    return r + c;
                }))
                .onTermination().invoke(() -> running.set(false));
    }

    /** Deletes batches until a batch comes back short; each batch's keys leave Redis before the next. */
    private Uni<Long> drain(Instant now, BiFunction<Instant, Integer, Uni<List<TenantScopedId>>> deleteExpired,
            boolean responseRows) {
        int batch = config.retentionBatchSize();
        return deleteExpired.apply(now, batch)
                .call(ids -> responseRows ? hot.evict(ids, List.of()) : hot.evict(List.of(), ids))
                .chain(ids -> {
                    (responseRows ? expiredResponses : expiredConversations).increment(ids.size());
                    return ids.size() < batch
                            ? Uni.createFrom().item((long) ids.size())
                            : drain(now, deleteExpired, responseRows).map(more -> more + ids.size());
                });
    }
}
