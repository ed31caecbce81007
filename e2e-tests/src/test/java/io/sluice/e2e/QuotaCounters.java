package io.sluice.e2e;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.clients.jedis.Jedis;

/**
 * The gateway's per-minute request counters of one tenant, read straight from Redis: the record of what was admitted
 * in which window. Counter names follow io.sluice.contracts.QuotaKeys ({@code sluice:q:{tenant}:rpm:<epoch-minute>});
 * the earlier {@code sluice:rl:} prefix is read too.
 */
final class QuotaCounters {
    private QuotaCounters() {
    }

    /** Admitted requests by epoch minute. */
    static Map<Long, Long> requestsPerMinute(int redisPort, String tenantId) {
        Pattern tenantCounter = Pattern.compile("sluice:(?:q|rl):\\{" + Pattern.quote(tenantId) + "\\}:rpm:(\\d+)");
        Map<Long, Long> perMinute = new TreeMap<>();
        try (Jedis redis = new Jedis("127.0.0.1", redisPort)) {
            for (String key : redis.keys("sluice:*{" + tenantId + "}*rpm:*")) {
                Matcher matcher = tenantCounter.matcher(key);
                if (matcher.matches()) {
                    perMinute.put(Long.parseLong(matcher.group(1)), Long.parseLong(redis.get(key)));
                }
            }
        }
        return perMinute;
    }
}
