#!/usr/bin/env python3
"""Turn the raw measurements of tests/bench/run into the Markdown results.

usage: report.py WORKDIR RESULTS.md
Reads WORKDIR/meta.tsv, WORKDIR/raw.tsv (one line per run: id, run, exit
status, wall seconds, peak KiB) and the logs of each run; prints the tables
and writes them to RESULTS.md.
"""
import json
import os
import statistics
import struct
import subprocess
import sys

TASKS = [("fit", "fit"), ("begg", "Begg"), ("egger", "Egger"),
	("trimfill", "trim-and-fill"), ("leave1out", "leave-one-out"),
	("influence", "influence")]
# the R tasks whose sum is compared with one safemeta run of a method
R_PARTS = ["begg", "egger", "trimfill", "leave1out", "influence"]


class Case:
	"""All runs of one case id."""

	def __init__(self, work, cid):
		self.work, self.id = work, cid
		self.runs = []  # (run, rc, wall, peak_kib)
		self.skip = None

	@property
	def base(self):
		return os.path.join(self.work, "log", self.id.replace("/", "_"))

	def ok_runs(self):
		return [r for r in self.runs if r[1] == 0]

	@property
	def status(self):
		if self.skip is not None:
			return "skip"
		if not self.runs:
			return "none"
		if self.ok_runs():
			return "ok"
		rc = self.runs[0][1]
		return "timeout" if rc in (124, 137) else "error"

	@property
	def wall(self):
		return statistics.median(r[2] for r in self.ok_runs())

	@property
	def peak_mib(self):
		runs = self.ok_runs() or self.runs
		return max(r[3] for r in runs) / 1024.0 if runs else 0.0

	def keys(self, n=None):
		"""key=value lines of the stdout of run n (or of every ok run)."""
		out = []
		for r in ([x for x in self.runs if x[0] == n] if n else self.ok_runs()):
			kv = {}
			try:
				with open("%s.%d.out" % (self.base, r[0]), encoding="utf-8",
						errors="replace") as f:
					for line in f:
						if "=" in line:
							k, v = line.rstrip("\n").split("=", 1)
							kv[k] = v
			except OSError:
				pass
			out.append(kv)
		return out

	def key_median(self, key):
		vals = [float(kv[key]) for kv in self.keys() if key in kv]
		return statistics.median(vals) if vals else None

	def error(self):
		"""The message that explains a failed first run."""
		if self.skip is not None:
			return self.skip
		for kv in self.keys(1):
			if "error" in kv:
				return kv["error"]
		try:
			with open("%s.1.err" % self.base, encoding="utf-8", errors="replace") as f:
				lines = [x.strip() for x in f if x.strip()]
		except OSError:
			lines = []
		for x in lines:
			if x.startswith("Error") or x.startswith("safemeta:"):
				return x[:200]
		return lines[-1][:200] if lines else "exit status %d" % self.runs[0][1]


def load(work):
	meta = {}
	with open(os.path.join(work, "meta.tsv"), encoding="utf-8") as f:
		for line in f:
			k, _, v = line.rstrip("\n").partition("\t")
			meta[k] = v
	cases = {}
	with open(os.path.join(work, "raw.tsv"), encoding="utf-8") as f:
		for line in f:
			cid, run, rc, wall, peak = line.rstrip("\n").split("\t")
			c = cases.setdefault(cid, Case(work, cid))
			if rc == "skip":
				with open(c.base + ".skip", encoding="utf-8") as g:
					c.skip = g.read().strip()
			else:
				c.runs.append((int(run), int(rc), float(wall), int(peak)))
	return meta, cases


def secs(x):
	if x < 1:
		return "%.3f" % x
	if x < 100:
		return "%.2f" % x
	return "%.0f" % x


def times(x):
	return ("%.0f×" if x >= 100 else "%.1f×") % x


