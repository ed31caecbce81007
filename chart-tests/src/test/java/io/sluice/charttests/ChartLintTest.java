package io.sluice.charttests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** helm lint --strict: templates, Chart.yaml and the values against values.schema.json, for every values file. */
class ChartLintTest {

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void lintsStrictlyClean(Chart.Values values) {
        LintResult result = Chart.lint(values);
        assertFalse(result.isFailed(), values.id() + " values: " + String.join("\n", result.getMessages()));
    }
}
