package io.sluice.quota.service;

import io.sluice.quota.entity.ApiKey;

/** A newly issued key with its plaintext, which exists only in this response and is never stored. */
public record IssuedApiKey(ApiKey key, String plaintext) {
    @Override
    public String toString() {
        return "IssuedApiKey[id=" + key.id + "]";
    }
}
