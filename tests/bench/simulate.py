#!/usr/bin/env python3
"""Write k simulated studies as a generic-effect CSV (study,yi,vi).

vi ~ U(0.01, 0.5) and yi ~ N(0.2, sqrt(vi + 0.1)): each study's observed
effect scatters around 0.2 with its own sampling variance plus a between-study
variance of 0.1. The stream comes from Python's Mersenne Twister through
random.random() only, with our own Box-Muller transform, so that a given seed
yields the same file on every Python 3 version.

usage: simulate.py K SEED OUT.csv
"""
import math
import os
import random
import sys


def normal_pair(rng):
	# Box-Muller; 1 - random() lies in (0, 1], so the log is finite
	u1 = 1.0 - rng.random()
	u2 = rng.random()
	r = math.sqrt(-2.0 * math.log(u1))
	return r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)


def main(argv):
	if len(argv) != 4:
		sys.stderr.write("usage: simulate.py K SEED OUT.csv\n")
		return 2
	k, seed, out = int(argv[1]), int(argv[2]), argv[3]
	rng = random.Random(seed)
	spare = []
	rows = ["study,yi,vi"]
	for i in range(1, k + 1):
		vi = 0.01 + 0.49 * rng.random()
		if not spare:
			spare = list(normal_pair(rng))
		z = spare.pop()
		yi = 0.2 + math.sqrt(vi + 0.1) * z
		rows.append("s%d,%r,%r" % (i, yi, vi))
	tmp = out + ".tmp"
	with open(tmp, "w", encoding="ascii", newline="\n") as f:
		f.write("\n".join(rows))
		f.write("\n")
	# rename so an interrupted run never leaves a truncated data file behind
	os.replace(tmp, out)
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
