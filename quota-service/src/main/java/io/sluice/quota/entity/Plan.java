package io.sluice.quota.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.sluice.quota.model.Limits;

/** A plan (tier) and its limits: the live values, seeded from {@code sluice.plans} and changed through the admin API. */
@Entity
@Table(name = "plans")
public class Plan {

    @Id
    public String name;

    @Column(name = "requests_per_minute", nullable = false)
    public long requestsPerMinute;

    @Column(name = "requests_per_hour", nullable = false)
    public long requestsPerHour;

    @Column(name = "requests_per_day", nullable = false)
    public long requestsPerDay;

    @Column(name = "tokens_per_day", nullable = false)
    public long tokensPerDay;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Plan create(String name, Limits limits, Instant now) {
        Plan plan = new Plan();
        plan.name = name;
        plan.requestsPerMinute = limits.requestsPerMinute();
        plan.requestsPerHour = limits.requestsPerHour();
        plan.requestsPerDay = limits.requestsPerDay();
        plan.tokensPerDay = limits.tokensPerDay();
        plan.updatedAt = now;
        return plan;
    }

    public Limits limits() {
        return new Limits(requestsPerMinute, requestsPerHour, requestsPerDay, tokensPerDay);
    }
}
