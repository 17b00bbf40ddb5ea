# One analysis task of the benchmark, as an R metafor user would run it.
#
# usage: Rscript task.R TASK METHOD DATA.csv
#   TASK   fit | egger | begg | trimfill | leave1out | influence
#   METHOD a metafor tau^2 estimator (DL, REML, ...)
# DATA.csv has the columns study,yi,vi (tests/bench/simulate.py).
#
# Prints key=value lines that tests/bench/run parses:
#   load  seconds to load metafor       read  seconds to read the CSV
#   fit   seconds for rma()             task  seconds for the task itself
#   value a number to compare with safemeta     error  the R error message
# Each phase is timed separately so the runner can add up the tasks of one
# k without counting the package load and the model fit more than once.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3)
	stop("usage: Rscript task.R TASK METHOD DATA.csv")
task <- args[1]
method <- args[2]
path <- args[3]

elapsed <- function(t0) unname((proc.time() - t0)["elapsed"])
say <- function(key, val) cat(sprintf("%s=%s\n", key, format(val, digits = 10)))

# Errors are printed as one line, so "cannot allocate vector of size ..."
# reaches the results table; the exit status says the task failed.
fail <- function(e) {
	say("error", gsub("[\r\n]+", " ", conditionMessage(e)))
	quit(status = 3)
}

t0 <- proc.time()
suppressPackageStartupMessages(library(metafor))
say("load", elapsed(t0))

t0 <- proc.time()
d <- read.csv(path, colClasses = c("character", "numeric", "numeric"))
say("read", elapsed(t0))
say("k", nrow(d))

tryCatch({
	res <- NULL
	# Begg's test needs no random-effects fit: ranktest() takes yi and vi
	if (task != "begg") {
		t0 <- proc.time()
		res <- rma(yi, vi, data = d, method = method)
		say("fit", elapsed(t0))
	}
	t0 <- proc.time()
	value <- switch(task,
		fit = c(res$b[1], res$tau2),
		egger = regtest(res)$pval,
		begg = ranktest(d$yi, d$vi)$pval,
		trimfill = trimfill(res)$k0,
		leave1out = leave1out(res)$estimate[1],
		influence = influence(res)$inf$rstudent[1],
		stop("unknown task ", task))
	say("task", if (task == "fit") 0 else elapsed(t0))
	say("value", paste(format(value, digits = 10), collapse = " "))
}, error = fail)
