package io.sluice.orchestrator.adapter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Sends an adapter's {@link UpstreamRequest} over real HTTP and feeds the answer back through the adapter. */
final class UpstreamCall {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A raw upstream answer. */
    record Answer(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return body.toJsonObject();
        }
    }

    /** What a streamed answer translated to, and whether the upstream connection was cut. */
    record Streamed(int status, Buffer translated, boolean completed, boolean cut) {
    }

    private UpstreamCall() {
    }

    /** The body the client receives, as JSON. */
    static JsonObject json(ClientAnswer answer) {
        return new JsonObject(answer.body());
    }

    static Answer send(UpstreamRequest request, String simDirectives) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(build(request, simDirectives), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), headers(response), Buffer.buffer(response.body()));
    }

    /**
     * Reads the stream as it arrives, translating every read at once, like the proxy does. Uses HttpURLConnection:
     * java.net.http may discard bytes that arrived just before the connection was reset, which is exactly what the
     * cut-stream tests must see.
     */
    static Streamed stream(UpstreamRequest request, String simDirectives, StreamTranslator translator)
            throws Exception {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(request.absoluteUrl())
                .toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(20_000);
        request.headers().forEach(connection::setRequestProperty);
        if (simDirectives != null) {
            connection.setRequestProperty("x-sim", simDirectives);
        }
        connection.getOutputStream().write(request.body().getBytes());
        int status = connection.getResponseCode();
        Buffer translated = Buffer.buffer();
        boolean cut = false;
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            byte[] bytes = new byte[512];
            for (int read; (read = in.read(bytes)) >= 0;) {
                translated.appendBuffer(translator.translate(Buffer.buffer().appendBytes(bytes, 0, read)));
            }
            translated.appendBuffer(translator.finish());
        } catch (IOException connectionDropped) {
            cut = true;
        }
        return new Streamed(status, translated, translator.completed(), cut);
    }

    private static HttpRequest build(UpstreamRequest request, String simDirectives) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.absoluteUrl()))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body().getBytes()));
        request.headers().forEach(builder::header);
        if (simDirectives != null) {
            builder.header("x-sim", simDirectives);
        }
        return builder.build();
    }

    private static MultiMap headers(HttpResponse<?> response) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        response.headers().map().forEach(headers::add);
        return headers;
    }
}
