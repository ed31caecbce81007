package io.sluice.gateway.service;

import io.vertx.core.http.HttpServerRequest;

/**
 * The body of a request refused before it was read (its key): discarded as it arrives, never buffered; a body beyond
 * the size limit closes the connection.
 */
public final class RefusedBody {
    private RefusedBody() {
    }

    public static void discard(HttpServerRequest client, long maxBodyBytes) {
        if (client.isEnded()) {
            return;
        }
        long[] discarded = new long[1];
        client.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > maxBodyBytes) {
                client.connection().close();
            }
        });
        client.resume();
    }
}
