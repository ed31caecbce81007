package io.sluice.gateway;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.redis.datasource.RedisDataSource;

/** How many scripts Redis has run (EVALSHA and EVAL calls), from INFO commandstats: round trips, counted by Redis. */
public final class RedisScriptRuns {
    private static final Pattern SCRIPT_CALLS = Pattern.compile("cmdstat_eval(?:sha)?:calls=(\\d+)");

    private RedisScriptRuns() {
    }

    public static long sofar(RedisDataSource redis) {
        Matcher calls = SCRIPT_CALLS.matcher(redis.execute("INFO", "commandstats").toString());
        long total = 0;
        while (calls.find()) {
            total += Long.parseLong(calls.group(1));
        }
        return total;
    }
}
