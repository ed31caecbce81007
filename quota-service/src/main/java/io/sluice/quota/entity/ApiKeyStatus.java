package io.sluice.quota.entity;

/** Stored lower-case, as the column's CHECK constraint expects. */
public enum ApiKeyStatus {
    ACTIVE("active"),
    REVOKED("revoked");

    private final String column;

    ApiKeyStatus(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    public static ApiKeyStatus fromColumn(String value) {
        for (ApiKeyStatus status : values()) {
            if (status.column.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown API key status: " + value);
    }
}
