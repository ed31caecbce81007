package io.sluice.telemetry.service;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What every usage report sums. {@code errors} counts every outcome but success (error, incomplete, rejected);
 * {@code cost_usd} has exactly six decimals (micro-USD). {@code cache_hits} are the requests answered from the
 * response cache (counted in {@code requests} too, at no cost); {@code saved_cost_usd} is what their tokens would have
 * cost.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageSums(
        long requests,
        long successes,
        long errors,
        long promptTokens,
        long completionTokens,
        long cachedTokens,
        BigDecimal costUsd,
        long cacheHits,
        BigDecimal savedCostUsd) {

    /**
     * The JSON names of these fields, in order: the CSV columns after a report's key columns. The cache's columns come
     * last, so that CSV readers of the columns before them keep their positions.
     */
    public static final List<String> COLUMNS = List.of("requests", "successes", "errors", "prompt_tokens",
            "completion_tokens", "cached_tokens", "cost_usd", "cache_hits", "saved_cost_usd");

    public static final UsageSums NONE = new UsageSums(0, 0, 0, 0, 0, 0, BigDecimal.ZERO.setScale(6), 0,
            BigDecimal.ZERO.setScale(6));
}
