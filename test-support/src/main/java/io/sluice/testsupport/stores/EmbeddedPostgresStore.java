package io.sluice.testsupport.stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server (binaries shipped in the zonky jars) on a loopback port, database and user "postgres". */
public final class EmbeddedPostgresStore implements AutoCloseable {
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresStore(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    public static EmbeddedPostgresStore start(int port) {
        try {
            return start(port, Files.createTempDirectory("sluice-pg-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts with its data in {@code dataDirectory}, which is removed again on {@link #close()}. */
    public static EmbeddedPostgresStore start(int port, Path dataDirectory) {
        return start(port, dataDirectory, false);
    }

    /**
     * Starts on the data in {@code dataDirectory} when it holds a cluster (a restart after a crash: PostgreSQL
     * recovers it), else initialises one there; the data stays after {@link #close()}.
     */
    public static EmbeddedPostgresStore startKeepingData(int port, Path dataDirectory) {
        return start(port, dataDirectory, true);
    }

    private static EmbeddedPostgresStore start(int port, Path dataDirectory, boolean keepData) {
        try {
            return new EmbeddedPostgresStore(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(!keepData)
                    .setPort(port == 0 ? FreePort.pick() : port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start(), dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
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

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
