package io.sluice.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/** A Lua script run by its SHA-1 (EVALSHA), sent in full only when Redis does not have it cached yet. */
public final class RedisScript {
    private final String source;
    private final String sha1;

    private RedisScript(String source) {
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** Reads the script from a classpath resource next to {@code owner} (an absolute name starts with '/'). */
    public static RedisScript load(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Caches the script in Redis (SCRIPT LOAD), which also opens the first connection. */
    public Uni<Void> preload(ReactiveRedisDataSource redis) {
        return redis.execute("SCRIPT", "LOAD", source).replaceWithVoid();
    }

    public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
        return redis.execute("EVALSHA", arguments(sha1, keys, args))
                .onFailure(RedisScript::notCached)
                .recoverWithUni(() -> redis.execute("EVAL", arguments(source, keys, args)));
    }

    /** Redis refused an EVALSHA because the script is not cached (restart, SCRIPT FLUSH): it did not run. */
    private static boolean notCached(Throwable failure) {
        return String.valueOf(failure.getMessage()).contains("NOSCRIPT");
    }

    private static String[] arguments(String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JVM specification", e);
        }
    }
}
