/*
 * sm_bundle.h -- the supplementary bundle of one review:
 *
 *   DIR/results.json         the analysis stage's document
 *   DIR/report.pdf           the report (sm_report.h)
 *   DIR/figures/...          every figure as PDF, SVG and PNG
 *   DIR/tables/...           every table as CSV, XLSX, Markdown and DOCX
 *   DIR/MANIFEST.sha256      every file with its SHA-256 (`sha256sum -c`); a
 *                            style's own font files (font.file) are recorded
 *                            in "# font SHA256 PATH" comment lines
 *   DIR/index.txt            a supplement's index (opts.supplement)
 *   DIR/supplement.zip       all of it in one deterministic zip (opts.zip)
 *
 * The figures are what the table of figure kinds plans for the results
 * (sm_figure.h).  Everything that can be refused is checked before the
 * first file is written: the results read back through the typed reader
 * (what the figures draw is what results.json says), the template parses.
 * Figures are independent, so a small pool of worker threads draws them,
 * each with its own context; afterwards the workers' warnings reach the
 * caller's context in figure order (each once per figure), and the first
 * failure in figure order becomes the caller's error as it was recorded,
 * with its own FILE:LINE:COL.  The files are written into a fresh
 * temporary folder that is swapped in whole (sm_bundle_dir.h); file names
 * taken from the input (domain names) are made safe and can never leave
 * DIR, and no two jobs ever write one path.
 *
 * Ownership: the caller keeps `results`; nothing is retained.
 */
#ifndef SM_BUNDLE_H
#define SM_BUNDLE_H

#include "sm_ctx.h"

#include <cjson/cJSON.h>
#include <signal.h>

/* Most figure workers a bundle starts. */
#define SM_BUNDLE_MAX_WORKERS 8

struct sm_bundle_opts {
	int threads;      /* workers for figures; 0 = number of CPUs (at most
			   * SM_BUNDLE_MAX_WORKERS) */
	double dpi;       /* PNG resolution; 0 = 300 (lowered, with a warning, for a
			   * figure too large for a PNG at it) */
	const char *style; /* NULL = default */
	const char *width; /* figure files' width ("single", "120mm"); NULL: each
			    * kind's default (report.pdf keeps its page width) */
	int figures;      /* 0: results.json and manifest only */
	int report;       /* 1: also report.pdf (sm_report.h), drawn beside the figures */
	const char *report_template; /* NULL = "report" */
	int supplement;   /* a journal supplement: figures and tables numbered S1,
			   * S2, ... as the report numbers them, in files named
			   * so (figures/S1-forest-summary.pdf), and an index
			   * (index.txt and a page of the report) */
	int zip;          /* with supplement: also DIR/supplement.zip of every
			   * file (sm_zip.h) */
	/* Set (non-zero) by the caller's signal handler to stop: the workers
	 * read it between files, the run then fails with the temporary folder
	 * removed and DIR as it was.  NULL: never cancelled.  The library
	 * installs no handler. */
	volatile sig_atomic_t *cancel;
	const char *source; /* the review's path, for messages; NULL: as the results
			     * record it (results.input) */
};

void sm_bundle_opts_init(struct sm_bundle_opts *opts);

/* Writes the bundle of the results document `results` (as built by the
 * analysis stage) as the folder `dir` (its parent is created), replacing
 * the previous bundle there as a whole (sm_bundle_dir.h): on any error DIR
 * is left as it was and no temporary remains.  Before anything is written
 * the template, its figure and table references and every file name are
 * checked: two items mapping to one file (an analysis named "summary" or
 * "all", tables "a b" and "a/b", a review table named like one of the
 * bundle's own) are refused (SM_EINPUT naming both). */
sm_status sm_bundle_write(struct sm_ctx *ctx, const cJSON *results, const char *dir,
			  const struct sm_bundle_opts *opts);

/* SHA-256 of a file as 64 lowercase hex digits into out[65]; 0 on success. */
int sm_sha256_file(const char *path, char out[65]);

#endif
