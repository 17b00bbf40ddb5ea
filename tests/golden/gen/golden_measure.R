# Measure-level results (escalc, ranktest, regtest_lm, fsn, mh, peto) and the subgroup object.

MEASURES <- list("2x2" = c("OR", "RR", "RD"), prop = c("PLO", "PR", "PFT", "PAS"), generic = "GEN")

# effect sizes for one measure: list(yi, vi, zero_corrected, double_zero (2x2 only))
effect_sizes <- function(d, input_type, measure) {
	if (input_type == "2x2") {
		es <- escalc(measure = measure, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
		bi <- d$n1i - d$ai
		di <- d$n2i - d$ci
		zc <- d$ai == 0 | bi == 0 | d$ci == 0 | di == 0
		dz <- (d$ai == 0 & d$ci == 0) | (bi == 0 & di == 0)
		return(list(yi = num(es$yi), vi = num(es$vi), zero_corrected = jarr(zc),
			double_zero = jarr(dz)))
	}
	if (input_type == "prop") {
		es <- escalc(measure = measure, xi = d$xi, ni = d$ni)
		zc <- if (measure %in% c("PR", "PLO")) d$xi == 0 | d$xi == d$ni else rep(FALSE, nrow(d))
		return(list(yi = num(es$yi), vi = num(es$vi), zero_corrected = jarr(zc)))
	}
	list(yi = num(d$yi), vi = num(d$vi), zero_corrected = jarr(rep(FALSE, nrow(d))))
}

transf_for <- function(measure, d) {
	switch(measure,
		OR = , RR = list(name = "exp", fun = exp),
		PLO = list(name = "transf.ilogit", fun = transf.ilogit),
		PAS = list(name = "transf.iarcsin", fun = transf.iarcsin),
		PFT = {
			hm <- 1 / mean(1 / d$ni)
			list(name = "transf.ipft.hm", fun = transf.ipft.hm, targs = list(ni = d$ni), ni_hm = hm)
		},
		NULL)
}

ranktest_block <- function(yi, vi) {
	cap <- capture(ranktest(yi, vi))
	wrap(cap, function(rk) {
		wi <- 1 / vi
		theta <- weighted.mean(yi, wi)
		vb <- 1 / sum(wi)
		ys <- (yi - theta) / sqrt(vi - vb)
		ct <- suppressWarnings(cor.test(ys, vi, method = "kendall", exact = TRUE))
		cn <- suppressWarnings(cor.test(ys, vi, method = "kendall", exact = FALSE))
		ty <- anyDuplicated(ys) > 0
		tv <- anyDuplicated(vi) > 0
		list(tau = num(rk$tau), pval = rk$pval,
			pval_method = if (ty || tv) "normal (ties)" else "exact",
			ties_in_standardized_yi = ty, ties_in_vi = tv,
			statistic_name = names(ct$statistic), statistic = num(ct$statistic),
			normal = list(tau = num(cn$estimate), z = num(cn$statistic), pval = cn$p.value),
			yi_star = jarr(ys))
	})
}

fsn_one <- function(f) {
	list(type = f$type, fsnum = f$fsnum, alpha = f$alpha, pval = f$pval, meanes = f$meanes,
		target = f$target)
}

fsn_block <- function(yi, vi) {
	list(Rosenthal = sub(fsn(yi, vi, type = "Rosenthal"), fsn_one),
		Orwin = sub(fsn(yi, vi, type = "Orwin"), fsn_one),
		Orwin_weighted = sub(fsn(yi, vi, type = "Orwin", weighted = TRUE), fsn_one),
		Rosenberg = sub(fsn(yi, vi, type = "Rosenberg"), fsn_one))
}

MH_TESTS_NOTE <- paste("CMH = Cochran-Mantel-Haenszel with continuity correction 0.5 and",
	"(Ni-1) variance; CO = Cochran (Ni variance); BD = Breslow-Day; TA = Tarone-corrected",
	"Breslow-Day; df for BD/TA = k.pos-1")

mh_block <- function(d, measure) {
	sub(rma.mh(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i, measure = measure), function(f) {
		out <- list(measure = measure, k = f$k, k.yi = f$k.yi, b = num(f$b), se = num(f$se),
			zval = num(f$zval), pval = num(f$pval), ci.lb = num(f$ci.lb), ci.ub = num(f$ci.ub))
		if (measure != "RD") out$b_exp <- exp(num(f$b))
		out <- c(out, list(QE = f$QE, QEdf = f$k.yi - 1, QEp = f$QEp, I2 = f$I2, H2 = f$H2))
		if (measure == "OR") {
			out <- c(out, list(CMH = f$MH, CMHp = f$MHp, CO = f$CO, COp = f$COp, BD = f$BD,
				BDp = f$BDp, TA = f$TA, TAp = f$TAp, k.pos = f$k.pos, tests_note = MH_TESTS_NOTE))
		}
		c(out, list(yi = jarr(num(f$yi.f)), vi = jarr(num(f$vi.f))))
	})
}

peto_block <- function(d) {
	sub(rma.peto(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i), function(f) {
		list(k = f$k, k.yi = f$k.yi, k.pos = f$k.pos, b = num(f$b), b_exp = exp(num(f$b)),
			se = num(f$se), zval = num(f$zval), pval = num(f$pval), ci.lb = num(f$ci.lb),
			ci.ub = num(f$ci.ub), QE = f$QE, QEdf = f$k.yi - 1, QEp = f$QEp, I2 = f$I2, H2 = f$H2,
			yi = jarr(num(f$yi.f)), vi = jarr(num(f$vi.f)))
	})
}

measure_object <- function(d, input_type, measure) {
	es <- effect_sizes(d, input_type, measure)
	yi <- es$yi
	vi <- es$vi
	slab <- d$study
	transf <- transf_for(measure, d)
	out <- list(measure = measure, escalc = list(yi = jarr(yi), vi = jarr(vi),
		zero_corrected = es$zero_corrected))
	if (!is.null(es$double_zero)) out$escalc$double_zero <- es$double_zero
	out$fits <- lapply(names(METHODS), function(m) fit_entry(yi, vi, slab, m, NULL, transf, FALSE))
	names(out$fits) <- names(METHODS)
	out$fits_tight <- lapply(METHODS_TIGHT, function(m) fit_entry_tight(yi, vi, slab, m, transf))
	names(out$fits_tight) <- METHODS_TIGHT
	out$ranktest <- ranktest_block(yi, vi)
	out$regtest_lm <- sub(regtest(yi, vi, model = "lm"), regtest_lm_block)
	out$fsn <- fsn_block(yi, vi)
	if (input_type == "2x2") {
		out$mh <- mh_block(d, measure)
		if (measure == "OR") out$peto <- peto_block(d)
	}
	out
}

# ---- subgroup ------------------------------------------------------------------------------

mods_block <- function(fit) {
	knha <- fit$test != "z"
	out <- list(method = fit$method, test = fit$test, k = fit$k, p = fit$p,
		coef_names = jarr(rownames(fit$b)), b = jarr(num(fit$b)), se = jarr(num(fit$se)))
	if (knha) {
		out$tval <- jarr(num(fit$zval))
		out$dfs <- fit$ddf[1]
	} else {
		out$zval <- jarr(num(fit$zval))
	}
	out <- c(out, list(pval = jarr(num(fit$pval)), ci.lb = jarr(num(fit$ci.lb)),
		ci.ub = jarr(num(fit$ci.ub)), QM = fit$QM, QMdf = jarr(num(fit$QMdf)), QMp = fit$QMp,
		QM_distribution = if (knha)
			"F(QMdf[1], QMdf[2]); QM is the Wald statistic divided by QMdf[1]" else
			"chisq(QMdf[1])",
		QE = fit$QE, QEdf = fit$k - fit$p, QEp = fit$QEp, tau2 = fit$tau2, se.tau2 = fit$se.tau2,
		I2 = fit$I2, H2 = fit$H2, R2 = if (is.null(fit$R2)) NA_real_ else fit$R2))
	out
}

mods_fit <- function(yi, vi, g, key, control) {
	spec <- METHODS[[key]]
	group <- g
	capture(rma.uni(yi, vi, mods = ~ group, method = spec[1], test = spec[2], control = control))
}

between_block <- function(yi, vi, g, levels, method, control) {
	fits <- lapply(levels, function(l) {
		s <- g == l
		rma.uni(yi[s], vi[s], method = method, control = control)
	})
	gb <- vapply(fits, function(f) num(f$b), 0)
	gse <- vapply(fits, function(f) f$se, 0)
	bf <- rma.uni(gb, sei = gse, method = "FE")
	list(method_within = method, groups = jarr(levels),
		k_group = jarr(vapply(fits, function(f) f$k, 0)), group_b = jarr(gb), group_se = jarr(gse),
		group_tau2 = jarr(vapply(fits, function(f) f$tau2, 0)),
		group_QE = jarr(vapply(fits, function(f) f$QE, 0)),
		Q = bf$QE, df = length(levels) - 1, pval = bf$QEp, b_between_FE = num(bf$b))
}

subgroup_measure <- function(d, input_type, measure, levels) {
	es <- effect_sizes(d, input_type, measure)
	yi <- es$yi
	vi <- es$vi
	g <- factor(d$group, levels = levels)
	mods <- lapply(names(METHODS), function(m) wrap(mods_fit(yi, vi, g, m, NULL), mods_block))
	names(mods) <- names(METHODS)
	tight <- lapply(METHODS_TIGHT, function(m) {
		cap <- mods_fit(yi, vi, g, m, TIGHT)
		if (is.null(cap$error)) return(c(wrap(cap, mods_block), list(control = TIGHT)))
		cap2 <- mods_fit(yi, vi, g, m, TIGHT_FALLBACK)
		out <- wrap(cap2, mods_block)
		out$tight_control_error <- cap$error
		if (is.null(out$error)) out$control <- TIGHT_FALLBACK
		out
	})
	names(tight) <- METHODS_TIGHT
	feb <- sub(between_block(yi, vi, g, levels, "FE", NULL), function(b) {
		qt <- rma.uni(yi, vi, method = "FE")$QE
		qw <- sum(b$group_QE)
		c(b, list(Q_total = qt, Q_within_sum = qw, Q_total_minus_within = qt - qw))
	})
	reb <- list(DL = sub(between_block(yi, vi, g, levels, "DL", NULL), identity),
		REML = sub(between_block(yi, vi, g, levels, "REML", NULL), identity))
	cap <- capture(between_block(yi, vi, g, levels, "REML", TIGHT))
	if (is.null(cap$error)) {
		reb$REML_tight <- c(wrap(cap, identity), list(control = TIGHT))
	} else {
		out <- sub(between_block(yi, vi, g, levels, "REML", TIGHT_FALLBACK), identity)
		out$tight_control_error <- cap$error
		if (is.null(out$error)) out$control <- TIGHT_FALLBACK
		reb$REML_tight <- out
	}
	list(measure = measure, mods = mods, mods_tight = tight, fe_between = feb,
		re_between_separate_tau2 = reb)
}

subgroup_object <- function(d, input_type, variable) {
	levels <- unique(as.character(d$group))
	ms <- MEASURES[[input_type]]
	res <- lapply(ms, function(m) subgroup_measure(d, input_type, m, levels))
	names(res) <- ms
	list(variable = variable, levels = jarr(levels),
		coding = paste("factor(group) with levels in order of first appearance;",
			"first level is the reference (intercept)"),
		measures = res)
}
