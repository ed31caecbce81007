package io.sluice.telemetry.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.UsageEvent;
import io.sluice.telemetry.repository.RowError;
import io.smallrye.mutiny.Uni;

/**
 * The one way raw usage entries enter the ledger, from the stream consumer and from the gateway's fallback sink
 * alike: parse each entry, record the events through {@link UsageLedgerService} (priced, idempotent on the request
 * id, row by row after a data error), and return the entries that cannot be stored instead of failing the others.
 * What happens to those (the dead-letter stream) is the caller's decision.
 */
@ApplicationScoped
public class LedgerIntake {
    private final UsageLedgerService ledger;

    public LedgerIntake(UsageLedgerService ledger) {
        this.ledger = ledger;
    }

    /** Fails only when nothing could be decided for the rows (PostgreSQL unavailable): then retry them all. */
    public Uni<IntakeResult> record(List<UsageEntry> entries) {
        List<UsageEvent> events = new ArrayList<>(entries.size());
        List<Integer> eventIndexes = new ArrayList<>(entries.size());
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                events.add(LedgerFields.checked(UsageEvent.fromFields(entries.get(i).fields())));
                eventIndexes.add(i);
            } catch (RuntimeException e) {
                rejections.add(new Rejection(i, entries.get(i), RowError.invalid(e)));
            }
        }
        return ledger.record(events).map(written -> {
            for (int e = 0; e < events.size(); e++) {
                RowError error = written.rejected().get(events.get(e).requestId());
                if (error != null) {
                    int index = eventIndexes.get(e);
                    rejections.add(new Rejection(index, entries.get(index), error));
                }
            }
            rejections.sort(Comparator.comparingInt(Rejection::index));
            return new IntakeResult(written.inserted(), written.duplicates(), List.copyOf(rejections));
        });
    }
}
