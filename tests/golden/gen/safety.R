# References for the safety statistics of issue 15 items 3-5 (evidence of absence, multiplicity,
# exact and score intervals).  Writes tests/golden/safety/safety.json, read by
# tests/golden/test_safety_golden.c.  Needs metafor (rma.mh, rma) only.
#
#   Rscript tests/golden/gen/safety.R [OUT]
#
# * fisher:  stats::fisher.test as is (p, estimate, conf.int: R's uniroot stops at its default
#            tolerance, about 1e-4 on the odds-ratio scale), and "tight": the same equations as
#            fisher.test's own code (dnhyper, mnhyper, pnhyper, its mle / ncp.L / ncp.U rules)
#            solved with uniroot(tol = 1e-15).
# * mn:      the Miettinen-Nurminen score interval for p1 - p2, coded here from Miettinen &
#            Nurminen (1985): the constrained maximum-likelihood risks are found by a root of the
#            constrained score equation (uniroot, not the closed-form cubic safemeta uses), the
#            variance carries N / (N - 1), the bounds are uniroot(tol = 1e-15) roots of Z(d) = +-z.
# * bh:      p.adjust(p, "BH") on fixed vectors (ties, NA).
# * dfdr:    the double FDR of Mehrotra & Heyse (2004) coded here from the paper: body systems
#            by min within-system BH-adjusted P, BH across body systems (<= alpha1), then BH
#            within each flagged body system (<= alpha2); alpha1 = alpha2.
# * ois:     the non-inferiority sample size 2 * ceiling((z_a + z_b)^2 2 p0 (1 - p0) / m^2) and,
#            independently, the smallest n per arm whose power pnorm(m / sqrt(2 p0 (1-p0) / n) - z_a)
#            reaches the target (uniroot on the power curve, then ceiling).
# * msc:     data/msc-iv-rct-outcomes.csv, one analysis per domain (first appearance): the DL
#            random-effects OR (escalc add 1/2 to zero-cell tables), its pooled P; rma.mh RD;
#            Fisher's P per row; BH across the domains' P; the double FDR over the rows; the
#            evidence of absence (MH RD per 1000, its one-sided 95% bound, the OR back-calculated
#            at the pooled crude control risk, the patients counted once per study).
suppressMessages(library(metafor))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/golden/safety/safety.json"

# ---- tiny JSON writer: numbers with 17 significant digits, non-finite as strings ----------
js <- function(x) {
	if (is.list(x)) {
		if (!is.null(names(x)))
			return(paste0("{", paste0("\"", names(x), "\": ", vapply(x, js, ""), collapse = ", "), "}"))
		return(paste0("[", paste(vapply(x, js, ""), collapse = ", "), "]"))
	}
	if (is.character(x)) {
		v <- paste0("\"", gsub("\"", "\\\\\"", x), "\"")
	} else if (is.logical(x)) {
		v <- ifelse(is.na(x), "null", ifelse(x, "true", "false"))
	} else {
		v <- ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "\"Inf\"", "\"-Inf\""),
			sprintf("%.17g", x)))
	}
	if (length(x) == 1 && is.null(attr(x, "array"))) v else paste0("[", paste(v, collapse = ", "), "]")
}
arr <- function(x) { attr(x, "array") <- TRUE; x }

# ---- Fisher: fisher.test's own equations, tight ------------------------------------------
fisher_tight <- function(a, n1, c, n2, conf.level = 0.95) {
	m <- a + c; n <- n1 + n2 - m; k <- n1; x <- a
	lo <- max(0, k - n); hi <- min(k, m)
	support <- lo:hi
	logdc <- dhyper(support, m, n, k, log = TRUE)
	dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
	mnhyper <- function(ncp) { if (ncp == 0) return(lo); if (ncp == Inf) return(hi); sum(support * dnhyper(ncp)) }
	pnhyper <- function(q, ncp, upper.tail = FALSE) {
		if (ncp == 1) return(if (upper.tail) phyper(x - 1, m, n, k, lower.tail = FALSE) else phyper(x, m, n, k))
		if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
		if (ncp == Inf) return(as.numeric(if (upper.tail) q <= hi else q >= hi))
		sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
	}
	tol <- 1e-15
	mle <- if (x == lo) 0 else if (x == hi) Inf else {
		mu <- mnhyper(1)
		if (mu > x) uniroot(function(t) mnhyper(t) - x, c(0, 1), tol = tol)$root
		else if (mu < x) 1 / uniroot(function(t) mnhyper(1 / t) - x, c(.Machine$double.eps, 1), tol = tol)$root
		else 1
	}
	alpha <- (1 - conf.level) / 2
	ncp.U <- if (x == hi) Inf else {
		p <- pnhyper(x, 1)
		if (p < alpha) uniroot(function(t) pnhyper(x, t) - alpha, c(0, 1), tol = tol)$root
		else if (p > alpha) 1 / uniroot(function(t) pnhyper(x, 1 / t) - alpha, c(.Machine$double.eps, 1), tol = tol)$root
		else 1
	}
	ncp.L <- if (x == lo) 0 else {
		p <- pnhyper(x, 1, upper.tail = TRUE)
		if (p > alpha) uniroot(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, c(0, 1), tol = tol)$root
		else if (p < alpha) 1 / uniroot(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha, c(.Machine$double.eps, 1), tol = tol)$root
		else 1
	}
	list(estimate = mle, ci_lb = ncp.L, ci_ub = ncp.U)
}

