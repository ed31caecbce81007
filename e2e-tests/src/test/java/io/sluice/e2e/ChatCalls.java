package io.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small chat completions sent straight to one gateway replica with java.net.http, as any client would send them. */
final class ChatCalls {
    /** A short answer (max_tokens bounds what the gateway reserves against the tenant's token quota). */
    static final String SMALL_CHAT =
            "{\"model\":\"sim-gpt\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChatCalls() {
    }

    static HttpResponse<String> chat(String gatewayUrl, String key) {
        return chat(gatewayUrl, key, SMALL_CHAT);
    }

    /** A chat completion with this body and these extra headers (name, value, ...). */
    static HttpResponse<String> chat(String gatewayUrl, String key, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A chat completion whose context is a system prompt and whose question is the last user message (both plain
     * text without quotes or backslashes).
     */
    static String askedInContext(String systemPrompt, String question) {
        return "{\"model\":\"sim-gpt\",\"max_tokens\":12,\"messages\":[{\"role\":\"system\",\"content\":\""
                + systemPrompt + "\"},{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    }

    static long longHeader(HttpResponse<?> response, String name) {
        return Long.parseLong(response.headers().firstValue(name)
                .orElseThrow(() -> new AssertionError("no " + name + " header on a " + response.statusCode())));
    }
}
