package io.sluice.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates the inputs of {@link LedgerUnderHostileInputIT} from one seed: which client field of which route gets a
 * hostile value, and the value, drawn from the classes of strings the stores and labels downstream may refuse
 * (control characters and NUL, lone surrogates, non-BMP characters, 5,000 characters, any UTF-16 code unit) and from
 * values of the wrong type. The same seed gives the same inputs, so a failure names the seed that reproduces it.
 */
final class HostileInputs {

    /** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, a cut sequence), sent raw in a string. */
    record NotUtf8(byte[] bytes) {
        private static final String PLACEHOLDER = "@@not-utf-8@@";
    }

    /** One client field: the route, a valid request, and where in it the hostile value goes. */
    record Field(String path, Map<String, Object> template, List<Object> at) {
        byte[] bodyWith(Object value) {
            if (value instanceof NotUtf8 raw) {
                String json = EscapedJson.write(EscapedJson.replaced(template, at, NotUtf8.PLACEHOLDER));
                int at = json.indexOf(NotUtf8.PLACEHOLDER);
                byte[] head = json.substring(0, at).getBytes(StandardCharsets.US_ASCII);
                byte[] tail = json.substring(at + NotUtf8.PLACEHOLDER.length()).getBytes(StandardCharsets.US_ASCII);
                byte[] body = Arrays.copyOf(head, head.length + raw.bytes().length + tail.length);
                System.arraycopy(raw.bytes(), 0, body, head.length, raw.bytes().length);
                System.arraycopy(tail, 0, body, head.length + raw.bytes().length, tail.length);
                return body;
            }
            return EscapedJson.write(EscapedJson.replaced(template, at, value)).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return path + " " + at;
        }
    }

