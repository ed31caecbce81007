package io.sluice.orchestrator.rest;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.adminguard.AdminApi;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.service.ProviderRateLimiter;
import io.sluice.orchestrator.service.ProviderRateLimiter.WindowUsage;

/**
 * Operators' view of each deployment's provider quotas: per window (minute, hour, day; requests or tokens) its limit,
 * what all replicas have used of it so far, as counted in Redis, and when it turns. No tenant data: provider quotas are
 * per deployment. {@code limitedForMillis} is this replica's note that a refusal made the deployment full (reset with
 * {@code POST /admin/circuit-breakers/{name}/reset}).
 */
@AdminApi
@Path("/admin/provider-limits")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderLimitsAdminResource {

    public record WindowView(String window, String unit, long limit, long used, long remaining, Instant resetsAt) {
    }

    public record DeploymentLimitsView(String deployment, String model, String provider, long limitedForMillis,
            List<WindowView> windows) {
    }

    private final ModelCatalog catalog;
    private final ProviderRateLimiter limiter;

    public ProviderLimitsAdminResource(ModelCatalog catalog, ProviderRateLimiter limiter) {
        this.catalog = catalog;
        this.limiter = limiter;
    }

    @GET
    public Uni<List<DeploymentLimitsView>> list() {
        return views(catalog.deployments());
    }

    @GET
    @Path("{deployment}")
    public Uni<DeploymentLimitsView> get(@PathParam("deployment") String name) {
        Deployment deployment = catalog.deployment(name).filter(d -> !d.provider().inProcess())
                .orElseThrow(() -> new ApiException(404, ApiError.of("invalid_request_error",
                        "deployment_not_found", "No deployment with a provider quota named '" + name + "'.")));
        return views(List.of(deployment)).map(views -> views.get(0));
    }

    private Uni<List<DeploymentLimitsView>> views(Collection<Deployment> deployments) {
        return limiter.usage(deployments)
                .map(usage -> deployments.stream().filter(d -> usage.containsKey(d.name()))
                        .map(d -> new DeploymentLimitsView(d.name(), d.alias(), d.providerLabel(),
                                limiter.millisUntilRoom(d),
                                usage.get(d.name()).stream().map(ProviderLimitsAdminResource::window).toList()))
                        .toList())
                .onFailure().transform(err -> {
                    Log.warnf("provider-limit usage not read from Redis: %s", err.toString());
                    return new ApiException(503, ApiError.of("server_error", "provider_limits_unavailable",
                            "Redis, which counts the provider quotas, did not answer; retry later."));
                });
    }

    private static WindowView window(WindowUsage usage) {
        return new WindowView(usage.window().period(), usage.window().unit(), usage.limit(), usage.used(),
                Math.max(0, usage.limit() - usage.used()), usage.resetsAt());
    }
}