class Tables:
	def __init__(self, work, meta, cases):
		self.work, self.meta, self.cases = work, meta, cases
		self.timeout = float(meta["timeout"])
		self.lines = []
		self.targets = []

	def case(self, cid):
		return self.cases.get(cid) or Case(self.work, cid)

	def out(self, s=""):
		self.lines.append(s)

	def cell(self, c, show_runs=True):
		"""time cell and memory cell of a case"""
		st = c.status
		if st == "ok":
			n = len(c.ok_runs())
			t = secs(c.wall) + (" (%d)" % n if show_runs else "")
			return t, "%.0f" % c.peak_mib
		if st == "timeout":
			return "timeout > %.0f s" % self.timeout, "—"
		if st == "skip":
			return "not run: " + c.skip, "—"
		if st == "none":
			return "—", "—"
		msg = c.error().replace(os.path.join(self.work, "out") + os.sep, "")
		return "fails: " + msg.replace("|", "/"), "—"

	def ratio(self, r, s):
		"""R / safemeta from two cases"""
		if s.status != "ok":
			return "—"
		if r.status == "ok":
			return times(r.wall / s.wall)
		if r.status == "timeout" or (r.status == "skip" and "timed out" in r.skip):
			return "> " + times(self.timeout / s.wall)
		if r.status == "error":
			return "R fails"
		return "—"

	# ---- header ------------------------------------------------------------
	def header(self):
		m = self.meta
		cpu = "?"
		mem = "?"
		try:
			with open("/proc/cpuinfo", encoding="utf-8") as f:
				for line in f:
					if line.startswith("model name"):
						cpu = line.split(":", 1)[1].strip()
						break
			with open("/proc/meminfo", encoding="utf-8") as f:
				for line in f:
					if line.startswith("MemTotal"):
						mem = "%.1f GiB" % (int(line.split()[1]) / 1048576.0)
		except OSError:
			pass
		self.out("# safemeta vs R metafor — benchmark results")
		self.out()
		self.out("- date: %s%s" % (m.get("date", "?"),
			" (**--quick** run)" if m.get("quick") == "1" else ""))
		self.out("- machine: %d cores (nproc), %s, %s RAM; load average at start %s, "
			"at end %s" % (os.cpu_count() or 0, cpu, mem, m.get("load_start", "?"),
			m.get("load_end", "?")))
		self.out("- safemeta: %s, Release build; %s" % (m.get("safemeta", "?"),
			m.get("R", "?")))
		self.out("- each time is the median wall-clock time of the process in seconds, "
			"with the number of runs in brackets; peak = largest resident set of one "
			"process (MiB, `/usr/bin/time -v`); a run is stopped after %s s; "
			"simulated data: seed %s" % (m.get("timeout"), m.get("seed")))
		self.out()

	# ---- case 1 ------------------------------------------------------------
	def msc(self):
		self.out("## 1. The full intravenous-MSC job (16 domains)")
		self.out()
		self.out("| job | safemeta s | peak MiB | R metafor s | peak MiB | R / safemeta |")
		self.out("|---|---:|---:|---:|---:|---:|")
		rows = [("full job (analysis, figures, results JSON)", "full"),
			("analysis and results JSON only", "analysis")]
		for label, key in rows:
			s, r = self.case("msc/sm/" + key), self.case("msc/r/" + key)
			st, sm_ = self.cell(s)
			rt, rm = self.cell(r)
			self.out("| %s | %s | %s | %s | %s | %s |" % (label, st, sm_, rt, rm,
				self.ratio(r, s)))
		self.out()
		figs = []
		try:
			with open(os.path.join(self.work, "msc", "figures.txt"), encoding="utf-8") as f:
				for line in f:
					who, kind, ext, what = line.rstrip("\n").split("\t", 3)
					figs.append((who, kind, ext, what))
		except OSError:
			pass
		rendered = ["%s %s ×%s" % (kind, ext.upper(), what)
			for who, kind, ext, what in figs if who == "render"]
		missing = sorted({"%s (%s)" % (kind, what) for who, kind, ext, what in figs
			if who == "none"})
		text = "- safemeta: `safemeta report data/msc-iv-rct.json -o DIR` wrote " + \
			self.report_files() + "."
		if rendered:
			text += (" The figures it does not write yet came from `safemeta render` "
				"(%s processes at a time, forest plots with `--width 250mm`): %s."
				% (self.meta.get("jobs", "?"), ", ".join(rendered)))
		if missing:
			text += " Not produced by safemeta: " + "; ".join(missing) + "."
		self.out(text)
		r = self.case("msc/r/full")
		nfig = [kv.get("figures") for kv in r.keys()]
		phases = ["%s %s s" % (k, secs(r.key_median(k))) for k in
			("load", "analysis", "json", "pdf", "svg", "png") if r.key_median(k) is not None]
		self.out("- R: `tests/bench/r/msc_job.R`: escalc (OR, 0.5 added to studies with a "
			"zero cell), rma DL, regtest, ranktest, influence, leave1out, trimfill per domain; "
			"forest + funnel per domain as PDF, SVG and 300-dpi PNG (%s files); jsonlite "
			"results. R phases (medians): %s." % (nfig[0] if nfig else "?", ", ".join(phases)))
		self.out()
		s, rr = self.case("msc/sm/full"), self.case("msc/r/full")
		if s.status == "ok" and rr.status == "ok":
			x = rr.wall / s.wall
			self.targets.append("Full MSC job: %s s, %s faster than R in this run (target "
				"≥ 20×, ≈ 0.3 s): %s" % (secs(s.wall), times(x), "met" if x >= 20 else
				"**missed** by a factor %.1f (%s instead of 20×)" % (20 / x, times(x))))
		s, rr = self.case("msc/sm/analysis"), self.case("msc/r/analysis")
		if s.status == "ok" and rr.status == "ok":
			x = rr.wall / s.wall
			self.targets.append("Analysis alone on the MSC data: %s faster (target ≥ 100×): %s"
				% (times(x), "met" if x >= 100 else "**missed** by %.1f×" % (100 / x)))

	def report_files(self):
		"""what the probe run of `safemeta report` wrote, by kind and format"""
		probe = os.path.join(self.work, "msc", "probe")
		kinds = {}
		for dirpath, _, files in os.walk(probe):
			for name in files:
				stem, _, ext = name.rpartition(".")
				kind = stem.split("-")[0] if stem else name
				kinds.setdefault(kind, {}).setdefault(ext.upper() or "?", 0)
				kinds[kind][ext.upper() or "?"] += 1
		parts = []
		for kind in sorted(kinds):
			exts = kinds[kind]
			parts.append("%s (%s)" % (kind, ", ".join("%d %s" % (n, e)
				for e, n in sorted(exts.items()))))
		return ", ".join(parts) or "nothing"

	# ---- case 2 ------------------------------------------------------------
	def r_total(self, k, method):
		"""(text, lower-bound seconds or None, peak MiB, ok) of R doing what one
		safemeta run does: load, read, fit, and every task after the fit"""
		fit = self.case("an/%s/r/%s/fit" % (k, method))
		parts = [self.case("an/%s/r/%s/%s" % (k, "DL" if t == "begg" else method, t))
			for t in R_PARTS]
		if fit.status == "error":
			return "fails: " + fit.error(), None, 0, False
		if fit.status != "ok":
			return "> %.0f s (the fit alone)" % self.timeout, self.timeout, 0, False
		load = fit.key_median("load") or 0
		read = fit.key_median("read") or 0
		fitt = fit.key_median("fit") or 0
		total = load + read + fitt
		bounded = False
		peak = fit.peak_mib
		for p in parts:
			if p.status == "ok":
				total += p.key_median("task") or 0
				peak = max(peak, p.peak_mib)
			elif p.status == "error":
				return ("fails (%s: %s)" % (p.id.rsplit("/", 1)[1], p.error()), None, peak,
					False)
			else:
				# a run that hit the timeout spent at least the timeout on load+read+task
				own = 0 if p.id.endswith("/begg") else fitt
				total += max(0.0, self.timeout - load - read - own)
				bounded = True
		if bounded:
			return "> %s" % secs(total), total, peak, False
		return secs(total), total, peak, True

	def analysis(self):
		ks = self.meta["ks"].split()
		self.out("## 2. Analysis only, k simulated studies")
		self.out()
		self.out("One safemeta run (`safemeta analyze sim.csv --method M --no-studies`) computes "
			"the fit, confidence intervals, Egger, Begg, fail-safe N, trim-and-fill, "
			"influence and leave-one-out (for ML, REML, EB and PM up to k = 100 000) and "
			"the cumulative analysis (up to k = 100 000). "
			"R runs each task in its own `Rscript tests/bench/r/task.R TASK M sim.csv` "
			"(load metafor, read the CSV, `rma()`, then the task); its \"everything\" row adds "
			"load + read + fit once and each task's own time, measured inside R. "
			"Per-task rows compare with the whole safemeta run, so their ratios are lower "
			"bounds. \"value\": R / safemeta (fit: estimate, tau²; Egger, Begg: p; "
			"trim-and-fill: k0).")
		self.out()
		self.out("| k | case | safemeta s | peak MiB | R metafor s | peak MiB | R / safemeta "
			"| value R / safemeta |")
		self.out("|---:|---|---:|---:|---:|---:|---:|---|")
		for k in ks:
			kk = "10^%d" % (len(k) - 1) if set(k[1:]) == {"0"} and k[0] == "1" else k
			for method in ("DL", "REML"):
				s = self.case("an/%s/sm/%s" % (k, method))
				res = self.sm_result(k, method)
				st, sm_ = self.cell(s)
				text, total, peak, ok = self.r_total(k, method)
				if s.status == "ok" and total is not None:
					rat = ("" if ok else "> ") + times(total / s.wall)
				elif s.status == "ok" and text.startswith("fails"):
					rat = "R fails"
				else:
					rat = "—"
				self.out("| %s | **%s: everything** | %s | %s | %s | %s | %s | %s |" % (kk,
					method, st, sm_, text.replace("|", "/"), "%.0f" % peak if peak else "—", rat,
					"; ".join("safemeta: " + w for w in self.skipped(res))))
				for task, label in TASKS:
					if method == "REML" and task == "begg":
						continue
					r = self.case("an/%s/r/%s/%s" % (k, method, task))
					rt, rm = self.cell(r)
					self.out("| %s | %s %s | (in the run above) | | %s | %s | %s | %s |" % (
						kk, method if task != "begg" else "", label, rt, rm,
						("≥ " + self.ratio(r, s)) if r.status == "ok" else self.ratio(r, s),
						self.value(r, task, res)))
		self.out()
		self.analysis_targets(ks)

	def sm_result(self, k, method):
		try:
			with open(os.path.join(self.work, "out", "an-%s-%s.json" % (k, method)),
					encoding="utf-8") as f:
				return json.load(f)["analyses"][0]
		except (OSError, ValueError, KeyError, IndexError):
			return None

	def value(self, r, task, res):
		kv = r.keys()
		rv = kv[0].get("value") if kv else None
		if rv is None or res is None:
			return ""
		g = lambda *path: self.dig(res, path)
		sv = {"fit": "%s %s" % (self.num(g("estimate")), self.num(g("tau2"))),
			"egger": self.num(g("egger", "p")),
			"begg": "%s (%s)" % (self.num(g("begg", "p")), g("begg", "p_method")),
			"trimfill": self.num(g("trimfill", "k0"))}.get(task)
		if sv is None:
			return ""
		rv = " ".join(self.num(x) for x in rv.split())
		return "%s / %s" % (rv, sv)

	@staticmethod
	def skipped(res):
		"""safemeta's warnings about work it left out (so its time does not
		include that work)"""
		if res is None:
			return []
		return [w for w in res.get("warnings", []) if "skipped" in w]

	@staticmethod
	def dig(obj, path):
		for p in path:
			if not isinstance(obj, dict) or p not in obj:
				return None
			obj = obj[p]
		return obj

	@staticmethod
	def num(x):
		if x is None:
			return "null"
		try:
			return "%.6g" % float(x)
		except ValueError:
			return str(x)

	def analysis_targets(self, ks):
		big = ks[-1]
		s = self.case("an/%s/sm/DL" % big)
		left_out = self.skipped(self.sm_result(big, "DL"))
		if s.status == "ok":
			ok = s.wall < 2 and s.peak_mib < 1024
			self.targets.append("k = %s, DL with Egger, Begg, trim-and-fill, leave-one-out and "
				"influence: %s s, %.0f MiB (target < 2 s, < 1 GB): %s" % (big, secs(s.wall),
				s.peak_mib, "met" if ok else "**missed** (%.1f× the time, %.1f× the memory)"
				% (s.wall / 2, s.peak_mib / 1024)) + ("" if not left_out else
				" (safemeta left out: %s)" % "; ".join(left_out)))
		else:
			self.targets.append("k = %s, DL with everything: %s (target < 2 s): **missed**"
				% (big, self.cell(s)[0]))
		s = self.case("an/%s/sm/REML" % big)
		if s.status == "ok":
			ok = s.wall < 2 and s.peak_mib < 1024
			self.targets.append("k = %s, REML with Egger, Begg and trim-and-fill (its "
				"leave-one-out is skipped above k = 10^5): %s s, %.0f MiB (target < 2 s, "
				"< 1 GB): %s" % (big, secs(s.wall), s.peak_mib, "met" if ok else
				"**missed** (%.1f× the time, %.1f× the memory)"
				% (s.wall / 2, s.peak_mib / 1024)))
		else:
			self.targets.append("k = %s, REML run: %s (target < 2 s): **missed**"
				% (big, self.cell(s)[0]))
		s = self.case("an/10000/sm/REML")
		left_out = [w for w in self.skipped(self.sm_result("10000", "REML"))
			if "leave-one-out" in w]
		if left_out:
			self.targets.append("REML leave-one-out at k = 10^4 (< 2 s): **not met**, safemeta "
				"does not compute it: \"%s\"" % left_out[0])
		elif s.runs or s.skip:
			st = self.cell(s, False)[0]
			self.targets.append("REML leave-one-out at k = 10^4 (< 2 s): the whole REML run, "
				"which includes it, takes %s s: %s" % (st, ("met" if s.wall < 2 else
				"**missed** by at most %.1f×" % (s.wall / 2)) if s.status == "ok" else
				"**missed**"))
		begg = []
		for k in ks:
			res = self.sm_result(k, "DL")
			if res is not None:
				begg.append("k = %s: p = %s (%s)" % (k, self.num(self.dig(res, ("begg", "p"))),
					self.dig(res, ("begg", "p_method"))))
		if begg:
			self.targets.append("Begg's p from safemeta: " + "; ".join(begg))

	# ---- case 3 ------------------------------------------------------------
	def forest(self):
		self.out("## 3. Forest plots of k simulated studies")
		self.out()
		self.out("safemeta: `safemeta render forest results.json -o F.pdf|F.png` (300 dpi) "
			"from finished results. R: `forest(rma(...))` on one page of 8 in × min(100 in, "
			"2 in + 0.15 in a study), PDF and 300-dpi PNG, the plotting alone timed inside R "
			"(median of the repetitions; load and fit excluded, so the ratio favours R); "
			"R's peak is that of the whole session, the DL fit included.")
		self.out()
		self.out("| k | format | safemeta s | peak MiB | output | R metafor s | R peak MiB | "
			"R output | R / safemeta |")
		self.out("|---:|---|---:|---:|---|---:|---:|---|---:|")
		for k in self.meta.get("forest_ks", "100 1000 10000").split():
			r = self.case("fo/%s/r" % k)
			for fmt in ("pdf", "png"):
				s = self.case("fo/%s/sm/%s" % (k, fmt))
				st, sm_ = self.cell(s)
				out = self.describe(os.path.join(self.work, "out", "forest-%s.%s" % (k, fmt)),
					s.status == "ok")
				rv = r.key_median(fmt) if r.status == "ok" else None
				if rv is not None:
					reps = r.keys()[0].get("runs", "?")
					rt, rm = "%s (%s)" % (secs(rv), reps), "%.0f" % r.peak_mib
					rat = times(rv / s.wall) if s.status == "ok" else "—"
				else:
					rt, rm = self.cell(r)
					rat = self.ratio(r, s)
				rout = self.describe(os.path.join(self.work, "out", "r-forest-%s" % k,
					"forest." + fmt), r.status == "ok")
				self.out("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (k, fmt.upper(), st,
					sm_, out, rt, rm, rout, rat))
			if k == "10000":
				s = self.case("fo/10000/sm/pdf")
				if s.status == "ok":
					self.targets.append("Forest plot of 10 000 studies to PDF: %s s, %s "
						"(target < 0.5 s, paginated): %s" % (secs(s.wall), self.describe(
						os.path.join(self.work, "out", "forest-10000.pdf"), True),
						"met" if s.wall < 0.5 else "**missed** by %.1f×" % (s.wall / 0.5)))
		self.out()

	@staticmethod
	def describe(path, ok):
		"""pages of a PDF or pixels of a PNG"""
		if not ok or not os.path.exists(path):
			return ""
		if path.endswith(".png"):
			with open(path, "rb") as f:
				head = f.read(24)
			w, h = struct.unpack(">II", head[16:24])
			return "%d × %d px" % (w, h)
		try:
			info = subprocess.run(["pdfinfo", path], capture_output=True, text=True,
				check=True).stdout
		except (OSError, subprocess.CalledProcessError):
			return ""
		pages = size = ""
		for line in info.splitlines():
			if line.startswith("Pages:"):
				pages = line.split()[1]
			if line.startswith("Page size:"):
				v = line.split()
				size = "%.1f × %.1f in" % (float(v[2]) / 72, float(v[4]) / 72)
		return "%s page%s, %s" % (pages, "" if pages == "1" else "s", size)

	# ---- case 4: the table of issue 19 ---------------------------------------
	def r_forest_pdf(self, k):
		"""(seconds, text) of R's forest() on the pdf() device at k, if measured"""
		r = self.case("fo/%s/r" % k)
		v = r.key_median("pdf") if r.status == "ok" else None
		if v is None:
			return None, self.cell(r)[0]
		return v, "%s (%s)" % (secs(v), r.keys()[0].get("runs", "?"))

	def issue19(self):
		m = self.meta
		k, fk = m.get("i19_k", "1000000"), m.get("i19_forest_k", "100000")
		self.out("## 4. The table of issue 19")
		self.out()
		self.out("The issue's rows from this one run: the analyses at k = %s (simulated, "
			"REML unless said), a forest plot of a %s-study results file, the MSC job of "
			"case 1 and the 10 000-study forest of case 3.  R's column is the nearest "
			"work R metafor does in the same run: its `rma()` fit alone for the analyses "
			"(R writes no per-study rows, so the ratio is a lower bound), its `forest()` "
			"on the pdf() device inside the session for the forests (load and fit not "
			"counted)." % (k, fk))
		self.out()
		self.out("| case | goal | safemeta s | peak MiB | R metafor s | R / safemeta | goal |")
		self.out("|---|---|---:|---:|---:|---:|---|")

		def verdict(c, limit_s, limit_mib=None):
			if c.status != "ok":
				return "—"
			ok = c.wall < limit_s and (limit_mib is None or c.peak_mib < limit_mib)
			return "met" if ok else "**missed**"

		def row(label, goal, s, r, limit_s, limit_mib=None):
			st, sm_ = self.cell(s)
			rt, _ = self.cell(r)
			self.out("| %s | %s | %s | %s | %s | %s | %s |" % (label, goal, st, sm_, rt,
				self.ratio(r, s), verdict(s, limit_s, limit_mib)))

		row("`analyze` k = %s, REML, per-study rows" % k, "< 3 s, < 1 GB",
			self.case("i19/rows/sm"), self.case("an/%s/r/REML/fit" % k), 3, 1024)
		row("same, `--no-studies`", "< 0.7 s", self.case("an/%s/sm/REML" % k),
			self.case("an/%s/r/REML/fit" % k), 0.7)
		row("same, DL, `--no-studies`", "< 0.6 s", self.case("an/%s/sm/DL" % k),
			self.case("an/%s/r/DL/fit" % k), 0.6)
		s = self.case("i19/forest/sm")
		st, sm_ = self.cell(s)
		big = max(self.meta.get("forest_ks", "10000").split(), key=int)
		self.out("| `render forest` of a %s-study results file (PDF) | < 2 s, < 300 MB | %s | "
			"%s | not run (R's forest of %s studies: %s) | — | %s |" % (fk, st, sm_, big,
			self.r_forest_pdf(big)[1], verdict(s, 2, 300)))
		s, r = self.case("msc/sm/full"), self.case("msc/r/full")
		st, sm_ = self.cell(s)
		rt, _ = self.cell(r)
		x = r.wall / s.wall if s.status == "ok" and r.status == "ok" else None
		self.out("| full IV MSC job vs R (case 1) | ≥ 20× ahead | %s | %s | %s | %s | %s |" % (
			st, sm_, rt, self.ratio(r, s), "—" if x is None else
			("met" if x >= 20 else "**missed**")))
		s = self.case("fo/10000/sm/pdf")
		st, sm_ = self.cell(s)
		rv, rt = self.r_forest_pdf("10000")
		if rv is not None:
			rat = times(rv / s.wall) if s.status == "ok" else "—"
		else:
			rat = self.ratio(self.case("fo/10000/r"), s)
		self.out("| 10 000-study forest to PDF (case 3) | < 0.25 s | %s | %s | %s | %s | %s |"
			% (st, sm_, rt, rat, verdict(s, 0.25)))
		self.out()

	def render(self):
		self.header()
		self.msc()
		self.analysis()
		self.forest()
		self.issue19()
		self.out("## Targets of issue 8")
		self.out()
		for t in self.targets:
			self.out("- " + t)
		self.out()
		return "\n".join(self.lines)


def main(argv):
	if len(argv) != 3:
		sys.stderr.write("usage: report.py WORKDIR RESULTS.md\n")
		return 2
	meta, cases = load(argv[1])
	text = Tables(argv[1], meta, cases).render()
	sys.stdout.write(text)
	with open(argv[2], "w", encoding="utf-8") as f:
		f.write(text)
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
