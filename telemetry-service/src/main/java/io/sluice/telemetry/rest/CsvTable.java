package io.sluice.telemetry.rest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders report rows as CSV (RFC 4180) from their JSON form, so that a CSV column is always the JSON field of the
 * same name and value. Text that a spreadsheet would run as a formula is prefixed with an apostrophe: model names in
 * a report can be whatever a client sent. That is text starting with = + - @ or with a TAB, CR or LF (OWASP, CSV
 * injection: spreadsheets skip leading whitespace and then read a formula).
 */
@ApplicationScoped
public class CsvTable {
    public static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    /** First characters that make a spreadsheet read a cell as a formula. */
    private static final String FORMULA_START = "=+-@\t\r\n";
    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public CsvTable(ObjectMapper mapper) {
        // Decimals stay BigDecimal with their scale: cost_usd keeps its six decimals in the CSV too.
        this.mapper = mapper.copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** The report as JSON, or, for {@code format=csv}, its {@code rows} as the download {@link #response} makes. */
    Response jsonOrCsv(ReportFormat format, Object report, String fileName, List<String> columns, List<?> rows) {
        return format == ReportFormat.CSV ? response(fileName, columns, rows)
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** A text/csv download named {@code fileName}: a header line of {@code columns}, then one line per row. */
    public Response response(String fileName, List<String> columns, List<?> rows) {
        return Response.ok(render(columns, rows), MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    String render(List<String> columns, List<?> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append("\r\n");
        for (Object row : rows) {
            Map<String, Object> fields = mapper.convertValue(row, FIELDS);
            for (int i = 0; i < columns.size(); i++) {
                if (!fields.containsKey(columns.get(i))) {
                    throw new IllegalStateException("CSV column " + columns.get(i) + " is not a field of " + row.getClass());
                }
                if (i > 0) {
                    csv.append(',');
                }
                csv.append(cell(fields.get(columns.get(i))));
            }
            csv.append("\r\n");
        }
        return csv.toString();
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number number) {
            return number instanceof BigDecimal decimal ? decimal.toPlainString() : number.toString();
        }
        String text = value.toString();
        if (!text.isEmpty() && FORMULA_START.indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            text = '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
