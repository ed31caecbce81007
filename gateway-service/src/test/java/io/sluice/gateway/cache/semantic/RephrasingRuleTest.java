package io.sluice.gateway.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The rule on its own, without a model: both questions get the same vector unless a test is about similarity, so
 * that only the guards decide.
 */
class RephrasingRuleTest {
    private static final float[] SAME = { 0.6f, 0.8f, 0f };

    private static Verdict judge(String stored, String asked) {
        return RephrasingRule.standard().judge(EmbeddedQuestion.of(stored, SAME), EmbeddedQuestion.of(asked, SAME));
    }

    private static void refusedBy(Guard guard, String stored, String asked) {
        assertEquals(guard, judge(stored, asked).refusedBy(), stored + " / " + asked);
        assertEquals(guard, judge(asked, stored).refusedBy(), asked + " / " + stored + " (reversed)");
    }

    private static void rephrasing(String stored, String asked) {
        assertTrue(judge(stored, asked).mayAnswer(), stored + " / " + asked + ": " + judge(stored, asked));
        assertTrue(judge(asked, stored).mayAnswer(), asked + " / " + stored + " (reversed)");
    }

    @Test
    void similarityIsTheCosineAndTheThresholdIsInclusive() {
        EmbeddedQuestion stored = EmbeddedQuestion.of("What is the capital of France?", new float[] { 1, 0 });
        EmbeddedQuestion asked = EmbeddedQuestion.of("What's the capital of France?", new float[] { 3, 4 });
        assertEquals(0.6, stored.similarity(asked), 1e-9);
        assertTrue(new RephrasingRule(0.6, EnumSet.allOf(Guard.class)).mayAnswer(stored, asked));
        Verdict below = new RephrasingRule(0.61, EnumSet.allOf(Guard.class)).judge(stored, asked);
        assertFalse(below.similarEnough());
        assertNull(below.refusedBy(), "the guards are not asked about a dissimilar candidate");
        assertFalse(below.mayAnswer());
    }

    @Test
    void vectorsThatCannotBeComparedNeverMatch() {
        EmbeddedQuestion threeDims = EmbeddedQuestion.of("Why?", SAME);
        assertEquals(0, threeDims.similarity(EmbeddedQuestion.of("Why?", new float[] { 0.6f, 0.8f })));
        assertEquals(0, threeDims.similarity(EmbeddedQuestion.of("Why?", new float[3])));
        assertFalse(RephrasingRule.standard().mayAnswer(threeDims, EmbeddedQuestion.of("Why?", new float[2])));
    }

