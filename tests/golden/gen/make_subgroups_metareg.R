#!/usr/bin/env Rscript
# metafor references for subgroups (--by) and meta-regression (--mods).
#
#   Rscript tests/golden/gen/make_subgroups_metareg.R [outdir]
#
# Run from the repository root.  Writes the inputs (bcg.csv, hackshaw1998.csv,
# debruin2009.csv, rebuilt from metadat) and reference.json into outdir
# (default tests/golden/subgroups-metareg/).  The MSC review is read from
# data/msc-iv-rct.json and data/msc-iv-rct-outcomes.csv (jsonlite reads the
# review; nothing else beyond metafor and metadat is needed).
#
# Each case is one `safemeta analyze` run: its input and options, and for
# every analysis (separate outcome) the overall fit, the subgroups with the
# three tests for subgroup differences, and the meta-regression with its
# bubble-plot lines.  Iterative tau2 estimators use the tight control of the
# other goldens (threshold 1e-12).  Character moderators become factors with
# levels sorted in the C locale (byte order), as safemeta sorts them.

suppressMessages({
	library(metafor)
	library(metadat)
	library(jsonlite)
})
invisible(Sys.setlocale("LC_COLLATE", "C"))

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))
source(file.path(gen_dir, "datasets.R")) # write_input

TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
GRID <- 101

# ---- inputs --------------------------------------------------------------------------------

bcg_input <- function() with(metadat::dat.bcg, data.frame(
	study = paste0(author, ", ", year), ai = tpos, n1i = tpos + tneg, ci = cpos,
	n2i = cpos + cneg, year = year, ablat = ablat, alloc = as.character(alloc),
	stringsAsFactors = FALSE))

hackshaw_input <- function() with(metadat::dat.hackshaw1998, data.frame(
	study = paste0(author, " ", year, " (", study, ")"), yi = as.numeric(yi),
	vi = as.numeric(vi), year = year, country = country, design = design,
	stringsAsFactors = FALSE))

debruin_input <- function() with(metadat::dat.debruin2009, data.frame(
	study = paste(author, year), xi = xi, ni = ni, scq = scq, patients = patients,
	stringsAsFactors = FALSE))

# The MSC review's rows with the study characteristics the cases use.
msc_input <- function() {
	rv <- fromJSON("data/msc-iv-rct.json", simplifyVector = FALSE)
	rows <- read.csv("data/msc-iv-rct-outcomes.csv", stringsAsFactors = FALSE,
		check.names = FALSE, encoding = "UTF-8")
	st <- rv$studies
	ids <- vapply(st, function(s) s$id, "")
	lab <- vapply(st, function(s) s$label, "")
	yr <- vapply(st, function(s) as.numeric(s$year), 0)
	route <- vapply(st, function(s) s$characteristics[["Intervention: Route"]], "")
	i <- match(rows$study, ids)
	data.frame(study = ifelse(rows$sub == "", lab[i], paste0(lab[i], " (", rows$sub, ")")),
		domain = rows$domain, ai = rows$e_t, n1i = rows$n_t, ci = rows$e_c, n2i = rows$n_c,
		year = yr[i], "Intervention: Route" = route[i], stringsAsFactors = FALSE,
		check.names = FALSE)
}

# ---- fits ------------------------------------------------------------------------------------

es_of <- function(d, type, measure) {
	if (type == "2x2")
		return(escalc(measure, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i))
	if (type == "prop") return(escalc(measure, xi = d$xi, ni = d$ni))
	data.frame(yi = d$yi, vi = d$vi)
}

transf_of <- function(measure, ni) {
	switch(measure,
		OR = , RR = list(name = "exp", f = exp),
		PLO = list(name = "ilogit", f = transf.ilogit),
		PFT = list(name = "ipft.hm", f = function(x) transf.ipft.hm(x, targs = list(ni = ni))),
		list(name = "none", f = identity))
}

fit <- function(yi, vi, method, test, mods = NULL, data = NULL) {
	if (is.null(mods))
		return(rma.uni(yi, vi, method = method, test = test, control = TIGHT))
	rma.uni(yi, vi, mods = mods, data = data, method = method, test = test, control = TIGHT)
}

pooled_block <- function(f) {
	list(k = f$k, b = as.numeric(f$b), se = f$se, pval = f$pval, ci.lb = f$ci.lb,
		ci.ub = f$ci.ub, tau2 = f$tau2, QE = f$QE, QEp = f$QEp, I2 = f$I2,
		weights = jarr(as.numeric(weights(f))))
}

mh_block <- function(m) list(k = m$k, b = as.numeric(m$b), se = m$se, pval = m$pval,
	ci.lb = m$ci.lb, ci.ub = m$ci.ub)

# Q test between subgroup estimates b with standard errors se (meta's Q.b).
between <- function(b, se) {
	f <- rma.uni(b, sei = se, method = "FE")
	list(Q = f$QE, df = length(b) - 1, pval = f$QEp)
}

