package io.sluice.benchmarks.quota;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.benchmarks.redis.PipelineState;
import io.sluice.benchmarks.redis.RedisConnectionState;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The cost of the gateway's quota decision per request: one EVALSHA of quota-reserve.lua against a real Redis,
 * next to a plain PING on the same connection, so the script's own cost is the difference between the two.
 *
 * <ul>
 * <li>{@code *RoundTrip}: one request at a time, blocking on each reply (latency per decision, with percentiles);
 * <li>{@code *InFlight}: {@code inFlight} requests outstanding on one connection (decisions per second).
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class QuotaDecisionBenchmark {

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Response pingRoundTrip(RedisConnectionState redis) {
        return redis.call(Request.cmd(Command.PING));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Response reserveRoundTrip(RedisConnectionState redis, QuotaReserveState quota) {
        return redis.call(quota.nextRequest());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void pingInFlight(PipelineState pipeline) throws InterruptedException {
        pipeline.submit(Request.cmd(Command.PING));
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void reserveInFlight(PipelineState pipeline, QuotaReserveState quota) throws InterruptedException {
        pipeline.submit(quota.nextRequest());
    }
}
