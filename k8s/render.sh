#!/usr/bin/env bash
# Regenerates k8s/ (kustomize base and dev/prod overlays) from the Helm chart in helm/, with the Helm library the
# chart tests embed (no helm binary needed), then checks that kubectl kustomize renders what the chart renders.
# Run it after every change to helm/; the chart tests fail while k8s/ is stale.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# -am: the chart tests read the price table mapping of api-contracts, a module of this build
MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g}" ./mvnw -B -q -pl chart-tests -am test -Dtest=KustomizeOverlaysTest \
  -Dsluice.k8s.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
echo "k8s/ regenerated from helm/"
