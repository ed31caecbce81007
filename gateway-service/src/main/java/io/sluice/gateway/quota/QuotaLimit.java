package io.sluice.gateway.quota;

import io.sluice.contracts.QuotaKeys.Window;

/**
 * One quota a request is checked against: whose counter (the tenant's or the key's own), which window, the limit
 * and how much this request takes from it (1 request, reserved tokens, reserved micro-USD).
 */
public record QuotaLimit(Scope scope, Window window, long limit, long amount) {

    public enum Scope {
        TENANT("t"), KEY("k");

        private final String wire;

        Scope(String wire) {
            this.wire = wire;
        }

        /** How the reserve script names the scope. */
        public String wire() {
            return wire;
        }
    }

    /** What a limit counts, which decides the error a refusal gets. */
    public enum Kind {
        REQUESTS, TOKENS, BUDGET
    }

    public Kind kind() {
        return switch (window) {
            case RPM, RPH, RPD -> Kind.REQUESTS;
            case TPD -> Kind.TOKENS;
            case USD_DAY, USD_MONTH -> Kind.BUDGET;
        };
    }

    /** A short policy name for the IETF RateLimit headers, e.g. {@code rpm} or {@code key-tpd}. */
    public String policyName() {
        return (scope == Scope.KEY ? "key-" : "") + window.keyName();
    }

    public long windowSeconds() {
        return switch (window) {
            case RPM -> 60;
            case RPH -> 3_600;
            case RPD, TPD, USD_DAY -> 86_400;
            case USD_MONTH -> 30L * 86_400;
        };
    }
}
