package io.sluice.gateway.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.sluice.gateway.cache.semantic.QuestionAnchors.Side;

class QuestionAnchorsTest {

    @Test
    void numbersAreNormalisedWhetherWrittenInDigitsOrWords() {
        assertEquals(Set.of("1000", "3.11"), QuestionAnchors.of("Is 1,000 more than Python 3.11?").numbers());
        assertEquals(Set.of("2"), QuestionAnchors.of("What's the 2nd largest planet?").numbers());
        assertEquals(Set.of("25"), QuestionAnchors.of("What is twenty five squared?").numbers());
        assertEquals(Set.of("105"), QuestionAnchors.of("Count to one hundred and five").numbers());
        assertEquals(Set.of("2", "3"), QuestionAnchors.of("Split it between two and three people").numbers());
        assertEquals(QuestionAnchors.of("It renders twice").numbers(), QuestionAnchors.of("It renders 2 times")
                .numbers());
        assertEquals(Set.of("1", "2", "3"), QuestionAnchors.of("Sum 1,2,3").numbers());
    }

    @Test
    void aLoneOneIsAPronounNotANumber() {
        assertEquals(Set.of(), QuestionAnchors.of("Which one is faster, one line at a time?").numbers());
        assertEquals(Set.of("100"), QuestionAnchors.of("Add one hundred").numbers());
    }

    @Test
    void wordsWithDigitsAreKeptWhole() {
        assertEquals(Set.of("ipv6"), QuestionAnchors.of("How do I enable ipv6?").numbers());
        assertEquals(Set.of("2fa", "2"), QuestionAnchors.of("Is 2FA the same as two-factor?").numbers());
    }

    @Test
    void negationIsFoundInWordsContractionsAndOtherLanguages() {
        for (String negated : List.of("Why doesn't it compile?", "Why doesnt it compile?", "Why doesn’t it compile?",
                "Which foods are not vegan?", "Languages without garbage collection", "I cannot log in",
                "I'm unable to log in", "Planets with no rings", "Foods that are never safe", "non-vegan food",
                "Pourquoi ça ne marche pas ?", "Ce n'est pas possible", "¿Por qué nunca funciona?",
                "Warum funktioniert es nicht?", "Ich habe keine Zeit")) {
            assertTrue(QuestionAnchors.of(negated).negated(), negated);
        }
        for (String plain : List.of("Why does it compile?", "Which foods are vegan?", "Note the notation",
                "What is the derivative of sin x?", "Is it known?")) {
            assertFalse(QuestionAnchors.of(plain).negated(), plain);
        }
    }

    @Test
    void namesAreCapitalisedWordsAfterTheFirstAndWordsWithInnerCapitals() {
        assertEquals(Set.of("france"), QuestionAnchors.of("What is the capital of France?").names());
        assertEquals(Set.of("javascript", "usd"), QuestionAnchors.of("convert USD in JavaScript").names());
        // a sentence's first word, "I" and function words are no names; possessives and plurals are dropped
        assertEquals(Set.of("chrome"), QuestionAnchors.of("Paris. How can I clear Chrome's cache?").names());
        assertEquals(Set.of("etf"), QuestionAnchors.of("How do ETFs work? The ETF kind").names());
        assertEquals(Set.of(), QuestionAnchors.of("I think The answer is here").names());
    }

    @Test
    void wordsAreLowercasedSingularAndWithoutPossessives() {
        assertEquals(Set.of("what", "france", "capital", "city"), QuestionAnchors.of("What's France's capital city?")
                .words());
        assertEquals(List.of("how", "do", "i", "sort", "list"), QuestionAnchors.of("How do I sort lists").sequence());
        assertEquals(List.of("this", "class", "does", "bus"), QuestionAnchors.of("this class does bus").sequence());
    }

    @Test
    void fromAndToPlaceWordsOnTheSidesOfARelation() {
        Map<String, Side> sides = QuestionAnchors.of("How do I copy files from my laptop to a server?").sides();
        assertEquals(Side.SOURCE, sides.get("copy"));
        assertEquals(Side.SOURCE, sides.get("files"));
        assertEquals(Side.SOURCE, sides.get("laptop"));
        assertEquals(Side.TARGET, sides.get("server"));

        Map<String, Side> conversion = QuestionAnchors.of("Convert 100 USD to EUR").sides();
        assertEquals(Side.SOURCE, conversion.get("usd"));
        assertEquals(Side.TARGET, conversion.get("eur"));

        Map<String, Side> comparison = QuestionAnchors.of("Is Python faster than Java?").sides();
        assertEquals(Side.SOURCE, comparison.get("python"));
        assertEquals(Side.TARGET, comparison.get("java"));
    }

    @Test
    void inIsARelationOnlyBeforeAUnit() {
        Map<String, Side> unit = QuestionAnchors.of("What is 30 degrees Celsius in Fahrenheit?").sides();
        assertEquals(Side.SOURCE, unit.get("celsius"));
        assertEquals(Side.TARGET, unit.get("fahrenheit"));
        assertTrue(QuestionAnchors.of("How do I reverse a list in Python?").sides().isEmpty());
    }

    @Test
    void relationsStopAtPunctuationAndWordsOnBothSidesCompareWithNothing() {
        Map<String, Side> sides = QuestionAnchors.of("In Java, how can I turn a string into an int?").sides();
        assertNull(sides.get("java"));
        assertEquals(Side.SOURCE, sides.get("string"));
        assertEquals(Side.TARGET, sides.get("int"));
        assertEquals(Side.BOTH, QuestionAnchors.of("string to int and int to string").sides().get("int"));
    }

    @Test
    void polesAreFoundThroughInflectionsAndPhrasalVerbs() {
        assertEquals(Map.of("change", Set.of(1)), QuestionAnchors.of("Decreasing it").poles());
        assertEquals(Set.of(1), QuestionAnchors.of("the dropped column").poles().get("add"));
        assertEquals(QuestionAnchors.of("How do I turn on 2FA?").poles().get("enable"),
                QuestionAnchors.of("How do I enable 2FA?").poles().get("enable"));
        assertEquals(Set.of(1), QuestionAnchors.of("I turned off alerts").poles().get("enable"));
        assertEquals(Set.of(0), QuestionAnchors.of("Can I switch the alerts on?").poles().get("enable"));
        assertEquals(Set.of(1), QuestionAnchors.of("How do I log out?").poles().get("session"));
        assertNull(QuestionAnchors.of("Turn left, then on the right").poles().get("enable"));
        assertNull(QuestionAnchors.of("What is on the menu?").poles().get("enable"));
    }
}
