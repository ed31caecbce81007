package io.sluice.gateway.cache.semantic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Each replica's vector index of the tenants it serves: Lucene's HNSW graph over the quantized questions of a
 * tenant, in memory-mapped files (off the Java heap), fed from the tenant's {@link QuestionLog} so that every
 * replica finds what any replica stored. A lookup starts reading what the log gained since the last read and waits
 * for its first page; what it read is searchable at once, or within {@link #REFRESH} when the index was refreshed
 * less than that ago, so an entry stored through one replica is found through another within a second; after a
 * restart the index is rebuilt from the log in the background. Searching and indexing run on a small bounded pool,
 * never on the event loop; a full pool makes the lookup a miss.
 */
@ApplicationScoped
public class SemanticIndex {
    static final int PAGE = 1_000;
    /** At most one refresh of a tenant's index per this long, outside a long log's reading. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    private static final long REFRESH_NANOS = REFRESH.toNanos();
    private static final String VECTOR = "v";
    private static final String PARTITION = "p";
    private static final String MEMBER = "m";
    private static final String QUESTION = "q";
    private static final String STORED_VECTOR = "vb";

    private final QuestionLog log;
    private final int maxTenants;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService refresher;
    private final Path root;
    /** Open indexes, least recently searched first. */
    private final Map<String, TenantIndex> open = new LinkedHashMap<>(16, 0.75f, true);

    public SemanticIndex(QuestionLog log, SemanticCacheConfig config, MeterRegistry registry) {
        this.log = log;
        Gauge.builder("sluice_cache_semantic_questions", this, SemanticIndex::questions)
                .description("Questions in this replica's semantic cache indexes (of the tenants it keeps open)")
                .register(registry);
        this.maxTenants = config.maxIndexedTenants();
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), task -> {
                    Thread thread = new Thread(task, "sluice-semantic-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sluice-semantic-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshStale, REFRESH_NANOS, REFRESH_NANOS, TimeUnit.NANOSECONDS);
        try {
            this.root = config.indexDirectory().map(Path::of).orElse(null) != null
                    ? emptied(Path.of(config.indexDirectory().get()))
                    : Files.createTempDirectory("sluice-semantic-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the semantic cache's index directory", e);
        }
    }

    /** A stored question near the one asked, with its cosine similarity. */
    public record Candidate(StoredQuestion question, double similarity) {
    }

    /**
     * The stored questions of {@code partition} nearest to {@code vector}, most similar first, after reading what
     * the tenant's log gained.
     */
    public Uni<List<Candidate>> nearest(String tenantId, String partition, QuantizedVector vector, int count) {
        TenantIndex index = index(tenantId);
        return catchUp(index).onFailure().recoverWithItem(() -> null)
                .flatMap(ignored -> onWorker(() -> index.search(partition, vector, count)));
    }

    /** Removes a question whose entry is gone (expired, evicted or cleared) from this replica's index. */
    public void forget(String tenantId, String member) {
        TenantIndex index;
        synchronized (open) {
            index = open.get(tenantId);
        }
        if (index != null) {
            onWorker(() -> {
                index.forget(member);
                return null;
            }).subscribe().with(done -> {
            }, failure -> Log.debugf("semantic index: forgetting failed: %s", failure.toString()));
        }
    }

    private void refreshStale() {
        List<TenantIndex> indexes;
        synchronized (open) {
            indexes = List.copyOf(open.values());
        }
        for (TenantIndex index : indexes) {
            try {
                workers.execute(() -> {
                    try {
                        index.refreshIfStale();
                    } catch (IOException | RuntimeException e) {
                        Log.debugf("semantic index: a refresh failed: %s", e.toString());
                    }
                });
            } catch (RuntimeException full) {
                return; // the pool is busy: the next tick refreshes
            }
        }
    }

    private double questions() {
        synchronized (open) {
            return open.values().stream().mapToLong(TenantIndex::documents).sum();
        }
    }

    /**
     * Starts reading what the tenant's log gained, unless a reading is under way: then the lookup searches what is
     * there (a replica building a large index keeps answering). The reading goes on page after page until the log is
     * drained, apart from any lookup: a lookup that stops waiting (its timeout) does not stop it. The lookup that
     * started it waits for its first page, which in steady state holds everything new.
     */
    private Uni<Void> catchUp(TenantIndex index) {
        if (!index.reading.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> firstPage = new CompletableFuture<>();
        readPage(index, firstPage);
        // A dependent stage: cancelling the lookup's wait leaves the reading itself alone.
        return Uni.createFrom().completionStage(firstPage.thenApply(read -> read));
    }

    private void readPage(TenantIndex index, CompletableFuture<Void> firstPage) {
        log.after(index.tenantId, index.lastId, PAGE).subscribe().with(entries -> {
            try {
                workers.execute(() -> {
                    try {
                        index.add(entries, entries.size() == PAGE);
                    } catch (IOException | RuntimeException e) {
                        stopReading(index, firstPage, e);
                        return;
                    }
                    firstPage.complete(null);
                    if (entries.size() == PAGE) {
                        readPage(index, firstPage);
                    } else {
                        index.reading.set(false);
                    }
                });
            } catch (RuntimeException rejected) {
                stopReading(index, firstPage, rejected);
            }
        }, failure -> stopReading(index, firstPage, failure));
    }

    private static void stopReading(TenantIndex index, CompletableFuture<Void> firstPage, Throwable failure) {
        Log.debugf("semantic index: reading the question log stopped: %s", failure.toString());
        index.reading.set(false);
        firstPage.completeExceptionally(failure);
    }

    private TenantIndex index(String tenantId) {
        TenantIndex closing = null;
        TenantIndex index;
        synchronized (open) {
            index = open.get(tenantId);
            if (index == null) {
                index = new TenantIndex(tenantId, root.resolve(hash(tenantId)));
                open.put(tenantId, index);
                if (open.size() > maxTenants) {
                    var eldest = open.entrySet().iterator().next();
                    closing = eldest.getValue();
                    open.remove(eldest.getKey());
                }
            }
        }
        if (closing != null) {
            TenantIndex evicted = closing;
            workers.execute(evicted::close);
        }
        return index;
    }

    private <T> Uni<T> onWorker(Callable<T> task) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                workers.execute(() -> {
                    try {
                        emitter.complete(task.call());
                    } catch (Exception | Error e) {
                        emitter.fail(e);
                    }
                });
            } catch (RuntimeException rejected) {
                emitter.fail(rejected);
            }
        });
    }

    @PreDestroy
    void close() {
        refresher.shutdownNow();
        workers.shutdownNow();
        synchronized (open) {
            open.values().forEach(TenantIndex::close);
            open.clear();
        }
    }

    private static Path emptied(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(directory)).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return Files.createDirectories(directory);
    }

    private static String hash(String tenantId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(tenantId.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One tenant's index on this replica. Changed and searched on the worker pool only. */
    private static final class TenantIndex {
        final String tenantId;
        /** Whether a reading of the log is under way. */
        final AtomicBoolean reading = new AtomicBoolean();
        final Path directory;
        /** The last log entry read; null before the first. */
        volatile String lastId;
        private final AtomicLong documents = new AtomicLong();
        private final AtomicLong pagesRead = new AtomicLong();
        /** Whether questions were added or forgotten since the last refresh. */
        private boolean stale;
        private long refreshedAt = System.nanoTime() - REFRESH_NANOS;
        private IndexWriter writer;
        private SearcherManager searchers;

        TenantIndex(String tenantId, Path directory) {
            this.tenantId = tenantId;
            this.directory = directory;
        }

        private synchronized void openIfClosed() throws IOException {
            if (writer == null) {
                ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
                merges.setMaxMergesAndThreads(2, 1);
                writer = new IndexWriter(new MMapDirectory(emptied(directory)),
                        new IndexWriterConfig().setRAMBufferSizeMB(16).setMergeScheduler(merges));
                searchers = new SearcherManager(writer, null);
            }
        }

        /**
         * Adds questions; searches see them at once unless the index was refreshed less than {@link #REFRESH} ago
         * (then at the next periodic refresh). Every refresh writes a segment, which Lucene merges later: a refresh
         * per lookup at tens of lookups a second kept the gateway merging HNSW graphs, and a long log read page by
         * page is refreshed every 20 pages only.
         *
         * @param fullPage whether this is a full page of a long log being read
         */
        synchronized void add(List<QuestionLog.Entry> entries, boolean fullPage) throws IOException {
            if (!entries.isEmpty()) {
                openIfClosed();
            }
            for (QuestionLog.Entry entry : entries) {
                StoredQuestion question = entry.question();
                Document document = new Document();
                document.add(new KnnByteVectorField(VECTOR, question.vector().values(),
                        VectorSimilarityFunction.COSINE));
                document.add(new StringField(PARTITION, question.partition(), Field.Store.NO));
                document.add(new StringField(MEMBER, question.member(), Field.Store.YES));
                document.add(new StoredField(QUESTION, question.question()));
                document.add(new StoredField(STORED_VECTOR, question.vector().values()));
                // A refreshed entry replaces its question rather than adding a twin.
                writer.updateDocument(new Term(MEMBER, question.member()), document);
                lastId = entry.id();
            }
            if (writer == null) {
                return;
            }
            stale |= !entries.isEmpty();
            if (fullPage ? pagesRead.incrementAndGet() % 20 == 0 : System.nanoTime() - refreshedAt >= REFRESH_NANOS) {
                refresh();
            }
            documents.set(writer.getDocStats().numDocs);
        }

        /** The periodic refresh: what was added or forgotten since the last one becomes visible. */
        synchronized void refreshIfStale() throws IOException {
            if (stale && writer != null && !reading.get()) {
                refresh();
            }
        }

        private void refresh() throws IOException {
            searchers.maybeRefreshBlocking();
            stale = false;
            refreshedAt = System.nanoTime();
        }

        /** Read by the metrics scrape without the index's lock, which a page being indexed holds for a while. */
        long documents() {
            return documents.get();
        }

        synchronized void forget(String member) throws IOException {
            if (writer != null) {
                writer.deleteDocuments(new Term(MEMBER, member));
                stale = true;
                documents.set(writer.getDocStats().numDocs);
            }
        }

        List<Candidate> search(String partition, QuantizedVector vector, int count) throws IOException {
            SearcherManager current;
            synchronized (this) {
                current = searchers;
            }
            if (current == null) {
                return List.of();
            }
            IndexSearcher searcher = current.acquire();
            try {
                TopDocs top = searcher.search(new KnnByteVectorQuery(VECTOR, vector.values(), count,
                        new TermQuery(new Term(PARTITION, partition))), count);
                StoredFields stored = searcher.storedFields();
                List<Candidate> candidates = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc hit : top.scoreDocs) {
                    Document document = stored.document(hit.doc, Set.of(MEMBER, QUESTION, STORED_VECTOR));
                    // Lucene scores cosine as (1 + cos) / 2.
                    candidates.add(new Candidate(new StoredQuestion(document.get(MEMBER), partition,
                            document.get(QUESTION), vector(document)), 2 * hit.score - 1));
                }
                return candidates;
            } finally {
                current.release(searcher);
            }
        }

        private static QuantizedVector vector(Document document) {
            BytesRef stored = document.getBinaryValue(STORED_VECTOR);
            return new QuantizedVector(Arrays.copyOfRange(stored.bytes, stored.offset, stored.offset + stored.length));
        }

        synchronized void close() {
            try {
                if (searchers != null) {
                    searchers.close();
                }
                if (writer != null) {
                    writer.close();
                }
                emptied(directory);
                Files.deleteIfExists(directory);
            } catch (IOException | RuntimeException e) {
                Log.debugf("semantic index of a tenant not closed cleanly: %s", e.toString());
            } finally {
                writer = null;
                searchers = null;
                documents.set(0);
            }
        }
    }
}
