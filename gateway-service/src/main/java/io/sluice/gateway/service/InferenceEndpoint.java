package io.sluice.gateway.service;

/**
 * One public inference endpoint: its path (the same on the orchestrator), its name in configuration (endpoint
 * multipliers) and how its requests are validated.
 */
public record InferenceEndpoint(String name, String path, InferenceRequestValidator validator) {
}
