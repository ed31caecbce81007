package io.sluice.contracts;

/**
 * OpenAI's error envelope, {@code {"error":{"message","type","param","code"}}}, which every Sluice service returns
 * so that OpenAI SDKs surface our errors as they surface OpenAI's.
 */
public record ApiError(Body error) {

    public record Body(String message, String type, String param, String code) {
    }

    public static ApiError of(String type, String code, String message) {
        return new ApiError(new Body(message, type, null, code));
    }

    public static ApiError invalidRequest(String code, String param, String message) {
        return new ApiError(new Body(message, "invalid_request_error", param, code));
    }

    public static ApiError authentication(String message) {
        return of("authentication_error", "invalid_api_key", message);
    }

    public static ApiError notFound(String message) {
        return of("invalid_request_error", "not_found", message);
    }
}