    @Test
    void theThresholdIsAProperSimilarity() {
        assertThrows(IllegalArgumentException.class, () -> new RephrasingRule(0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new RephrasingRule(1.01, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new RephrasingRule(Double.NaN, Set.of()));
    }

    @Test
    void theStandardRuleAppliesEveryGuardAtTheDefaultThreshold() {
        RephrasingRule standard = RephrasingRule.standard();
        assertEquals(RephrasingRule.DEFAULT_THRESHOLD, standard.threshold());
        assertEquals(EnumSet.allOf(Guard.class), standard.guards());
    }

    @Test
    void aRuleWithoutGuardsIsTheCosineAlone() {
        RephrasingRule bare = new RephrasingRule(0.5, Set.of());
        assertTrue(bare.mayAnswer(EmbeddedQuestion.of("Why does it compile?", SAME),
                EmbeddedQuestion.of("Why doesn't it compile?", SAME)));
    }

    @Test
    void rephrasingsPassEveryGuard() {
        rephrasing("How do I reset my password?", "I forgot my password, how can I reset it?");
        rephrasing("what is the capital of france", "What's France's capital city?");
        rephrasing("Why doesn't my code compile?", "Why won't my code compile?");
        rephrasing("How do I merge two dictionaries in Python?", "How can I combine 2 Python dicts?");
        rephrasing("Why is my React component rendering twice?", "My React component renders two times, why?");
        rephrasing("How do I convert Celsius to Fahrenheit?", "What's the formula to go from Celsius to Fahrenheit?");
        rephrasing("How long should I boil an egg for a soft yolk?",
                "How many minutes do I boil an egg to get it soft?");
        rephrasing("How do I turn on dark mode?", "How can I enable dark mode?");
        rephrasing("How does a mortgage work?", "Explain how mortgages work");
        rephrasing("How do ETFs work?", "Explain how an ETF works");
    }

    @Test
    void numbersMustBeTheSame() {
        refusedBy(Guard.NUMBERS, "What is 15% of 200?", "What is 15% of 300?");
        refusedBy(Guard.NUMBERS, "What's the 2nd largest planet?", "What's the largest planet?");
        refusedBy(Guard.NUMBERS, "What is two plus two?", "What is two plus three?");
    }

    @Test
    void negationMustBeTheSame() {
        refusedBy(Guard.NEGATION, "Which countries use the euro?", "Which countries don't use the euro?");
        refusedBy(Guard.NEGATION, "Languages with garbage collection", "Languages without garbage collection");
    }

    @Test
    void everyNameMustAppearInTheOtherQuestion() {
        refusedBy(Guard.NAMES, "What is the capital of Australia?", "Which city is the capital of Austria?");
        refusedBy(Guard.NAMES, "How do I take a screenshot on a Mac?", "How can I capture my screen on macOS?");
    }

    @Test
    void oppositeTermsAndNegatingPrefixesRefuse() {
        refusedBy(Guard.OPPOSITES, "How do I increase the heap size in Java?", "How can I decrease Java's heap?");
        refusedBy(Guard.OPPOSITES, "What's the weather in Seattle today?", "Seattle weather forecast tomorrow");
        refusedBy(Guard.OPPOSITES, "How many grams are in a cup of flour?", "Ounces in a cup of flour?");
        refusedBy(Guard.OPPOSITES, "How do I subscribe to the newsletter?", "Newsletter: how to unsubscribe?");
        refusedBy(Guard.OPPOSITES, "How do I turn off notifications?", "How can I turn notifications on?");
        // one side mentioning an axis is no conflict
        rephrasing("How long does shipping take?", "How many days does shipping take usually?");
    }

    @Test
    void swappedSidesOfARelationRefuse() {
        refusedBy(Guard.SIDES, "How long is the flight from London to New York?",
                "How long is the flight from New York to London?");
        refusedBy(Guard.SIDES, "Convert Celsius to Fahrenheit", "Convert Fahrenheit to Celsius");
        refusedBy(Guard.SIDES, "What is 30 degrees Celsius in Fahrenheit?",
                "What is 30 degrees Fahrenheit in Celsius?");
        // the same relation written in another order is no swap
        rephrasing("How long is the flight from London to Rome?", "How long is the flight to Rome from London?");
    }

    @Test
    void aFrameWithOneSlotFilledDifferentlyRefuses() {
        refusedBy(Guard.SWAPPED_SLOT, "Is coffee bad for pregnant women?", "Is coffee safe for pregnant women?");
        refusedBy(Guard.SWAPPED_SLOT, "What is the boiling point of water at sea level?",
                "What is the boiling point of water at high altitude?");
        refusedBy(Guard.SWAPPED_SLOT, "how do i reverse a list in python", "how do i reverse a list in ruby");
        // a slot of function words only, or words added on one side only, is no swap
        rephrasing("What is inflation?", "Can you explain inflation?");
        rephrasing("How do I exit vim?", "How do I exit the vim editor?");
        // its cost: a synonym in an otherwise unchanged frame
        refusedBy(Guard.SWAPPED_SLOT, "How do I exit vim?", "How do I quit vim?");
    }

    @Test
    void guardsAreAskedInTheirOrderAndTheFirstRefusalIsReported() {
        Verdict verdict = judge("Why does Python 3.11 compile?", "Why doesn't Python 3.12 compile?");
        assertEquals(Guard.NUMBERS, verdict.refusedBy());
        assertTrue(verdict.similarEnough());
        RephrasingRule withoutNumbers = new RephrasingRule(0.85, EnumSet.complementOf(EnumSet.of(Guard.NUMBERS)));
        assertEquals(Guard.NEGATION, withoutNumbers.judge(EmbeddedQuestion.of("Why does Python 3.11 compile?", SAME),
                EmbeddedQuestion.of("Why doesn't Python 3.12 compile?", SAME)).refusedBy());
        assertEquals(List.of(Guard.values()), List.copyOf(EnumSet.allOf(Guard.class)));
    }
}
