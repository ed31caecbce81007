package io.sluice.quota.rest.dto;

/** The answer to {@code DELETE /admin/cache/{tenant}}: how many cached answers were deleted. */
public record CacheClearResponse(long deleted) {
}
