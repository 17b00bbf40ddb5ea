/*
 * safemeta.h -- the safemeta library: the data of a systematic review of
 * treatment safety in, pooled results and figures out.
 *
 * The two stages of the command line are the library's too:
 *
 *   review (JSON or CSV) --sm_review_load_any--> struct sm_review
 *     --sm_analyze_json--> results JSON text (write it with sm_write_file)
 *     --sm_res_parse / sm_res_read--> struct sm_res, the typed results
 *     --sm_render / sm_render_to--> a figure (PDF, SVG, PNG)
 *   review --sm_report_bundle--> the report and supplementary bundle
 *
 * Every function takes a context first.  The library never prints and
 * never exits: a failing function records one diagnostic in the context
 * (where, which field, what was wrong, what was expected) and returns a
 * non-zero sm_status, which doubles as the command line's exit code.
 * Warnings that do not stop a run are kept in the context, in order.
 *
 * Call sm_init() once before anything else (it is idempotent and thread-
 * safe); then use one context per thread.
 *
 * Ownership: every _new / _load / _read / _parse has its _free; strings a
 * function returns "newly allocated" are released with free(); strings
 * returned by accessors are borrowed from their object.
 *
 * The installation's fonts, styles, templates and bundled reviews are found
 * next to the library (PREFIX/share/safemeta); sm_ctx_set_home names
 * another folder holding fonts/ and templates/.
 */
#ifndef SAFEMETA_H
#define SAFEMETA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SM_API __attribute__((visibility("default")))
#else
#define SM_API
#endif

/* ---- status, context, diagnostics ---------------------------------------- */

/* Status codes double as process exit codes (documented in the README). */
typedef enum sm_status {
	SM_OK = 0,        /* success */
	SM_EDISAGREE = 1, /* a check or comparison found disagreements */
	SM_EINPUT = 2,    /* usage or input error (bad file, bad value, k = 0, ...) */
	SM_EOUTPUT = 3,   /* an output could not be written */
	SM_EINTERNAL = 4  /* internal error, including out of memory */
} sm_status;

/* One diagnostic record: where, which field, what is wrong and what was
 * expected.  line/col are 1-based; 0 means "unknown". */
struct sm_diag {
	sm_status code;
	char *file;  /* input path as the user gave it, or NULL */
	int line;
	int col;
	char *field; /* e.g. "outcomes[3].ai" or CSV column name, or NULL */
	char *msg;   /* "what is wrong; what was expected" */
	const char *src_file; /* safemeta source location that raised it */
	int src_line;
};

struct sm_ctx;

/* The library's version, "MAJOR.MINOR.PATCH". */
SM_API const char *sm_version(void);

/* Once per process, before any other call: sets what the numerical
 * library needs (its error handler off: every status is checked). */
SM_API void sm_init(void);

SM_API const char *sm_strerror(sm_status status);

SM_API struct sm_ctx *sm_ctx_new(void);
SM_API void sm_ctx_free(struct sm_ctx *ctx);

/* The recorded error, or NULL when none. */
SM_API const struct sm_diag *sm_ctx_error(const struct sm_ctx *ctx);
/* Forget the recorded error. */
SM_API void sm_ctx_clear_error(struct sm_ctx *ctx);
/* "FILE:LINE:COL: MSG" (parts left out when unknown), newly allocated. */
SM_API char *sm_diag_format(const struct sm_diag *diag);

/* The warnings recorded so far, in order (borrowed strings). */
SM_API size_t sm_ctx_warning_count(const struct sm_ctx *ctx);
SM_API const char *sm_ctx_warning(const struct sm_ctx *ctx, size_t i);
SM_API void sm_ctx_clear_warnings(struct sm_ctx *ctx);

/* The folder holding fonts/, templates/ and data/ (copied); NULL: the
 * installation's.  The folder in use, or NULL when none was found. */
SM_API void sm_ctx_set_home(struct sm_ctx *ctx, const char *dir);
SM_API const char *sm_ctx_home(const struct sm_ctx *ctx);
/* Seconds since 1970 for the dates written into PDF files, as
 * SOURCE_DATE_EPOCH (reproducible builds); < 0: a fixed date. */
SM_API void sm_ctx_set_epoch(struct sm_ctx *ctx, long long epoch);

/* ---- reviews --------------------------------------------------------------- */

