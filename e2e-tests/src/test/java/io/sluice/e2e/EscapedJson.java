package io.sluice.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps, lists, strings, numbers and booleans as JSON with every character outside printable ASCII
 * escaped as {@code \}{@code uXXXX}. That is how a client gets any UTF-16 code unit, a lone surrogate or a NUL
 * included, into a request: legal JSON syntax that decodes to a string the stores downstream may not accept.
 */
final class EscapedJson {
    private EscapedJson() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** A deep copy of {@code tree} with the value at {@code path} (map keys and list indexes) replaced. */
    @SuppressWarnings("unchecked")
    static Object replaced(Object tree, List<Object> path, Object value) {
        if (path.isEmpty()) {
            return value;
        }
        Object step = path.get(0);
        List<Object> rest = path.subList(1, path.size());
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
            copy.put((String) step, replaced(copy.get(step), rest, value));
            return copy;
        }
        List<Object> copy = new ArrayList<>((List<Object>) tree);
        copy.set((Integer) step, replaced(copy.get((Integer) step), rest, value));
        return copy;
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text, out);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                string((String) entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append('"');
    }
}
