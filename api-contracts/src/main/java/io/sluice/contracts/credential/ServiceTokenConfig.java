package io.sluice.contracts.credential;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The service credential: the shared secret the gateway sends on every call to another Sluice service, and that
 * quota-service, telemetry-service and the orchestrator require on their internal endpoints. Read by both sides from
 * the same keys (env {@code SLUICE_SERVICE_TOKEN}, {@code SLUICE_SERVICE_PREVIOUS_TOKEN},
 * {@code SLUICE_SERVICE_NEXT_TOKEN}).
 *
 * <p>Rotation: a sender sends {@link #token()}; a receiver accepts it, {@link #previousToken()} and
 * {@link #nextToken()}. A rotation moves each token one place (previous ← current ← next ← a new one), so at every
 * moment of a rolling restart the token any running sender sends is one that every running receiver accepts.
 */
@ConfigMapping(prefix = "sluice.service")
public interface ServiceTokenConfig {

    /** Sent by senders and accepted by receivers. Unset: senders send none and receivers refuse every call. */
    Optional<String> token();

    /** The token before the current one, still accepted while senders that send it may be running. */
    Optional<String> previousToken();

    /** The token the next rotation makes current, already accepted so that senders may switch to it at any time. */
    Optional<String> nextToken();
}
