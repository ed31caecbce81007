#!/usr/bin/env bash
# Builds the images the Helm chart runs, tagged <registry>/sluice/<module>:<version>, with docker or podman.
#   docker/build-images.sh [jvm|native]      (REGISTRY=registry.example.com to prefix, PUSH=1 to push)
# jvm (default) packages the fast-jars; native needs GraalVM/Mandrel or -Dquarkus.native.container-build=true
# in NATIVE_BUILD_ARGS. Needs a container runtime, which the Sluice build machine does not have.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flavour="${1:-jvm}"
runtime="$(command -v docker || command -v podman || { echo "docker or podman is needed" >&2; exit 1; })"
cd "$root"
version="$(./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout)"
prefix="${REGISTRY:+$REGISTRY/}sluice"
services=(gateway-service orchestrator-service quota-service telemetry-service)

if [ "$flavour" = native ]; then
  # shellcheck disable=SC2086
  ./mvnw -B -Pnative -DskipTests package -pl "$(IFS=,; echo "${services[*]}")" -am ${NATIVE_BUILD_ARGS:-}
  tag="$version-native"
else
  ./mvnw -B -DskipTests package -pl "$(IFS=,; echo "${services[*]}"),sim-provider" -am
  ./mvnw -B -q -pl sim-provider dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
  "$runtime" build -f docker/Dockerfile.sim-provider -t "$prefix/sim-provider:$version" sim-provider
  tag="$version"
fi
for module in "${services[@]}"; do
  "$runtime" build -f "docker/Dockerfile.$flavour" -t "$prefix/$module:$tag" "$module"
done
if [ "${PUSH:-0}" = 1 ]; then
  for module in "${services[@]}"; do "$runtime" push "$prefix/$module:$tag"; done
  [ "$flavour" = native ] || "$runtime" push "$prefix/sim-provider:$version"
fi
