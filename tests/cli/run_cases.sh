#!/usr/bin/env bash
# CLI golden tests.  Each folder tests/cli/cases/<case>/ holds:
#   args          the arguments, one per line ($TMP expands to a scratch dir)
#   expected.rc   the exit code
#   expected.err  (optional) exact stderr
#   expected.out  (optional) exact stdout
#   absent        (optional) paths or globs, one per line, that must not
#                 exist after the run (no half-written output)
#   present       (optional) lines "PATH" or "PATH<TAB>TEXT": PATH must exist
#                 after the run and, when TEXT is given, contain it verbatim
#   setup         (optional) bash script run first, with $TMP exported and
#                 the source tree as working folder (generated inputs)
#   stdin         (optional) piped to safemeta's standard input (else
#                 /dev/null)
#   env           (optional) lines VAR=VALUE added to safemeta's
#                 environment ($TMP expands)
#   signal        (optional) one line "SIG GLOB": safemeta runs in the
#                 background and gets SIG once GLOB ($TMP expands) exists
#                 (at most 60 s later)
#   post          (optional) bash script run last, with $TMP and $SAFEMETA
#                 exported; the case fails unless it exits 0 (checks such as
#                 "the previous bundle is unchanged")
# setup and post get $SAFEMETA (the binary) too.
# Input files live in the case folder; args name them from the source tree
# (tests/cli/cases/<case>/input.json), so messages show that path.
# Runs from the source tree; prints "N passed, M failed".
# Usage: run_cases.sh SAFEMETA [CASE...]   (no CASE: all of them)
set -u
bin=$1
shift
root=$(cd "$(dirname "$0")" && pwd)/cases
if [ $# -gt 0 ]; then
  dirs=()
  for c in "$@"; do dirs+=("$root/$c/"); done
else
  dirs=("$root"/*/)
fi
pass=0; fail=0
for dir in "${dirs[@]}"; do
  name=$(basename "$dir")
  tmp=$(mktemp -d)
  ok=1
  if [ -f "$dir/setup" ] && ! TMP=$tmp SAFEMETA=$bin bash "$dir/setup" >"$tmp/.setup" 2>&1; then
    echo "FAIL $name: setup failed"; cat "$tmp/.setup"; ok=0
  fi
  mapfile -t args < <(sed "s|\$TMP|$tmp|g" "$dir/args")
  envs=()
  if [ -f "$dir/env" ]; then mapfile -t envs < <(sed "s|\$TMP|$tmp|g" "$dir/env"); fi
  if [ -f "$dir/signal" ]; then
    read -r sig glob < <(sed "s|\$TMP|$tmp|g" "$dir/signal")
    # job control on: a background command keeps SIGINT (else bash ignores it)
    set -m
    env "${envs[@]}" "$bin" "${args[@]}" </dev/null >"$tmp/.out" 2>"$tmp/.err" &
    pid=$!
    set +m
    for _ in $(seq 1 1200); do
      compgen -G "$glob" >/dev/null && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
  elif [ -f "$dir/stdin" ]; then
    cat "$dir/stdin" | env "${envs[@]}" "$bin" "${args[@]}" >"$tmp/.out" 2>"$tmp/.err"
    rc=${PIPESTATUS[1]}
  else
    env "${envs[@]}" "$bin" "${args[@]}" </dev/null >"$tmp/.out" 2>"$tmp/.err"
    rc=$?
  fi
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
  if [ -f "$dir/present" ]; then
    while IFS=$'\t' read -r p text; do
      p=${p//\$TMP/$tmp}
      if [ ! -f "$p" ]; then
        echo "FAIL $name: $p missing"; ok=0
      elif [ -n "$text" ] && ! grep -qF -- "$text" "$p"; then
        echo "FAIL $name: $p lacks '$text'"; ok=0
      fi
    done <"$dir/present"
  fi
  if [ -f "$dir/post" ] && ! TMP=$tmp SAFEMETA=$bin bash "$dir/post" >"$tmp/.post" 2>&1; then
    echo "FAIL $name: post-condition failed"; cat "$tmp/.post"; ok=0
  fi
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
  rm -rf "$tmp"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
