package io.sluice.benchmarks.quota;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.sluice.benchmarks.redis.RedisConnectionState;
import io.sluice.contracts.QuotaKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The gateway's check-and-consume script (quota-reserve.lua from the gateway-service jar), loaded into Redis, and
 * the EVALSHA calls the gateway would make for {@value #TENANTS} tenants, one key each, taken in turn so that the
 * decisions spread over many counters instead of one hot key.
 */
@State(Scope.Thread)
public class QuotaReserveState {
    static final String SCRIPT = "/redis/quota-reserve.lua";
    static final int TENANTS = 1_000;

    @Param({"TENANT", "TENANT_KEY_BUDGETS"})
    public LimitSet limits;

    private String sha;
    private final List<List<String>> keysAndArgs = new ArrayList<>(TENANTS);
    private int next;

    @Setup(Level.Trial)
    public void load(RedisConnectionState redis) {
        sha = redis.call(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script())).toString();
        List<String> groups = limits.groups();
        for (int i = 0; i < TENANTS; i++) {
            String tenantId = UUID.nameUUIDFromBytes(("tenant-" + i).getBytes(StandardCharsets.UTF_8)).toString();
            String keyId = UUID.nameUUIDFromBytes(("key-" + i).getBytes(StandardCharsets.UTF_8)).toString();
            // Exactly what RedisQuotaStore sends for a batch of one request: 1 key (the tenant prefix), then the
            // number of requests, the key prefix, the number of groups and the groups.
            List<String> call = new ArrayList<>(5 + groups.size());
            call.add("1");
            call.add(QuotaKeys.tenantPrefix(tenantId));
            call.add("1");
            call.add(QuotaKeys.keyPrefix(tenantId, keyId));
            call.add(Integer.toString(groups.size() / LimitSet.GROUP_SIZE));
            call.addAll(groups);
            keysAndArgs.add(call);
        }
        checkAdmits(redis.call(request(0)), groups.size() / LimitSet.GROUP_SIZE);
    }

    /** The next tenant's decision, as an EVALSHA request ready to send. */
    public Request nextRequest() {
        Request request = request(next);
        next = (next + 1) % TENANTS;
        return request;
    }

    /** What {@link #nextRequest()} will send after the SHA: numkeys, KEYS[1], then ARGV. */
    List<String> nextCallArguments() {
        return keysAndArgs.get(next);
    }

    private Request request(int tenant) {
        Request request = Request.cmd(Command.EVALSHA).arg(sha);
        for (String arg : keysAndArgs.get(tenant)) {
            request.arg(arg);
        }
        return request;
    }

    /**
     * Fails the trial unless the script admitted the request and touched the counters QuotaKeys names, so a change
     * of the script's arguments cannot leave the benchmark timing an early error return.
     */
    private void checkAdmits(Response replies, int groups) {
        Response reply = replies.get(0);
        if (replies.size() != 1 || reply.get(0).toLong() != 1L || reply.size() != 2 + 4 * groups) {
            throw new IllegalStateException("quota-reserve.lua did not admit the benchmark request: " + replies);
        }
        List<String> call = keysAndArgs.get(0);
        String tenantPrefix = call.get(1);
        String keyPrefix = call.get(3);
        for (int i = 0; i < groups; i++) {
            String scope = call.get(5 + LimitSet.GROUP_SIZE * i);
            String window = call.get(6 + LimitSet.GROUP_SIZE * i);
            String expected = ("k".equals(scope) ? keyPrefix : tenantPrefix) + window + ":";
            String counter = reply.get(4 + 4 * i).toString();
            if (!counter.startsWith(expected)) {
                throw new IllegalStateException("group " + (i + 1) + " used counter " + counter + ", expected "
                        + expected + "<stamp>");
            }
        }
    }

    private static String script() {
        try (InputStream in = QuotaReserveState.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the classpath (it comes with gateway-service)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
