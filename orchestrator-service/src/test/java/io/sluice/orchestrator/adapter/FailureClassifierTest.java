package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class FailureClassifierTest {

    @ParameterizedTest
    @CsvSource({ "408,504", "429,429", "500,502", "502,502", "503,503", "504,504", "529,503" })
    void transientStatusesAreRetryable(int upstreamStatus, int sluiceStatus) {
        UpstreamFailure failure = FailureClassifier.classify(upstreamStatus, null, "busy", null);
        assertTrue(failure.retryable());
        assertEquals(sluiceStatus, failure.status());
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 404, 422 })
    void clientErrorsAreNeverRetried(int status) {
        assertFalse(FailureClassifier.classify(status, null, "no", "some_code").retryable());
    }

    /** An operator's bad or revoked provider key: the deployment's fault, in words that quote no key. */
    @ParameterizedTest
    @ValueSource(ints = { 401, 403 })
    void refusedCredentialsAreA502ForAnotherDeploymentWithoutTheProvidersText(int status) {
        UpstreamFailure failure = FailureClassifier.classify(status, null,
                "Incorrect API key provided: sk-proj-abcd************************wxyz.", "invalid_api_key");
        assertEquals(502, failure.status());
        assertEquals("upstream_auth_failed", failure.error().error().code());
        assertEquals("server_error", failure.error().error().type());
        assertFalse(failure.error().error().message().contains("sk-"), failure.error().error().message());
        assertEquals(UpstreamFailure.Recovery.OTHER_DEPLOYMENT, failure.recovery(),
                "a sibling with its own key may serve; waiting for this one does not help");
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 429, 500, 503 })
    void contextLengthIsNeverRetriedWhateverTheStatus(int status) {
        UpstreamFailure failure = FailureClassifier.classify(status, null, "prompt is too long: 210000 tokens > 200000",
                "invalid_request_error");
        assertFalse(failure.retryable());
        assertEquals(400, failure.status());
        assertEquals("context_length_exceeded", failure.error().error().code());
    }

    @Test
    void contentPolicyIsNeverRetried() {
        UpstreamFailure failure = FailureClassifier.classify(400, null, "blocked by content policy", null);
        assertFalse(failure.retryable());
        assertEquals("content_filter", failure.error().error().code());
    }

    @Test
    void retryAfterSecondsIsKept() {
        UpstreamFailure failure = FailureClassifier.classify(429, MultiMap.caseInsensitiveMultiMap()
                .add("Retry-After", "7"), "slow down", null);
        assertEquals(Optional.of(Duration.ofSeconds(7)), failure.retryAfter());
    }
}
