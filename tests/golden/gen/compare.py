#!/usr/bin/env python3
"""Compare two golden expected.json files key by key.

usage: compare.py EXPECTED ACTUAL [--rel 1e-12] [--abs 0] [--show 20]

Every key must be present in both (objects compared as key sets, key order ignored), arrays
must have equal length, strings/booleans/nulls must be equal, and numbers must agree within
|a - b| <= max(rel * max(|a|, |b|), abs). Integers and floats compare by value.
Differences are listed grouped by path pattern (array indices replaced by [], analysis and
group names kept out), with the largest relative difference per pattern.
Exit status: 0 when the files agree, 1 otherwise.
"""
import argparse
import json
import re
import sys
from collections import OrderedDict


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=OrderedDict)


class Diffs:
    def __init__(self):
        self.groups = OrderedDict()
        self.n = 0

    def add(self, path, kind, detail, rel=None):
        self.n += 1
        pat = re.sub(r"\[\d+\]", "[]", path)
        pat = re.sub(r"^analyses\[\]", "analyses[]", pat)
        g = self.groups.setdefault((kind, pat), {"count": 0, "first": None, "maxrel": None})
        g["count"] += 1
        if g["first"] is None:
            g["first"] = (path, detail)
        if rel is not None and (g["maxrel"] is None or rel > g["maxrel"][0]):
            g["maxrel"] = (rel, path, detail)


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def compare(e, a, path, d, rel, abs_tol):
    if isinstance(e, dict) and isinstance(a, dict):
        for k in e:
            if k not in a:
                d.add(path + "." + k, "missing", "key missing in actual")
            else:
                compare(e[k], a[k], path + "." + k, d, rel, abs_tol)
        for k in a:
            if k not in e:
                d.add(path + "." + k, "extra", "key only in actual: %s" % json.dumps(a[k])[:80])
        return
    if isinstance(e, list) and isinstance(a, list):
        if len(e) != len(a):
            d.add(path, "length", "%d vs %d" % (len(e), len(a)))
            return
        for i, (x, y) in enumerate(zip(e, a)):
            compare(x, y, "%s[%d]" % (path, i), d, rel, abs_tol)
        return
    if is_num(e) and is_num(a):
        diff = abs(e - a)
        scale = max(abs(e), abs(a))
        if diff > max(rel * scale, abs_tol):
            r = diff / scale if scale > 0 else float("inf")
            d.add(path, "number", "%r vs %r" % (e, a), r)
        return
    if type(e) != type(a) or e != a:
        d.add(path, "value", "%s vs %s" % (json.dumps(e)[:100], json.dumps(a)[:100]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--rel", type=float, default=1e-12)
    ap.add_argument("--abs", type=float, default=0.0)
    ap.add_argument("--show", type=int, default=40, help="patterns to list")
    args = ap.parse_args()
    d = Diffs()
    compare(load(args.expected), load(args.actual), "", d, args.rel, args.abs)
    if d.n == 0:
        print("identical within rel %g, abs %g" % (args.rel, args.abs))
        return 0
    print("%d differences in %d patterns" % (d.n, len(d.groups)))
    for i, ((kind, pat), g) in enumerate(d.groups.items()):
        if i >= args.show:
            print("... %d more patterns" % (len(d.groups) - args.show))
            break
        line = "%-8s %5d  %s" % (kind, g["count"], pat)
        if g["maxrel"] is not None:
            r, p, det = g["maxrel"]
            line += "\n           max rel %.3g at %s: %s" % (r, p, det)
        else:
            p, det = g["first"]
            line += "\n           e.g. %s: %s" % (p, det)
        print(line)
    return 1


if __name__ == "__main__":
    sys.exit(main())
