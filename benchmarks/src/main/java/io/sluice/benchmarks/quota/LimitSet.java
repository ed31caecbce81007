package io.sluice.benchmarks.quota;

import java.util.ArrayList;
import java.util.List;

import io.sluice.contracts.QuotaKeys.Window;

/**
 * Which limits a request is checked against, as the gateway's QuotaPlanner lists them: one (scope, window, limit,
 * amount) group each. Limits are far above anything a run can reach, so every decision admits and consumes, the
 * path every served request takes.
 */
public enum LimitSet {
    /** The tenant's plan only (rpm, rph, rpd, tokens per day): what every request is checked against. */
    TENANT(false),
    /** The plan, all four of the key's own limits and both USD budgets: the most limits one request can have. */
    TENANT_KEY_BUDGETS(true);

    /** A limit no benchmark run can reach, still exact as a Lua number (a double). */
    static final long NEVER_REACHED = Long.MAX_VALUE / 2;
    /** Tokens a typical chat request reserves (prompt estimate plus max_tokens). */
    static final long RESERVED_TOKENS = 1_000;
    /** Micro-USD such a request reserves against the budgets. */
    static final long RESERVED_MICRO_USD = 2_500;

    private final boolean keyLimitsAndBudgets;

    LimitSet(boolean keyLimitsAndBudgets) {
        this.keyLimitsAndBudgets = keyLimitsAndBudgets;
    }

    /** The script's ARGV after the key prefix: groups of scope ('t' or 'k'), window, limit, amount. */
    /** Arguments per limit: scope, window, limit, amount, block. */
    static final int GROUP_SIZE = 5;

    List<String> groups() {
        List<String> groups = new ArrayList<>(40);
        addRequestAndTokenWindows(groups, "t");
        if (keyLimitsAndBudgets) {
            addRequestAndTokenWindows(groups, "k");
            add(groups, "t", Window.USD_DAY, RESERVED_MICRO_USD);
            add(groups, "t", Window.USD_MONTH, RESERVED_MICRO_USD);
        }
        return groups;
    }

    private static void addRequestAndTokenWindows(List<String> groups, String scope) {
        add(groups, scope, Window.RPM, 1);
        add(groups, scope, Window.RPH, 1);
        add(groups, scope, Window.RPD, 1);
        add(groups, scope, Window.TPD, RESERVED_TOKENS);
    }

    private static void add(List<String> groups, String scope, Window window, long amount) {
        groups.add(scope);
        groups.add(window.keyName());
        groups.add(Long.toString(NEVER_REACHED));
        groups.add(Long.toString(amount));
        // No block: every decision of the benchmark is the round trip a request without a quota block pays.
        groups.add("0");
    }
}
