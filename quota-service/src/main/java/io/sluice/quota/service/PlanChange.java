package io.sluice.quota.service;

import java.util.List;
import java.util.UUID;

import io.sluice.quota.entity.Plan;

/**
 * The outcome of {@code PUT /admin/plans/{name}}.
 *
 * @param created whether the plan is new rather than replaced
 * @param tenantIds the tenants on the plan, whose cached grants the change made stale
 */
public record PlanChange(Plan plan, boolean created, List<UUID> tenantIds) {
}
