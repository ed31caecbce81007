package io.sluice.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Redis Stream that carries usage events to telemetry-service, and the buffer that bridges Redis outages. */
@ConfigMapping(prefix = "sluice.usage")
public interface UsageStreamConfig {
    /** Approximate bound on the stream; telemetry deletes what it recorded, so only a long ledger outage reaches it. */
    @WithDefault("1000000")
    long maxLength();

    /**
     * Events kept in memory while Redis cannot take them (about 300 bytes of heap each, so 100,000 take about
     * 27 MiB); beyond it they are dropped, counted.
     */
    @WithDefault("100000")
    int bufferSize();

    /** How often buffered events are offered to Redis again. */
    @WithDefault("1s")
    Duration retryInterval();

    /** Most ended requests settled and published in one script run (more wait for the next run). */
    @WithDefault("100")
    int writeBatch();

    /**
     * How long an ended request waits for others to share its script run; 0 waits only for the end of its
     * event-loop turn. At moderate rates, where a turn rarely holds two requests, 20 ms lets several share one round
     * trip (at 400 requests/s Redis' CPU per request fell from 74-79 to 45 µs); settlements and usage events are
     * late by at most this.
     */
    @WithDefault("20ms")
    Duration writeLinger();

    /** Buffered events sent per retry round, so that a recovering Redis is not flooded. */
    @WithDefault("1000")
    int retryBatch();

    /** A publish that takes longer counts as failed and its event is buffered (a duplicate is harmless). */
    @WithDefault("2s")
    Duration publishTimeout();

    /**
     * How long a stopping gateway may spend saving the events it still holds: to Redis while it answers, else
     * straight to telemetry-service. Well inside Kubernetes' termination grace period (30 s by default), which also
     * covers the requests still in flight; what is not saved by then is logged (a count) and lost.
     */
    @WithDefault("10s")
    Duration shutdownBudget();
}
