package io.sluice.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.quota.QuotaLimit.Scope;

class QuotaResponsesTest {

    @Test
    void refusalsCarryOpenAiCodesByWhatRanOut() {
        assertRefusal(new QuotaLimit(Scope.TENANT, Window.RPM, 10, 1), "requests", "rate_limit_exceeded");
        assertRefusal(new QuotaLimit(Scope.KEY, Window.RPD, 10, 1), "requests", "rate_limit_exceeded");
        assertRefusal(new QuotaLimit(Scope.TENANT, Window.TPD, 10, 50), "tokens", "insufficient_quota");
        assertRefusal(new QuotaLimit(Scope.TENANT, Window.USD_MONTH, 10, 50), "insufficient_quota",
                "insufficient_quota");
    }

    private static void assertRefusal(QuotaLimit limit, String type, String code) {
        ApiException refusal = QuotaResponses.refusal(new QuotaDecision.Counter(limit, 10, 42, "k"));
        assertEquals(429, refusal.status());
        assertEquals(type, refusal.error().error().type());
        assertEquals(code, refusal.error().error().code());
    }
}
