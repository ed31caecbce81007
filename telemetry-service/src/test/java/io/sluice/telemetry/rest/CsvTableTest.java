package io.sluice.telemetry.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A report cell holds what a client typed (a model name): a spreadsheet must show it as text, never run it as a
 * formula (OWASP, CSV injection: cells starting with = + - @ TAB CR LF).
 */
class CsvTableTest {
    private final CsvTable csv = new CsvTable(new ObjectMapper());

    static Stream<Arguments> formulas() {
        return Stream.of(
                arguments("=1+2", "'=1+2"),
                arguments("+1+2", "'+1+2"),
                arguments("-2+3", "'-2+3"),
                arguments("@SUM(A1)", "'@SUM(A1)"),
                arguments("\t=1+2", "'\t=1+2"),
                // A line break also needs quotes (RFC 4180), the apostrophe goes inside them.
                arguments("\r=1+2", "\"'\r=1+2\""),
                arguments("\n=1+2", "\"'\n=1+2\""),
                arguments("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""));
    }

    @ParameterizedTest
    @MethodSource("formulas")
    void aCellThatCouldStartAFormulaIsPrefixedWithAnApostrophe(String model, String cell) {
        assertEquals("model\r\n" + cell + "\r\n", render(model));
    }

    @ParameterizedTest
    @ValueSource(strings = { "sim-gpt", "gpt-4.1", "a=b", "x+y", " =1+2" })
    void otherTextIsLeftAsItIs(String model) {
        assertEquals("model\r\n" + model + "\r\n", render(model));
    }

    private String render(String model) {
        return csv.render(List.of("model"), List.of(Map.of("model", model)));
    }
}
