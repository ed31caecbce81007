package io.sluice.gateway.cache.semantic;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lexical check that refuses a candidate the embedding finds similar but whose answer would be wrong. Each guard
 * catches a kind of near miss that MiniLM scores as high as a true rephrasing; each tolerates what rephrasings
 * change (word order, synonyms, a fact stated on one side only). See benchmarks/RESULTS.md ("Semantic cache: the
 * match rule") for what each one costs in recall and buys in precision.
 */
public enum Guard {
    /**
     * The same numbers, as sets. A number is the question's operand ("15% of 200" / "of 300": 0.84; "Java 17" /
     * "Java 21": 0.89), and embeddings hardly see which digits a token holds.
     */
    NUMBERS {
        @Override
        boolean refuses(QuestionAnchors stored, QuestionAnchors asked) {
            return !stored.numbers().equals(asked.numbers());
        }
    },
    /** Both negated or neither: "Which countries don't use the euro?" embeds at 0.93 from its opposite. */
    NEGATION {
        @Override
        boolean refuses(QuestionAnchors stored, QuestionAnchors asked) {
            return stored.negated() != asked.negated();
        }
    },
    /**
     * Every name of each question appears among the other's words (in any case: "france" answers for "France").
     * Names are what a question is about, and siblings embed close ("Python"/"Ruby": 0.82, "Tokyo"/"Osaka": 0.86).
     * Looked up in all words, not only names, so a rephrasing may drop capitals or move a name to the sentence's
     * start; it costs the rephrasings that rename ("Mac"/"macOS", "World War II"/"Second World War").
     */
    NAMES {
        @Override
        boolean refuses(QuestionAnchors stored, QuestionAnchors asked) {
            return !asked.words().containsAll(stored.names()) || !stored.words().containsAll(asked.names());
        }
    },
    /**
     * No axis of {@link OppositeTerms} on which both questions mention different poles ("ascending"/"descending",
     * "today"/"tomorrow", "grams"/"ounces", "install"/"uninstall"), and no word negated by a prefix on one side only
     * ("subscribe"/"unsubscribe", "able"/"unable", "connect"/"disconnect").
     */
    OPPOSITES {
        /**
         * Not "de": it mostly means "remove", which a rephrasing spells out ("deduplicate" / "remove duplicates");
         * its true opposites (decrypt, decode, deactivate, decrease) are on the axes.
         */
        private static final String[] NEGATING_PREFIXES = { "un", "dis", "in", "im", "il", "ir", "non" };

        @Override
        boolean refuses(QuestionAnchors stored, QuestionAnchors asked) {
            return polesDiffer(stored.poles(), asked.poles()) || prefixNegates(stored.words(), asked.words())
                    || prefixNegates(asked.words(), stored.words());
        }

        private static boolean polesDiffer(Map<String, Set<Integer>> stored, Map<String, Set<Integer>> asked) {
            for (Map.Entry<String, Set<Integer>> axis : stored.entrySet()) {
                Set<Integer> other = asked.get(axis.getKey());
                if (other != null && !other.equals(axis.getValue())) {
                    return true;
                }
            }
            return false;
        }

        /** A word of one question (4 letters or more) whose prefixed negation is in the other only. */
        private static boolean prefixNegates(Set<String> plain, Set<String> other) {
            for (String word : plain) {
                if (word.length() < 4 || other.contains(word)) {
                    continue;
                }
                for (String prefix : NEGATING_PREFIXES) {
                    String negated = prefix + word;
                    if (other.contains(negated) && !plain.contains(negated)) {
                        return true;
                    }
                }
            }
            return false;
        }
    },
    /**
     * No word on the source side of a relation in one question and on the target side in the other: "Convert USD to
     * EUR" / "Convert EUR to USD" (0.97), "from London to New York" / "from New York to London" (0.99) keep every
     * word. A word placed on one side only, or in one question only, is no conflict.
     */
    SIDES {
        @Override
        boolean refuses(QuestionAnchors stored, QuestionAnchors asked) {
            for (Map.Entry<String, QuestionAnchors.Side> placed : stored.sides().entrySet()) {
                QuestionAnchors.Side other = asked.sides().get(placed.getKey());
                QuestionAnchors.Side side = placed.getValue();
                if (other != null && other != side && other != QuestionAnchors.Side.BOTH
                        && side != QuestionAnchors.Side.BOTH) {
                    return true;
                }
            }
            return false;
        }
    },
    /**
     * Not the same frame with one slot filled differently: after the words both questions share at their start and
     * at their end, what is left of each is at most {@value #SLOT_WORDS} words, each with content the other lacks ("Is
     * coffee [bad] for pregnant women?" / "[safe]", "a good name for a [male] cat?" / "[female]", "at [sea level]?"
     * / "[high altitude]?"). Sharing the whole frame makes the embeddings agree (0.85 to 0.95) whatever the slot
     * holds, and the slot is what the question asks about. Costs the rephrasings that swap one word for a synonym
     * and keep the rest ("exit vim" / "quit vim"); rephrasings usually reword the frame too.
     */
    SWAPPED_SLOT {
        @Override
        boolean refuses(QuestionAnchors stored, QuestionAnchors asked) {
            List<String> a = stored.sequence();
            List<String> b = asked.sequence();
            int prefix = 0;
            while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
                prefix++;
            }
            int suffix = 0;
            while (suffix < a.size() - prefix && suffix < b.size() - prefix
                    && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
                suffix++;
            }
            List<String> slotA = a.subList(prefix, a.size() - suffix);
            List<String> slotB = b.subList(prefix, b.size() - suffix);
            return filledDifferently(slotA, slotB) && filledDifferently(slotB, slotA);
        }

        /** A slot of a few words with content the other slot lacks: "exit [vim]" / "exit [the vim editor]" is not. */
        private static boolean filledDifferently(List<String> slot, List<String> other) {
            return slot.size() <= SLOT_WORDS && slot.stream()
                    .anyMatch(word -> QuestionAnchors.isContentWord(word) && !other.contains(word));
        }
    };

    /** Most words of a slot: "sea level" / "high altitude" is two; three catches "at home" / "at a supercharger". */
    private static final int SLOT_WORDS = 3;

    /** Whether the asked question's answer may differ from the stored one's although their embeddings agree. */
    abstract boolean refuses(QuestionAnchors stored, QuestionAnchors asked);
}
