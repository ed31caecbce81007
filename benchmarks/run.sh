#!/usr/bin/env bash
# Whole-suite benchmark (issue 7): starts the suite exactly as ./sluice up does (free ports, its own state under
# benchmarks/target/suite-bench), measures direct-to-sim-provider against through-the-suite, and writes a markdown
# report to benchmarks/target/suite-report.md (also printed). Builds what it needs first when missing or stale.
#   bash benchmarks/run.sh                       full run (about 15 minutes on 2 cores)
#   bash benchmarks/run.sh --quick               smoke run (about 3 minutes): short phases, no profile
#   bash benchmarks/run.sh --jmh                 afterwards also the JMH hot-path benchmarks (JSON in target/)
#   bash benchmarks/run.sh --rates=400 --duration=60 --skip=wrk,startup   any SuiteBenchmark option (see below)
#   bash benchmarks/run.sh --soak [--minutes=30 --rate=40]   instead: the soak (mixed traffic, resources sampled each
#                                                minute, every answer in the ledger once) to benchmarks/target/soak-report.md
# Options: --rates= --warmup= --duration= --connections= --wrk-seconds= --streams= --stream-rate= --stream-gap-ms=
#          --startup-runs= --profile-rate= (0: no profile) --profiler=jfr|async --jit-warmup= (0: none)
#          --memory-rates= --memory-conversations=
#          --skip=open,floor,cache,semantic,memory,wrk,stream,startup --out=
# Needs JDK 17+, Maven Central (first build) and wrk (installed with apt-get when missing; needs root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=()
jmh=false
main=io.sluice.benchmarks.suite.SuiteBenchmark
for arg in "$@"; do
  case "$arg" in
    --soak) main=io.sluice.benchmarks.soak.SoakRun ;;
    --quick) args+=(--rates=100,400 --warmup=3 --duration=8 --connections=16,64 --wrk-seconds=8 --streams=600
                    --startup-runs=1 --profile-rate=0 --jit-warmup=60) ;;
    --jmh) jmh=true ;;
    *) args+=("$arg") ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "installing wrk (apt-get)..."
  apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi

jar=benchmarks/target/benchmarks.jar
stale() {
  local artifacts=("$jar" {gateway,orchestrator,quota,telemetry}-service/target/quarkus-app/quarkus-run.jar
                   test-support/target/classpath.txt sim-provider/target/classpath.txt)
  for artifact in "${artifacts[@]}"; do [ -f "$artifact" ] || return 0; done
  [ -n "$(find . -path ./.sluice -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -name '*.lua' -o -name '*.sql' \) \
      -newer "$jar" -print -quit)" ]
}
if stale; then
  echo "building the suite and the benchmarks (mvn -DskipTests package)..."
  MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g}" ${MVN:-./mvnw} -B -q -DskipTests package \
    -pl benchmarks,gateway-service,orchestrator-service,quota-service,telemetry-service,sim-provider,test-support -am
fi

java -Xmx512m -cp "$jar" "$main" --root="$root" ${args[@]+"${args[@]}"}

if $jmh; then
  java -Xmx512m -jar "$jar" 'KeyCacheLookup|SseTranslation' -rf json -rff benchmarks/target/jmh-hot-paths.json
fi
