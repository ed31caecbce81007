package io.sluice.orchestrator.catalog;

import java.time.Duration;

/**
 * What the provider allows one deployment: requests and tokens per minute ({@code tokensPerMinute} 0 means no token
 * quota), calls in flight at once, and how long a request may wait for the quota window to turn.
 */
public record DeploymentLimits(int requestsPerMinute, long tokensPerMinute, int maxConcurrency, Duration maxWait) {
}
