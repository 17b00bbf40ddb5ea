#!/usr/bin/env bash
# CLI golden tests.  Each folder tests/cli/cases/<case>/ holds:
#   args          the arguments, one per line ($TMP expands to a scratch dir)
#   expected.rc   the exit code
#   expected.err  (optional) exact stderr
#   expected.out  (optional) exact stdout
#   absent        (optional) paths, one per line, that must not exist after
#                 the run (no half-written output)
# Runs from the source tree; prints "N passed, M failed".
set -u
bin=$1
root=$(cd "$(dirname "$0")" && pwd)/cases
pass=0; fail=0
for dir in "$root"/*/; do
  name=$(basename "$dir")
  tmp=$(mktemp -d)
  mapfile -t args < <(sed "s|\$TMP|$tmp|g" "$dir/args")
  "$bin" "${args[@]}" >"$tmp/.out" 2>"$tmp/.err"
  rc=$?
  ok=1
  want_rc=$(cat "$dir/expected.rc")
  if [ "$rc" != "$want_rc" ]; then echo "FAIL $name: exit $rc, expected $want_rc"; ok=0; fi
  if [ -f "$dir/expected.err" ] && ! diff -u <(sed "s|\$TMP|$tmp|g" "$dir/expected.err") "$tmp/.err" >"$tmp/.diff"; then
    echo "FAIL $name: stderr differs"; cat "$tmp/.diff"; ok=0
  fi
  if [ -f "$dir/expected.out" ] && ! diff -u <(sed "s|\$TMP|$tmp|g" "$dir/expected.out") "$tmp/.out" >"$tmp/.diff"; then
    echo "FAIL $name: stdout differs"; cat "$tmp/.diff"; ok=0
  fi
  if [ -f "$dir/absent" ]; then
    while IFS= read -r p; do
      p=${p//\$TMP/$tmp}
      if compgen -G "$p" >/dev/null; then echo "FAIL $name: $p exists"; ok=0; fi
    done <"$dir/absent"
  fi
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
  rm -rf "$tmp"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
