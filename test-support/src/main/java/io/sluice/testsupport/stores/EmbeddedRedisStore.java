package io.sluice.testsupport.stores;

import java.io.IOException;
import java.io.UncheckedIOException;

import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, shipped in the embedded-redis jar) on a loopback port. It can be stopped and started
 * again on the same port, which is how tests simulate a Redis outage.
 */
public final class EmbeddedRedisStore implements AutoCloseable {
    private final int port;
    private RedisServer server;

    private EmbeddedRedisStore(int port) {
        this.port = port;
    }

    public static EmbeddedRedisStore start(int port) {
        EmbeddedRedisStore store = new EmbeddedRedisStore(port == 0 ? FreePort.pick() : port);
        store.startServer();
        return store;
    }

    public synchronized void startServer() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    // A cache and counter store for tests: no snapshots on disk, bounded memory.
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 256mb")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis on port " + port, e);
        }
    }

    public synchronized void stopServer() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stopServer();
    }
}
