package io.sluice.telemetry.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.telemetry.config.LedgerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code sluice_dependency_up{dependency="postgresql"|"redis"}}: 1 when the last ping answered in time, else 0.
 * The pings run on a Vert.x timer and never block; a scrape only reads the last result.
 */
@ApplicationScoped
public class DependencyMonitor {
    private final Pool postgres;
    private final ReactiveRedisDataSource redis;
    private final LedgerConfig config;
    private final Vertx vertx;
    private final AtomicInteger postgresUp = new AtomicInteger();
    private final AtomicInteger redisUp = new AtomicInteger();
    private long timer = -1;

    public DependencyMonitor(Pool postgres, ReactiveRedisDataSource redis, LedgerConfig config, Vertx vertx,
            MeterRegistry registry) {
        this.postgres = postgres;
        this.redis = redis;
        this.config = config;
        this.vertx = vertx;
        register(registry, "postgresql", postgresUp);
        register(registry, "redis", redisUp);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(1, config.dependencyPing().toMillis(), id -> ping());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void ping() {
        // A ping slower than the interval counts as down; it also keeps pings from piling up.
        Duration timeout = config.dependencyPing();
        record(postgres.query("SELECT 1").execute().replaceWithVoid(), timeout, postgresUp);
        record(redis.execute("PING").replaceWithVoid(), timeout, redisUp);
    }

    private static void record(Uni<Void> ping, Duration timeout, AtomicInteger up) {
        ping.ifNoItem().after(timeout).fail()
                .subscribe().with(ok -> up.set(1), failure -> up.set(0));
    }

    private static void register(MeterRegistry registry, String dependency, AtomicInteger up) {
        Gauge.builder("sluice.dependency.up", up, AtomicInteger::get)
                .description("1 when the dependency answered the last periodic ping, 0 otherwise")
                .tag("dependency", dependency)
                .register(registry);
    }
}
