package io.sluice.telemetry.service;

import java.util.Map;

import io.sluice.telemetry.repository.RowError;

/**
 * What writing a batch of usage events did, once committed.
 *
 * @param inserted events that became new ledger rows
 * @param duplicates events skipped because their request id was already recorded (or repeated in the batch)
 * @param rejected request ids of the events that cannot be stored, with the reason; none of them was written
 */
public record LedgerWrite(int inserted, int duplicates, Map<String, RowError> rejected) {
}
