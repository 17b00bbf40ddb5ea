# References for the sensitivity table (issue 16 item 1): every row that is a refit, computed
# here with metafor from the data alone.  Writes tests/golden/sensitivity/sensitivity.json, read
# by tests/golden/test_sensitivity_golden.c.  Needs metafor and jsonlite.
#
#   Rscript tests/golden/gen/sensitivity.R [OUT]
#
# * msc:  data/msc-iv-rct-outcomes.csv, one analysis per domain (first appearance), the
#         review's settings: escalc("OR", add = 1/2, to = "only0"), rma(method = "DL").
#         Rows: all studies; without the studies at high risk of bias (data/msc-iv-rct.json
#         risk_of_bias: the overall judgments are null there, so a study is high when any
#         domain is "high"); without the studies whose characteristic Phase is "Early phase";
#         the common-effect model rma(method = "FE"); trimfill() of the DL fit.
# * bcg:  metadat::dat.bcg as tests/golden/bcg/input.csv (one analysis of all 13 trials),
#         escalc("RR"), rma(method = "REML"); without alloc == "random"; FE; trimfill().
# A row that metafor cannot fit (no study left, trimfill with too few studies) is null.
suppressMessages({ library(metafor); library(jsonlite) })

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/golden/sensitivity/sensitivity.json"

num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NA_real_ else as.numeric(x)
row_of <- function(fit, random) {
	if (is.null(fit)) return(NULL)
	list(k = fit$k, estimate = num(fit$b), ci_lb = num(fit$ci.lb), ci_ub = num(fit$ci.ub),
		p = num(fit$pval), tau2 = if (random) num(fit$tau2) else NA_real_, I2 = num(fit$I2))
}
# converged to full precision (metafor's default threshold 1e-5 leaves REML ~1e-6 off)
TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
try_fit <- function(expr) tryCatch(expr, error = function(e) NULL)
# trimfill()'s own final fit stops at metafor's default threshold; the row is that model
# refitted to full precision on trimfill()'s augmented data (the same k0 and filled studies)
filled_fit <- function(fit, method) {
	tf <- try_fit(trimfill(fit))
	if (is.null(tf)) return(NULL)
	rma(as.numeric(tf$yi), tf$vi, method = method, control = TIGHT)
}
fits <- function(es, keep_rob, keep_flag, method) {
	all <- rma(yi, vi, data = es, method = method, control = TIGHT)
	sub <- function(keep) if (!any(keep)) NULL else try_fit(rma(yi, vi, data = es[keep, ], method = method, control = TIGHT))
	list(all = row_of(all, TRUE),
		rob = if (is.null(keep_rob)) NULL else row_of(sub(keep_rob), TRUE),
		flag = row_of(sub(keep_flag), TRUE),
		fe = row_of(rma(yi, vi, data = es, method = "FE"), FALSE),
		trimfill = row_of(filled_fit(all, method), TRUE))
}

review <- fromJSON("data/msc-iv-rct.json", simplifyVector = FALSE)
high <- vapply(review$risk_of_bias$judgments, function(j) {
	if (!is.null(j$overall)) return(j$overall == "high")
	any(vapply(j$values, function(v) !is.null(v) && v == "high", TRUE))
}, TRUE)
high_ids <- vapply(review$risk_of_bias$judgments, function(j) j$study, "")[high]
early <- vapply(review$studies, function(s) identical(s$characteristics$Phase, "Early phase"), TRUE)
early_ids <- vapply(review$studies, function(s) s$id, "")[early]

d <- read.csv("data/msc-iv-rct-outcomes.csv", stringsAsFactors = FALSE)
msc <- lapply(unique(d$domain), function(dm) {
	x <- d[d$domain == dm, ]
	es <- escalc("OR", ai = e_t, n1i = n_t, ci = e_c, n2i = n_c, data = x, add = 1/2, to = "only0")
	r <- fits(es, !(x$study %in% high_ids), !(x$study %in% early_ids), "DL")
	c(list(name = dm), r)
})

b <- metadat::dat.bcg
es <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = b)
bcg <- fits(es, NULL, b$alloc != "random", "REML")

doc <- list(msc = msc, bcg = bcg)
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE), out)
