/*
 * sm_render_test.h -- what the figure tests share: the results fixtures of
 * the four reviews, a scratch folder, and checks on rendered files (PDF text
 * via pdftotext, the overlap tool, fonts embedded, SVG well formed, PNG
 * size, identical bytes).
 *
 * Ownership: sm_render_fx_setup() allocates the fixture into *state;
 * sm_render_fx_teardown() frees it and removes the scratch folder.  Strings
 * returned by sm_render_run_ok() and sm_render_pdf_text() are the caller's.
 */
#ifndef SM_RENDER_TEST_H
#define SM_RENDER_TEST_H

#include "sm_test.h"

#include "sm_ctx.h"
#include "sm_fig.h"
#include "sm_fonts.h"
#include "sm_res.h"

#include <cjson/cJSON.h>

struct sm_render_fx {
	struct sm_ctx *ctx; /* home = SAFEMETA_HOME, fixed epoch */
	cJSON *msc, *sae, *tum, *allo; /* tests/fixtures/results/<review>.results.json */
	/* the same documents, read by the typed results reader */
	struct sm_res *rmsc, *rsae, *rtum, *rallo;
	/* the test's own document (sm_render_fx_setup_doc), else NULL */
	cJSON *doc;
	struct sm_res *rdoc;
	char dir[64];       /* scratch folder for outputs */
};

/* A JSON file of the source tree (path relative to it), parsed; fails the
 * test when it cannot.  Free with cJSON_Delete. */
cJSON *sm_render_load_json(const char *rel);

/* The same, read by the typed results reader (sm_res.h); fails the test
 * when the document does not validate.  Free with sm_res_free. */
struct sm_res *sm_render_load_res(const char *rel);

/* cmocka setup/teardown for a struct sm_render_fx in *state. */
int sm_render_fx_setup(void **state);
int sm_render_fx_teardown(void **state);
/* As sm_render_fx_setup, and the document `rel` in doc and rdoc. */
int sm_render_fx_setup_doc(void **state, const char *rel);
/* Only the context and the scratch folder (the fixtures stay NULL), for
 * tests that read documents of their own. */
int sm_render_fx_setup_bare(void **state);

/* A context (home = SAFEMETA_HOME, else ".") and the installation's
 * fonts, for the tests of text and drawing below the figure kinds:
 * cmocka setup/teardown for a struct sm_fonts_fx in *state. */
struct sm_fonts_fx {
	struct sm_ctx *ctx;
	struct sm_fonts *fonts;
};
int sm_fonts_fx_setup(void **state);
int sm_fonts_fx_teardown(void **state);

/* A document derived in a test, read by the typed results reader; fails the
 * test (printing the diagnostic) when it does not validate. */
struct sm_res *sm_render_typed(struct sm_render_fx *f, const cJSON *doc);

/* A render call succeeded (prints the diagnostic otherwise). */
void sm_render_expect_ok(struct sm_render_fx *f, sm_status s);
/* A render call failed with SM_EINPUT and a message containing `words`;
 * the error is cleared. */
void sm_render_expect_fail(struct sm_render_fx *f, sm_status s, const char *words);

/* Run a shell command that must exit 0; returns its stdout. */
char *sm_render_run_ok(const char *cmd);
/* The PDF's text (pdftotext -layout when `layout`, else -raw) with runs of
 * white space, no-break spaces included, squeezed to one space. */
char *sm_render_pdf_text(const char *pdf, int layout);
void sm_render_expect_text(const char *hay, const char *needle);
/* tests/tools/pdf-text-overlap finds no overlapping or clipped word. */
void sm_render_overlap_tool(const char *pdf);
/* f->dir/base.{pdf,svg,png}: PDF fonts embedded and subset, SVG well formed,
 * PNG of the figure's size at `dpi`. */
void sm_render_check_formats(struct sm_render_fx *f, const char *base, const struct sm_fig *fig,
			     double dpi);
/* The two files have the same bytes. */
void sm_render_same_files(const char *a, const char *b);
/* `in` lies inside `out` (0.01 pt slack for rounding). */
int sm_render_inside(const struct sm_box *in, const struct sm_box *out);

#endif
