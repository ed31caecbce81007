package io.sluice.testsupport.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a URL answers 200 right now, or, for a process without a readiness URL, whether its port accepts a
 * connection: how the suite and the benchmarks wait for a process to be ready.
 */
public final class HttpProbe {
    private HttpProbe() {
    }

    /** True on a 200 within {@code timeout}; false on any other status, a refused connection or a timeout. */
    public static boolean answers200(HttpClient http, URI uri, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when 127.0.0.1:{@code port} accepts a TCP connection within {@code timeout}. */
    public static boolean acceptsConnections(int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
