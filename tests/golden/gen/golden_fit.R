# Building blocks of the golden generator: run one metafor computation, capture its error and
# warnings, and turn the result into the list layout of expected.json.

TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
TIGHT_FALLBACK <- c(TIGHT, list(stepadj = 0.5))
CONFINT_TIGHT <- list(tol = 1e-12, maxiter = 10000)

METHODS <- list(
	FE = c("FE", "z"), DL = c("DL", "z"), REML = c("REML", "z"), ML = c("ML", "z"),
	PM = c("PM", "z"), HE = c("HE", "z"), HS = c("HS", "z"), SJ = c("SJ", "z"),
	EB = c("EB", "z"), DL_knha = c("DL", "knha"), REML_knha = c("REML", "knha")
)
METHODS_TIGHT <- c("REML", "ML", "PM", "EB", "REML_knha")
TRIMFILL_METHODS <- c("FE", "DL", "REML")

# evaluate expr; returns list(value, error, warnings)
capture <- function(expr) {
	warns <- character(0)
	val <- withCallingHandlers(
		tryCatch(list(value = expr, error = NULL),
			error = function(e) list(value = NULL, error = conditionMessage(e))),
		warning = function(w) {
			warns <<- c(warns, conditionMessage(w))
			invokeRestart("muffleWarning")
		})
	val$warnings <- unique(warns)
	val
}

# run f(value) on a captured result, or give {"error": msg}; append warnings
wrap <- function(cap, f) {
	if (!is.null(cap$error)) {
		out <- list(error = cap$error)
	} else {
		out <- f(cap$value)
	}
	if (length(cap$warnings)) out$warnings <- jarr(cap$warnings)
	out
}

num <- function(x) as.numeric(x)

is_fe <- function(fit) fit$method %in% c("FE", "EE", "CE")

test_block <- function(stat, test, dfs) {
	if (test == "z") return(list(zval = num(stat)))
	list(tval = num(stat), dfs = dfs)
}

fit_stats <- function(fit) {
	fs <- fit$fit.stats
	one <- function(col) {
		list(ll = fs["ll", col], dev = fs["dev", col], AIC = fs["AIC", col],
			BIC = fs["BIC", col], AICc = fs["AICc", col])
	}
	list(ML = one("ML"), REML = one("REML"))
}

predict_block <- function(p) {
	list(pred = num(p$pred), se = num(p$se), ci.lb = num(p$ci.lb), ci.ub = num(p$ci.ub),
		pi.lb = if (is.null(p$pi.lb)) NULL else num(p$pi.lb),
		pi.ub = if (is.null(p$pi.ub)) NULL else num(p$pi.ub))
}

# transf: list(name, fun, targs) or NULL
predict_transf_block <- function(fit, transf) {
	p <- if (is.null(transf$targs)) predict(fit, transf = transf$fun) else
		predict(fit, transf = transf$fun, targs = transf$targs)
	out <- list(pred = num(p$pred), ci.lb = num(p$ci.lb), ci.ub = num(p$ci.ub),
		pi.lb = if (is.null(p$pi.lb)) NULL else num(p$pi.lb),
		pi.ub = if (is.null(p$pi.ub)) NULL else num(p$pi.ub),
		transf = transf$name)
	if (!is.null(transf$ni_hm)) out$ni_harmonic_mean <- transf$ni_hm
	out
}

confint_block <- function(ci, tol) {
	r <- ci$random
	row <- function(i) list(estimate = r[i, 1], ci.lb = r[i, 2], ci.ub = r[i, 3])
	list(tau2 = row(1), tau = row(2), I2 = row(3), H2 = row(4),
		lb.sign = ci$lb.sign, ub.sign = ci$ub.sign, ci.null = isTRUE(ci$ci.null),
		uniroot_tol = tol)
}

regtest_block <- function(rt) {
	f <- rt$fit
	out <- list(model = rt$model, predictor = rt$predictor, method = f$method)
	out <- c(out, test_block(rt$zval, f$test, rt$ddf))
	c(out, list(pval = rt$pval, est = num(rt$est), ci.lb = num(rt$ci.lb), ci.ub = num(rt$ci.ub),
		b = jarr(num(f$b)), se = jarr(num(f$se)), tau2 = f$tau2, QE = f$QE, QEp = f$QEp))
}

regtest_lm_block <- function(rt) {
	s <- summary(rt$fit)
	list(model = rt$model, predictor = rt$predictor, tval = num(rt$zval), dfs = rt$dfs,
		pval = rt$pval, est = num(rt$est), ci.lb = num(rt$ci.lb), ci.ub = num(rt$ci.ub),
		b = jarr(num(coef(rt$fit))), se = jarr(num(s$coefficients[, 2])), sigma = s$sigma)
}

trimfill_block <- function(tf) {
	list(estimator = "L0", side = tf$side, k0 = tf$k0, se.k0 = tf$se.k0, k = tf$k,
		b = num(tf$b), se = tf$se, zval = tf$zval, pval = tf$pval, ci.lb = tf$ci.lb,
		ci.ub = tf$ci.ub, tau2 = tf$tau2, se.tau2 = tf$se.tau2, I2 = tf$I2, H2 = tf$H2,
		QE = tf$QE, QEp = tf$QEp, yi = jarr(num(tf$yi)), vi = jarr(num(tf$vi)),
		fill = jarr(if (is.null(tf$fill)) rep(FALSE, tf$k) else as.logical(tf$fill)),
		slab = jarr(as.character(tf$slab)))
}

