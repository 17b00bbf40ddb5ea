#!/usr/bin/env Rscript
# References for the unit-of-analysis features (issue 14, part 1): the three-level model
# rma.mv(yi, vi, random = ~ 1 | cluster/row), cluster-robust inference (metafor robust(),
# CR1 with adjust = TRUE, and clubSandwich CR2 with Satterthwaite df), the per-study
# aggregates with bounds on patients with an event, and the detection of several rows per
# study and of repeated control arms.
#
#   Rscript tests/golden/gen/multilevel.R [outdir]      (default tests/golden/multilevel)
#
# Run from the repository root.  Writes, atomically:
#   konstantopoulos2011.csv    dat.konstantopoulos2011: study = district, sub = school, yi, vi
#   assink2016.csv             dat.assink2016: study, sub = esid, yi, vi
#   konstantopoulos2011-schools.json   the same data as a review whose studies are the 56
#                              schools, each with the characteristic "district"
#   multilevel.json            the references (layout: tests/golden/multilevel/README.md)
# The MSC data are read from the committed data/msc-iv-rct-outcomes.csv.
#
# REML/ML: metafor's optimiser (nlminb on log sigma2) stops at about 1e-8 relative in
# sigma2 and cannot reach a variance component of exactly 0.  Every fit is therefore
# polished: Newton on the analytic score of the same likelihood (dense matrices, written
# here independently of safemeta), with a component whose maximum is on the boundary fixed
# at 0 (kept only when the score there is <= 0, the Kuhn-Tucker condition).  All reported
# numbers are then metafor's own, from rma.mv() with sigma2 fixed at the polished values,
# and the generator checks that metafor's likelihood there is not below its optimiser's.

suppressMessages({
	library(metafor)
	library(metadat)
	library(clubSandwich)
})

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args)) args[1] else "tests/golden/multilevel"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

num <- function(x) as.numeric(x)

# ---- the likelihood and its score (dense, for the polish) -------------------------------

marginal_v <- function(vi, cl, s) {
	Z <- model.matrix(~ factor(cl) - 1)
	diag(vi + s[2], length(vi)) + s[1] * tcrossprod(Z)
}

score <- function(yi, vi, cl, s, method) {
	k <- length(yi)
	X <- matrix(1, k, 1)
	Z <- model.matrix(~ factor(cl) - 1)
	V <- diag(vi + s[2], k) + s[1] * tcrossprod(Z)
	Vi <- solve(V)
	Pm <- Vi - Vi %*% X %*% solve(t(X) %*% Vi %*% X) %*% t(X) %*% Vi
	P <- if (method == "REML") Pm else Vi
	Py <- Pm %*% yi
	sapply(list(tcrossprod(Z), diag(k)), function(D)
		-0.5 * sum(diag(P %*% D)) + 0.5 * sum(Py * (D %*% Py)))
}

# Newton on the free components (free: logical), numeric Jacobian of the analytic score.
polish <- function(yi, vi, cl, s, free, method) {
	s[!free] <- 0
	if (!any(free)) return(s)
	for (it in 1:100) {
		g <- score(yi, vi, cl, s, method)[free]
		h <- pmax(abs(s[free]) * 1e-5, 1e-9)
		Jm <- matrix(0, sum(free), sum(free))
		for (j in seq_len(sum(free))) {
			sp <- s; sm <- s
			idx <- which(free)[j]
			sp[idx] <- s[idx] + h[j]
			sm[idx] <- s[idx] - h[j]
			Jm[, j] <- (score(yi, vi, cl, sp, method)[free] -
				score(yi, vi, cl, sm, method)[free]) / (2 * h[j])
		}
		step <- -solve(Jm, g)
		s_new <- s
		s_new[free] <- s[free] + step
		if (any(s_new[free] < 0)) stop("polish left the parameter space")
		done <- all(abs(step) <= 1e-15 * pmax(abs(s[free]), 1e-12))
		s <- s_new
		if (done) break
	}
	s
}

