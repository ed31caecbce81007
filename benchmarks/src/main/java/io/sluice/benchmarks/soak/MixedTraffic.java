package io.sluice.benchmarks.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's load: requests due at a fixed rate (open loop), each of one kind drawn by weight, sent by a bounded
 * pool of client threads. It remembers the request id of every request the gateway answered (a status line and
 * headers arrived; 401 and 413 excepted, which the ledger never records), so the run can check that each is in the
 * ledger exactly once.
 */
final class MixedTraffic implements AutoCloseable {

    /** What a request does, with its share of the traffic in percent. */
    enum Kind {
        /** Chat, embeddings or Anthropic messages, answered whole. */
        PLAIN(40),
        /** A chat stream read to its end. */
        STREAMED(25),
        /** Refused: a FREE key over its quota (429) or a model outside the key's allow-list (403). */
        REFUSED(10),
        /** A stream the client closes after its first event. */
        CANCELLED(10),
        /** A body the gateway must refuse: broken JSON, hostile strings, wrong types. */
        MALFORMED(15);

        final int percent;

        Kind(int percent) {
            this.percent = percent;
        }

        static Kind draw(int percentile) {
            int upTo = 0;
            for (Kind kind : values()) {
                upTo += kind.percent;
                if (percentile < upTo) {
                    return kind;
                }
            }
            return MALFORMED;
        }
    }

    /** Keys of three tenants: one with room, one FREE tenant kept over its quota, one allowed only sim-embed. */
    record Keys(String roomy, String overQuota, String embeddingsOnly) {
    }

    /** The model sim-provider streams slowly in this run (a sim rule), so that a client can leave mid-stream. */
    static final String SLOW_STREAM_MODEL = "sim-gpt-mini";

    private static final String PROMPT = "[{\"role\":\"user\",\"content\":\"Soak: describe the river briefly.\"}]";
    private static final List<String> MALFORMED_BODIES = List.of(
            "{",
            "[]",
            "{\"model\":\"sim\\u0000gpt\",\"messages\":" + PROMPT + "}",
            "{\"model\":\"" + "m".repeat(5_000) + "\",\"messages\":" + PROMPT + "}",
            "{\"model\":\"sim-gpt\\ud800\",\"messages\":" + PROMPT + "}",
            "{\"model\":\"sim-gpt\",\"messages\":\"not an array\"}",
            "{\"model\":\"sim-gemini\",\"messages\":" + PROMPT + ",\"tools\":[1]}",
            "{\"model\":\"sim-claude\",\"messages\":[{\"role\":\"user\",\"content\":[1]}]}",
            "{\"model\":\"sim-gpt\",\"messages\":" + PROMPT + ",\"max_tokens\":-1}");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final Keys keys;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ThreadPoolExecutor clients;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Map<Kind, Map<Integer, LongAdder>> statuses = new EnumMap<>(Kind.class);
    private final AtomicLong sent = new AtomicLong();
    private final LongAdder failed = new LongAdder();
    private final LongAdder notSent = new LongAdder();

    MixedTraffic(String gatewayUrl, Keys keys, int threads) {
        this.gateway = gatewayUrl.replace("localhost", "127.0.0.1");
        this.keys = keys;
        this.clients = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 4));
        for (Kind kind : Kind.values()) {
            statuses.put(kind, new ConcurrentHashMap<>());
        }
    }

    /** Sends {@code rate} requests a second until closed; a request the pool has no room for is counted, not sent. */
    void start(int rate) {
        ticker.scheduleAtFixedRate(() -> {
            try {
                Kind kind = Kind.draw(ThreadLocalRandom.current().nextInt(100));
                clients.execute(() -> send(kind));
                sent.incrementAndGet();
            } catch (RejectedExecutionException full) {
                notSent.increment();
            }
        }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
    }

    private void send(Kind kind) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            switch (kind) {
                case PLAIN -> {
                    switch (random.nextInt(3)) {
                        case 0 -> whole("/v1/chat/completions", keys.roomy(), kind,
                                "{\"model\":\"sim-gpt\",\"max_tokens\":16,\"messages\":" + PROMPT + "}");
                        case 1 -> whole("/v1/embeddings", keys.roomy(), kind,
                                "{\"model\":\"sim-embed\",\"input\":[\"soak one\",\"soak two\"]}");
                        default -> whole("/v1/messages", keys.roomy(), kind,
                                "{\"model\":\"sim-claude\",\"max_tokens\":16,\"messages\":" + PROMPT + "}");
                    }
                }
                case STREAMED -> stream(keys.roomy(), "sim-gpt", kind, false);
                case REFUSED -> {
                    boolean quota = random.nextBoolean();
                    whole("/v1/chat/completions", quota ? keys.overQuota() : keys.embeddingsOnly(), kind,
                            "{\"model\":\"sim-gpt\",\"max_tokens\":16,\"messages\":" + PROMPT + "}");
                }
                case CANCELLED -> stream(keys.roomy(), SLOW_STREAM_MODEL, kind, true);
                case MALFORMED -> {
                    String body = MALFORMED_BODIES.get(random.nextInt(MALFORMED_BODIES.size()));
                    whole(body.contains("sim-claude") ? "/v1/messages" : "/v1/chat/completions", keys.roomy(), kind,
                            body);
                }
            }
        } catch (IOException e) {
            failed.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void whole(String path, String key, Kind kind, String body) throws IOException, InterruptedException {
        HttpResponse<Void> answer = http.send(request(path, key, body), HttpResponse.BodyHandlers.discarding());
        count(kind, answer);
    }

    private void stream(String key, String model, Kind kind, boolean leaveAfterFirstEvent)
            throws IOException, InterruptedException {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":16,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":" + PROMPT + "}";
        HttpResponse<InputStream> answer = http.send(request("/v1/chat/completions", key, body),
                HttpResponse.BodyHandlers.ofInputStream());
        count(kind, answer);
        try (InputStream events = answer.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(events, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (leaveAfterFirstEvent && line.startsWith("data:")) {
                    break; // closing the body closes the connection mid-stream
                }
            }
        }
    }

    private HttpRequest request(String path, String key, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private void count(Kind kind, HttpResponse<?> answer) {
        statuses.get(kind).computeIfAbsent(answer.statusCode(), status -> new LongAdder()).increment();
        if (answer.statusCode() != 401 && answer.statusCode() != 413) {
            answer.headers().firstValue("x-request-id").ifPresent(answered::add);
        }
    }

    /** Request ids of every answered request so far. */
    Set<String> answered() {
        return answered;
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.sum();
    }

    long notSent() {
        return notSent.sum();
    }

    /** Answers by kind and status. */
    Map<Kind, Map<Integer, Long>> statuses() {
        Map<Kind, Map<Integer, Long>> copy = new EnumMap<>(Kind.class);
        statuses.forEach((kind, byStatus) -> {
            Map<Integer, Long> counts = new TreeMap<>();
            byStatus.forEach((status, count) -> counts.put(status, count.sum()));
            copy.put(kind, counts);
        });
        return copy;
    }

    /** Stops sending and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        clients.shutdown();
        clients.awaitTermination(2, TimeUnit.MINUTES);
    }
}
