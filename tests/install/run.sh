#!/usr/bin/env bash
# The installed library, as another program uses it: install the build into
# a scratch prefix, check that the shared library exports exactly the
# functions of safemeta.h, build examples/library/pooled.c against it with
# pkg-config (shared, then static), and compare what the program computes
# and draws with what `safemeta analyze` and `safemeta render` give.
# Usage: run.sh BUILD_DIR [EXTRA_CFLAGS...]  (from the source tree)
set -euo pipefail
build=$1
shift
extra=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name libsafemeta.so -print -quit)")
export PKG_CONFIG_PATH=$libdir/pkgconfig

# 1. The exported functions are the SM_API declarations of the header.
sed -n 's/^SM_API [^(]*[ *]\([a-z_0-9]*\)(.*/\1/p' "$prefix/include/safemeta.h" | sort >"$tmp/api"
nm -D --defined-only "$libdir/libsafemeta.so" | awk '$2 == "T" { print $3 }' | sort >"$tmp/exported"
if ! diff -u "$tmp/api" "$tmp/exported"; then
  echo "FAIL: the shared library exports other functions than safemeta.h declares"; exit 1
fi
[ "$(wc -l <"$tmp/api")" -ge 30 ] || { echo "FAIL: too few API functions found"; exit 1; }

# 2. Shared and static builds of the example.
cc -std=c17 -Wall -Wextra -Werror "${extra[@]}" examples/library/pooled.c \
  $(pkg-config --cflags --libs safemeta) -o "$tmp/pooled"
cc -std=c17 -Wall -Wextra -Werror "${extra[@]}" examples/library/pooled.c \
  $(pkg-config --cflags safemeta) "$libdir/libsafemeta.a" \
  $(pkg-config --static --libs safemeta | sed 's/-lsafemeta\b//') -o "$tmp/pooled-static"
readelf -d "$tmp/pooled" | grep -q 'libsafemeta.so.0' || { echo "FAIL: not linked to libsafemeta.so.0"; exit 1; }
if readelf -d "$tmp/pooled-static" | grep -q libsafemeta; then
  echo "FAIL: the static build needs libsafemeta.so"; exit 1
fi

# 3. Same numbers as the command line, same figure as render; the shared
# library finds the installation's fonts by itself (no SAFEMETA_HOME, no
# build tree); a static program is told where they are (pkg-config).
input=tests/golden/bcg/input.csv
env -u SAFEMETA_HOME LD_LIBRARY_PATH="$libdir" "$tmp/pooled" "$input" "$tmp/forest.png" REML \
  >"$tmp/lib.txt"
SAFEMETA_HOME=$(pkg-config --variable=datadir safemeta) \
  "$tmp/pooled-static" "$input" "$tmp/forest-static.png" REML \
  >"$tmp/lib-static.txt"
"$prefix/bin/safemeta" analyze "$input" --method REML -o "$tmp/cli.json"
python3 - "$tmp/cli.json" >"$tmp/cli.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for a in doc["analyses"]:
    print(a["name"] + ":" + "".join(" %s %s" % (k, "%.17g" % a[k]) for k in ("k", "estimate", "ci_lb", "ci_ub")))
PY
diff -u "$tmp/cli.txt" "$tmp/lib.txt"
diff -u "$tmp/cli.txt" "$tmp/lib-static.txt"
grep -q 'estimate -0.745177' "$tmp/lib.txt" || { echo "FAIL: not the bcg REML log odds ratio"; cat "$tmp/lib.txt"; exit 1; }
(cd "$tmp" && env -u SAFEMETA_HOME "$prefix/bin/safemeta" render forest cli.json --width double -o cli.png)
cmp "$tmp/cli.png" "$tmp/forest.png"
cmp "$tmp/forest.png" "$tmp/forest.png.stream"
cmp "$tmp/forest.png" "$tmp/forest-static.png"
head -c 8 "$tmp/forest.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || { echo "FAIL: not a PNG"; exit 1; }
echo "install: API of $(wc -l <"$tmp/api") functions, shared and static example agree with the CLI"
