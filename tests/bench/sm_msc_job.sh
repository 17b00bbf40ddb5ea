#!/usr/bin/env bash
# The safemeta side of the full intravenous-MSC job (tests/bench/run, case 1):
# `safemeta report`, then the figures `report` does not write yet, rendered
# JOBS at a time (figures are independent, so they use every core).
#
# usage: sm_msc_job.sh SAFEMETA REVIEW.json OUTDIR PLAN JOBS
# PLAN holds one `safemeta` argument list a line, tab-separated (written by
# tests/bench/run, which works out which figures are missing).
set -euo pipefail
sm=$1 review=$2 out=$3 plan=$4 jobs=$5

rm -rf "$out"
"$sm" --quiet report "$review" -o "$out"
mkdir -p "$out/figures"

failed=0
running=0
while IFS=$'\t' read -r -a args; do
	[ ${#args[@]} -gt 0 ] || continue
	if [ "$running" -ge "$jobs" ]; then
		wait -n || failed=1
		running=$((running - 1))
	fi
	"$sm" --quiet "${args[@]}" &
	running=$((running + 1))
done <"$plan"
while [ "$running" -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done
exit "$failed"
