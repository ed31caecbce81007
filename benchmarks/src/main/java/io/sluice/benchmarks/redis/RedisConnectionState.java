package io.sluice.benchmarks.redis;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.sluice.testsupport.stores.EmbeddedRedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A real redis-server (the embedded 6.2 of test-support) and one Vert.x Redis connection to it, for one trial.
 * It is the client the gateway's {@code ReactiveRedisDataSource} wraps, so a benchmark pays the same client costs.
 */
@State(Scope.Benchmark)
public class RedisConnectionState {
    private static final long REPLY_TIMEOUT_SECONDS = 10;
    private static final long MIN_CALLS_TO_REPORT = 1_000;

    private EmbeddedRedisStore store;
    private Vertx vertx;
    private Redis client;
    private RedisConnection connection;

    @Setup(Level.Trial)
    public void open() {
        store = EmbeddedRedisStore.start(0);
        // One connection lives on one event loop; more loops would only add idle threads on a small machine.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(store.url()));
        connection = await(client.connect());
    }

    /** Sends without waiting: commands sent before earlier replies arrive are pipelined on the connection. */
    public Future<Response> send(Request request) {
        return connection.send(request);
    }

    /** Sends and blocks the calling (benchmark) thread until the reply is in: one full round trip. */
    public Response call(Request request) {
        return await(send(request));
    }

    @TearDown(Level.Trial)
    public void close() {
        try {
            if (connection != null) {
                printServerTimePerCommand();
                await(connection.close());
            }
            if (client != null) {
                client.close();
            }
            if (vertx != null) {
                await(vertx.close());
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    /**
     * Prints Redis' own time per call of each command the trial sent often (INFO commandstats): for a script it is
     * the script's whole run, which no client-side timing can separate from the network and thread wake-ups.
     */
    private void printServerTimePerCommand() {
        System.out.printf("%nredis server time per call over the trial (INFO commandstats):%n");
        for (String line : call(Request.cmd(Command.INFO).arg("commandstats")).toString().split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String command = line.substring("cmdstat_".length(), line.indexOf(':'));
            long calls = 0;
            String usecPerCall = "?";
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                if (field.startsWith("calls=")) {
                    calls = Long.parseLong(field.substring("calls=".length()));
                } else if (field.startsWith("usec_per_call=")) {
                    usecPerCall = field.substring("usec_per_call=".length());
                }
            }
            if (calls >= MIN_CALLS_TO_REPORT) {
                System.out.printf("redis server time: %-8s %,12d calls %8s us/call%n", command, calls, usecPerCall);
            }
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("redis call failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no reply from redis within " + REPLY_TIMEOUT_SECONDS + "s", e);
        }
    }
}
