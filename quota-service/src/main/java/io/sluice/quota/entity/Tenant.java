package io.sluice.quota.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A customer of the gateway: owns API keys and is on one plan. */
@Entity
@Table(name = "tenants")
public class Tenant {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    /** Name of a plan configured under {@code sluice.plans}. */
    @Column(nullable = false)
    public String plan;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Tenant create(String name, String plan, Instant now) {
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.name = name;
        tenant.plan = plan;
        tenant.createdAt = now;
        return tenant;
    }
}
