package io.sluice.testsupport.suite;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.sluice.testsupport.stores.EmbeddedRedisStore;

/**
 * Runs a real redis-server for the local suite until the process is terminated, in a process of its own so that a
 * test can kill Redis alone and start it again on the same port. Usage: {@code RedisMain <port> <state-dir>}; the
 * redis-server's pid is written to {@code <state-dir>/pids/redis-server.pid}.
 */
public final class RedisMain {
    /** Name of the redis-server process below this one, as recorded in its pid file. */
    static final String SERVER = "redis-server";

    private RedisMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path pids = Path.of(args[1]).resolve("pids");
        EmbeddedRedisStore redis = EmbeddedRedisStore.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            stopped.countDown();
        }, "redis-shutdown"));
        // redis-server is this JVM's only child process.
        ProcessHandle server = ProcessHandle.current().children()
                .filter(child -> child.info().command().map(command -> command.contains(SERVER)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("redis-server is not running below this process"));
        PidFile.write(pids.resolve(SERVER + ".pid"), server);
        System.out.printf("redis ready: port=%d pid=%d%n", redis.port(), server.pid());
        stopped.await();
    }
}
