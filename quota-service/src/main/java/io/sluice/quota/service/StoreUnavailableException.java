package io.sluice.quota.service;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;

/**
 * Redis, which holds what an admin view reads (quota counters, the response cache), did not answer in time: a 503
 * the operator may retry after {@link #RETRY_AFTER_SECONDS} (a Redis restart or failover is over in seconds).
 */
public class StoreUnavailableException extends ApiException {
    public static final long RETRY_AFTER_SECONDS = 5;

    public StoreUnavailableException(String code, String message) {
        super(503, ApiError.of("server_error", code, message));
    }
}