mods_block <- function(f) {
	knha <- f$test != "z"
	list(coef_names = jarr(rownames(f$b)), b = jarr(as.numeric(f$b)), se = jarr(f$se),
		stat = jarr(f$zval), pval = jarr(f$pval), ci.lb = jarr(f$ci.lb),
		ci.ub = jarr(f$ci.ub), df = if (knha) f$ddf[1] else jnull(), QM = f$QM,
		QMdf = jarr(f$QMdf), QMp = f$QMp, QE = f$QE, QEdf = f$k - f$p, QEp = f$QEp,
		tau2 = f$tau2, se.tau2 = if (f$method == "FE") jnull() else f$se.tau2, I2 = f$I2,
		H2 = f$H2, R2 = if (is.null(f$R2)) jnull() else f$R2)
}

# Subgroups of one analysis: pooling "IV" (rma) or "MH" (rma.mh).
subgroup_block <- function(d, es, g, measure, method, test, pooling) {
	levels <- unique(g)
	overall <- fit(es$yi, es$vi, if (pooling == "MH") "FE" else method, test)
	w <- as.numeric(weights(overall))
	groups <- list()
	cb <- cse <- rb <- rse <- numeric(0)
	for (l in levels) {
		s <- g == l
		if (pooling == "MH") {
			m <- rma.mh(ai = d$ai[s], n1i = d$n1i[s], ci = d$ci[s], n2i = d$n2i[s],
				measure = measure)
			blk <- mh_block(m)
			cb <- c(cb, as.numeric(m$b))
			cse <- c(cse, m$se)
		} else {
			f <- fit(es$yi[s], es$vi[s], method, test)
			fe <- fit(es$yi[s], es$vi[s], "FE", "z")
			blk <- pooled_block(f)
			cb <- c(cb, as.numeric(fe$b))
			cse <- c(cse, fe$se)
			rb <- c(rb, as.numeric(f$b))
			rse <- c(rse, f$se)
		}
		blk$name <- l
		blk$weight_share <- sum(w[s])
		groups[[length(groups) + 1]] <- blk
	}
	random <- pooling == "IV" && method != "FE"
	gf <- factor(g, levels = levels)
	mm <- fit(es$yi, es$vi, if (pooling == "MH") "FE" else method, test, mods = ~ gf,
		data = data.frame(gf = gf))
	list(levels = jarr(levels), groups = groups, common = between(cb, cse),
		random = if (random) between(rb, rse) else jnull(), mixed = mods_block(mm))
}

# Meta-regression and, per numeric moderator, the fitted line on a grid with
# the other columns of the design at their means (metafor's regplot).
metareg_block <- function(d, es, mods, method, test, measure, ni) {
	dat <- d
	dat$yi <- es$yi
	dat$vi <- es$vi
	f <- fit(dat$yi, dat$vi, method, test, mods = as.formula(paste("~", paste(mods,
		collapse = " + "))), data = dat)
	out <- mods_block(f)
	out$weights <- jarr(as.numeric(weights(f)))
	tr <- transf_of(measure, ni)
	X <- model.matrix(f)
	bubbles <- list()
	for (m in mods) {
		if (!is.numeric(dat[[m]])) next
		xs <- seq(min(dat[[m]]), max(dat[[m]]), length.out = GRID)
		Xnew <- rbind(colMeans(X))[rep(1, GRID), , drop = FALSE]
		Xnew[, m] <- xs
		p <- predict(f, newmods = Xnew[, -1, drop = FALSE])
		bubbles[[length(bubbles) + 1]] <- list(moderator = m, x = jarr(xs),
			pred = jarr(p$pred), se = jarr(p$se), ci.lb = jarr(p$ci.lb),
			ci.ub = jarr(p$ci.ub), pi.lb = jarr(p$pi.lb), pi.ub = jarr(p$pi.ub),
			transf = tr$name, pred_transf = jarr(tr$f(p$pred)),
			ci.lb_transf = jarr(tr$f(p$ci.lb)), ci.ub_transf = jarr(tr$f(p$ci.ub)))
	}
	out$bubble <- bubbles
	out
}

# Why safemeta leaves a meta-regression out (several analyses) or refuses it.
not_fitted <- function(d, mods, method) {
	p <- 1
	for (m in mods) {
		v <- d[[m]]
		if (length(unique(v)) < 2) return("constant")
		p <- p + if (is.numeric(v)) 1 else length(unique(v)) - 1
	}
	if (nrow(d) < p + (method != "FE")) return("too_few")
	NULL
}

# ---- cases ------------------------------------------------------------------------------------

