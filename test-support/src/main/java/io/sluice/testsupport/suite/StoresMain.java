package io.sluice.testsupport.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

/**
 * Runs a real Redis and a real PostgreSQL for the local suite until the process is terminated.
 * Usage: {@code StoresMain <redis-port> <postgres-port> <state-dir>}; the PostgreSQL data lives in
 * {@code <state-dir>/postgres-data} and the server's pid is written to {@code <state-dir>/pids/postgres-server.pid}.
 */
public final class StoresMain {
    private StoresMain() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        int redisPort = Integer.parseInt(args[0]);
        int postgresPort = Integer.parseInt(args[1]);
        Path stateDir = Path.of(args[2]);
        EmbeddedRedisStore redis = EmbeddedRedisStore.start(redisPort);
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(postgresPort, stateDir.resolve("postgres-data"));
        Optional<Long> serverPid = postgres.serverPid();
        if (serverPid.isPresent()) {
            Files.writeString(stateDir.resolve("pids").resolve(LocalSuite.POSTGRES_SERVER + ".pid"),
                    serverPid.get().toString());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            postgres.close();
            stopped.countDown();
        }, "stores-shutdown"));
        System.out.printf("stores ready: redis=%d postgres=%d%n", redis.port(), postgres.port());
        stopped.await();
    }
}