struct sm_review;

/* A review JSON file, or a CSV of per-study data (by its extension). */
SM_API struct sm_review *sm_review_load_any(struct sm_ctx *ctx, const char *path);
SM_API void sm_review_free(struct sm_review *review);

/* ---- analysis ---------------------------------------------------------------- */

struct sm_analysis_opts;

/* The options that override a review's settings, all unset. */
SM_API struct sm_analysis_opts *sm_analysis_opts_new(void);
SM_API void sm_analysis_opts_free(struct sm_analysis_opts *opts);
/* Set an option as the command line's `--name value` (value NULL for a
 * flag): the options of `safemeta analyze --help`.  The value string is
 * borrowed and must outlive the options.  SM_EINPUT for an unknown option
 * or a value it cannot take. */
SM_API sm_status sm_analysis_opts_set(struct sm_ctx *ctx, struct sm_analysis_opts *opts,
				      const char *name, const char *value);

/* Every analysis of the review: the results JSON (as `safemeta analyze`
 * writes it), newly allocated; NULL with the error in ctx.  opts may be
 * NULL (the review's settings). */
SM_API char *sm_analyze_json(struct sm_ctx *ctx, const struct sm_review *review,
			     const struct sm_analysis_opts *opts);

/* Write data[0..len) to path atomically: the file appears whole or not at
 * all, and a replaced file keeps its mode. */
SM_API sm_status sm_write_file(struct sm_ctx *ctx, const char *path, const void *data,
			       size_t len);

/* ---- results ------------------------------------------------------------------- */

struct sm_res;

/* Read and validate a results document (every key's type and range, and
 * that the display-scale values are the back-transforms of the analysis
 * values): from text[0..len), `path` naming it in messages, or from a file. */
SM_API struct sm_res *sm_res_parse(struct sm_ctx *ctx, const char *path, const char *text,
				   size_t len);
SM_API struct sm_res *sm_res_read(struct sm_ctx *ctx, const char *path);
SM_API void sm_res_free(struct sm_res *res);

/* A value of the results by its path in the document, keys as in the
 * README's "Results JSON": "analyses[0].estimate",
 * "analyses[2].transformed.ci_lb", "analyses[0].studies[3].yi".
 * sm_res_number: NAN when the path names no number or the value is null
 * (booleans read as 0 and 1); sm_res_string: NULL likewise (borrowed);
 * sm_res_count: the items of a list, 0 when the path names none. */
SM_API double sm_res_number(const struct sm_res *res, const char *path);
SM_API const char *sm_res_string(const struct sm_res *res, const char *path);
SM_API size_t sm_res_count(const struct sm_res *res, const char *path);

/* ---- figures -------------------------------------------------------------------- */

/* The figure kinds of `safemeta render` ("forest", "funnel", ...), i < n. */
SM_API size_t sm_figure_kind_count(void);
SM_API const char *sm_figure_kind_name(size_t i);

/* Draw a figure of `kind` from the results into `path` (format from its
 * extension: .pdf, .svg, .png).  options: NULL, or pairs "name", "value"
 * (value NULL for a flag) ending with a NULL name: the options of
 * `safemeta render --help` (e.g. "width", "double", "dpi", "600"). */
SM_API sm_status sm_render(struct sm_ctx *ctx, const struct sm_res *res, const char *kind,
			   const char *const *options, const char *path);

/* The same, handing the file's bytes to `write` (which returns 0 on
 * success) instead of naming a file; format "pdf", "svg" or "png". */
typedef int (*sm_write_fn)(void *closure, const unsigned char *data, size_t len);
SM_API sm_status sm_render_to(struct sm_ctx *ctx, const struct sm_res *res, const char *kind,
			      const char *const *options, const char *format, sm_write_fn write,
			      void *closure);

/* ---- the bundle ------------------------------------------------------------------- */

/* Analyse the review and write its bundle (report.pdf, results.json,
 * figures/, tables/, MANIFEST.sha256) into dir, created if missing, as
 * `safemeta report`; template NULL = the default report template. */
SM_API sm_status sm_report_bundle(struct sm_ctx *ctx, const struct sm_review *review,
				  const struct sm_analysis_opts *opts, const char *dir,
				  const char *template_name);

#ifdef __cplusplus
}
#endif

#endif
