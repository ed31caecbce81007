package io.sluice.orchestrator.service;

import io.sluice.orchestrator.adapter.UpstreamFailure;

/**
 * A failed call to one deployment. {@code deploymentFault} says whether it counts against the deployment's circuit
 * breaker: a 5xx, timeout, connection failure, malformed answer or refused credential does; a rejected or
 * untranslatable request (4xx), a rate limit or an answer too large does not.
 */
public class UpstreamCallException extends RuntimeException {
    private final transient UpstreamFailure failure;
    private final boolean deploymentFault;

    public UpstreamCallException(UpstreamFailure failure, boolean deploymentFault) {
        super(failure.error().error().message(), null, false, false);
        this.failure = failure;
        this.deploymentFault = deploymentFault;
    }

    public UpstreamFailure failure() {
        return failure;
    }

    public boolean deploymentFault() {
        return deploymentFault;
    }
}
