package io.sluice.orchestrator.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;

/**
 * At most {@code max-concurrency} calls in flight per deployment. A plain non-blocking counter rather than SmallRye
 * Fault Tolerance's bulkhead: its asynchronous variant queues the excess call, whereas a full deployment should send
 * the call to a sibling at once (the router does the waiting, bounded by the deadline). A call counts until the
 * orchestrator has its whole answer (a stream: until its last chunk is relayed) or gives up on it.
 */
@ApplicationScoped
public class DeploymentBulkhead {
    private final ModelCatalog catalog;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public DeploymentBulkhead(ModelCatalog catalog) {
        this.catalog = catalog;
        catalog.deployments().forEach(d -> inFlight.put(d.name(), new AtomicInteger()));
    }

    public boolean hasRoom(Deployment deployment) {
        return inFlight.get(deployment.name()).get() < catalog.limits(deployment).maxConcurrency();
    }

    /** Takes a slot if one is free; a true answer must be matched by one {@link #leave}. */
    public boolean tryEnter(Deployment deployment) {
        int limit = catalog.limits(deployment).maxConcurrency();
        AtomicInteger count = inFlight.get(deployment.name());
        while (true) {
            int current = count.get();
            if (current >= limit) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void leave(Deployment deployment) {
        inFlight.get(deployment.name()).decrementAndGet();
    }
}
