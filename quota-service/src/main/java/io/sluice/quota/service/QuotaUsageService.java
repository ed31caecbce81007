package io.sluice.quota.service;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.QuotaKeys;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.quota.model.LimitField;
import io.sluice.quota.model.QuotaSnapshot;
import io.sluice.quota.repository.ApiKeyRepository;
import io.sluice.quota.repository.QuotaCounterRepository;

/** The live view of a tenant's quota counters, which the gateway keeps in Redis, and their reset. */
@ApplicationScoped
public class QuotaUsageService {
    private final TenantService tenants;
    private final ApiKeyRepository keys;
    private final QuotaCounterRepository counters;
    private final KeyInvalidationPublisher invalidations;

    public QuotaUsageService(TenantService tenants, ApiKeyRepository keys, QuotaCounterRepository counters,
            KeyInvalidationPublisher invalidations) {
        this.tenants = tenants;
        this.keys = keys;
        this.counters = counters;
        this.invalidations = invalidations;
    }

    /** The tenant's counters in the windows current on the Redis clock, against its effective limits and budgets. */
    public Uni<QuotaSnapshot> usage(UUID tenantId) {
        String tenant = tenantId.toString();
        return tenants.get(tenantId).flatMap(view -> redis(counters.serverTime().flatMap(now -> {
            Map<Window, String> names = new EnumMap<>(Window.class);
            for (Window window : Window.values()) {
                names.put(window, QuotaKeys.tenantCounter(tenant, window, now));
            }
            return counters.read(List.copyOf(names.values())).map(values -> {
                Map<Window, Long> used = new EnumMap<>(Window.class);
                names.forEach((window, name) -> used.put(window, values.get(name)));
                return new QuotaSnapshot(tenantId, now, view.effectiveLimits(), view.tenant().budgets(), used);
            });
        })));
    }

    /**
     * Deletes the tenant's counters of the current windows, its own and its keys', so that it starts afresh in every
     * window. Earlier windows' counters are left to expire. The gateways are told, so that they drop the quota
     * blocks they hold for the tenant (counted in the deleted counters) instead of spending them on top.
     *
     * @return how many counters existed
     */
    public Uni<Integer> reset(UUID tenantId) {
        String tenant = tenantId.toString();
        return Panache.withSession(() -> tenants.get(tenantId).flatMap(view -> keys.idsOfTenant(tenantId)))
                .flatMap(keyIds -> redis(counters.serverTime().flatMap(now -> {
                    List<String> names = new ArrayList<>();
                    for (Window window : Window.values()) {
                        names.add(QuotaKeys.tenantCounter(tenant, window, now));
                    }
                    for (UUID keyId : keyIds) {
                        for (LimitField field : LimitField.values()) {
                            names.add(QuotaKeys.keyCounter(tenant, keyId.toString(), field.window(), now));
                        }
                    }
                    return counters.delete(names);
                })))
                .invoke(deleted -> Log.infof("Reset the quota counters of tenant %s (%d existed)", tenantId, deleted))
                .call(deleted -> invalidations.tenantChanged(tenantId));
    }

    private static <T> Uni<T> redis(Uni<T> call) {
        return call.onFailure().transform(failure -> {
            Log.warnf("Redis, which holds the quota counters, failed: %s", failure.toString());
            return new StoreUnavailableException("quota_store_unavailable",
                    "The quota counters are unavailable right now; retry shortly");
        });
    }
}
