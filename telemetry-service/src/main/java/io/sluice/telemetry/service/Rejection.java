package io.sluice.telemetry.service;

import io.sluice.telemetry.repository.RowError;

/**
 * An entry that cannot become a ledger row, and why.
 *
 * @param index its position in the list of entries it came with
 */
public record Rejection(int index, UsageEntry entry, RowError error) {
}
