package io.sluice.telemetry.repository;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The schema Flyway migrates ({@code quarkus.flyway.default-schema}), for the SQL that runs on the reactive client
 * directly: its connections do not set a search path, so every table name is qualified with this one value.
 */
@Singleton
public class LedgerSchema {
    private final String schema;

    public LedgerSchema(@ConfigProperty(name = "quarkus.flyway.default-schema") String schema) {
        this.schema = schema;
    }

    /** Replaces every {@code {schema}} in an SQL template with the quoted schema name. */
    public String sql(String template) {
        return template.replace("{schema}", '"' + schema.replace("\"", "\"\"") + '"');
    }
}
