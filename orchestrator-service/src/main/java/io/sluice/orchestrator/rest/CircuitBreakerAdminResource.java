package io.sluice.orchestrator.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.adminguard.AdminApi;
import io.sluice.orchestrator.service.DeploymentHealth;
import io.sluice.orchestrator.service.ProviderRateLimiter;

/** Operators' view of the per-deployment circuit breakers, and the way to close one by hand after a fix. */
@AdminApi
@Path("/admin/circuit-breakers")
@Produces(MediaType.APPLICATION_JSON)
public class CircuitBreakerAdminResource {

    /** {@code coolDownUntil} is set while a provider's Retry-After keeps calls away from the deployment. */
    public record BreakerView(String name, String deployment, String model, String provider, String state,
            Instant coolDownUntil) {
    }

    private final ModelCatalog catalog;
    private final DeploymentHealth health;
    private final ProviderRateLimiter limiter;

    public CircuitBreakerAdminResource(ModelCatalog catalog, DeploymentHealth health, ProviderRateLimiter limiter) {
        this.catalog = catalog;
        this.health = health;
        this.limiter = limiter;
    }

    @GET
    public Uni<List<BreakerView>> list() {
        return Uni.createFrom().item(() -> catalog.deployments().stream().map(this::view).toList());
    }

    @GET
    @Path("{name}")
    public Uni<BreakerView> get(@PathParam("name") String name) {
        return Uni.createFrom().item(() -> view(deployment(name)));
    }

    /** Closes the breaker, ends any cool-down and forgets this replica's note that the provider quota is used up. */
    @POST
    @Path("{name}/reset")
    public Uni<BreakerView> reset(@PathParam("name") String name) {
        return Uni.createFrom().item(() -> {
            Deployment deployment = deployment(name);
            health.reset(deployment.name());
            limiter.reset(deployment.name());
            return view(deployment);
        });
    }

    @POST
    @Path("reset-all")
    public Uni<List<BreakerView>> resetAll() {
        return Uni.createFrom().item(() -> {
            catalog.deployments().forEach(d -> {
                health.reset(d.name());
                limiter.reset(d.name());
            });
            return catalog.deployments().stream().map(this::view).toList();
        });
    }

    /** Accepts the breaker name ({@code deployment-<name>}) or the deployment name. */
    private Deployment deployment(String name) {
        String deploymentName = name.startsWith("deployment-") && catalog.deployment(name).isEmpty()
                ? name.substring("deployment-".length()) : name;
        return catalog.deployment(deploymentName).orElseThrow(() -> new ApiException(404, ApiError.of(
                "invalid_request_error", "circuit_breaker_not_found", "No circuit breaker named '" + name + "'.")));
    }

    private BreakerView view(Deployment deployment) {
        return new BreakerView(DeploymentHealth.breakerName(deployment.name()), deployment.name(),
                deployment.alias(), deployment.providerLabel(), health.state(deployment.name()).name(),
                health.coolDownUntil(deployment.name()).orElse(null));
    }
}
