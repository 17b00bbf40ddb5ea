#!/usr/bin/env bash
# Short libFuzzer run of every harness, one after the other (CI smoke test).
# Usage: tests/fuzz/smoke.sh BUILD_DIR [SECONDS]   (from the source tree)
# Each harness starts from a scratch copy of its seed corpus; on a finding
# libFuzzer exits non-zero, the input is kept as BUILD_DIR/fuzz-<name>-*,
# and this script fails.
set -euo pipefail
build=$1
secs=${2:-60}
# harness  corpus  dictionary  max input length (the analysis harnesses
# keep inputs small: the analysis is not linear in the number of studies)
runs=(
  "review review review.dict 16384"
  "csv csv csv.dict 16384"
  "style style - 16384"
  "template template template.dict 16384"
  "results results results.dict 65536"
  "review_analyze review review.dict 2048"
  "csv_analyze csv csv.dict 2048"
)
export SAFEMETA_HOME=$PWD
for r in "${runs[@]}"; do
  read -r name corpus dict maxlen <<<"$r"
  work=$(mktemp -d)
  dictopt=()
  [ "$dict" != - ] && dictopt=(-dict="tests/fuzz/$dict")
  echo "fuzz_$name: ${secs}s"
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
    -max_len="$maxlen" "${dictopt[@]}" -artifact_prefix="$build/fuzz-$name-" \
    -print_final_stats=1 "$work" "tests/fuzz/corpus/$corpus" 2>"$work.log" ||
    { tail -n 60 "$work.log"; echo "fuzz_$name: finding, see $build/fuzz-$name-*" >&2; exit 1; }
  grep -E '^stat::number_of_executed_units' "$work.log" || true
  rm -rf "$work" "$work.log"
done
