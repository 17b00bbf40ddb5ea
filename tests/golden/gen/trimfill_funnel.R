# Trim-and-fill reference for the funnel plot (issue 13.6): metafor's
# dat.egger2001 (magnesium trials), odds ratios, DerSimonian-Laird, as
# funnel(trimfill(rma(...))) draws it.
#
#   Rscript tests/golden/gen/trimfill_funnel.R [OUTDIR]   # default tests/golden/egger2001
#
# Writes OUTDIR/input.csv (the 2x2 counts, from metadat) and
# OUTDIR/reference.json: the unadjusted fit (estimate, CI, on the log and
# the odds-ratio scale), the trim-and-fill result (k0, side, se(k0), the
# adjusted estimate and CI on both scales, tau2) and the imputed studies
# (yi, vi) in metafor's order.  The funnel test (tests/figures/funnel)
# reads it: the figure must state these numbers and centre its region on
# the adjusted estimate, as metafor's funnel() of a trimfill object does.
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "json_out.R"))
out <- if (length(args)) args[1] else "tests/golden/egger2001"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

d <- dat.egger2001
csv <- data.frame(study = paste0(d$study, ", ", d$year), year = d$year,
		  ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
tmp <- file.path(out, "input.csv.tmp")
write.csv(csv, tmp, row.names = FALSE)
invisible(file.rename(tmp, file.path(out, "input.csv")))

es <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = csv)
ctl <- list(tol = 1e-12, maxiter = 10000)
fit <- rma(yi, vi, data = es, method = "DL", control = ctl)
tf <- trimfill(fit, control = ctl)
filled <- tf$fill
ref <- list(
	meta = list(dataset = "metadat::dat.egger2001", measure = "OR", method = "DL",
		    metafor = as.character(packageVersion("metafor")),
		    r = R.version.string,
		    call = "tf <- trimfill(rma(yi, vi, method = 'DL')); funnel(tf)"),
	fit = list(k = fit$k, estimate = as.numeric(fit$beta), ci_lb = fit$ci.lb,
		   ci_ub = fit$ci.ub, estimate_exp = exp(as.numeric(fit$beta)),
		   ci_lb_exp = exp(fit$ci.lb), ci_ub_exp = exp(fit$ci.ub)),
	trimfill = list(k0 = tf$k0, side = tf$side, k0_se = tf$se.k0,
			estimate = as.numeric(tf$beta), se = tf$se, ci_lb = tf$ci.lb,
			ci_ub = tf$ci.ub, p = tf$pval, tau2 = tf$tau2,
			estimate_exp = exp(as.numeric(tf$beta)), ci_lb_exp = exp(tf$ci.lb),
			ci_ub_exp = exp(tf$ci.ub),
			filled_yi = jarr(tf$yi[filled]), filled_vi = jarr(tf$vi[filled])))
tmp <- file.path(out, "reference.json.tmp")
writeLines(json_write(ref), tmp)
invisible(file.rename(tmp, file.path(out, "reference.json")))
