#!/usr/bin/env Rscript
# metafor references for what a forest plot shows beside the pooled numbers:
# the study weights of the method that pooled (weights(rma.mh), weights(rma.peto),
# weights(rma.uni) of the random-effects model and of its common-effect twin),
# the tables a Mantel-Haenszel or Peto estimate pools (k, totals), and the exact
# (Clopper-Pearson) intervals of proportions (binom.test), per study and crude,
# with the one-sided upper bound of data without events.
#
#   Rscript tests/golden/gen/forest_weights.R [outdir]
#
# Run from the repository root; writes outdir/reference.json (default
# tests/golden/forest-weights/) and the small zero-event input zero-events.csv.
# Inputs: tests/golden/bcg/input.csv and tests/golden/nielweise2007/input.csv
# (built from metadat by make_golden.R), the "SAEs deaths" rows of
# data/msc-iv-rct-outcomes.csv (the MSC review), data/iv-sae-70.json (jsonlite).
# Every case is one `safemeta analyze` run (input and options) and one of its
# analyses; rows are listed in input order with their 2x2 counts, which is how
# the C test (tests/analysis/test_weights.c) lines them up with safemeta's
# "studies" and "excluded".

suppressMessages({
	library(metafor)
	library(jsonlite)
})

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args)) args[1] else "tests/golden/forest-weights"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

read_2x2 <- function(path) read.csv(path, stringsAsFactors = FALSE, encoding = "UTF-8")

msc_deaths <- function() {
	rows <- read.csv("data/msc-iv-rct-outcomes.csv", stringsAsFactors = FALSE,
		check.names = FALSE, encoding = "UTF-8")
	d <- rows[rows$domain == "SAEs deaths", ]
	data.frame(ai = d$e_t, n1i = d$n_t, ci = d$e_c, n2i = d$n_c)
}

tables <- function(d) list(ai = jarr(d$ai), n1i = jarr(d$n1i), ci = jarr(d$ci), n2i = jarr(d$n2i))

totals <- function(d) list(events_t = sum(d$ai), n_t = sum(d$n1i), events_c = sum(d$ci),
	n_c = sum(d$n2i))

# Mantel-Haenszel (measure OR, RR, RD) or Peto pooling of every table.
case_tables <- function(name, input, analysis, d, measure, method, to = NULL) {
	f <- if (method == "PETO") {
		rma.peto(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
	} else {
		rma.mh(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i, measure = measure)
	}
	opts <- list(measure = measure, method = method)
	if (!is.null(to)) opts$to <- to
	list(name = name, input = input, analysis = analysis, options = opts, rows = tables(d),
		k = f$k, estimate = as.numeric(f$b), totals = totals(d),
		weights = jarr(as.numeric(weights(f))))
}

# A random-effects model and its common-effect twin on escalc values (add 1/2
# to the tables with a zero cell, safemeta's and metafor's default).
case_iv <- function(name, input, analysis, d, measure, method) {
	es <- escalc(measure = measure, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
	re <- rma.uni(es$yi, es$vi, method = method, control = TIGHT)
	fe <- rma.uni(es$yi, es$vi, method = "FE")
	list(name = name, input = input, analysis = analysis,
		options = list(measure = measure, method = method), rows = tables(d), k = re$k,
		estimate = as.numeric(re$b), totals = totals(d),
		weights = jarr(as.numeric(weights(re))), fe_weights = jarr(as.numeric(weights(fe))))
}

# Single-arm proportions: per study and crude exact intervals (binom.test,
# two-sided, 95%), the observed proportions.
case_prop <- function(name, input, analysis, x, n, measure, method) {
	ci <- t(mapply(function(xi, ni) binom.test(xi, ni)$conf.int, x, n))
	crude <- binom.test(sum(x), sum(n))$conf.int
	out <- list(name = name, input = input, analysis = analysis,
		options = list(measure = measure, method = method), xi = jarr(x), ni = jarr(n),
		proportion = jarr(x / n), exact_lb = jarr(ci[, 1]), exact_ub = jarr(ci[, 2]),
		crude = list(events = sum(x), patients = sum(n), proportion = sum(x) / sum(n),
			exact_lb = crude[1], exact_ub = crude[2]))
	if (sum(x) == 0) {
		# one-sided: binom.test(0, N, alternative = "less"); the 95% rule of three
		up <- binom.test(0, sum(n), alternative = "less")$conf.int[2]
		out$zero_events <- list(n_total = sum(n), upper_exact = up,
			upper_rule_of_three = 3 / sum(n))
	}
	out
}

bcg <- read_2x2("tests/golden/bcg/input.csv")
niel <- read_2x2("tests/golden/nielweise2007/input.csv")
deaths <- msc_deaths()
sae <- fromJSON("data/iv-sae-70.json", simplifyVector = FALSE)
sae_x <- vapply(sae$outcomes, function(o) as.numeric(o$xi), 0)
sae_n <- vapply(sae$outcomes, function(o) as.numeric(o$ni), 0)

# Five small single-arm studies without any event (made up for the bound).
zero <- data.frame(study = paste("Study", LETTERS[1:5]), xi = 0, ni = c(12, 30, 8, 45, 21))
zero_csv <- file.path(out_dir, "zero-events.csv")
write.csv(zero, zero_csv, row.names = FALSE)

BCG <- "tests/golden/bcg/input.csv"
NIEL <- "tests/golden/nielweise2007/input.csv"
MSC <- "data/msc-iv-rct.json"
cases <- list(
	case_tables("nielweise2007 MH OR", NIEL, "all", niel, "OR", "MH"),
	case_tables("nielweise2007 Peto", NIEL, "all", niel, "OR", "PETO"),
	case_tables("bcg MH OR", BCG, "all", bcg, "OR", "MH"),
	case_tables("bcg MH RR", BCG, "all", bcg, "RR", "MH"),
	case_tables("bcg MH RD", BCG, "all", bcg, "RD", "MH"),
	case_tables("bcg Peto", BCG, "all", bcg, "OR", "PETO"),
	case_iv("bcg REML RR", BCG, "all", bcg, "RR", "REML"),
	case_iv("bcg DL OR", BCG, "all", bcg, "OR", "DL"),
	case_tables("MSC deaths MH OR", MSC, "SAEs deaths", deaths, "OR", "MH"),
	case_tables("MSC deaths MH OR to none", MSC, "SAEs deaths", deaths, "OR", "MH", "none"),
	case_tables("MSC deaths Peto", MSC, "SAEs deaths", deaths, "OR", "PETO"),
	case_iv("MSC deaths DL OR", MSC, "SAEs deaths", deaths, "OR", "DL"),
	case_prop("SAE-70 PFT", "data/iv-sae-70.json", "all", sae_x, sae_n, "PFT", "DL"),
	case_prop("zero events PR", zero_csv, "all", zero$xi, zero$ni, "PR", "DL")
)

meta <- list(generator = "tests/golden/gen/forest_weights.R",
	R = R.version.string, metafor = as.character(packageVersion("metafor")),
	cases = length(cases))
json_save(list(meta = meta, cases = cases), file.path(out_dir, "reference.json"))
