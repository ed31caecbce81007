package io.sluice.orchestrator.catalog;

/** The wire format a deployment speaks; each has an adapter from and to OpenAI's format. */
public enum ProviderType {
    /** OpenAI itself and the OpenAI-compatible family: Mistral, DeepSeek, Qwen, Grok, vLLM, Ollama, sim-provider. */
    OPENAI,
    /** Azure OpenAI: deployment URLs, api-version, api-key header. */
    AZURE_OPENAI,
    /** Anthropic Messages API. */
    ANTHROPIC,
    /** Google Gemini generateContent / streamGenerateContent. */
    GEMINI
}
