package io.sluice.orchestrator.adapter;

import java.util.Map;

import io.vertx.core.buffer.Buffer;

/** The HTTP request an adapter builds for a provider: always a POST of a JSON body. */
public record UpstreamRequest(String absoluteUrl, Map<String, String> headers, Buffer body, boolean stream) {
}
