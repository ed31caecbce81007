package io.sluice.orchestrator.catalog;

import java.time.Duration;

/**
 * What the provider allows one deployment: requests and tokens per minute ({@code tokensPerMinute} 0 means no token
 * quota), requests per hour and per day and tokens per day (0: no such window), calls in flight at once, and how long
 * a request may wait for the quota window to turn.
 */
public record DeploymentLimits(int requestsPerMinute, long tokensPerMinute, int maxConcurrency, Duration maxWait,
        long requestsPerHour, long requestsPerDay, long tokensPerDay) {

    public DeploymentLimits(int requestsPerMinute, long tokensPerMinute, int maxConcurrency, Duration maxWait) {
        this(requestsPerMinute, tokensPerMinute, maxConcurrency, maxWait, 0, 0, 0);
    }

    /** Whether any call must count tokens: some token window is set. */
    public boolean countsTokens() {
        return tokensPerMinute > 0 || tokensPerDay > 0;
    }
}
