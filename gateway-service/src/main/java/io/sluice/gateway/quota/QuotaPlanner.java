package io.sluice.gateway.quota;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.gateway.quota.QuotaLimit.Scope;

/** Lists every limit one request is subject to, from the key's grant and what the request reserves. */
@ApplicationScoped
public class QuotaPlanner {

    public List<QuotaLimit> limits(KeyGrant grant, long tokens, long microUsd) {
        List<QuotaLimit> limits = new ArrayList<>(12);
        KeyGrant.PlanLimits tenant = grant.limits();
        limits.add(new QuotaLimit(Scope.TENANT, Window.RPM, tenant.requestsPerMinute(), 1));
        limits.add(new QuotaLimit(Scope.TENANT, Window.RPH, tenant.requestsPerHour(), 1));
        limits.add(new QuotaLimit(Scope.TENANT, Window.RPD, tenant.requestsPerDay(), 1));
        limits.add(new QuotaLimit(Scope.TENANT, Window.TPD, tenant.tokensPerDay(), tokens));
        KeyGrant.KeyLimits key = grant.keyLimits();
        if (key != null) {
            addIfSet(limits, Scope.KEY, Window.RPM, key.requestsPerMinute(), 1);
            addIfSet(limits, Scope.KEY, Window.RPH, key.requestsPerHour(), 1);
            addIfSet(limits, Scope.KEY, Window.RPD, key.requestsPerDay(), 1);
            addIfSet(limits, Scope.KEY, Window.TPD, key.tokensPerDay(), tokens);
        }
        KeyGrant.Budgets budgets = grant.budgets();
        if (budgets != null) {
            addIfSet(limits, Scope.TENANT, Window.USD_DAY, microUsd(budgets.dailyUsd()), microUsd);
            addIfSet(limits, Scope.TENANT, Window.USD_MONTH, microUsd(budgets.monthlyUsd()), microUsd);
        }
        return limits;
    }

    private static void addIfSet(List<QuotaLimit> limits, Scope scope, Window window, Long limit, long amount) {
        if (limit != null) {
            limits.add(new QuotaLimit(scope, window, limit, amount));
        }
    }

    private static Long microUsd(BigDecimal usd) {
        return usd == null ? null : usd.movePointRight(6).longValue();
    }
}
