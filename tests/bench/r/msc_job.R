# The full intravenous-MSC job in R metafor, as the issue describes it:
# per adverse-event domain (16) a DL random-effects fit of log odds ratios,
# Egger's regression test, Begg's rank test, influence diagnostics,
# leave-one-out and trim-and-fill; a forest and a funnel plot per domain as
# PDF, SVG and 300-dpi PNG; all results in one JSON file.
#
# usage: Rscript msc_job.R full|analysis OUTCOMES.csv OUTDIR
#   analysis  the statistics and the JSON only (no figures)
# Prints key=value timings (load, analysis, pdf, svg, png, json) and the
# number of figure files written.
#
# Settings follow data/msc-iv-rct.json: measure OR, 0.5 added to every cell
# of studies with a zero cell (to = "only0"), DL, z test, 95% level.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3 || !(args[1] %in% c("full", "analysis")))
	stop("usage: Rscript msc_job.R full|analysis OUTCOMES.csv OUTDIR")
mode <- args[1]
outdir <- args[3]

elapsed <- function(t0) unname((proc.time() - t0)["elapsed"])
say <- function(key, val) cat(sprintf("%s=%s\n", key, format(val, digits = 6)))

t0 <- proc.time()
suppressPackageStartupMessages(library(metafor))
suppressPackageStartupMessages(library(jsonlite))
say("load", elapsed(t0))

t0 <- proc.time()
rows <- read.csv(args[2], encoding = "UTF-8", stringsAsFactors = FALSE)
rows$label <- ifelse(rows$sub == "", rows$table3_label,
	paste0(rows$table3_label, " (", rows$sub, ")"))
domains <- unique(rows$domain)

# A test that cannot run on a domain (Egger with k = 2) is recorded, not fatal
try_or_msg <- function(expr) tryCatch(expr, error = function(e) conditionMessage(e))

analyse <- function(dom) {
	sub <- rows[rows$domain == dom, ]
	dat <- escalc(measure = "OR", ai = e_t, n1i = n_t, ci = e_c, n2i = n_c,
		data = sub, add = 0.5, to = "only0", slab = label)
	res <- rma(yi, vi, data = dat, method = "DL")
	list(res = res,
		egger = try_or_msg(regtest(res)),
		begg = try_or_msg(ranktest(res)),
		inf = try_or_msg(influence(res)),
		loo = try_or_msg(leave1out(res)),
		tf = try_or_msg(trimfill(res)))
}
fits <- lapply(domains, analyse)
names(fits) <- domains
say("analysis", elapsed(t0))

# Plain lists for the JSON; a failed test keeps its error message
pick <- function(x, f) if (is.character(x)) list(error = x) else f(x)
# metafor's list.rma objects have no JSON method: take their columns by name
columns <- function(x, keys) {
	out <- lapply(keys, function(key) x[[key]])
	names(out) <- keys
	out
}
as_json <- function(f) {
	r <- f$res
	pred <- predict(r)
	list(k = r$k, estimate = r$b[1], se = r$se, ci_lb = r$ci.lb, ci_ub = r$ci.ub,
		z = r$zval, p = r$pval, tau2 = r$tau2, I2 = r$I2, H2 = r$H2, Q = r$QE,
		Q_p = r$QEp, pi_lb = pred$pi.lb, pi_ub = pred$pi.ub,
		egger = pick(f$egger, function(e) list(z = e$zval, p = e$pval,
			limit = e$est)),
		begg = pick(f$begg, function(b) list(tau = b$tau, p = b$pval)),
		trimfill = pick(f$tf, function(t) list(k0 = t$k0, side = t$side,
			estimate = t$b[1], ci_lb = t$ci.lb, ci_ub = t$ci.ub)),
		influence = pick(f$inf, function(i) columns(i$inf,
			c("rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del",
			"hat", "weight", "inf"))),
		leave1out = pick(f$loo, function(l) columns(l,
			c("estimate", "se", "zval", "pval", "ci.lb", "ci.ub", "Q", "Qp",
			"tau2", "I2", "H2"))))
}
t0 <- proc.time()
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)
write_json(lapply(fits, as_json), file.path(outdir, "results.json"),
	auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE)
say("json", elapsed(t0))

if (mode == "full") {
	figdir <- file.path(outdir, "figures")
	dir.create(figdir, showWarnings = FALSE)
	# One device per figure and format, sized to the domain's number of rows
	draw <- function(fmt, open) {
		t0 <- proc.time()
		for (i in seq_along(fits)) {
			r <- fits[[i]]$res
			h <- 2.5 + 0.22 * r$k
			open(file.path(figdir, sprintf("forest-%02d.%s", i, fmt)), 8, h)
			forest(r, header = TRUE, atransf = exp)
			invisible(dev.off())
			open(file.path(figdir, sprintf("funnel-%02d.%s", i, fmt)), 6, 5)
			funnel(r)
			invisible(dev.off())
		}
		say(fmt, elapsed(t0))
	}
	draw("pdf", function(f, w, h) pdf(f, width = w, height = h))
	draw("svg", function(f, w, h) svg(f, width = w, height = h))
	draw("png", function(f, w, h) png(f, width = w, height = h, units = "in",
		res = 300, type = "cairo"))
	say("figures", length(list.files(figdir)))
}
