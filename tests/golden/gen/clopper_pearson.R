# Clopper-Pearson reference for tests/analysis/test_proportion.c:
# binom.test(x, n, conf.level)$conf.int on a grid of (x, n, level) with the
# edge counts 0, 1, 2, n/2, n - 2, n - 1, n for n from 1 to 10^9, and the
# 10^6 of 2 * 10^6 that used to hang in GSL's beta quantile.
# Run from the repository root:
#   Rscript tests/golden/gen/clopper_pearson.R [OUT]
# (default tests/golden/clopper-pearson/reference.csv; written to a
# temporary name and renamed).  Rerunning reproduces the file byte for byte.
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "tests/golden/clopper-pearson/reference.csv"
# binom.test's own interval (stats:::binom.test: qbeta of the two tails);
# binom.test itself is not called for large n, where its p-value sums dbinom
# over 0..n (minutes for 10^9); checked identical below for n <= 12345.
cp <- function(x, n, level) {
  a <- (1 - level / 100) / 2
  c(if (x == 0) 0 else qbeta(a, x, n - x + 1),
    if (x == n) 1 else qbeta(1 - a, x + 1, n - x))
}
for (n in c(1, 2, 5, 30, 47, 1000, 12345))
  for (x in unique(c(0, 1, floor(n / 2), n - 1, n)))
    for (level in c(90, 95, 99))
      stopifnot(identical(as.numeric(binom.test(x, n, conf.level = level / 100)$conf.int),
                          cp(x, n, level)))
ns <- c(1, 2, 3, 5, 30, 47, 1000, 12345, 1e5, 2e6, 123456789, 1e9)
rows <- list()
for (n in ns) {
  xs <- sort(unique(c(0, 1, 2, floor(n / 3), floor(n / 2), n - 2, n - 1, n)))
  xs <- xs[xs >= 0 & xs <= n]
  for (x in xs) {
    for (level in c(95, 90, 99)) {
      ci <- cp(x, n, level)
      rows[[length(rows) + 1]] <- sprintf("%.0f,%.0f,%g,%.17g,%.17g", x, n, level,
                                          ci[1], ci[2])
    }
  }
}
ci <- cp(1e6, 2e6, 95)
rows[[length(rows) + 1]] <- sprintf("%.0f,%.0f,%g,%.17g,%.17g", 1e6, 2e6, 95, ci[1], ci[2])
tmp <- paste0(out, ".tmp")
writeLines(c("x,n,level,lower,upper", unlist(rows)), tmp)
invisible(file.rename(tmp, out))
