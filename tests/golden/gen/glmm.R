#!/usr/bin/env Rscript
# metafor rma.glmm references (and the rare-event method comparison) for safemeta.
#
#   Rscript tests/golden/gen/glmm.R [outdir] [dataset ...]
#
# Writes <outdir>/glmm.json (default tests/golden/glmm/). Run from the repository root.
# Inputs: the committed input.csv of the bcg, li2007 and nielweise2007 goldens (built from
# metadat) and the MSC review's own table, data/msc-iv-rct-outcomes.csv (one analysis per
# domain in order of first appearance). Every 2x2 analysis is fitted with rma.glmm(measure =
# "OR") for model UM.FS, UM.RS, CM.EL, CM.AL and method ML and FE, each twice: with
# metafor's default control ("default") and with tight optimiser controls ("tight", see
# TIGHT below). See tests/golden/gen/README.md ("GLMM references").

suppressMessages({
	library(metafor)
	library(lme4)
	library(BiasedUrn)
})

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))

MODELS <- c("UM.FS", "UM.RS", "CM.EL", "CM.AL")
METHODS <- c("ML", "FE")

# Tight controls: lme4 with bobyqa in both stages to rhoend 1e-10 and PIRLS to 1e-12
# (its default Nelder-Mead stops at FtolAbs 1e-5, often far from the optimum for UM.FS's
# k + 2 parameters); glm to epsilon 1e-14; CM.EL's nlminb to rel.tol 1e-15, its integrate()
# to rel.tol 1e-12 (default: .Machine$double.eps^0.25 = 1.2e-4) and BiasedUrn to 1e-15.
TIGHT <- list(
	glmerCtrl = list(optimizer = "bobyqa", tolPwrss = 1e-12,
		optCtrl = list(rhobeg = 0.2, rhoend = 1e-10, maxfun = 1e6)),
	glmCtrl = list(epsilon = 1e-14, maxit = 100),
	optCtrl = list(rel.tol = 1e-15, x.tol = 1e-12, eval.max = 1e4, iter.max = 1e4),
	intCtrl = list(rel.tol = 1e-12, subdivisions = 1000L),
	dnchgprec = 1e-15)

read_2x2 <- function(path, group_col = "group") {
	d <- read.csv(path, stringsAsFactors = FALSE, encoding = "UTF-8")
	if ("e_t" %in% names(d))
		d <- data.frame(study = paste(d$study, d$sub), ai = d$e_t, n1i = d$n_t, ci = d$e_c,
			n2i = d$n_c, group = d$domain, stringsAsFactors = FALSE)
	d
}

DATASETS <- list(
	bcg = list(path = "tests/golden/bcg/input.csv", by_group = FALSE,
		note = "metadat::dat.bcg as in tests/golden/bcg/input.csv: ai = tpos, n1i = tpos + tneg, ci = cpos, n2i = cpos + cneg"),
	li2007 = list(path = "tests/golden/li2007/input.csv", by_group = FALSE,
		note = "metadat::dat.li2007 (tests/golden/li2007/input.csv): rare events, single-zero studies, ISIS-4"),
	nielweise2007 = list(path = "tests/golden/nielweise2007/input.csv", by_group = FALSE,
		note = "metadat::dat.nielweise2007 (tests/golden/nielweise2007/input.csv): single-zero and one double-zero study"),
	msc = list(path = "data/msc-iv-rct-outcomes.csv", by_group = TRUE,
		note = "the MSC review's table (data/msc-iv-rct-outcomes.csv): ai = e_t, n1i = n_t, ci = e_c, n2i = n_c, one analysis per domain"))

num_or_na <- function(x) if (is.null(x) || length(x) == 0) NA_real_ else as.numeric(x[1])

# lme4's objective at the fit's own parameters with PIRLS converged to 1e-15 (or 1e-14,
# 1e-13 where rounding stalls it) instead of
# tolPwrss: its Laplace deviance takes the Cholesky factor from the penultimate PIRLS
# iterate, which at tolPwrss = 1e-7 (default) or 1e-12 still moves the value by ~1e-6.
exact_devcrit <- function(d, model, method, m) {
	# (the tolerance is the relative change of the penalised deviance between iterations)
	rd <- rma.glmm(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d,
		model = model, method = method, retdat = TRUE)
	dat.grp <- rd$dat.grp; X.fit <- rd$X.fit; study <- rd$study; dat.off <- rd$dat.off
	group <- rd$group; const <- rd$const
	nq <- m@devcomp$dims[["nAGQ"]]
	f <- switch(model,
		UM.FS = dat.grp ~ -1 + X.fit + study + (group - 1 | study),
		UM.RS = if (method == "ML") dat.grp ~ -1 + X.fit + const + (group || study) else
			dat.grp ~ -1 + X.fit + const + (1 | study),
		CM.AL = dat.grp ~ -1 + X.fit + (1 | study))
	dd <- suppressWarnings(suppressMessages(glmer(f, offset = dat.off, family = binomial,
		nAGQ = nq, devFunOnly = TRUE)))
	# the tightest tolerance whose step halving does not stall on rounding
	for (tol in c(1e-15, 1e-14, 1e-13)) {
		environment(dd)$tolPwrss <- tol
		v <- tryCatch(dd(c(getME(m, "theta"), fixef(m))), error = function(e) NA_real_)
		if (!is.na(v)) return(v)
	}
	NA_real_
}

