package io.sluice.telemetry.service;

import java.util.List;

/**
 * What {@link LedgerIntake} did with a list of entries, once committed: every entry is exactly one of recorded,
 * duplicate or rejected.
 *
 * @param rejections in the order of the entries
 */
public record IntakeResult(int recorded, int duplicates, List<Rejection> rejections) {
}