# ---- Miettinen-Nurminen, from the paper --------------------------------------------------
mn_restricted_p2 <- function(a, n1, c, n2, d) {
	lo <- max(0, -d); hi <- min(1, 1 - d)
	score <- function(p2) {
		p1 <- p2 + d
		(if (a > 0) a / p1 else 0) - (if (n1 - a > 0) (n1 - a) / (1 - p1) else 0) +
			(if (c > 0) c / p2 else 0) - (if (n2 - c > 0) (n2 - c) / (1 - p2) else 0)
	}
	eps <- 1e-13 * (hi - lo)
	if (hi - lo <= 0) return(lo)
	flo <- score(lo + eps); fhi <- score(hi - eps)
	if (flo <= 0) return(lo)
	if (fhi >= 0) return(hi)
	uniroot(score, c(lo + eps, hi - eps), tol = 1e-16)$root
}
mn_z <- function(a, n1, c, n2, d) {
	p2 <- mn_restricted_p2(a, n1, c, n2, d); p1 <- p2 + d; N <- n1 + n2
	v <- (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * N / (N - 1)
	num <- a / n1 - c / n2 - d
	if (v <= 0) return(if (num > 0) Inf else if (num < 0) -Inf else 0)
	num / sqrt(v)
}
mn_interval <- function(a, n1, c, n2, z) {
	dh <- a / n1 - c / n2
	lb <- if (dh <= -1) -1 else uniroot(function(d) mn_z(a, n1, c, n2, d) - z, c(-1 + 1e-15, dh), tol = 1e-16)$root
	ub <- if (dh >= 1) 1 else uniroot(function(d) mn_z(a, n1, c, n2, d) + z, c(dh, 1 - 1e-15), tol = 1e-16)$root
	c(lb, ub)
}

tables <- list(c(6, 2864, 6, 2359), c(12, 4796, 6, 2359), c(0, 10, 3, 12), c(5, 5, 2, 8),
	c(0, 20, 0, 25), c(150, 1000, 120, 1010), c(1, 40, 0, 38), c(9, 34, 7, 19), c(3, 3, 0, 4),
	c(2, 150, 11, 149), c(0, 1, 1, 1), c(7, 7, 7, 7))
fisher <- lapply(tables, function(t) {
	x <- matrix(c(t[1], t[3], t[2] - t[1], t[4] - t[3]), 2)
	f <- fisher.test(x)
	tt <- fisher_tight(t[1], t[2], t[3], t[4])
	list(a = t[1], n1 = t[2], c = t[3], n2 = t[4], p = f$p.value, estimate_r = unname(f$estimate),
		ci_lb_r = f$conf.int[1], ci_ub_r = f$conf.int[2], estimate = tt$estimate,
		ci_lb = tt$ci_lb, ci_ub = tt$ci_ub)
})
mn <- lapply(tables, function(t) {
	two <- mn_interval(t[1], t[2], t[3], t[4], qnorm(0.975))
	one <- mn_interval(t[1], t[2], t[3], t[4], qnorm(0.95))
	list(a = t[1], n1 = t[2], c = t[3], n2 = t[4], ci_lb = two[1], ci_ub = two[2], upper_one_sided = one[2])
})

# ---- BH and the double FDR -------------------------------------------------------------
bh_cases <- list(
	c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2, 0.9, 0.0001, 0.03),
	c(0.2, NA, 0.01, 0.2, 0.2, NA, 0.049),
	c(1, 1, 1), c(0.3))
bh <- lapply(bh_cases, function(p) list(p = arr(p), adjusted = arr(p.adjust(p, "BH"))))

