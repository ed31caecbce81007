package io.sluice.adminguard;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The admin API's own credential, separate from inference keys. */
@ConfigMapping(prefix = "sluice.admin")
public interface AdminConfig {

    /** Bearer token for /admin (env SLUICE_ADMIN_TOKEN). Unset means the admin API refuses every call. */
    Optional<String> token();
}