# The true maximum, starting from metafor's fit: polish in the interior and on every
# boundary face; keep the best Kuhn-Tucker point (ties: the one with more zeros).
exact_sigma2 <- function(yi, vi, cl, fit0, method) {
	s0 <- pmax(fit0$sigma2, 1e-6 * mean(vi))
	faces <- list(c(TRUE, TRUE), c(FALSE, TRUE), c(TRUE, FALSE), c(FALSE, FALSE))
	best <- NULL
	for (free in faces) {
		s <- tryCatch(polish(yi, vi, cl, s0, free, method), error = function(e) NULL)
		if (is.null(s)) next
		g <- score(yi, vi, cl, s, method)
		kkt <- all(g[!free] <= 1e-12) && all(abs(g[free]) <= 1e-8 * max(1, abs(g)))
		if (!kkt) next
		ll <- as.numeric(logLik(ml_fixed(yi, vi, cl, s, method, "z")))
		if (is.null(best) || ll > best$ll + 1e-12 ||
		    (abs(ll - best$ll) <= 1e-12 && sum(!free) > sum(!best$free)))
			best <- list(s = s, free = free, ll = ll, score = g)
	}
	if (is.null(best)) stop("no Kuhn-Tucker point found")
	if (best$ll < as.numeric(logLik(fit0)) - 1e-10)
		stop(sprintf("polished log-likelihood %.15g below metafor's %.15g", best$ll,
			as.numeric(logLik(fit0))))
	best
}

ml_frame <- function(yi, vi, cl) data.frame(yi = yi, vi = vi, cl = cl, row = seq_along(yi))

# metafor's own fit: its default optimiser (nlminb), or where that stops without
# convergence (ML fits with both components at 0 do) optim's BFGS, then bobyqa.
ml_free <- function(yi, vi, cl, method) {
	errors <- character(0)
	for (opt in c("nlminb", "optim", "bobyqa")) {
		f <- tryCatch(rma.mv(yi, vi, random = ~ 1 | cl/row, data = ml_frame(yi, vi, cl),
			method = method, control = list(optimizer = opt)),
			error = function(e) conditionMessage(e))
		if (!is.character(f)) {
			f$gen_optimizer <- opt
			f$gen_errors <- errors
			return(f)
		}
		errors <- c(errors, paste0(opt, ": ", f))
	}
	stop(paste(errors, collapse = "; "))
}

ml_fixed <- function(yi, vi, cl, s, method, test) {
	rma.mv(yi, vi, random = ~ 1 | cl/row, data = ml_frame(yi, vi, cl), method = method,
		test = test, sigma2 = s)
}

robust_block <- function(fit, cl, clubSandwich) {
	r <- robust(fit, cluster = cl, adjust = TRUE, clubSandwich = clubSandwich)
	list(vbest = r$vbest, b = num(r$b), se = num(r$se), tval = num(r$zval), dfs = num(r$dfs),
		pval = num(r$pval), ci.lb = num(r$ci.lb), ci.ub = num(r$ci.ub),
		n_clusters = r$n)
}

# One multilevel fit (method, test) with everything safemeta reports.
ml_block <- function(yi, vi, cl, method, test, with_robust) {
	fit0 <- ml_free(yi, vi, cl, method)
	ex <- exact_sigma2(yi, vi, cl, fit0, method)
	f <- ml_fixed(yi, vi, cl, ex$s, method, test)
	p <- predict(f)
	out <- list(method = method, test = test, sigma2 = jarr(num(f$sigma2)),
		s.nlevels = jarr(num(f$s.nlevels)),
		fixed_at_zero = jarr(!ex$free), score = jarr(num(ex$score)),
		metafor_optimizer = fit0$gen_optimizer,
		metafor_errors = jarr(fit0$gen_errors),
		metafor_sigma2 = jarr(num(fit0$sigma2)), metafor_b = num(fit0$b),
		metafor_logLik = num(logLik(fit0)), logLik = num(logLik(f)),
		b = num(f$b), se = num(f$se))
	if (test == "z") out$zval <- num(f$zval) else {
		out$tval <- num(f$zval)
		out$dfs <- num(f$ddf)
	}
	out <- c(out, list(pval = num(f$pval), ci.lb = num(f$ci.lb), ci.ub = num(f$ci.ub),
		pi.lb = num(p$pi.lb), pi.ub = num(p$pi.ub), QE = num(f$QE), QEdf = f$k - f$p,
		QEp = num(f$QEp), weights = jarr(num(weights(f)))))
	if (with_robust) {
		out$robust <- list(cr1 = robust_block(f, cl, FALSE), cr2 = robust_block(f, cl, TRUE))
	}
	out
}

