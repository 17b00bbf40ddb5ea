#!/usr/bin/env bash
# The per-kind breakdown of the full MSC job (README, "Full job"): the CPU
# time (user + sys, seconds) of `safemeta render KIND` for each of the 16
# domains of a finished bundle's results, per format, one process a figure
# (so each number includes 16 process starts).
#
#   bash tests/bench/msc_per_kind.sh SAFEMETA RESULTS.json [KIND...]
set -euo pipefail
bin=$1 results=$2
shift 2
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(baujat funnel forest influence leave1out cumulative methods)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t names < <(python3 -c 'import json, sys
for a in json.load(open(sys.argv[1]))["analyses"]:
    print(a["name"])' "$results")
printf '%-11s %6s %6s %6s\n' kind pdf svg png
for k in "${kinds[@]}"; do
	row=$(printf '%-11s' "$k")
	for e in pdf svg png; do
		t=$( { /usr/bin/time -f '%U %S' bash -c '
			bin=$1 k=$2 e=$3 r=$4 o=$5; shift 5
			for n in "$@"; do "$bin" --quiet render "$k" "$r" --analysis "$n" -o "$o/f.$e" || true; done
			' _ "$bin" "$k" "$e" "$results" "$out" "${names[@]}"; } 2>&1 | tail -1 |
			awk '{ printf "%.2f", $1 + $2 }')
		row="$row $(printf '%6s' "$t")"
	done
	echo "$row"
done
