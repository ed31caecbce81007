package io.sluice.orchestrator.catalog;

/**
 * The wire format a deployment speaks; each has an adapter from and to OpenAI's format, except the in-process model,
 * which is called rather than spoken to.
 */
public enum ProviderType {
    /** OpenAI itself and the OpenAI-compatible family: Mistral, DeepSeek, Qwen, Grok, vLLM, Ollama, sim-provider. */
    OPENAI,
    /** Azure OpenAI: deployment URLs, api-version, api-key header. */
    AZURE_OPENAI,
    /** Anthropic Messages API. */
    ANTHROPIC,
    /** Google Gemini generateContent / streamGenerateContent. */
    GEMINI,
    /**
     * The built-in embedding model (all-MiniLM-L6-v2, quantized), run in-process on a bounded worker pool: no URL, no
     * key, no provider quota; it serves embeddings only.
     */
    LOCAL_EMBEDDINGS;

    /** Whether deployments of this type run inside the orchestrator instead of behind a URL. */
    public boolean inProcess() {
        return this == LOCAL_EMBEDDINGS;
    }
}
