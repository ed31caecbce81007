package io.sluice.gateway.cache.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a question's words pin down that its embedding blurs: the facts the {@link Guard}s compare. Sentence
 * embeddings average over tokens, so a question and its near miss ("What is 15% of 200?" / "... of 300?", "Which
 * foods are vegan?" / "... not vegan?", "Convert USD to EUR" / "Convert EUR to USD") land within 0.84 to 0.99 of each
 * other, as close as true rephrasings. Extracted once per question (a stored question's at store time), so comparing
 * a candidate costs a few set operations.
 *
 * @param numbers numbers in the question, normalised ("1,000" -> "1000", "2nd" -> "2", "twenty five" -> "25"), and
 *        words that carry digits ("ipv6", "2fa")
 * @param negated whether any negation word appears (English, French, Spanish, German)
 * @param names proper names and identifiers, lowercased, singular: capitalised words not at a sentence's start, and
 *        words with capitals inside ("USD", "JavaScript", "macOS", "ETFs" -> "etf")
 * @param words every word, lowercased, singular, without a possessive "'s": where the other question's names are
 *        looked for
 * @param poles for each {@link OppositeTerms} axis the question mentions, the poles it mentions
 * @param sides which side of a relation ("from X to Y", "X than Y", "X in [unit]") each content word stands on
 * @param sequence every word in order, lowercased, possessives and plural "s" dropped: the question's frame
 */
public record QuestionAnchors(Set<String> numbers, boolean negated, Set<String> names, Set<String> words,
        Map<String, Set<Integer>> poles, Map<String, Side> sides, List<String> sequence) {

    /** Where a word stands in a directed relation: converting from, moving to, compared with. */
    public enum Side {
        SOURCE, TARGET,
        /** On both sides in the same question: compares with nothing. */
        BOTH
    }

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:[.,'][\\p{L}\\p{N}]+)*");
    private static final Pattern SENTENCE_END = Pattern.compile("[.?!\\n]");
    private static final Pattern CLAUSE_END = Pattern.compile("[.?!\\n,;:()\\[\\]]");
    private static final Pattern THOUSANDS = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)*");
    private static final Pattern ORDINAL = Pattern.compile("(\\d+)(?:st|nd|rd|th)");

    /**
     * Words that negate, English first. A question and its negation embed within 0.90 to 0.99 of each other.
     * Contractions ("doesn't") are recognised by their ending, and also written without the apostrophe. Spanish
     * "sin" is left out: it is also the sine in a maths question.
     */
    private static final Set<String> NEGATORS = Set.of(
            "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot",
            "unable", "non", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt",
            "shouldnt", "wouldnt", "wont", "hasnt", "havent", "hadnt", "mustnt", "neednt", "aint",
            // French
            "ne", "pas", "jamais", "aucun", "aucune", "sans", "rien", "ni",
            // Spanish
            "nunca", "nada", "ningún", "ninguno", "ninguna", "tampoco", "jamás",
            // German
            "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "ohne", "nichts",
            "weder");

    /** Function words: never names, never the content of a relation. */
    private static final Set<String> FUNCTION_WORDS = Set.of(
            "a", "an", "the", "this", "that", "these", "those", "my", "your", "our", "their", "his", "her", "its",
            "me", "you", "we", "they", "he", "she", "it", "i", "us", "them", "him", "is", "are", "was", "were", "be",
            "been", "being", "am", "do", "does", "did", "done", "have", "has", "had", "will", "would", "shall",
            "should", "can", "could", "may", "might", "must", "of", "at", "by", "for", "with", "about", "as", "on",
            "off", "over", "under", "up", "down", "out", "in", "into", "onto", "to", "from", "than", "then", "so",
            "and", "or", "but", "if", "when", "where", "why", "how", "what", "which", "who", "whom", "whose",
            "there", "here", "please", "also", "just", "any", "all", "each", "every", "some", "such", "very", "too",
            "much", "many", "few", "own", "same", "other", "another", "yes", "one", "get", "got", "via", "per",
            "toward", "towards", "between", "during", "after", "before", "while", "whether", "let", "lets",
            "i'm", "i've", "i'd", "i'll", "you're", "you've", "we're", "they're");

    /** Skipped inside the run of words a relation word governs: "to an integer", "from my laptop". */
    private static final Set<String> DETERMINERS = Set.of(
            "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "that", "these", "those",
            "some", "any", "each", "every", "all");

    private static final Set<String> TARGET_WORDS = Set.of("to", "into", "onto", "toward", "towards", "than");

    /**
     * Verbs whose particle carries the meaning, as the word of {@link OppositeTerms} they mean: "turn on" and "turn
     * off" differ by a function word only (0.85 with MiniLM), and "turn on" is a rephrasing of "enable". Keyed by the
     * verb's base form, a space and the particle.
     */
    private static final Map<String, String> PHRASAL_VERBS = Map.ofEntries(
            Map.entry("turn on", "enable"), Map.entry("switch on", "enable"), Map.entry("power on", "enable"),
            Map.entry("turn off", "disable"), Map.entry("switch off", "disable"), Map.entry("power off", "disable"),
            Map.entry("shut off", "disable"), Map.entry("log in", "login"), Map.entry("sign in", "login"),
            Map.entry("log on", "login"), Map.entry("log out", "logout"), Map.entry("sign out", "logout"),
            Map.entry("log off", "logout"));

    private static final Set<String> PARTICLES = Set.of("on", "off", "in", "out");
    private static final int PARTICLE_REACH = 3;

    private static final Map<String, Long> NUMBER_WORDS = numberWords();

    public QuestionAnchors {
        numbers = Set.copyOf(numbers);
        names = Set.copyOf(names);
        words = Set.copyOf(words);
        poles = Map.copyOf(poles);
        sides = Map.copyOf(sides);
        sequence = List.copyOf(sequence);
    }

    /** The anchors of one question's text. */
    public static QuestionAnchors of(String text) {
        List<Token> tokens = tokens(text);
        Set<String> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<String> words = new HashSet<>();
        Map<String, Set<Integer>> poles = new HashMap<>();
        boolean negated = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            addPoles(poles, phrasalMeaning(tokens, i));
            addPoles(poles, token.word());
            words.add(singular(token.word()));
            negated |= isNegation(token.lower());
            if (isName(token)) {
                names.add(singular(token.word()));
            }
            String number = number(token.lower());
            if (number != null) {
                numbers.add(number);
            }
        }
        numbers.addAll(spelledNumbers(tokens));
        poles.replaceAll((axis, indices) -> Set.copyOf(indices));
        List<String> sequence = tokens.stream().map(token -> singular(token.word())).toList();
        return new QuestionAnchors(numbers, negated, names, words, poles, sides(tokens), sequence);
    }

    private static void addPoles(Map<String, Set<Integer>> poles, String word) {
        for (OppositeTerms.Pole pole : OppositeTerms.polesOf(word)) {
            poles.computeIfAbsent(pole.axis(), axis -> new HashSet<>()).add(pole.index());
        }
    }

    /**
     * What the verb at {@code verb} and its particle mean as one word ("turned off" -> "disable"), or "" when it is
     * no such verb. The particle is the first of "on", "off", "in", "out" within {@value #PARTICLE_REACH} words in
     * the clause: "turn the lights off".
     */
    private static String phrasalMeaning(List<Token> tokens, int verb) {
        for (int i = verb + 1; i <= verb + PARTICLE_REACH && i < tokens.size() && !tokens.get(i).clauseStart(); i++) {
            String particle = tokens.get(i).lower();
            if (PARTICLES.contains(particle)) {
                for (String form : OppositeTerms.baseForms(tokens.get(verb).lower())) {
                    String meaning = PHRASAL_VERBS.get(form + " " + particle);
                    if (meaning != null) {
                        return meaning;
                    }
                }
                return "";
            }
        }
        return "";
    }

    /** Whether a word of {@link #sequence} carries content: not a function word, not a negation. */
    static boolean isContentWord(String word) {
        return !FUNCTION_WORDS.contains(word) && !isNegation(word);
    }

    /**
     * "lists" -> "list", so that a plural does not count as another word; "class", "bus", "this" and function words
     * ("does", "was") stay.
     */
    private static String singular(String word) {
        return word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")
                && !word.endsWith("is") && isContentWord(word) ? word.substring(0, word.length() - 1) : word;
    }

    /**
     * One word of the text.
     *
     * @param original as written
     * @param lower lowercased, apostrophes straightened
     * @param word lowercased without a possessive "'s"
     * @param sentenceStart first word of a sentence: its capital says nothing
     * @param clauseStart first word after a clause's punctuation: relations do not reach across it
     */
    private record Token(String original, String lower, String word, boolean sentenceStart, boolean clauseStart) {
    }

    private static List<Token> tokens(String text) {
        String straight = text.replace('\u2019', '\'');
        List<Token> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(straight);
        int previousEnd = 0;
        while (matcher.find()) {
            String gap = straight.substring(previousEnd, matcher.start());
            boolean sentenceStart = tokens.isEmpty() || SENTENCE_END.matcher(gap).find();
            boolean clauseStart = sentenceStart || CLAUSE_END.matcher(gap).find();
            previousEnd = matcher.end();
            String found = matcher.group();
            // "1,000" is one number; "1,2,3" and "Paris,France" are several words
            List<String> parts = found.indexOf(',') < 0 || THOUSANDS.matcher(found).matches()
                    ? List.of(found) : List.of(found.split(","));
            for (String part : parts) {
                String lower = part.toLowerCase(Locale.ROOT);
                String word = lower.endsWith("'s") ? lower.substring(0, lower.length() - 2) : lower;
                tokens.add(new Token(part, lower, word, sentenceStart, clauseStart));
                sentenceStart = false;
                clauseStart = false;
            }
        }
        return tokens;
    }

    private static boolean isNegation(String lower) {
        return NEGATORS.contains(lower) || lower.endsWith("n't") || lower.startsWith("n'");
    }

    /**
     * A capitalised word that is not first in its sentence, or a word with capitals inside; not a function word,
     * nor "I". The first word of a sentence is left out, since its capital is grammar, not a name.
     */
    private static boolean isName(Token token) {
        String original = token.original();
        boolean innerCapital = original.substring(1).chars().anyMatch(Character::isUpperCase);
        boolean capitalised = Character.isUpperCase(original.codePointAt(0));
        if (!innerCapital && !(capitalised && !token.sentenceStart())) {
            return false;
        }
        return !FUNCTION_WORDS.contains(token.word()) && !token.lower().startsWith("i'")
                && !isNegation(token.lower());
    }

    /** The token as a number, or null: digits (thousands separators dropped), ordinals, and words with digits. */
    private static String number(String lower) {
        if (THOUSANDS.matcher(lower).matches()) {
            return lower.replace(",", "");
        }
        if (NUMBER.matcher(lower).matches()) {
            return lower;
        }
        Matcher ordinal = ORDINAL.matcher(lower);
        if (ordinal.matches()) {
            return ordinal.group(1);
        }
        return lower.chars().anyMatch(Character::isDigit) ? lower : null;
    }

    /**
     * Numbers written as words, as digits: "two" -> "2", "twenty five" -> "25", "three hundred" -> "300". A lone
     * "one" is left out: it is mostly a pronoun ("which one", "one line at a time").
     */
    private static List<String> spelledNumbers(List<Token> tokens) {
        List<String> numbers = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (Token token : tokens) {
            // "and" joins "one hundred and five", not "two and three"
            boolean joins = token.lower().equals("and") && !run.isEmpty()
                    && NUMBER_WORDS.getOrDefault(run.get(run.size() - 1), 0L) >= 100;
            if (NUMBER_WORDS.containsKey(token.lower()) || joins) {
                run.add(token.lower());
                continue;
            }
            addSpelled(run, numbers);
        }
        addSpelled(run, numbers);
        return numbers;
    }

    private static void addSpelled(List<String> run, List<String> numbers) {
        if (!run.isEmpty() && run.get(run.size() - 1).equals("and")) {
            run.remove(run.size() - 1);
        }
        if (!run.isEmpty() && !run.equals(List.of("one"))) {
            long total = 0;
            long current = 0;
            for (String word : run) {
                long value = NUMBER_WORDS.getOrDefault(word, 0L);
                if (value == 100) {
                    current = Math.max(current, 1) * 100;
                } else if (value >= 1000) {
                    total += Math.max(current, 1) * value;
                    current = 0;
                } else {
                    current += value;
                }
            }
            numbers.add(Long.toString(total + current));
        }
        run.clear();
    }

    /**
     * Which side of a directed relation each content word stands on. "from" puts the words it governs on the
     * source side; "to", "into", "than" (and "in" before a unit: "30 degrees Celsius in Fahrenheit") put the words
     * they govern on the target side, and the words before them in the clause, not yet placed, on the source side.
     * Swapping the two sides keeps every word and nearly the whole embedding (0.97 to 0.99 with MiniLM), yet asks the
     * reverse question.
     */
    private static Map<String, Side> sides(List<Token> tokens) {
        Map<String, Side> sides = new HashMap<>();
        List<String> unplaced = new ArrayList<>();
        Side governing = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.clauseStart()) {
                unplaced.clear();
                governing = null;
            }
            String lower = token.lower();
            if (lower.equals("from")) {
                governing = Side.SOURCE;
            } else if (TARGET_WORDS.contains(lower) || lower.equals("in") && unitFollows(tokens, i)) {
                unplaced.forEach(word -> place(sides, word, Side.SOURCE));
                unplaced.clear();
                governing = Side.TARGET;
            } else if (DETERMINERS.contains(lower) || number(lower) != null) {
                continue;
            } else if (FUNCTION_WORDS.contains(lower) || isNegation(lower)) {
                governing = null;
            } else if (governing != null) {
                place(sides, token.word(), governing);
            } else {
                unplaced.add(token.word());
            }
        }
        return sides;
    }

    private static boolean unitFollows(List<Token> tokens, int in) {
        for (int i = in + 1; i < tokens.size() && !tokens.get(i).clauseStart(); i++) {
            String lower = tokens.get(i).lower();
            if (!DETERMINERS.contains(lower) && number(lower) == null) {
                return OppositeTerms.polesOf(tokens.get(i).word()).stream()
                        .anyMatch(pole -> pole.axis().equals("unit"));
            }
        }
        return false;
    }

    private static void place(Map<String, Side> sides, String word, Side side) {
        sides.merge(word, side, (was, now) -> was == now ? was : Side.BOTH);
    }

    private static Map<String, Long> numberWords() {
        String[] units = { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen" };
        String[] tens = { "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety" };
        Map<String, Long> words = new HashMap<>();
        for (int i = 0; i < units.length; i++) {
            words.put(units[i], (long) i);
        }
        for (int i = 0; i < tens.length; i++) {
            words.put(tens[i], 20L + 10L * i);
        }
        words.put("twice", 2L);
        words.put("hundred", 100L);
        words.put("thousand", 1_000L);
        words.put("million", 1_000_000L);
        words.put("billion", 1_000_000_000L);
        return Map.copyOf(words);
    }
}
