package io.sluice.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.config.UsageStreamConfig;

/** Publishes one usage event per request to the Redis Stream, off the response path. */
// Started eagerly so that its metric series exist (at zero) from boot, before the first event.
@Startup
@ApplicationScoped
public class UsageRecorder {
    private final ReactiveStreamCommands<String, String, String> stream;
    private final XAddArgs bound;
    private final Counter published;
    private final Counter failed;

    public UsageRecorder(ReactiveRedisDataSource redis, UsageStreamConfig config, MeterRegistry registry) {
        this.stream = redis.stream(String.class);
        this.bound = new XAddArgs().maxlen(config.maxLength()).nearlyExactTrimming();
        this.published = Counter.builder("sluice_usage_events_published_total").register(registry);
        this.failed = Counter.builder("sluice_usage_events_publish_failures_total").register(registry);
    }

    public void record(UsageEvent event) {
        stream.xadd(UsageEvent.STREAM, bound, event.toFields())
                .subscribe().with(id -> published.increment(), err -> {
                    failed.increment();
                    Log.warnf("usage event %s not published: %s", event.requestId(), err.toString());
                });
    }
}
