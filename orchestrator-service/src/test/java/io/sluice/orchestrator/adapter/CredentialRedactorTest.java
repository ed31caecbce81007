package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;

class CredentialRedactorTest {

    @ParameterizedTest
    @ValueSource(strings = { "sk-proj-AbCdEf0123456789xyz", "sk-ant-api03-AbCd_Ef-0123", "sk-abc1****************wxyz",
            "AIzaSyA-0123456789abcdefghijklmnopqrstu", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc" })
    void keyLikeStringsAreRemoved(String key) {
        String message = "Quota exceeded for " + key + ", see the console.";
        String cleaned = CredentialRedactor.redact(message, Optional.empty());
        assertFalse(cleaned.contains(key), cleaned);
        assertEquals("Quota exceeded for " + CredentialRedactor.REDACTED + ", see the console.", cleaned);
    }

    @Test
    void theDeploymentsOwnKeyIsRemovedWholeAndMasked() {
        String key = "0123456789abcdef0123456789abcdef"; // an Azure-style key, no recognisable prefix
        Deployment deployment = Deployments.of(ProviderType.AZURE_OPENAI, "https://example.test", "m", key, null);
        UpstreamFailure failure = new UpstreamFailure(400, ApiError.invalidRequest("bad", null,
                "Key " + key + " (shown as 01234567****cdef) is not valid for this model."),
                UpstreamFailure.Recovery.NONE, Optional.empty());

        String message = CredentialRedactor.redact(failure, deployment).error().error().message();

        assertEquals("Key [redacted] (shown as [redacted] is not valid for this model.", message);
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String message = "The model `sim-gpt` does not support tools; task-queue-1234 asks for skip-tools.";
        assertEquals(message, CredentialRedactor.redact(message, Optional.of("short")));
    }
}