UNI_TIGHT <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

uni_block <- function(yi, vi, cl, method, test = "z") {
	f <- rma(yi, vi, method = method, test = test, control = UNI_TIGHT)
	out <- list(method = method, test = test, b = num(f$b), se = num(f$se),
		tau2 = num(f$tau2), pval = num(f$pval), ci.lb = num(f$ci.lb), ci.ub = num(f$ci.ub))
	out$robust <- list(cr1 = robust_block(f, cl, FALSE), cr2 = robust_block(f, cl, TRUE))
	if (test == "knha") out$s2w <- num(f$s2w)
	out
}

# 0-based index of each row's cluster, clusters in order of first appearance
cluster_index <- function(cl) match(cl, unique(cl)) - 1

# ---- generic datasets with nested structure ----------------------------------------------

write_csv_atomic <- function(df, path) {
	tmp <- paste0(path, ".tmp", Sys.getpid())
	write.csv(df, tmp, row.names = FALSE, quote = TRUE)
	if (!file.rename(tmp, path)) stop("cannot rename ", tmp)
}

generic_case <- function(name, yi, vi, study, sub, source) {
	csv <- file.path(out_dir, paste0(name, ".csv"))
	write_csv_atomic(data.frame(study = study, sub = sub, yi = yi, vi = vi), csv)
	message(name)
	list(name = name, input = csv, source = source, cluster_column = "study",
		k = length(yi), clusters = length(unique(study)),
		yi = jarr(num(yi)), vi = jarr(num(vi)), cluster = jarr(cluster_index(study)),
		multilevel = list(REML = ml_block(yi, vi, study, "REML", "z", TRUE),
			ML = ml_block(yi, vi, study, "ML", "z", FALSE),
			REML_t = ml_block(yi, vi, study, "REML", "t", FALSE)),
		uni = list(REML = uni_block(yi, vi, study, "REML"),
			DL = uni_block(yi, vi, study, "DL"),
			REML_knha = uni_block(yi, vi, study, "REML", "knha")))
}

k11 <- dat.konstantopoulos2011
k11_study <- paste0("District ", k11$district)
cases <- list(
	generic_case("konstantopoulos2011", k11$yi, k11$vi, k11_study, as.character(k11$school),
		"metadat dat.konstantopoulos2011 (schools within districts)"),
	generic_case("assink2016", dat.assink2016$yi, dat.assink2016$vi,
		paste0("Study ", dat.assink2016$study), as.character(dat.assink2016$esid),
		"metadat dat.assink2016 (effect sizes within studies)"))

# The schools as studies of a review, the district as a study characteristic: the same
# three-level model with --cluster district.
local({
	ids <- sprintf("d%s-s%s", k11$district, k11$school)
	studies <- lapply(seq_len(nrow(k11)), function(i)
		list(id = ids[i], label = sprintf("District %s, school %s", k11$district[i],
			k11$school[i]), year = k11$year[i],
			characteristics = list(district = as.character(k11$district[i]))))
	outcomes <- lapply(seq_len(nrow(k11)), function(i)
		list(study = ids[i], yi = k11$yi[i], vi = k11$vi[i]))
	review <- list(safemeta_review = 1,
		metadata = list(id = "konstantopoulos2011-schools",
			title = "Konstantopoulos (2011): schools within districts",
			source = "metadat dat.konstantopoulos2011"),
		settings = list(measure = "GEN", method = "REML"),
		studies = studies, outcomes = outcomes)
	json_save(review, file.path(out_dir, "konstantopoulos2011-schools.json"))
})

# ---- the MSC review: detection, multilevel, robust, aggregates ----------------------------

msc_csv <- "data/msc-iv-rct-outcomes.csv"
msc <- read.csv(msc_csv, stringsAsFactors = FALSE, check.names = FALSE)
msc_add <- 0.5
msc_to <- "only0"
msc_method <- "DL" # the review's settings

first_order <- function(x) unique(x)

