#!/usr/bin/env bash
# Rewrites expected.err of the results-* CLI cases (their FILE:LINE:COL
# moves whenever tests/fixtures are rebuilt): bash tests/cli/regen_bad_results.sh build/safemeta
# Read the diff before committing: only positions may change.
set -euo pipefail
cd "$(dirname "$0")/../.."
sm=${1:-build/safemeta}
for d in tests/cli/cases/results-*/; do
	t=$(mktemp -d)
	TMP=$t bash "$d/setup"
	mapfile -t args < <(sed "s|\$TMP|$t|g" "$d/args")
	"$sm" "${args[@]}" 2>"$t/err" >/dev/null || true
	sed "s|$t|\$TMP|g" "$t/err" >"$d/expected.err"
	rm -rf "$t"
done