dfdr_paper <- function(p, g, alpha1, alpha2) {
	groups <- unique(g)
	within <- rep(NA_real_, length(p)); rep_p <- numeric(length(groups))
	for (i in seq_along(groups)) {
		idx <- which(g == groups[i])
		within[idx] <- p.adjust(p[idx], "BH")
		rep_p[i] <- if (all(is.na(within[idx]))) NA else min(within[idx], na.rm = TRUE)
	}
	rep_adj <- p.adjust(rep_p, "BH")
	flag_g <- !is.na(rep_adj) & rep_adj <= alpha1
	flag_t <- flag_g[match(g, groups)] & !is.na(within) & within <= alpha2
	list(group_p = arr(rep_p), group_adj = arr(rep_adj), group_flag = arr(flag_g),
		term_adj = arr(within), term_flag = arr(flag_t))
}
set.seed(20251)
dg <- rep(0:5, c(3, 6, 1, 4, 8, 2))
dp <- c(0.001, 0.2, 0.03, runif(6), 0.045, 0.0005, 0.008, 0.6, 0.012, runif(8)^3, 0.3, 0.5)
dfdr <- list(list(p = arr(dp), group = arr(dg), alpha = 0.1,
	result = dfdr_paper(dp, dg, 0.1, 0.1)),
	list(p = arr(dp), group = arr(dg), alpha = 0.05, result = dfdr_paper(dp, dg, 0.05, 0.05)))
# the cases must tell the two steps apart: a term significant within its body system whose
# body system is not flagged
stopifnot(any(sapply(dfdr, function(x) any(x$result$term_adj <= x$alpha & !x$result$term_flag))))

# ---- optimal information size ---------------------------------------------------------------
ois_cases <- list(c(0.11, 0.03, 95, 80), c(0.02, 0.005, 95, 80), c(0.25, 0.05, 90, 90), c(0.5, 0.1, 97.5, 80))
ois <- lapply(ois_cases, function(v) {
	p0 <- v[1]; m <- v[2]; za <- qnorm(v[3] / 100); zb <- qnorm(v[4] / 100)
	closed <- 2 * ceiling((za + zb)^2 * 2 * p0 * (1 - p0) / m^2)
	pow <- function(n) pnorm(m / sqrt(2 * p0 * (1 - p0) / n) - za) - v[4] / 100
	root <- uniroot(pow, c(1e-3, 1e9), tol = 1e-10)$root
	list(p0 = p0, margin = m, level = v[3], power = v[4], total = closed, total_by_power = 2 * ceiling(root))
})

# ---- the MSC review end to end -------------------------------------------------------------
d <- read.csv("data/msc-iv-rct-outcomes.csv", stringsAsFactors = FALSE)
domains <- unique(d$domain)
level <- 95
msc <- lapply(domains, function(dm) {
	x <- d[d$domain == dm, ]
	es <- escalc("OR", ai = e_t, n1i = n_t, ci = e_c, n2i = n_c, data = x, add = 1/2, to = "only0")
	fit <- rma(yi, vi, data = es, method = "DL")
	mh <- rma.mh(ai = e_t, n1i = n_t, ci = e_c, n2i = n_c, data = x, measure = "RD")
	p0 <- sum(x$e_c) / sum(x$n_c)
	p1 <- function(or) or * p0 / (1 - p0 + or * p0)
	z1 <- qnorm(level / 100)
	fp <- mapply(function(a, n1, c, n2) fisher.test(matrix(c(a, c, n1 - a, n2 - c), 2))$p.value,
		x$e_t, x$n_t, x$e_c, x$n_c)
	list(name = dm, p = fit$pval, fisher_p = arr(fp),
		rd_per_1000 = 1000 * as.numeric(mh$b), rd_ci_lb_per_1000 = 1000 * mh$ci.lb,
		rd_ci_ub_per_1000 = 1000 * mh$ci.ub,
		rd_upper_per_1000 = 1000 * (as.numeric(mh$b) + z1 * mh$se),
		control_risk_per_1000 = 1000 * p0,
		backcalc_per_1000 = 1000 * (p1(exp(as.numeric(fit$b))) - p0),
		backcalc_ci_lb_per_1000 = 1000 * (p1(exp(fit$ci.lb)) - p0),
		backcalc_ci_ub_per_1000 = 1000 * (p1(exp(fit$ci.ub)) - p0),
		backcalc_upper_per_1000 = 1000 * (p1(exp(as.numeric(fit$b) + z1 * fit$se)) - p0),
		patients_t = sum(tapply(x$n_t, x$study, max)), patients_c = sum(tapply(x$n_c, x$study, max)))
})
pd <- sapply(msc, function(m) m$p)
pbh <- p.adjust(pd, "BH")
terms_p <- unlist(lapply(msc, function(m) m$fisher_p))
terms_g <- unlist(lapply(seq_along(msc), function(i) rep(i - 1, length(msc[[i]]$fisher_p))))
msc_dfdr <- dfdr_paper(terms_p, terms_g, 0.05, 0.05)
for (i in seq_along(msc)) msc[[i]]$p_bh <- pbh[i]

doc <- list(meta = list(generator = "tests/golden/gen/safety.R", R = R.version.string,
		metafor = as.character(packageVersion("metafor"))),
	fisher = fisher, mn = mn, bh = bh, dfdr = dfdr, ois = ois,
	msc = list(analyses = msc, dfdr = msc_dfdr))
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
tmp <- paste0(out, ".tmp")
writeLines(js(doc), tmp)
invisible(file.rename(tmp, out))
cat("wrote", out, "\n")