detection <- function(s) {
	st <- first_order(s$study)
	counts <- table(factor(s$study, levels = st))
	several <- lapply(st[counts > 1], function(id) list(study_id = id,
		rows = as.numeric(counts[[id]])))
	key <- paste(s$study, s$n_c, s$e_c, sep = "\r")
	keys <- first_order(key)
	kc <- table(factor(key, levels = keys))
	shared <- lapply(keys[kc > 1], function(kk) {
		i <- which(key == kk)[1]
		list(study_id = s$study[i], n_c = s$n_c[i], events_c = s$e_c[i],
			rows = as.numeric(kc[[kk]]))
	})
	list(rows = nrow(s), studies = length(st), studies_with_several_rows = several,
		shared_control_arms = shared)
}

aggregate_tables <- function(s, bound) {
	st <- first_order(s$study)
	rows <- lapply(st, function(id) {
		r <- s[s$study == id, ]
		n1 <- max(r$n_t)
		n2 <- max(r$n_c)
		if (bound == "lower") {
			a <- max(r$e_t)
			c <- max(r$e_c)
		} else {
			a <- min(sum(r$e_t), n1)
			c <- min(sum(r$e_c), n2)
		}
		data.frame(study = id, ai = a, n1i = n1, ci = c, n2i = n2, rows = nrow(r))
	})
	do.call(rbind, rows)
}

aggregate_block <- function(s, bound) {
	t <- aggregate_tables(s, bound)
	es <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = t, add = msc_add,
		to = msc_to)
	f <- rma(yi, vi, data = es, method = msc_method)
	list(studies = jarr(t$study), ai = jarr(num(t$ai)), n1i = jarr(num(t$n1i)),
		ci = jarr(num(t$ci)), n2i = jarr(num(t$n2i)), rows = jarr(num(t$rows)),
		method = msc_method, k = f$k, b = num(f$b), se = num(f$se), zval = num(f$zval),
		pval = num(f$pval), ci.lb = num(f$ci.lb), ci.ub = num(f$ci.ub), tau2 = num(f$tau2),
		I2 = num(f$I2), QE = num(f$QE), QEp = num(f$QEp),
		weights = jarr(num(weights(f))))
}

msc_analyses <- lapply(first_order(msc$domain), function(dom) {
	s <- msc[msc$domain == dom, ]
	message("msc: ", dom)
	es <- escalc("OR", ai = e_t, n1i = n_t, ci = e_c, n2i = n_c, data = s, add = msc_add,
		to = msc_to)
	out <- list(name = dom, detection = detection(s), yi = jarr(num(es$yi)),
		vi = jarr(num(es$vi)), cluster = jarr(cluster_index(s$study)))
	several <- length(unique(s$study)) < nrow(s) && length(unique(s$study)) > 1
	out$multilevel <- if (several) list(
		REML = ml_block(es$yi, es$vi, s$study, "REML", "z", TRUE),
		ML = ml_block(es$yi, es$vi, s$study, "ML", "z", FALSE)) else jnull()
	out$uni <- if (length(unique(s$study)) > 1) list(
		DL = uni_block(es$yi, es$vi, s$study, "DL")) else jnull()
	out$aggregate <- list(lower = aggregate_block(s, "lower"),
		upper = aggregate_block(s, "upper"))
	out
})

doc <- list(
	meta = list(generator = "tests/golden/gen/multilevel.R",
		R_version = paste(R.version$major, R.version$minor, sep = "."),
		metafor_version = as.character(packageVersion("metafor")),
		clubSandwich_version = as.character(packageVersion("clubSandwich")),
		level = 95,
		model = "rma.mv(yi, vi, random = ~ 1 | cluster/row), row = 1..k",
		polish = paste("sigma2 = Newton root of the analytic score (boundary components fixed",
			"at 0 when the score there is <= 0); every other number from metafor at that",
			"sigma2; metafor_* are the optimiser's own values"),
		robust = paste("cr1: robust(fit, cluster, adjust = TRUE); cr2: robust(fit, cluster,",
			"clubSandwich = TRUE) (CR2, Satterthwaite)"),
		aggregate = paste("one row per study: lower = largest row's events, upper =",
			"min(sum of rows' events, n), per arm; n = largest row's n; escalc OR,",
			"add 0.5 to only0; rma method DL")),
	generic = cases,
	msc = list(input = msc_csv, measure = "OR", add = msc_add, to = msc_to,
		method = msc_method, analyses = msc_analyses))
json_save(doc, file.path(out_dir, "multilevel.json"))
message("wrote ", file.path(out_dir, "multilevel.json"))