influence_block <- function(fit) {
	inf <- influence(fit)
	rs <- rstudent(fit)
	d <- inf$inf
	list(rstudent = jarr(num(rs$z)), resid = jarr(num(rs$resid)), resid.se = jarr(num(rs$se)),
		dffits = jarr(num(d$dffits)), cook.d = jarr(num(d$cook.d)), cov.r = jarr(num(d$cov.r)),
		tau2.del = jarr(num(d$tau2.del)), QE.del = jarr(num(d$QE.del)), hat = jarr(num(d$hat)),
		weight = jarr(num(d$weight)), dfbs = jarr(num(inf$dfbs$intrcpt)),
		inf = jarr(as.logical(inf$is.infl)))
}

# leave1out / cumul table; kfit = number of studies in each refit
loo_block <- function(l, fit, kfit) {
	stat <- if (fit$test == "z") l$zval else l$tval
	dfs <- ifelse(kfit > 1, kfit - 1, NA)
	out <- list(estimate = jarr(num(l$estimate)), se = jarr(num(l$se)))
	out <- c(out, test_block(jarr(num(stat)), fit$test, jarr(dfs)))
	tau2 <- if (is.null(l$tau2)) rep(0, length(l$estimate)) else num(l$tau2)
	c(out, list(pval = jarr(num(l$pval)), ci.lb = jarr(num(l$ci.lb)), ci.ub = jarr(num(l$ci.ub)),
		QE = jarr(num(l$Q)), QEp = jarr(num(l$Qp)), tau2 = jarr(tau2), I2 = jarr(num(l$I2)),
		H2 = jarr(num(l$H2))))
}

sub <- function(expr, f) wrap(capture(expr), f)

# one rma.uni fit with every downstream result; tight = TRUE for fits_tight entries
fit_entry <- function(yi, vi, slab, key, control, transf, tight) {
	spec <- METHODS[[key]]
	fitcap <- capture(rma.uni(yi, vi, method = spec[1], test = spec[2], slab = slab,
		control = control))
	if (!is.null(fitcap$error)) {
		out <- list(error = fitcap$error)
		if (length(fitcap$warnings)) out$warnings <- jarr(fitcap$warnings)
		return(out)
	}
	fit <- fitcap$value
	k <- fit$k
	re <- !is_fe(fit)
	out <- list(method = fit$method, test = fit$test, k = k, p = fit$p, b = num(fit$b),
		se = num(fit$se))
	out <- c(out, test_block(fit$zval, fit$test, fit$ddf))
	out <- c(out, list(pval = num(fit$pval), ci.lb = num(fit$ci.lb), ci.ub = num(fit$ci.ub),
		tau2 = fit$tau2, se.tau2 = fit$se.tau2, tau = sqrt(fit$tau2), I2 = fit$I2, H2 = fit$H2,
		QE = fit$QE, QEdf = k - fit$p, QEp = fit$QEp, vt = fit$vt, s2w = fit$s2w,
		weights = jarr(num(weights(fit))), fit.stats = fit_stats(fit)))
	p <- predict(fit)
	# FE fits have no prediction interval: predict() gives NULL, written as []
	out["pi.lb"] <- list(if (is.null(p$pi.lb)) NULL else num(p$pi.lb))
	out["pi.ub"] <- list(if (is.null(p$pi.ub)) NULL else num(p$pi.ub))
	out$predict <- predict_block(p)
	if (re) {
		out$predict_riley <- sub(predict(fit, pi.type = "riley"), function(pr) {
			c(predict_block(pr), list(pi.df = k - 2))
		})
	}
	if (!is.null(transf)) out$predict_transf <- sub(predict_transf_block(fit, transf), identity)
	if (re) {
		if (tight) {
			out$confint <- sub(confint(fit, control = CONFINT_TIGHT),
				function(ci) confint_block(ci, CONFINT_TIGHT$tol))
		} else {
			out$confint <- sub(confint(fit), function(ci) confint_block(ci, .Machine$double.eps^0.25))
			out$confint_tight <- sub(confint(fit, control = CONFINT_TIGHT),
				function(ci) confint_block(ci, CONFINT_TIGHT$tol))
		}
	}
	out$regtest <- sub(regtest(fit), regtest_block)
	# trimfill does not inherit the fit's control by itself
	if (key %in% TRIMFILL_METHODS) {
		out$trimfill <- sub(trimfill(fit, control = fit$control), trimfill_block)
	}
	out$influence <- sub(influence_block(fit), identity)
	out$leave1out <- sub(leave1out(fit), function(l) loo_block(l, fit, rep(k - 1, k)))
	out$cumul <- sub(cumul(fit), function(l) loo_block(l, fit, seq_len(k)))
	if (length(fitcap$warnings)) out$warnings <- jarr(fitcap$warnings)
	out
}

fit_entry_tight <- function(yi, vi, slab, key, transf) {
	out <- fit_entry(yi, vi, slab, key, TIGHT, transf, TRUE)
	if (is.null(out$error)) {
		out$control <- TIGHT
		return(out)
	}
	err <- out$error
	out <- fit_entry(yi, vi, slab, key, TIGHT_FALLBACK, transf, TRUE)
	if (is.null(out$error)) out$control <- TIGHT_FALLBACK
	out$tight_control_error <- err
	out$control_note <- paste("fit with the plain tight control failed (tight_control_error);",
		"this entry uses stepadj = 0.5")
	out
}
