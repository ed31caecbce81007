package io.sluice.testsupport.stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (binaries shipped in the zonky jars) on a loopback port, database and user "postgres".
 * It can be stopped and started again on the same port with the same data ({@link #stopServer()},
 * {@link #startServer()}), which is how tests simulate a PostgreSQL outage.
 */
public final class EmbeddedPostgresStore implements AutoCloseable {
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresStore(int port, Path dataDirectory) {
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    public static EmbeddedPostgresStore start(int port) {
        try {
            return start(port, Files.createTempDirectory("sluice-pg-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts afresh with its data in {@code dataDirectory} (old content is removed), which {@link #close()} removes. */
    public static EmbeddedPostgresStore start(int port, Path dataDirectory) {
        deleteRecursively(dataDirectory);
        EmbeddedPostgresStore store = new EmbeddedPostgresStore(port == 0 ? FreePort.pick() : port, dataDirectory);
        store.startServer();
        return store;
    }

    /**
     * Starts on the data in {@code dataDirectory} when it holds a cluster (a restart after a crash: PostgreSQL
     * recovers it), else initialises one there. Stop it with {@link #stopServer()} to keep the data.
     */
    public static EmbeddedPostgresStore startKeepingData(int port, Path dataDirectory) {
        EmbeddedPostgresStore store = new EmbeddedPostgresStore(port == 0 ? FreePort.pick() : port, dataDirectory);
        store.startServer();
        return store;
    }

    /**
     * Starts the server (again) on the same port and data directory: initialised on the first start, kept after a
     * {@link #stopServer()}, so a restart finds the schemas and rows it had.
     */
    public synchronized void startServer() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    // Kept across stopServer()/startServer(); close() removes it.
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    // zonky turns synchronous_commit off; a commit must survive a killed server, as in production
                    // (fsync stays off: these tests kill PostgreSQL, never the machine).
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port, e);
        }
    }

    /** Stops the server (pg_ctl stop, fast mode: open connections are closed) and keeps its data. */
    public synchronized void stopServer() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    /**
     * The postmaster's pid. pg_ctl daemonizes the server, so it is not a child of this JVM; whoever must be sure
     * it is gone (the local launcher) needs the pid itself.
     */
    public Optional<Long> serverPid() {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The Vert.x reactive client's URL form. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** Stops the server and removes its data directory. */
    @Override
    public void close() {
        stopServer();
        deleteRecursively(dataDirectory);
    }

    /** Removes a data directory and everything in it (an earlier run's cluster); absent is fine. */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }
}
