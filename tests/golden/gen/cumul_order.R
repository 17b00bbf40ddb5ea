#!/usr/bin/env Rscript
# metafor references for the order of the cumulative meta-analysis
# (analyze --cumul-order): cumul(res, order = ...) of metafor 3.8.
#
#   Rscript tests/golden/gen/cumul_order.R [outdir]
#
# Run from the repository root.  Reads tests/golden/subgroups-metareg/bcg.csv
# (dat.bcg with year, ablat, alloc) and writes reference.json into outdir
# (default tests/golden/cumul-order/).  Each case is one analysis: its
# options, the studies' labels in the order added, and every cumulative fit.
# Text columns are ordered in the C locale (byte order), as safemeta orders
# them; order() is stable with NA last, as safemeta's order.

suppressMessages(library(metafor))
invisible(Sys.setlocale("LC_COLLATE", "C"))

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/golden/cumul-order"
input <- "tests/golden/subgroups-metareg/bcg.csv"
dat <- read.csv(input, stringsAsFactors = FALSE)
TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

one_case <- function(measure, method, order_by) {
	es <- escalc(measure, ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat)
	res <- rma(yi, vi, data = es, method = method, control = TIGHT, slab = study)
	ord <- switch(order_by, default = dat$year, input = seq_len(nrow(dat)),
		      dat[[order_by]])
	cm <- cumul(res, order = ord)
	random <- method != "FE"
	list(measure = measure, method = method,
	     cumul_order = if (order_by == "default") jnull() else order_by,
	     by = if (order_by == "default") "year" else order_by,
	     labels = jarr(as.character(cm$slab)),
	     estimate = jarr(cm$estimate), se = jarr(cm$se), ci_lb = jarr(cm$ci.lb),
	     ci_ub = jarr(cm$ci.ub), p = jarr(cm$pval), Q = jarr(cm$Q),
	     I2 = jarr(cm$I2), tau2 = if (random) jarr(cm$tau2) else jnull())
}

cases <- list(
	one_case("RR", "REML", "default"),
	one_case("RR", "REML", "year"),
	one_case("RR", "REML", "ablat"),
	one_case("RR", "REML", "alloc"),
	one_case("RR", "REML", "input"),
	one_case("OR", "DL", "ablat"),
	one_case("OR", "FE", "alloc")
)
dir.create(out, showWarnings = FALSE, recursive = TRUE)
json_save(list(metafor = as.character(packageVersion("metafor")), input = input,
	       cases = cases), file.path(out, "reference.json"))
