package io.sluice.quota.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.config.PlansConfig;
import io.sluice.quota.entity.Tenant;
import io.sluice.quota.repository.TenantRepository;

@ApplicationScoped
public class TenantService {
    static final int MAX_NAME_LENGTH = 200;

    private final TenantRepository tenants;
    private final PlansConfig plans;
    private final Clock clock;

    public TenantService(TenantRepository tenants, PlansConfig plans, Clock clock) {
        this.tenants = tenants;
        this.plans = plans;
        this.clock = clock;
    }

    public Uni<Tenant> create(String name, String plan) {
        String tenantName = requireName(name);
        String planName = plans.canonicalName(plan).orElseThrow(() -> ApiException.badRequest("invalid_value", "plan",
                "Unknown plan '" + plan + "'; configured plans: " + new TreeSet<>(plans.plans().keySet())));
        // PostgreSQL keeps microseconds; truncating here makes the response match every later read.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Tenant tenant = Tenant.create(tenantName, planName, now);
        // Validation above runs before any connection is taken. The count answers the common case without a failed
        // insert; the unique constraint settles concurrent creates of one name.
        return Panache.withTransaction(() -> tenants.count("name", tenantName)
                .flatMap(existing -> existing > 0
                        ? Uni.createFrom().failure(tenantExists(tenantName))
                        : tenants.persistAndFlush(tenant)))
                .onFailure(UniqueViolation::matches).transform(e -> tenantExists(tenantName))
                .invoke(created -> Log.infof("Created tenant %s on plan %s", created.id, created.plan));
    }

    @WithSession
    public Uni<List<Tenant>> list() {
        return tenants.listOldestFirst();
    }

    @WithSession
    public Uni<Tenant> get(UUID id) {
        return tenants.findById(id).onItem().ifNull().failWith(() -> unknownTenant(id));
    }

    private static ApiException tenantExists(String name) {
        return new ApiException(409, ApiError.invalidRequest("tenant_exists", "name",
                "A tenant named '" + name + "' already exists"));
    }

    static ApiException unknownTenant(UUID id) {
        return ApiException.notFound("No tenant with id " + id);
    }

    private static String requireName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) {
            throw ApiException.badRequest("invalid_value", "name", "Tenant name must not be blank");
        }
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("invalid_value", "name",
                    "Tenant name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return stripped;
    }
}
