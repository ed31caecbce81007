package io.sluice.orchestrator.responses;

import java.util.List;

import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.sluice.orchestrator.conversation.MemoryItem;
import io.sluice.orchestrator.responses.ResponsesRequest.Truncation;

/** {@code truncation}: what of the stored history is sent, given the model's context window. */
public final class ContextWindow {
    private ContextWindow() {
    }

    /**
     * The history (oldest first) that fits {@code window} tokens beside {@code newTokens} (the new input, with
     * instructions and tools) and {@code maxOutputTokens} reserved for the answer. AUTO drops the oldest items until
     * it fits (and any tool outputs left leading, whose call was dropped: providers refuse a result without its
     * call); DISABLED, or AUTO when even the new input alone does not fit, is a 400 {@code context_length_exceeded}.
     * A {@code window} of 0 or less means unknown: everything is kept.
     */
    public static List<MemoryItem> fit(List<MemoryItem> history, int newTokens, int maxOutputTokens, int window,
            Truncation mode) {
        if (window <= 0) {
            return history;
        }
        long budget = (long) window - newTokens - Math.max(0, maxOutputTokens);
        long historyTokens = history.stream().mapToLong(MemoryItem::tokens).sum();
        if (historyTokens <= budget) {
            return history;
        }
        if (mode == Truncation.DISABLED || budget < 0) {
            throw tooLong(window, historyTokens + newTokens + maxOutputTokens, mode);
        }
        int first = 0;
        while (first < history.size() && (historyTokens > budget || isToolOutput(history.get(first)))) {
            historyTokens -= history.get(first).tokens();
            first++;
        }
        return history.subList(first, history.size());
    }

    private static boolean isToolOutput(MemoryItem item) {
        return "function_call_output".equals(item.item().getString("type"));
    }

    private static InvalidRequestException tooLong(int window, long needed, Truncation mode) {
        return new InvalidRequestException("context_length_exceeded", "input", "Your input exceeds the context window "
                + "of this model (" + window + " tokens; about " + needed + " needed with max_output_tokens)."
                + (mode == Truncation.DISABLED ? " Set 'truncation' to 'auto' to drop the oldest items." : ""));
    }
}
