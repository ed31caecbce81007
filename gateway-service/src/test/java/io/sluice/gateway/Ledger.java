package io.sluice.gateway;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.sluice.contracts.QuotaKeys;
import io.sluice.contracts.UsageEvent;

/** What the gateway left in Redis for a request: its usage event on the stream, and its tenant's counters. */
public final class Ledger {
    private final RedisDataSource redis;

    public Ledger(RedisDataSource redis) {
        this.redis = redis;
    }

    /** The usage events of a tenant, once there are {@code count}; fails if there are more. */
    public List<Map<String, String>> eventsOf(String tenantId, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> events(tenantId).size() >= count);
        List<Map<String, String>> events = events(tenantId);
        if (events.size() != count) {
            throw new AssertionError(events.size() + " usage events for " + tenantId + ", expected " + count);
        }
        return events;
    }

    /** The one usage event of a tenant. */
    public Map<String, String> eventOf(String tenantId) {
        return eventsOf(tenantId, 1).get(0);
    }

    private List<Map<String, String>> events(String tenantId) {
        return redis.stream(String.class).xrange(UsageEvent.STREAM, StreamRange.of("-", "+")).stream()
                .map(StreamMessage::payload)
                .filter(fields -> tenantId.equals(fields.get("tenant_id")))
                .toList();
    }

    /** A tenant's counter of one window kind ({@code tpd}, {@code usd-day}…), 0 when it does not exist. */
    public long counter(String tenantId, String window) {
        long total = 0;
        for (String key : redis.key().scan(new KeyScanArgs()
                .match(QuotaKeys.tenantPrefix(tenantId) + window + ":*").count(10_000)).toIterable()) {
            String value = redis.value(String.class).get(key);
            total += value == null ? 0 : Long.parseLong(value);
        }
        return total;
    }
}
