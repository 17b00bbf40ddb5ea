# Reference results of the three named analysis presets (see README.md, "presets"):
#   metafor      rma.uni(yi, vi) defaults: REML, z test, predict() PI (normal quantile)
#   revman5      rma.mh (OR/RR/RD) fixed effect; DerSimonian-Laird random effects with tau2 from
#                the Q statistic around the MH estimate (RevMan 5), zero-cell rule of RevMan
#   cochrane2025 REML with test = "knha", predict() PI with a t quantile on k-1 df
# for bcg and msc-table3 (2x2 inputs), per analysis (same partition as their expected.json).
# Written to tests/golden/presets/presets.json: deliberately not named expected.json, whose
# schema (meta/analyses/subgroup) it does not follow.

PRESET_DATASETS <- list(
	bcg = list(input = "tests/golden/bcg/input.csv", analyses = "all+groups"),
	"msc-table3" = list(input = "tests/golden/msc-table3/input.csv", analyses = "groups")
)

exp_block <- function(out) {
	for (nm in c("b", "ci.lb", "ci.ub", "pi.lb", "pi.ub")) {
		if (!is.null(out[[nm]])) out[[paste0(nm, "_exp")]] <- exp(out[[nm]])
	}
	out
}

preset_fit <- function(fit, ratio) {
	out <- list(method = fit$method, test = fit$test, k = fit$k, b = num(fit$b), se = num(fit$se))
	out <- c(out, test_block(fit$zval, fit$test, fit$ddf))
	p <- predict(fit)
	out <- c(out, list(pval = num(fit$pval), ci.lb = num(fit$ci.lb), ci.ub = num(fit$ci.ub),
		tau2 = fit$tau2, tau = sqrt(fit$tau2), I2 = fit$I2, H2 = fit$H2, QE = fit$QE,
		QEdf = fit$k - fit$p, QEp = fit$QEp, pi.lb = num(p$pi.lb), pi.ub = num(p$pi.ub),
		pi_crit = if (fit$test == "z") "qnorm(0.975)" else "qt(0.975, k - 1)",
		weights = jarr(num(weights(fit)))))
	if (ratio) out <- exp_block(out)
	out
}

preset_revman5 <- function(d, measure) {
	ratio <- measure != "RD"
	mh <- rma.mh(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i, measure = measure)
	# study estimates: 1/2 added to all cells of a table with a zero cell, double-zero tables
	# dropped (escalc add = 1/2, to = "only0", drop00 = TRUE; the same values rma.mh uses for QE)
	es <- escalc(measure = measure, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i,
		add = 1/2, to = "only0", drop00 = TRUE)
	yi <- num(es$yi)
	vi <- num(es$vi)
	used <- !is.na(yi) & !is.na(vi)
	w <- 1 / vi[used]
	df <- sum(used) - 1
	Q <- sum(w * (yi[used] - num(mh$b))^2)
	C <- sum(w) - sum(w^2) / sum(w)
	tau2 <- if (df > 0) max(0, (Q - df) / C) else 0
	fixed <- list(method = "MH", k = mh$k, k.yi = mh$k.yi, b = num(mh$b), se = num(mh$se),
		zval = num(mh$zval), pval = num(mh$pval), ci.lb = num(mh$ci.lb), ci.ub = num(mh$ci.ub))
	if (ratio) fixed <- exp_block(fixed)
	het <- list(Q = Q, Q_metafor_mh = mh$QE, df = df, pval = pchisq(Q, df, lower.tail = FALSE),
		I2 = if (Q > 0) max(0, 100 * (Q - df) / Q) else 0, tau2 = tau2, tau = sqrt(tau2),
		C = C)
	re <- rma.uni(yi[used], vi[used], tau2 = tau2, method = "DL")
	rw <- rep(NA_real_, length(yi))
	rw[used] <- num(weights(re))
	rand <- list(method = "DL (tau2 from MH-based Q)", k = re$k, b = num(re$b), se = num(re$se),
		zval = num(re$zval), pval = num(re$pval), ci.lb = num(re$ci.lb), ci.ub = num(re$ci.ub),
		tau2 = tau2, weights = jarr(rw))
	if (ratio) rand <- exp_block(rand)
	list(study_yi = jarr(yi), study_vi = jarr(vi), included = jarr(used), fixed_mh = fixed,
		heterogeneity = het, random_dl = rand)
}

