#!/usr/bin/env Rscript
# metafor references for the Baujat coordinates (baujat() of an rma.uni fit)
# and the reference lines of plot(influence()) that the results carry.
#
#   Rscript tests/golden/gen/baujat_influence.R [outdir]
#
# Run from the repository root.  Reads tests/golden/subgroups-metareg/bcg.csv
# (dat.bcg) and writes reference.json into outdir (default
# tests/golden/baujat-influence/).  Cases: RR REML, RR DL, RR FE (tau2 = 0)
# and OR REML.  The lines are those plot.infl.rma.uni draws (p = 1).

suppressMessages(library(metafor))

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/golden/baujat-influence"
input <- "tests/golden/subgroups-metareg/bcg.csv"
dat <- read.csv(input, stringsAsFactors = FALSE)
TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

one_case <- function(measure, method) {
	es <- escalc(measure, ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat)
	res <- rma(yi, vi, data = es, method = method, control = TIGHT, slab = study)
	b <- baujat(res)

	k <- res$k; p <- res$p
	list(measure = measure, method = method, labels = jarr(as.character(b$slab)),
	     baujat_x = jarr(b$x), baujat_y = jarr(b$y),
	     rstudent_line = qnorm(0.975), dffits_bound = 3 * sqrt(p / (k - p)),
	     hat_mean = p / k, hat_bound = 3 * p / k, dfbs_bound = 1, cov_r_line = 1,
	     weight_mean = 100 / k, tau2_line = res$tau2, QE_line = res$QE, QE_df = k - p,
	     cooks_bound = qchisq(0.5, df = p))
}

pdf(NULL)
cases <- list(one_case("RR", "REML"), one_case("RR", "DL"), one_case("RR", "FE"),
	      one_case("OR", "REML"))
dir.create(out, showWarnings = FALSE, recursive = TRUE)
json_save(list(metafor = as.character(packageVersion("metafor")), input = input,
	       cases = cases), file.path(out, "reference.json"))