run_case <- function(name, input, d, type, options, domains = NULL) {
	message("case ", name)
	measure <- options$measure
	method <- options$method
	test <- if (is.null(options$test)) "z" else options$test
	pooling <- if (method == "MH") "MH" else "IV"
	parts <- if (is.null(domains)) list(all = seq_len(nrow(d))) else
		lapply(setNames(unique(d[[domains]]), unique(d[[domains]])),
			function(l) which(d[[domains]] == l))
	analyses <- list()
	for (nm in names(parts)) {
		sd <- d[parts[[nm]], , drop = FALSE]
		es <- es_of(sd, type, measure)
		a <- list(name = nm)
		a$overall <- if (pooling == "MH")
			mh_block(rma.mh(ai = sd$ai, n1i = sd$n1i, ci = sd$ci, n2i = sd$n2i,
				measure = measure)) else pooled_block(fit(es$yi, es$vi, method, test))
		if (!is.null(options$by)) {
			g <- as.character(sd[[options$by]])
			if (length(unique(g)) >= 2)
				a$subgroups <- subgroup_block(sd, es, g, measure, method, test, pooling)
			else
				a$subgroups <- list(levels = jarr(unique(g)), single = TRUE)
		}
		if (!is.null(options$mods)) {
			mods <- strsplit(options$mods, ",")[[1]]
			why <- not_fitted(sd, mods, if (pooling == "MH") "FE" else method)
			a$metareg <- if (is.null(why))
				metareg_block(sd, es, mods, if (pooling == "MH") "FE" else method, test,
					measure, if (type == "prop") sd$ni else NULL)
			else list(not_fitted = why)
		}
		analyses[[length(analyses) + 1]] <- a
	}
	list(name = name, input = input, options = options, analyses = analyses)
}

main <- function(args) {
	out <- if (length(args)) args[1] else "tests/golden/subgroups-metareg"
	dir.create(out, showWarnings = FALSE, recursive = TRUE)
	bcg <- bcg_input()
	hack <- hackshaw_input()
	deb <- debruin_input()
	write_input(bcg, file.path(out, "bcg.csv"))
	write_input(hack, file.path(out, "hackshaw1998.csv"))
	write_input(deb, file.path(out, "debruin2009.csv"))
	msc <- msc_input()
	# inputs as safemeta reads them (the CSVs round-trip every number)
	bcg <- read.csv(file.path(out, "bcg.csv"), stringsAsFactors = FALSE)
	hack <- read.csv(file.path(out, "hackshaw1998.csv"), stringsAsFactors = FALSE)
	deb <- read.csv(file.path(out, "debruin2009.csv"), stringsAsFactors = FALSE)
	ib <- file.path(out, "bcg.csv")
	ih <- file.path(out, "hackshaw1998.csv")
	id <- file.path(out, "debruin2009.csv")
	cases <- list(
		run_case("bcg RR REML by alloc, mods ablat", ib, bcg, "2x2",
			list(measure = "RR", method = "REML", by = "alloc", mods = "ablat")),
		run_case("bcg RR DL by alloc, mods ablat,year", ib, bcg, "2x2",
			list(measure = "RR", method = "DL", by = "alloc", mods = "ablat,year")),
		run_case("bcg RR FE by alloc, mods ablat,alloc", ib, bcg, "2x2",
			list(measure = "RR", method = "FE", by = "alloc", mods = "ablat,alloc")),
		run_case("bcg RR REML knha by alloc, mods ablat,alloc", ib, bcg, "2x2",
			list(measure = "RR", method = "REML", test = "knha", by = "alloc",
				mods = "ablat,alloc")),
		run_case("bcg OR DL knha mods alloc", ib, bcg, "2x2",
			list(measure = "OR", method = "DL", test = "knha", mods = "alloc")),
		run_case("bcg RR MH by alloc, mods ablat", ib, bcg, "2x2",
			list(measure = "RR", method = "MH", by = "alloc", mods = "ablat")),
		run_case("hackshaw1998 GEN REML by design, mods year,design", ih, hack, "generic",
			list(measure = "GEN", method = "REML", by = "design", mods = "year,design")),
		run_case("hackshaw1998 GEN DL by country, mods country", ih, hack, "generic",
			list(measure = "GEN", method = "DL", by = "country", mods = "country")),
		run_case("debruin2009 PLO REML by patients, mods scq", id, deb, "prop",
			list(measure = "PLO", method = "REML", by = "patients", mods = "scq")),
		run_case("debruin2009 PFT DL by patients, mods scq", id, deb, "prop",
			list(measure = "PFT", method = "DL", by = "patients", mods = "scq")),
		run_case("msc-iv-rct OR DL by route, mods year", "data/msc-iv-rct.json", msc, "2x2",
			list(measure = "OR", method = "DL", by = "Intervention: Route", mods = "year"),
			domains = "domain")
	)
	meta <- list(R_version = paste(R.version$major, R.version$minor, sep = "."),
		metafor_version = as.character(packageVersion("metafor")),
		metadat_version = as.character(packageVersion("metadat")),
		tight_control = TIGHT, grid_points = GRID, collate = "C",
		note = paste("subgroups in order of first appearance; mixed = rma(yi, vi, mods = ~",
			"factor(g)) with that level order; metareg character moderators as R factors",
			"(levels sorted in the C locale); bubble lines: predict(fit, newmods) on",
			"seq(min, max, length.out = 101) with the other model-matrix columns at colMeans"))
	json_save(list(meta = meta, cases = cases), file.path(out, "reference.json"))
}

if (!interactive()) main(commandArgs(trailingOnly = TRUE))
