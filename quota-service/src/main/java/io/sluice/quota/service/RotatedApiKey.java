package io.sluice.quota.service;

import io.sluice.quota.entity.ApiKey;

/** The outcome of a rotation: the new key, with its plaintext, and the old key, now expiring at its grace end. */
public record RotatedApiKey(IssuedApiKey replacement, ApiKey previous) {
    @Override
    public String toString() {
        return "RotatedApiKey[replacement=" + replacement.key().id + ", previous=" + previous.id + "]";
    }
}
