#!/usr/bin/env bash
# Copies the services' Flyway migrations into the chart (helm/migrations/<module>/), where the pre-install/pre-upgrade
# hook Job reads them from a ConfigMap. The services' src/main/resources/db/migration/ stay the only place to edit:
# run this after adding a migration; the chart tests fail while the copies differ.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/helm/migrations"
rm -rf "$target"
for source in "$root"/*-service/src/main/resources/db/migration; do
  [ -d "$source" ] || continue
  module="${source#"$root"/}"
  module="${module%%/*}"
  mkdir -p "$target/$module"
  cp "$source"/*.sql "$target/$module/"
  echo "helm/migrations/$module: $(ls "$source"/*.sql | wc -l) file(s)"
done