    private static final Map<String, Object> CHAT = Map.of(
            "model", "sim-gpt", "max_tokens", 8, "user", "u", "stop", List.of("zz"),
            "tool_choice", "auto", "response_format", Map.of("type", "text"),
            "messages", List.of(
                    Map.of("role", "system", "content", "Be brief.", "name", "n"),
                    Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Hello"))),
                    Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "call_1", "type", "function",
                            "function", Map.of("name", "lookup", "arguments", "{}")))),
                    Map.of("role", "tool", "tool_call_id", "call_1", "content", "42")),
            "tools", List.of(Map.of("type", "function", "function", Map.of("name", "lookup",
                    "description", "d", "parameters", Map.of("type", "object")))));
    private static final Map<String, Object> EMBEDDINGS = Map.of("model", "sim-embed", "input", List.of("a", "b"),
            "user", "u", "encoding_format", "float");
    private static final Map<String, Object> MESSAGES = Map.of(
            "model", "sim-claude", "max_tokens", 8, "system", "Be brief.",
            "metadata", Map.of("user_id", "u"), "stop_sequences", List.of("zz"),
            "messages", List.of(Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Hello")))),
            "tools", List.of(Map.of("name", "lookup", "description", "d", "input_schema", Map.of("type", "object"))));

    /** Every field a client sends in the three templates, and the containers around them. */
    static final List<Field> FIELDS = fields();

    private static final List<Object> WRONG_TYPES = Arrays.asList(0, -1, 1.5e308, true, "", List.of(), Map.of(),
            List.of(1), Map.of("a", 1), Arrays.asList((Object) null), null);

    private final Random random;

    HostileInputs(long seed) {
        this.random = new Random(seed);
    }

    Field field() {
        return FIELDS.get(random.nextInt(FIELDS.size()));
    }

    boolean coin() {
        return random.nextBoolean();
    }

    /** A hostile value: mostly strings of one of the classes above, sometimes a value of the wrong type. */
    Object value() {
        return switch (random.nextInt(11)) {
            case 0 -> string(40, this::anyCodeUnit);
            case 1 -> string(8, () -> (char) random.nextInt(0x20));
            case 2 -> string(4, () -> (char) (0xd800 + random.nextInt(0x800)));
            case 3 -> nonBmp(1 + random.nextInt(8));
            case 4 -> string(5_000, 5_000, () -> (char) ('!' + random.nextInt('~' - '!' + 1)));
            case 5 -> List.of("sim-gpt", "sim-embed", "sim-claude").get(random.nextInt(3))
                    + string(8, () -> (char) random.nextInt(0x20));
            case 6 -> string(20, this::anyCodeUnit) + string(2, () -> (char) (0xdc00 + random.nextInt(0x400)))
                    + nonBmp(2);
            case 7 -> string(12, () -> List.of('\u0000', '\u2028', '\ufeff', '\ufffe', '\u202e', '"', '\\')
                    .get(random.nextInt(7)));
            case 8 -> new NotUtf8(List.of(new byte[] { (byte) 0x80 }, new byte[] { (byte) 0xc0, (byte) 0xaf },
                    new byte[] { 's', 'i', 'm', (byte) 0xe2, (byte) 0x82 }, new byte[] { (byte) 0xed, (byte) 0xa0,
                            (byte) 0x80 }, new byte[] { (byte) 0xff, 0 }).get(random.nextInt(5)));
            default -> WRONG_TYPES.get(random.nextInt(WRONG_TYPES.size()));
        };
    }

    private char anyCodeUnit() {
        return (char) random.nextInt(0x10000);
    }

    private String string(int maxLength, Supplier<Character> next) {
        return string(1, maxLength, next);
    }

    private String string(int minLength, int maxLength, Supplier<Character> next) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(next.get());
        }
        return text.toString();
    }

    private String nonBmp(int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(0x10000 + random.nextInt(0x100000));
        }
        return text.toString();
    }

    /** A value as it was sent, escaped and cut short, for a failure message. */
    static String describe(Object value) {
        if (value instanceof NotUtf8 raw) {
            return "bytes " + java.util.HexFormat.ofDelimiter(" ").formatHex(raw.bytes()) + " (not UTF-8)";
        }
        String json = EscapedJson.write(value);
        return json.length() > 160 ? json.substring(0, 160) + "… (" + json.length() + " characters)" : json;
    }

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        add(fields, "/v1/chat/completions", CHAT, List.of(
                List.of("model"), List.of("user"), List.of("stop"), List.of("stop", 0), List.of("tool_choice"),
                List.of("response_format"), List.of("response_format", "type"), List.of("max_tokens"),
                List.of("messages"), List.of("messages", 0), List.of("messages", 0, "role"),
                List.of("messages", 0, "content"), List.of("messages", 0, "name"), List.of("messages", 1, "content"),
                List.of("messages", 1, "content", 0), List.of("messages", 1, "content", 0, "type"),
                List.of("messages", 1, "content", 0, "text"), List.of("messages", 2, "tool_calls"),
                List.of("messages", 2, "tool_calls", 0), List.of("messages", 2, "tool_calls", 0, "id"),
                List.of("messages", 2, "tool_calls", 0, "function"),
                List.of("messages", 2, "tool_calls", 0, "function", "name"),
                List.of("messages", 2, "tool_calls", 0, "function", "arguments"),
                List.of("messages", 3, "tool_call_id"), List.of("messages", 3, "content"), List.of("tools"),
                List.of("tools", 0), List.of("tools", 0, "function"), List.of("tools", 0, "function", "name"),
                List.of("tools", 0, "function", "description"), List.of("tools", 0, "function", "parameters")));
        add(fields, "/v1/embeddings", EMBEDDINGS, List.of(List.of("model"), List.of("input"), List.of("input", 0),
                List.of("user"), List.of("encoding_format")));
        add(fields, "/v1/messages", MESSAGES, List.of(List.of("model"), List.of("system"), List.of("max_tokens"),
                List.of("metadata"), List.of("metadata", "user_id"), List.of("stop_sequences"),
                List.of("stop_sequences", 0), List.of("messages"), List.of("messages", 0),
                List.of("messages", 0, "role"), List.of("messages", 0, "content"), List.of("messages", 0, "content", 0),
                List.of("messages", 0, "content", 0, "type"), List.of("messages", 0, "content", 0, "text"),
                List.of("tools"), List.of("tools", 0), List.of("tools", 0, "name"), List.of("tools", 0, "description"),
                List.of("tools", 0, "input_schema")));
        return List.copyOf(fields);
    }

    private static void add(List<Field> fields, String path, Map<String, Object> template, List<List<?>> places) {
        places.forEach(at -> fields.add(new Field(path, template, List.<Object>copyOf(at))));
    }
}