# REML refitted with the tight control (stepadj = 0.5 fallback), as fits_tight in expected.json
preset_tight <- function(yi, vi, test, ratio) {
	cap <- capture(rma.uni(yi, vi, method = "REML", test = test, control = TIGHT))
	if (is.null(cap$error)) {
		return(c(wrap(cap, function(f) preset_fit(f, ratio)), list(control = TIGHT)))
	}
	out <- sub(rma.uni(yi, vi, method = "REML", test = test, control = TIGHT_FALLBACK),
		function(f) preset_fit(f, ratio))
	out$tight_control_error <- cap$error
	if (is.null(out$error)) out$control <- TIGHT_FALLBACK
	out
}

preset_measure <- function(d, measure) {
	es <- effect_sizes(d, "2x2", measure)
	ratio <- measure != "RD"
	list(
		metafor = sub(rma.uni(es$yi, es$vi), function(f) preset_fit(f, ratio)),
		metafor_tight = preset_tight(es$yi, es$vi, "z", ratio),
		revman5 = sub(preset_revman5(d, measure), identity),
		cochrane2025 = sub(rma.uni(es$yi, es$vi, method = "REML", test = "knha"),
			function(f) preset_fit(f, ratio)),
		cochrane2025_tight = preset_tight(es$yi, es$vi, "knha", ratio))
}

preset_analysis <- function(d, rows, name, group) {
	sd <- d[rows, , drop = FALSE]
	ms <- MEASURES[["2x2"]]
	res <- lapply(ms, function(m) preset_measure(sd, m))
	names(res) <- ms
	list(name = name, group = group, rows = jarr(rows), k = length(rows),
		study = jarr(as.character(sd$study)), measures = res)
}

run_presets <- function(outdir) {
	ds <- lapply(names(PRESET_DATASETS), function(nm) {
		cfg <- PRESET_DATASETS[[nm]]
		message("  presets for ", nm)
		d <- read.csv(cfg$input, stringsAsFactors = FALSE, colClasses = c(study = "character"))
		an <- list()
		if (cfg$analyses %in% c("all", "all+groups")) {
			an[[length(an) + 1]] <- preset_analysis(d, seq_len(nrow(d)), "all", jnull())
		}
		if (cfg$analyses %in% c("groups", "all+groups")) {
			for (l in unique(d$group)) an[[length(an) + 1]] <- preset_analysis(d, which(d$group == l), l, l)
		}
		list(input = cfg$input, analyses = an)
	})
	names(ds) <- names(PRESET_DATASETS)
	out <- list(meta = list(
		description = "reference results of the analysis presets metafor, revman5, cochrane2025",
		R_version = paste(R.version$major, R.version$minor, sep = "."),
		metafor_version = as.character(packageVersion("metafor")), level = 95,
		presets = list(
			metafor = "rma.uni(yi, vi): method REML, test z; pi from predict() with qnorm(0.975)",
			revman5 = paste("fixed: rma.mh(ai, n1i, ci, n2i, measure) on raw counts;",
				"random: yi, vi = escalc(add = 1/2, to = 'only0', drop00 = TRUE) (1/2 added to the",
				"four cells of tables with a zero cell, double-zero tables excluded),",
				"Q = sum(w (yi - b_MH)^2) with w = 1/vi, tau2 = max(0, (Q - df)/(sum(w) - sum(w^2)/sum(w))),",
				"df = k.yi - 1, then inverse-variance pooling with 1/(vi + tau2), z test",
				"(rma.uni(yi, vi, tau2 = tau2)); I2 = max(0, 100 (Q - df)/Q)"),
			cochrane2025 = paste("rma.uni(yi, vi, method = 'REML', test = 'knha'); pi from predict()",
				"with qt(0.975, k - 1)"),
			tight = paste("metafor_tight / cochrane2025_tight: the same REML fits with control",
				"threshold = tol = 1e-12, maxiter = 10000 (stepadj = 0.5 added where that fails,",
				"tight_control_error then holds the first error)")),
		escalc = paste("study yi/vi of metafor and cochrane2025 as in expected.json (add 1/2 to",
			"tables with a zero cell, double-zero tables kept)")),
		datasets = ds)
	dir.create(outdir, showWarnings = FALSE, recursive = TRUE)
	json_save(out, file.path(outdir, "presets.json"))
}
