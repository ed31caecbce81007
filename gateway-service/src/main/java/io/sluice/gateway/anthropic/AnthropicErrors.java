package io.sluice.gateway.anthropic;

import io.sluice.contracts.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's error format, {@code {"type":"error","error":{"type","message"}}}. Anthropic's SDKs pick the
 * exception from the status code, so the status stays the gateway's; the error type follows from it as Anthropic
 * documents.
 */
final class AnthropicErrors {
    private AnthropicErrors() {
    }

    static JsonObject of(int status, String message) {
        return new JsonObject().put("type", "error")
                .put("error", new JsonObject().put("type", type(status)).put("message", message));
    }

    static JsonObject of(int status, ApiError error) {
        return of(status, error.error() == null || error.error().message() == null ? "Request failed."
                : error.error().message());
    }

    /** An OpenAI error envelope (from the orchestrator) in Anthropic's format; any other body gets a generic one. */
    static JsonObject fromOpenAi(int status, Buffer body) {
        String message = null;
        try {
            if (body.length() > 0 && body.toJson() instanceof JsonObject envelope
                    && envelope.getValue("error") instanceof JsonObject error) {
                message = error.getString("message");
            }
        } catch (DecodeException | ClassCastException e) {
            // Not JSON: the generic message below.
        }
        return of(status, message != null ? message : "The model service failed (status " + status + ").");
    }

    static String type(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
