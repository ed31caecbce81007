package io.sluice.guard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AcceptedTokensTest {

    @Test
    void acceptsEachConfiguredTokenAndNothingElse() {
        AcceptedTokens tokens = new AcceptedTokens(List.of(Optional.of("current-token"), Optional.of("previous-token"),
                Optional.of("next-token")));
        assertTrue(tokens.accepts("current-token"));
        assertTrue(tokens.accepts("previous-token"));
        assertTrue(tokens.accepts("next-token"));
        assertFalse(tokens.accepts("current-toke"));
        assertFalse(tokens.accepts("current-token2"));
        assertFalse(tokens.accepts(""));
        assertFalse(tokens.accepts(null));
    }

    @Test
    void blankOrMissingTokensAreNotTokens() {
        AcceptedTokens tokens = new AcceptedTokens(List.of(Optional.of("  "), Optional.empty(), Optional.of(" t ")));
        assertTrue(tokens.accepts("t"), "configured values are stripped");
        assertFalse(tokens.accepts(""), "an empty credential never matches a blank setting");
        assertFalse(tokens.accepts("  "));
    }

    @Test
    void withNoTokenConfiguredEveryCallIsRefused() {
        AcceptedTokens none = new AcceptedTokens(List.of(Optional.empty(), Optional.of("")));
        assertTrue(none.isEmpty());
        assertFalse(none.accepts(""));
        assertFalse(none.accepts("anything"));
    }
}
