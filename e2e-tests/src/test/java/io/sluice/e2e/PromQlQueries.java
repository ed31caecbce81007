package io.sluice.e2e;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the queries of the dashboards and alert rules into queries that return every series they are computed from,
 * so that "no series" can only mean that a metric (or label value) is not exported.
 */
final class PromQlQueries {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)");

    private PromQlQueries() {
    }

    /**
     * The expression with every comparison made a {@code bool} comparison ({@code a > 0.05} becomes
     * {@code a > bool 0.05}), which keeps every series with 0 or 1 instead of dropping those below the threshold.
     * Label matchers ({@code {a!="b"}}), strings and existing {@code bool} modifiers are left alone.
     */
    static String withoutThresholdFiltering(String expr) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                int end = endOfString(expr, i);
                out.append(expr, i, end + 1);
                i = end;
                continue;
            }
            if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            }
            String operator = braces == 0 ? comparisonAt(expr, i) : null;
            if (operator == null) {
                out.append(c);
                continue;
            }
            out.append(operator);
            i += operator.length() - 1;
            if (!expr.substring(i + 1).stripLeading().startsWith("bool")) {
                out.append(" bool");
            }
        }
        return out.toString();
    }

    /** Grafana's variables replaced by the values a user would see: {@code values} by name, e.g. model → .* */
    static String withVariables(String expr, Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for $" + name + " in " + expr);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }

    /** A Grafana variable query {@code label_values(metric, label)} as the PromQL that lists those values. */
    static String variableQuery(String grafanaQuery) {
        Matcher matcher = LABEL_VALUES.matcher(grafanaQuery.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a label_values(metric, label) query: " + grafanaQuery);
        }
        return "count by (" + matcher.group(2) + ") (" + matcher.group(1) + ")";
    }

    private static String comparisonAt(String expr, int i) {
        for (String operator : new String[] {"==", "!=", ">=", "<=", ">", "<"}) {
            if (expr.startsWith(operator, i)) {
                return operator;
            }
        }
        return null;
    }

    private static int endOfString(String expr, int start) {
        char quote = expr.charAt(start);
        for (int i = start + 1; i < expr.length(); i++) {
            if (expr.charAt(i) == '\\' && quote != '`') {
                i++;
            } else if (expr.charAt(i) == quote) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string in " + expr);
    }
}
