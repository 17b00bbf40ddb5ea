# Forest plots of k simulated studies with R metafor, to PDF and to a
# 300-dpi PNG, timed over RUNS repetitions in one R session.
#
# usage: Rscript forest.R DATA.csv OUTDIR RUNS
# The DL fit is made once and timed apart (fit=...), since safemeta's render
# also starts from finished results. metafor draws every study on one page:
# the page grows with k (0.15 in a row) up to 100 in, the tallest page R's
# PDF device is practical with, so at large k the rows overlap.
# Prints pdf=SECONDS and png=SECONDS (medians over the runs), or error=...

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3)
	stop("usage: Rscript forest.R DATA.csv OUTDIR RUNS")
outdir <- args[2]
runs <- as.integer(args[3])

elapsed <- function(t0) unname((proc.time() - t0)["elapsed"])
say <- function(key, val) cat(sprintf("%s=%s\n", key, format(val, digits = 6)))

suppressPackageStartupMessages(library(metafor))
d <- read.csv(args[1], colClasses = c("character", "numeric", "numeric"))
t0 <- proc.time()
res <- rma(yi, vi, data = d, method = "DL", slab = study)
say("fit", elapsed(t0))

height <- min(100, 2 + 0.15 * res$k)
say("runs", runs)
time_device <- function(fmt, open) {
	times <- vapply(seq_len(runs), function(i) {
		t0 <- proc.time()
		open(file.path(outdir, paste0("forest.", fmt)))
		forest(res, header = TRUE)
		invisible(dev.off())
		elapsed(t0)
	}, numeric(1))
	say(fmt, median(times))
}
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)
tryCatch({
	time_device("pdf", function(f) pdf(f, width = 8, height = height))
	time_device("png", function(f) png(f, width = 8, height = height,
		units = "in", res = 300, type = "cairo"))
}, error = function(e) {
	say("error", gsub("[\r\n]+", " ", conditionMessage(e)))
	quit(status = 3)
})
