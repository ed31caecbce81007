package io.sluice.testsupport.suite;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * Runs a real PostgreSQL for the local suite until the process is terminated. Usage:
 * {@code PostgresMain <port> <state-dir>}; the data lives in {@code <state-dir>/postgres-data} and survives a restart
 * (as a real database's would after a crash; {@link LocalSuite#up} clears it for a fresh run), and the server's pid is written to {@code <state-dir>/pids/postgres-server.pid}, because pg_ctl
 * daemonizes it: it is not a child of this process.
 */
public final class PostgresMain {
    /** Name of the daemonized PostgreSQL server, as recorded in its pid file. */
    static final String SERVER = "postgres-server";
    static final String DATA_DIRECTORY = "postgres-data";

    private PostgresMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path stateDir = Path.of(args[1]);
        EmbeddedPostgresStore postgres = EmbeddedPostgresStore.startKeepingData(port, stateDir.resolve(DATA_DIRECTORY));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Keeps the data: a restart of this process (LocalSuite.start) finds the schemas and rows it had.
            postgres.stopServer();
            stopped.countDown();
        }, "postgres-shutdown"));
        ProcessHandle server = postgres.serverPid().flatMap(ProcessHandle::of)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL started but its pid is unknown"));
        PidFile.write(stateDir.resolve("pids").resolve(SERVER + ".pid"), server);
        System.out.printf("postgres ready: port=%d pid=%d%n", postgres.port(), server.pid());
        stopped.await();
    }
}
