#!/usr/bin/env Rscript
# Generate metafor reference results ("goldens") for safemeta.
#
#   Rscript tests/golden/gen/make_golden.R <name>|all [outdir]
#
# <name> is one of the datasets in datasets.R, or "presets" (writes
# tests/golden/presets/presets.json). Run from the repository root.
# The dataset's input.csv is (re)built from the metadat package and expected.json is computed
# from it with metafor; both go to tests/golden/<name>/ unless outdir is given.
# "msc-table3" is special: its input.csv is the committed one and outdir is required (the
# committed reference is never overwritten); use it to prove the generator.
# See tests/golden/gen/README.md.

suppressMessages({
	library(metafor)
	library(metadat)
})

gen_dir <- local({
	a <- commandArgs(trailingOnly = FALSE)
	f <- sub("^--file=", "", a[grep("^--file=", a)])
	if (length(f)) dirname(normalizePath(f)) else "tests/golden/gen"
})
source(file.path(gen_dir, "json_out.R"))
source(file.path(gen_dir, "golden_fit.R"))
source(file.path(gen_dir, "golden_measure.R"))
source(file.path(gen_dir, "datasets.R"))

INPUT_COLUMNS <- list("2x2" = c("study", "ai", "n1i", "ci", "n2i"), prop = c("study", "xi", "ni"),
	generic = c("study", "yi", "vi"))

meta_object <- function(cfg, input_type, has_group) {
	list(dataset = cfg$name, source = cfg$source, description = cfg$description,
		input_type = input_type, input_columns = jarr(INPUT_COLUMNS[[input_type]]),
		group_variable = if (has_group) cfg$group_variable else jnull(),
		generic_measure_origin = if (is.null(cfg$generic_measure_origin)) jnull() else
			cfg$generic_measure_origin,
		R_version = paste(R.version$major, R.version$minor, sep = "."),
		metafor_version = as.character(packageVersion("metafor")),
		level = 95, measures = jarr(MEASURES[[input_type]]), methods = jarr(names(METHODS)),
		methods_tight = jarr(METHODS_TIGHT), tight_control = TIGHT,
		tight_control_fallback = TIGHT_FALLBACK, confint_tight_control = CONFINT_TIGHT,
		escalc_defaults = list(add = 0.5, to = "only0", drop00 = FALSE, vtype = "LS",
			note = paste("add is 0 for PFT and PAS (no correction); 2x2 correction is added to",
				"all four cells of a table with any zero cell")),
		analyses_note = cfg$analyses_note)
}

input_type_of <- function(d) {
	if (all(c("ai", "n1i", "ci", "n2i") %in% names(d))) return("2x2")
	if (all(c("xi", "ni") %in% names(d))) return("prop")
	if (all(c("yi", "vi") %in% names(d))) return("generic")
	stop("input.csv has neither ai,n1i,ci,n2i nor xi,ni nor yi,vi columns")
}

analysis_object <- function(d, rows, name, group, input_type) {
	sd <- d[rows, , drop = FALSE]
	ms <- MEASURES[[input_type]]
	res <- lapply(ms, function(m) {
		message(sprintf("  %s / %s (k = %d)", name, m, length(rows)))
		measure_object(sd, input_type, m)
	})
	names(res) <- ms
	list(name = name, group = group, rows = jarr(rows), k = length(rows),
		study = jarr(as.character(sd$study)), measures = res)
}

run_dataset <- function(cfg, input_csv, outdir) {
	d <- read.csv(input_csv, stringsAsFactors = FALSE, check.names = FALSE,
		colClasses = c(study = "character"))
	input_type <- input_type_of(d)
	has_group <- "group" %in% names(d)
	an <- list()
	if (cfg$analyses %in% c("all", "all+groups")) {
		an[[length(an) + 1]] <- analysis_object(d, seq_len(nrow(d)), "all", jnull(), input_type)
	}
	if (has_group && cfg$analyses %in% c("groups", "all+groups")) {
		for (l in unique(d$group)) {
			an[[length(an) + 1]] <- analysis_object(d, which(d$group == l), l, l, input_type)
		}
	}
	out <- list(meta = meta_object(cfg, input_type, has_group), analyses = an)
	if (has_group) {
		message("  subgroup")
		out$subgroup <- subgroup_object(d, input_type, cfg$group_variable)
	}
	dir.create(outdir, showWarnings = FALSE, recursive = TRUE)
	json_save(out, file.path(outdir, "expected.json"))
}

main <- function(args) {
	if (!length(args)) stop("usage: make_golden.R <name>|all [outdir]")
	names_run <- if (args[1] == "all") c(names(DATASETS), "presets") else args[1]
	for (nm in names_run) {
		message("dataset ", nm)
		if (nm == "presets") {
			source(file.path(gen_dir, "presets.R"))
			outdir <- if (length(args) >= 2) args[2] else "tests/golden/presets"
			run_presets(outdir)
			next
		}
		cfg <- DATASETS[[nm]]
		if (is.null(cfg)) stop("unknown dataset ", nm)
		cfg$name <- nm
		if (nm == "msc-table3") {
			if (length(args) < 2) stop("msc-table3 needs an outdir (the committed one is read-only)")
			outdir <- args[2]
			input <- "tests/golden/msc-table3/input.csv"
		} else {
			outdir <- if (length(args) >= 2 && args[1] != "all") args[2] else
				file.path("tests/golden", nm)
			dir.create(outdir, showWarnings = FALSE, recursive = TRUE)
			input <- file.path(outdir, "input.csv")
			write_input(cfg$build(), input)
		}
		run_dataset(cfg, input, outdir)
	}
}

if (!interactive()) main(commandArgs(trailingOnly = TRUE))
