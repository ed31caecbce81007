package io.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.testsupport.suite.LocalSuite;

/**
 * The suite's sim-provider seen from a test: its rules ({@code POST/DELETE /sim/rules}) and the last request bodies
 * it received ({@code GET /sim/requests}, the last 16, oldest first).
 */
final class SimProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request body the provider received, on one path. */
    record Received(String path, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final String baseUrl;

    SimProbe(LocalSuite.Started started) {
        this.baseUrl = "http://127.0.0.1:" + started.ports().sim();
    }

    /** Adds a rule for one model ({@code directives} as in the x-sim header) and returns its id. */
    long addRule(String model, String directives) {
        String rule = "{\"model\":\"" + model + "\",\"directives\":\"" + directives + "\"}";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/sim/rules"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(rule)));
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("POST /sim/rules answered " + answer.statusCode() + ": " + answer.body());
        }
        return read(answer.body()).get("id").asLong();
    }

    void deleteRule(long id) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/sim/rules/" + id)).DELETE());
    }

    /** The last request bodies the provider received, oldest first. */
    List<Received> requests() {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/sim/requests")).GET());
        List<Received> received = new ArrayList<>();
        read(answer.body()).forEach(entry -> received.add(new Received(entry.get("path").asText(),
                entry.get("body").asText())));
        return received;
    }

    /** The newest request body the provider received that contains {@code marker}. */
    Optional<Received> lastContaining(String marker) {
        List<Received> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).body().contains(marker)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
