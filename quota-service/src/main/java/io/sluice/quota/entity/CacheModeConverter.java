package io.sluice.quota.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.quota.model.CacheNames;

/** Stored lower-case, as the column's CHECK constraint expects. */
@Converter(autoApply = true)
public class CacheModeConverter implements AttributeConverter<CacheMode, String> {

    @Override
    public String convertToDatabaseColumn(CacheMode mode) {
        return mode == null ? null : CacheNames.of(mode);
    }

    @Override
    public CacheMode convertToEntityAttribute(String value) {
        return value == null ? null : CacheNames.mode(value)
                .orElseThrow(() -> new IllegalArgumentException("unknown cache mode: " + value));
    }
}
