package io.sluice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PromQlQueriesTest {
    @Test
    void comparisonsBecomeBoolComparisonsOutsideLabelMatchersAndStrings() {
        assertEquals("sum by (job) (rate(x{a!=\"b\",c=~\"5xx|e>rror\"}[5m])) / sum(y{o!=\"r\"}) > bool 0.05",
                PromQlQueries.withoutThresholdFiltering(
                        "sum by (job) (rate(x{a!=\"b\",c=~\"5xx|e>rror\"}[5m])) / sum(y{o!=\"r\"}) > 0.05"));
        assertEquals("max(up{s!=\"\"}) == bool 0", PromQlQueries.withoutThresholdFiltering("max(up{s!=\"\"}) == 0"));
        assertEquals("a >= bool 1 and b < bool 2", PromQlQueries.withoutThresholdFiltering("a >= 1 and b < 2"));
        assertEquals("a > bool 1", PromQlQueries.withoutThresholdFiltering("a > bool 1"));
        assertEquals("sum(rate(x[5m]))", PromQlQueries.withoutThresholdFiltering("sum(rate(x[5m]))"));
    }

    @Test
    void grafanaVariablesAreReplacedAndUnknownOnesRefused() {
        assertEquals("rate(x{model=~\".*\"}[1m])",
                PromQlQueries.withVariables("rate(x{model=~\"$model\"}[$__rate_interval])",
                        Map.of("model", ".*", "__rate_interval", "1m")));
        assertEquals("x{m=~\"a\"}", PromQlQueries.withVariables("x{m=~\"${model}\"}", Map.of("model", "a")));
        assertThrows(IllegalArgumentException.class, () -> PromQlQueries.withVariables("x[$__range]", Map.of()));
    }

    @Test
    void aLabelValuesVariableBecomesTheQueryListingTheValues() {
        assertEquals("count by (model) (sluice_requests_total)",
                PromQlQueries.variableQuery("label_values(sluice_requests_total, model)"));
    }
}
