package io.sluice.e2e;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of chat completions: a fixed number of clients, each sending one request after the other on one
 * key, until {@link #close()} or until {@code maxRequests} have been sent. Every status and every transport failure is
 * recorded, none is retried.
 */
final class SteadyLoad implements AutoCloseable {
    private static final int KEPT_ANSWERS = 5;

    private final ExecutorService clients;
    private final int maxRequests;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final Set<String> requestIds = ConcurrentHashMap.newKeySet();
    private final long pauseMillis;
    private volatile boolean stopped;

    private SteadyLoad(String gatewayUrl, String key, int clientCount, int maxRequests, long pauseMillis) {
        this.maxRequests = maxRequests;
        this.pauseMillis = pauseMillis;
        this.clients = Executors.newFixedThreadPool(clientCount);
        for (int i = 0; i < clientCount; i++) {
            clients.execute(() -> run(gatewayUrl, key));
        }
    }

    static SteadyLoad start(String gatewayUrl, String key, int clients, int maxRequests) {
        return new SteadyLoad(gatewayUrl, key, clients, maxRequests, 0);
    }

    /** As {@link #start}, each client pausing between requests: a paced load that stays below a rate limit. */
    static SteadyLoad paced(String gatewayUrl, String key, int clients, int maxRequests, long pauseMillis) {
        return new SteadyLoad(gatewayUrl, key, clients, maxRequests, pauseMillis);
    }

    private void run(String gatewayUrl, String key) {
        while (!stopped && sent.incrementAndGet() <= maxRequests) {
            try {
                HttpResponse<String> response = ChatCalls.chat(gatewayUrl, key);
                statuses.computeIfAbsent(response.statusCode(), status -> new AtomicInteger()).incrementAndGet();
                response.headers().firstValue("x-request-id").ifPresent(requestIds::add);
                if (response.statusCode() != 200 && unexpected.size() < KEPT_ANSWERS) {
                    unexpected.add(response.statusCode() + " " + response.body());
                }
            } catch (RuntimeException e) {
                statuses.computeIfAbsent(-1, status -> new AtomicInteger()).incrementAndGet();
                if (unexpected.size() < KEPT_ANSWERS) {
                    unexpected.add("transport failure: " + e);
                }
            } finally {
                completed.incrementAndGet();
            }
            pause();
        }
    }

    private void pause() {
        if (pauseMillis > 0 && !stopped) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    /** The request id of every answer: each must become exactly one ledger row. */
    Set<String> requestIds() {
        return Set.copyOf(requestIds);
    }

    int completed() {
        return completed.get();
    }

    /** Requests answered so far, by HTTP status; -1 counts transport failures (no answer at all). */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> snapshot = new TreeMap<>();
        statuses.forEach((status, count) -> snapshot.put(status, count.get()));
        return snapshot;
    }

    /** The first few answers other than 200, for failure messages. */
    List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    /** Stops sending and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        clients.shutdown();
        if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
    }
}
