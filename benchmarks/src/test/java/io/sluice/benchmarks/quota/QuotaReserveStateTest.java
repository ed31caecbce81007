package io.sluice.benchmarks.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sluice.benchmarks.redis.PipelineState;
import io.sluice.benchmarks.redis.RedisConnectionState;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The benchmark must time real decisions: the gateway's script, admitting and consuming every limit. This runs the
 * benchmark's states once (no timing) against a real Redis.
 */
class QuotaReserveStateTest {
    private final RedisConnectionState redis = new RedisConnectionState();

    @BeforeEach
    void startRedis() {
        redis.open();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @ParameterizedTest
    @EnumSource(LimitSet.class)
    void everyDecisionConsumesEachLimitOfItsTenant(LimitSet limits) throws InterruptedException {
        QuotaReserveState quota = new QuotaReserveState();
        quota.limits = limits;
        quota.load(redis); // fails unless the first tenant's request is admitted with the expected counters

        PipelineState pipeline = new PipelineState();
        pipeline.inFlight = 16;
        pipeline.open(redis);
        for (int i = 0; i < QuotaReserveState.TENANTS; i++) {
            pipeline.submit(quota.nextRequest());
        }
        pipeline.drain();

        // The first tenant again: once at load, once through the pipeline, now a third time.
        String tenantPrefix = quota.nextCallArguments().get(1);
        String keyPrefix = quota.nextCallArguments().get(3);
        assertEquals(1L, redis.call(quota.nextRequest()).get(0).get(0).toLong(), "admitted");
        List<String> groups = limits.groups();
        for (int i = 0; i < groups.size(); i += LimitSet.GROUP_SIZE) {
            String prefix = "k".equals(groups.get(i)) ? keyPrefix : tenantPrefix;
            String window = groups.get(i + 1);
            long amount = Long.parseLong(groups.get(i + 3));
            // Summed over the window's counters: a window may roll over between two decisions.
            assertEquals(3 * amount, consumed(prefix + window + ":*"), "consumed from " + prefix + window);
        }
    }

    private long consumed(String counterPattern) {
        long sum = 0;
        for (Response counter : redis.call(Request.cmd(Command.KEYS).arg(counterPattern))) {
            sum += redis.call(Request.cmd(Command.GET).arg(counter.toString())).toLong();
        }
        return sum;
    }
}
