package io.sluice.orchestrator.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.adapter.UpstreamFailure.Recovery;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.catalog.ModelRoute;
import io.sluice.orchestrator.config.RoutingConfig;
import io.sluice.orchestrator.metrics.UpstreamMetrics;
import io.vertx.core.Vertx;

/**
 * Picks the deployment for each attempt and decides what happens after a failure: the alias's deployments first
 * (lowest priority value first, weighted random within it, skipping open breakers, cooling-down deployments, full
 * bulkheads and used-up provider quotas), then those of its fallback aliases the calling key may use; a deployment
 * that cannot serve the request at all (refused credentials, no such endpoint) is not asked again for it; when every
 * candidate failed with a retryable outcome, another round after an exponential backoff with jitter; when the only
 * candidates left have used up their provider quota, a bounded wait for the quota window to turn, then a 429
 * {@code provider_rate_limited}; all within one overall deadline. Waits are Vert.x timers; no thread blocks.
 */
@ApplicationScoped
public class DeploymentRouter {

    /** How one request is sent to a deployment. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Builds the call to the deployment, before anything is spent on it (a bulkhead slot, provider quota, a
         * breaker's trial call). A request that cannot be built for it fails here with an
         * {@link UpstreamCallException} that is never the deployment's fault; its recovery says whether another
         * deployment may take the request.
         */
        Call prepare(Deployment deployment);
    }

    /** One built call to a deployment, which must finish by the given deadline (epoch millis). */
    @FunctionalInterface
    public interface Call {
        Uni<UpstreamAnswer> send(long deadlineMillis);
    }

    private final ModelCatalog catalog;
    private final DeploymentHealth health;
    private final RoutingConfig config;
    private final Vertx vertx;
    private final ProviderRateLimiter limiter;
    private final DeploymentBulkhead bulkhead;
    private final UpstreamMetrics metrics;
    private final Clock clock;

    public DeploymentRouter(ModelCatalog catalog, DeploymentHealth health, RoutingConfig config, Vertx vertx,
            ProviderRateLimiter limiter, DeploymentBulkhead bulkhead, UpstreamMetrics metrics, Clock clock) {
        this.catalog = catalog;
        this.health = health;
        this.config = config;
        this.vertx = vertx;
        this.limiter = limiter;
        this.bulkhead = bulkhead;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Routes a call expected to use up to {@code tokens} tokens of the providers' token quotas, falling back only to
     * aliases the calling key may use ({@code allowed}).
     */
    public Uni<UpstreamAnswer> route(ModelRoute route, Predicate<String> allowed, long tokens, Attempt attempt) {
        List<List<Deployment>> chain = new ArrayList<>();
        chain.add(route.deployments());
        route.fallbacks().stream().filter(allowed)
                .forEach(alias -> catalog.find(alias).ifPresent(r -> chain.add(r.deployments())));
        RouteState state = new RouteState(route.alias(), chain,
                clock.millis() + config.overallDeadline().toMillis(), tokens);
        return next(state, attempt);
    }

    private Uni<UpstreamAnswer> next(RouteState state, Attempt attempt) {
        if (clock.millis() >= state.deadline) {
            return Uni.createFrom().failure(state.finalFailure("The overall deadline passed."));
        }
        Optional<Deployment> pick = pick(state);
        if (pick.isEmpty()) {
            List<Deployment> limited = quotaLimited(state);
            if (!limited.isEmpty()) {
                return waitForQuota(state, limited, attempt);
            }
            if (state.chain.stream().flatMap(List::stream).anyMatch(d -> state.untried(d)
                    && health.available(d) && !bulkhead.hasRoom(d))) {
                state.backoffHelps = true; // a full bulkhead frees up as calls finish
            }
            return retryRound(state, attempt);
        }
        Deployment deployment = pick.get();
        Call call;
        try {
            call = attempt.prepare(deployment);
        } catch (UpstreamCallException refused) {
            state.tried.add(deployment.name());
            return afterFailure(deployment, refused, state, attempt);
        }
        if (!bulkhead.tryEnter(deployment)) {
            state.backoffHelps = true;
            state.tried.add(deployment.name());
            return next(state, attempt);
        }
        return limiter.acquire(deployment, state.tokens)
                .onCancellation().invoke(() -> bulkhead.leave(deployment))
                .chain(acquisition -> {
                    if (!acquisition.admitted()) {
                        // Not tried: the limiter now knows it is full, and it may be waited for.
                        bulkhead.leave(deployment);
                        return next(state, attempt);
                    }
                    state.tried.add(deployment.name());
                    return call(deployment, call, state, attempt);
                });
    }

    private Uni<UpstreamAnswer> call(Deployment deployment, Call call, RouteState state, Attempt attempt) {
        if (!state.chain.get(0).contains(deployment)) {
            metrics.fellBack(state.model);
        }
        return health.guard(deployment, () -> {
                    long start = System.nanoTime();
                    return call.send(state.deadline)
                            .invoke(answer -> metrics.answered(deployment, answer.status(), start))
                            .onFailure(UpstreamCallException.class).invoke(err -> metrics.failed(deployment,
                                    (UpstreamCallException) err, start));
                })
                .onTermination().invoke((answer, failure, cancelled) -> {
                    if (answer != null) {
                        answer.exchange().whenOver(() -> bulkhead.leave(deployment));
                    } else {
                        bulkhead.leave(deployment);
                    }
                })
                // One recovery for the three outcomes, so that what the next attempt fails with is not handled
                // again as this deployment's failure.
                .onFailure().recoverWithUni(err -> {
                    if (err instanceof CircuitBreakerOpenException) {
                        return next(state, attempt);
                    }
                    if (err instanceof UpstreamCallException failed) {
                        return afterFailure(deployment, failed, state, attempt);
                    }
                    return Uni.createFrom().failure(bug(err));
                });
    }

    /** What follows a failed attempt: the next candidate, or the end of the request, as the failure's recovery says. */
    private Uni<UpstreamAnswer> afterFailure(Deployment deployment, UpstreamCallException err, RouteState state,
            Attempt attempt) {
        UpstreamFailure failure = err.failure();
        switch (failure.recovery()) {
            case NONE -> {
                return Uni.createFrom().failure(err);
            }
            case OTHER_DEPLOYMENT -> state.excluded.add(deployment.name());
            case RETRY -> {
                if (failure.retryAfter().isPresent()) {
                    health.coolDown(deployment, min(failure.retryAfter().get(), config.retryAfterCap()));
                } else if (err.deploymentFault() || failure.status() == 429) {
                    state.backoffHelps = true;
                }
            }
        }
        Log.infof("deployment %s failed (%d %s); trying the next one", deployment.name(), failure.status(),
                failure.error().error().code());
        state.lastFailure = err;
        return next(state, attempt);
    }

    /**
     * A failure that is not an upstream's: a bug in Sluice. The breaker counts only deployment faults, so it does
     * not count this one; the request fails with a 500 instead of a retry that would meet the same bug.
     */
    private static UpstreamCallException bug(Throwable err) {
        Log.error("routing failed unexpectedly", err);
        return new UpstreamCallException(new UpstreamFailure(500, ApiError.of("server_error", "internal_error",
                "Internal error."), Recovery.NONE, Optional.empty()), false);
    }

    /** Candidates not yet tried and healthy whose provider quota is used up for the current window. */
    private List<Deployment> quotaLimited(RouteState state) {
        return state.chain.stream().flatMap(List::stream)
                .filter(d -> state.untried(d) && health.available(d) && !limiter.hasRoom(d))
                .toList();
    }

    /**
     * Waits, in the bounded queue of the deployment whose window turns first, until that window turns, then picks
     * again; past the deployment's max wait, the deadline or a full queue, a 429 with Retry-After.
     */
    private Uni<UpstreamAnswer> waitForQuota(RouteState state, List<Deployment> limited, Attempt attempt) {
        Deployment soonest = limited.stream().min(Comparator.comparingLong(limiter::millisUntilRoom)).orElseThrow();
        long now = clock.millis();
        // A little jitter so that a queue of waiters does not hit Redis in the same millisecond.
        long wait = limiter.millisUntilRoom(soonest) + ThreadLocalRandom.current().nextLong(1, 50);
        if (state.waitingSince == 0) {
            state.waitingSince = now;
        }
        long maxWait = limited.stream().mapToLong(d -> catalog.limits(d).maxWait().toMillis()).max().orElse(0);
        long waitUntil = Math.min(state.waitingSince + maxWait, state.deadline);
        if (now + wait > waitUntil || !limiter.startWaiting(soonest)) {
            limited.forEach(limiter::rejected);
            return Uni.createFrom().failure(rateLimited(wait));
        }
        Log.debugf("provider quota of %s used up; waiting %d ms for its next window", soonest.name(), wait);
        return Uni.createFrom().<Long> emitter(em -> {
            long timer = vertx.setTimer(wait, em::complete);
            em.onTermination(() -> {
                vertx.cancelTimer(timer);
                limiter.stopWaiting(soonest);
            });
        }).chain(ignored -> next(state, attempt));
    }

    private static UpstreamCallException rateLimited(long retryAfterMillis) {
        return new UpstreamCallException(new UpstreamFailure(429, ApiError.of("rate_limit_error",
                "provider_rate_limited", "Every deployment of this model has used up its provider's rate limit; "
                        + "retry after the indicated time."),
                Recovery.NONE, Optional.of(Duration.ofSeconds(Math.max(1, (retryAfterMillis + 999) / 1000)))), false);
    }

    /** Every candidate was tried: wait and start over, unless retries, time or reasons to are used up. */
    private Uni<UpstreamAnswer> retryRound(RouteState state, Attempt attempt) {
        if (!state.backoffHelps || state.retries >= config.maxRetries()) {
            return Uni.createFrom().failure(state.finalFailure("No deployment of this model is available."));
        }
        long backoff = backoff(state.retries);
        if (clock.millis() + backoff >= state.deadline) {
            return Uni.createFrom().failure(state.finalFailure("The overall deadline passed."));
        }
        state.retries++;
        metrics.retryRound(state.model);
        state.tried.clear();
        state.backoffHelps = false;
        return Uni.createFrom().<Long> emitter(em -> vertx.setTimer(backoff, em::complete))
                .chain(ignored -> next(state, attempt));
    }

    long backoff(int retry) {
        double base = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() * Math.pow(2, retry));
        double jitter = config.jitter() * base * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Math.max(1, Math.round(base + jitter));
    }

    private Optional<Deployment> pick(RouteState state) {
        for (List<Deployment> group : state.chain) {
            List<Deployment> candidates = group.stream()
                    .filter(d -> state.untried(d) && health.available(d) && bulkhead.hasRoom(d)
                            && limiter.hasRoom(d))
                    .toList();
            if (!candidates.isEmpty()) {
                int best = candidates.stream().mapToInt(Deployment::priority).min().getAsInt();
                return Optional.of(weightedRandom(candidates.stream().filter(d -> d.priority() == best)
                        .sorted(Comparator.comparing(Deployment::name)).toList()));
            }
        }
        return Optional.empty();
    }

    private static Deployment weightedRandom(List<Deployment> candidates) {
        int total = candidates.stream().mapToInt(Deployment::weight).sum();
        int ticket = ThreadLocalRandom.current().nextInt(total);
        for (Deployment candidate : candidates) {
            ticket -= candidate.weight();
            if (ticket < 0) {
                return candidate;
            }
        }
        return candidates.get(candidates.size() - 1);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static final class RouteState {
        final String model;
        final List<List<Deployment>> chain;
        final long deadline;
        final long tokens;
        /** Deployments tried in this round. */
        final Set<String> tried = new HashSet<>();
        /** Deployments that cannot serve this request at all (refused credentials, no such endpoint). */
        final Set<String> excluded = new HashSet<>();
        /** When this request started waiting for a quota window (0: not yet); its max wait counts from there. */
        long waitingSince;
        int retries;
        /** Whether some failure of this round may go away by waiting (not one that already imposed a cool-down). */
        boolean backoffHelps;
        UpstreamCallException lastFailure;

        RouteState(String model, List<List<Deployment>> chain, long deadline, long tokens) {
            this.model = model;
            this.chain = chain;
            this.deadline = deadline;
            this.tokens = tokens;
        }

        boolean untried(Deployment deployment) {
            return !tried.contains(deployment.name()) && !excluded.contains(deployment.name());
        }

        UpstreamCallException finalFailure(String whenNoneTried) {
            return lastFailure != null ? lastFailure
                    : new UpstreamCallException(new UpstreamFailure(503, ApiError.of("server_error",
                            "no_deployment_available", whenNoneTried), Recovery.RETRY, Optional.empty()), false);
        }
    }
}