lme4_part <- function(m, d, model, method) {
	if (!inherits(m, "merMod")) return(jnull())
	ex <- tryCatch(exact_devcrit(d, model, method, m), error = function(e) { message("exact_devcrit: ", conditionMessage(e)); NA_real_ })
	list(devcrit = -2 * c(logLik(m)), devcrit_exact = ex,
		theta = jarr(unname(getME(m, "theta"))),
		beta = jarr(unname(fixef(m))), nAGQ = unname(m@devcomp$dims[["nAGQ"]]))
}

fit_one <- function(d, model, method, tight) {
	ctrl <- if (tight) TIGHT else list()
	warn <- character(0)
	res <- withCallingHandlers(
		tryCatch(rma.glmm(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d,
			model = model, method = method, control = ctrl, retfit = TRUE),
			error = function(e) e),
		warning = function(w) {
			warn <<- c(warn, conditionMessage(w))
			invokeRestart("muffleWarning")
		})
	if (inherits(res, "error"))
		return(list(error = conditionMessage(res), warnings = jarr(unique(warn))))
	pr <- tryCatch(predict(res), error = function(e) NULL)
	main <- if (method == "ML") res$res.ML else res$res.FE
	list(k = res$k, k.all = res$k.all, k.yi = res$k.yi,
		b = c(res$b), se = res$se, zval = res$zval, pval = res$pval, ci.lb = res$ci.lb,
		ci.ub = res$ci.ub, pi.lb = num_or_na(pr$pi.lb), pi.ub = num_or_na(pr$pi.ub),
		tau2 = res$tau2, se.tau2 = num_or_na(res$se.tau2), sigma2 = num_or_na(res$sigma2),
		vt = res$vt, I2 = res$I2, H2 = res$H2, QE.Wld = res$QE.Wld, QEp.Wld = res$QEp.Wld,
		QE.LRT = res$QE.LRT, QEp.LRT = res$QEp.LRT, QE.df = num_or_na(res$QE.df),
		ll = res$fit.stats["ll", "ML"], lme4 = lme4_part(main, d, model, method),
		warnings = jarr(unique(warn)))
}

# The rare-event comparison's other rows, as the review's settings (DL, add 1/2 to studies
# with a zero cell, double-zero studies kept) and metafor's defaults for rma.mh/rma.peto.
other_methods <- function(d) {
	one <- function(expr) {
		r <- tryCatch(expr, error = function(e) e)
		if (inherits(r, "error")) return(list(error = conditionMessage(r)))
		list(k = r$k, b = c(r$b), se = r$se, pval = r$pval, ci.lb = r$ci.lb, ci.ub = r$ci.ub,
			tau2 = num_or_na(r$tau2))
	}
	suppressWarnings(list(
		iv_or_dl = one(rma.uni(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i,
			data = d, method = "DL")),
		iv_rd_dl = one(rma.uni(measure = "RD", ai = ai, n1i = n1i, ci = ci, n2i = n2i,
			data = d, method = "DL")),
		mh_or = one(rma.mh(measure = "OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d)),
		mh_rd = one(rma.mh(measure = "RD", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d)),
		peto = one(rma.peto(ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d))))
}

analysis_entry <- function(name, dataset, group, rows, d) {
	fits <- list()
	for (model in MODELS) for (method in METHODS) {
		key <- paste0(model, "_", method)
		t0 <- proc.time()[3]
		fits[[key]] <- list(default = fit_one(d, model, method, FALSE),
			tight = fit_one(d, model, method, TRUE))
		cat(sprintf("  %-28s %-9s %5.1f s\n", substr(name, 1, 28), key, proc.time()[3] - t0))
	}
	list(name = name, dataset = dataset, group = if (is.null(group)) jnull() else group,
		rows = jarr(rows), k = length(rows), fits = fits, others = other_methods(d))
}

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "tests/golden/glmm"
only <- if (length(args) >= 2) args[-1] else names(DATASETS)
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

analyses <- list()
for (ds in only) {
	cfg <- DATASETS[[ds]]
	d <- read_2x2(cfg$path)
	if (cfg$by_group) {
		for (g in unique(d$group)) {
			rows <- which(d$group == g)
			analyses[[length(analyses) + 1]] <- analysis_entry(g, ds, g, rows, d[rows, ])
		}
	} else {
		analyses[[length(analyses) + 1]] <- analysis_entry("all", ds, NULL, seq_len(nrow(d)), d)
	}
}

out <- list(meta = list(
		R_version = paste(R.version$major, R.version$minor, sep = "."),
		metafor_version = as.character(packageVersion("metafor")),
		lme4_version = as.character(packageVersion("lme4")),
		BiasedUrn_version = as.character(packageVersion("BiasedUrn")),
		measure = "OR", level = 95, models = jarr(MODELS), methods = jarr(METHODS),
		tight_control = TIGHT,
		datasets = lapply(DATASETS[only], function(x) x$note),
		note = paste("fits.<MODEL>_<METHOD>.{default,tight}: rma.glmm with metafor's default",
			"control, and with tight_control; rows are 1-based indices into the dataset's input;",
			"lme4 holds the glmer fit behind the estimate (res.ML for ML, res.FE for FE; null",
			"for glm and CM.EL fits): devcrit = -2 logLik (the adaptive Gauss-Hermite deviance",
			"for nAGQ > 1, -2 log-likelihood for the Laplace fits), devcrit_exact = the same",
			"objective at the same parameters with PIRLS converged to 1e-15, theta, fixed effects;",
			"others: rma.uni (DL, add 1/2 to only0), rma.mh (OR, RD) and rma.peto with defaults")),
	analyses = analyses)
json_save(out, file.path(outdir, "glmm.json"))
cat("wrote", file.path(outdir, "glmm.json"), "\n")
