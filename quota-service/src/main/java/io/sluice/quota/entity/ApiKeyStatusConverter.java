package io.sluice.quota.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter(autoApply = true)
public class ApiKeyStatusConverter implements AttributeConverter<ApiKeyStatus, String> {

    @Override
    public String convertToDatabaseColumn(ApiKeyStatus status) {
        return status == null ? null : status.column();
    }

    @Override
    public ApiKeyStatus convertToEntityAttribute(String value) {
        return value == null ? null : ApiKeyStatus.fromColumn(value);
    }
}
