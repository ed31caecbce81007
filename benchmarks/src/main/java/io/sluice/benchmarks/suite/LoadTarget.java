package io.sluice.benchmarks.suite;

import java.util.Map;

import java.util.function.LongConsumer;
import java.util.function.LongFunction;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Where a load phase sends its chat completions: straight to sim-provider's OpenAI route, or to the gateway with
 * the benchmark tenant's key. Both get the same body, so the difference between them is what the suite adds. A
 * target with {@code uniqueBodies} numbers each request's question, so that no two are alike (a response cache
 * that is on then misses every time).
 */
record LoadTarget(String name, String url, Map<String, String> headers, boolean uniqueBodies,
        LongFunction<Buffer> bodies, LongConsumer answered) {
    static final String MODEL = "sim-gpt";
    /** 16 completion tokens (one SSE chunk each when streamed); the prompt is a few tokens. */
    static final int MAX_TOKENS = 16;

    LoadTarget(String name, String url, Map<String, String> headers, boolean uniqueBodies) {
        this(name, url, headers, uniqueBodies, null, i -> {
        });
    }

    /**
     * A target of its own: request {@code i}'s body is {@code bodies.apply(i)}, and {@code answered.accept(i)} runs
     * when its answer has arrived (warm-up requests too), on the load's event loop.
     */
    static LoadTarget custom(String name, String url, Map<String, String> headers, LongFunction<Buffer> bodies,
            LongConsumer answered) {
        return new LoadTarget(name, url, headers, false, bodies, answered);
    }

    static LoadTarget direct(int simPort) {
        return new LoadTarget("direct", "http://127.0.0.1:" + simPort + "/v1/chat/completions", Map.of(), false);
    }

    static LoadTarget suite(String gatewayUrl, String key) {
        return suite("suite", gatewayUrl, key, false);
    }

    /** Through the suite as a key with the response cache on: every request a miss, or every one the same. */
    static LoadTarget suite(String name, String gatewayUrl, String key, boolean uniqueBodies) {
        return new LoadTarget(name, gatewayUrl.replace("localhost", "127.0.0.1") + "/v1/chat/completions",
                Map.of("authorization", "Bearer " + key), uniqueBodies);
    }

    /** The body of request number {@code i}; {@code fixed} when bodies are not unique. */
    Buffer body(long i, Buffer fixed) {
        if (bodies != null) {
            return bodies.apply(i);
        }
        return uniqueBodies ? uniqueBody(Long.toString(i)) : fixed;
    }

    /** A question no other request asks, told apart by {@code tag}. */
    static Buffer uniqueBody(String tag) {
        return Buffer.buffer(chatBody(false).replace("a few words.", "a few words (" + tag + ")."));
    }

    /** This target with other questions than its own: {@code tag} and the request's number in each. */
    LoadTarget askingAnew(String tag) {
        return custom(name, url, headers, i -> uniqueBody(tag + " " + i), answered);
    }

    static String chatBody(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Benchmark: describe the river in a few words.\"}]"
                + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    RequestOptions request() {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("content-type", "application/json").setIdleTimeout(30_000);
        headers.forEach(options::putHeader);
        return options;
    }
}
