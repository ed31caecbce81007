package io.sluice.contracts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Names of the Redis counters behind quotas and budgets, stamped with their window so that a window's counter
 * simply expires. Every counter of a tenant shares the hash tag {@code {tenant}}, so one script can touch them all
 * on Redis Cluster. The gateway's check-and-consume script builds the same names from Redis {@code TIME}; its tests
 * compare them with this class, and quota-service uses this class for the live view and resets.
 *
 * <pre>
 * sluice:q:{tenant}:rpm:&lt;epoch-minute&gt;      requests this minute
 * sluice:q:{tenant}:rph:&lt;epoch-hour&gt;        requests this hour
 * sluice:q:{tenant}:rpd:&lt;epoch-day&gt;         requests this UTC day
 * sluice:q:{tenant}:tpd:&lt;epoch-day&gt;         tokens this UTC day (reserved, then settled)
 * sluice:q:{tenant}:usd-day:&lt;epoch-day&gt;     micro-USD this UTC day (reserved, then settled)
 * sluice:q:{tenant}:usd-month:&lt;yyyymm&gt;      micro-USD this UTC calendar month
 * sluice:q:{tenant}:k:&lt;key-id&gt;:rpm:&lt;...&gt;  the same four request/token windows for one key's own limits
 * </pre>
 */
public final class QuotaKeys {
    public static final String PREFIX = "sluice:q:";

    private QuotaKeys() {
    }

    /** A quota window: its name in the key and how an instant maps to its stamp. */
    public enum Window {
        RPM("rpm", 60), RPH("rph", 3_600), RPD("rpd", 86_400), TPD("tpd", 86_400), USD_DAY("usd-day", 86_400),
        USD_MONTH("usd-month", 0);

        private final String name;
        private final long seconds;

        Window(String name, long seconds) {
            this.name = name;
            this.seconds = seconds;
        }

        public String keyName() {
            return name;
        }

        /** Whole seconds from {@code now} until this window's counter gives way to the next window's. */
        public long secondsToReset(Instant now) {
            long end = this == USD_MONTH
                    ? now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).plusMonths(1)
                            .atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                    : (stamp(now) + 1) * seconds;
            return end - now.getEpochSecond();
        }

        /** The window's stamp for an instant: epoch minute/hour/day, or yyyymm for the calendar month. */
        public long stamp(Instant now) {
            if (this == USD_MONTH) {
                ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
                return utc.getYear() * 100L + utc.getMonthValue();
            }
            return now.getEpochSecond() / seconds;
        }
    }

    /** Prefix of every counter of a tenant, including its hash tag. */
    public static String tenantPrefix(String tenantId) {
        return PREFIX + "{" + tenantId + "}:";
    }

    /** Prefix of the counters of one key's own limits. */
    public static String keyPrefix(String tenantId, String keyId) {
        return tenantPrefix(tenantId) + "k:" + keyId + ":";
    }

    public static String tenantCounter(String tenantId, Window window, Instant now) {
        return tenantPrefix(tenantId) + window.keyName() + ":" + window.stamp(now);
    }

    public static String keyCounter(String tenantId, String keyId, Window window, Instant now) {
        return keyPrefix(tenantId, keyId) + window.keyName() + ":" + window.stamp(now);
    }
}
