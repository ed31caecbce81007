package io.sluice.quota.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.sluice.contracts.KeyGrant.CacheNamespaces;
import io.sluice.quota.model.CacheNames;

/** Stored lower-case, as the column's CHECK constraint expects. */
@Converter(autoApply = true)
public class CacheNamespacesConverter implements AttributeConverter<CacheNamespaces, String> {

    @Override
    public String convertToDatabaseColumn(CacheNamespaces namespaces) {
        return namespaces == null ? null : CacheNames.of(namespaces);
    }

    @Override
    public CacheNamespaces convertToEntityAttribute(String value) {
        return value == null ? null : CacheNames.namespaces(value)
                .orElseThrow(() -> new IllegalArgumentException("unknown cache namespaces: " + value));
    }
}
