/*
 * test_report.c -- the PDF report from the results of the four reviews:
 * content (every analysis, its pooled values as the results say, numbered
 * figures and tables), pages, bookmarks and metadata, no overlapping text,
 * determinism, and no file left behind on a template error.
 */
#include "sm_render_test.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_bundle.h"
#include "sm_figure.h"
#include "sm_report.h"
#include "sm_rtmpl.h"
#include "sm_supplement.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The fixture's typed twin of a fixture document. */
static const struct sm_res *typed(const struct sm_render_fx *f, const cJSON *doc)
{
	const struct sm_res *r = doc == f->msc ? f->rmsc : doc == f->sae ? f->rsae
			       : doc == f->tum ? f->rtum : doc == f->allo ? f->rallo : NULL;
	assert_non_null(r);
	return r;
}

static char *report_of(struct sm_render_fx *f, const cJSON *results, const char *name)
{
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	char *path = sm_asprintf("%s/%s.pdf", f->dir, name);
	sm_render_expect_ok(f, sm_report_write(f->ctx, results, typed(f, results), &o, path));
	return path;
}

/* "Figure 1." .. "Figure n." appear in order, and no "Figure n+1.". */
static int numbered_in_order(const char *text, const char *label)
{
	const char *at = text;
	int n = 0;
	for (;;) {
		char want[32];
		snprintf(want, sizeof want, "%s %d.", label, n + 1);
		const char *next = strstr(at, want);
		if (!next)
			break;
		at = next + strlen(want);
		n++;
	}
	char after[32];
	snprintf(after, sizeof after, "%s %d.", label, n + 1);
	assert_null(strstr(text, after));
	return n;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* 1.2345 -> "1.23", with U+2212 for a minus. */
static void fixed2(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%s%.2f", v < 0 ? "\u2212" : "", fabs(v));
}

static int contains(const char *data, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(data + i, word, n))
			return 1;
	return 0;
}

/* The smallest text size on any page, from the word boxes of
 * `pdftotext -bbox` (about 1.15 times the size for the bundled fonts), as
 * /work/shared/tools/pdf-min-text-size measures it. */
static double min_text_size(const char *pdf)
{
	char *cmd = sm_asprintf("pdftotext -bbox '%s' -", pdf);
	char *out = sm_render_run_ok(cmd);
	double least = INFINITY;
	for (const char *at = out; (at = strstr(at, "<word ")) != NULL; at++) {
		const char *y0 = strstr(at, "yMin=\""), *y1 = strstr(at, "yMax=\"");
		if (!y0 || !y1)
			break;
		least = fmin(least, (strtod(y1 + 6, NULL) - strtod(y0 + 6, NULL)) / 1.15);
	}
	free(out);
	free(cmd);
	return least;
}

/* Nothing below the style's minimum (6 pt) and no overlapping text. */
static void legible(const char *pdf)
{
	double least = min_text_size(pdf);
	if (!(least >= 6.0)) {
		print_error("%s: text at %.2f pt, below 6 pt\n", pdf, least);
		fail();
	}
	sm_render_overlap_tool(pdf);
}

/* The MSC report's pages (issue 16: 36 pages, many a third full, at the
 * start; 43 before the pages were filled; 29 before the rare-event table
 * had a column per method, the sensitivity tables shared their rules, the
 * check findings their causes and the forests were set dense; 22 before
 * the domain table's rows went from five lines to two). */
#define MSC_MAX_PAGES 21

static void test_msc_report(void **state)
{
	struct sm_render_fx *f = *state;
	char *pdf = report_of(f, f->msc, "msc");
	char *text = sm_render_pdf_text(pdf, 0);
	const cJSON *a;
	int nanalyses = 0;
	cJSON_ArrayForEach(a, cJSON_GetObjectItem(f->msc, "analyses")) {
		nanalyses++;
		const cJSON *tr = cJSON_GetObjectItem(a, "transformed");
		char est[32], lb[32], ub[32], want[200];
		fixed2(est, sizeof est, num(tr, "estimate"));
		fixed2(lb, sizeof lb, num(tr, "ci_lb"));
		fixed2(ub, sizeof ub, num(tr, "ci_ub"));
		snprintf(want, sizeof want, "was %s (95%% CI %s to %s;", est, lb, ub);
		sm_render_expect_text(text, want);
		snprintf(want, sizeof want, "Forest plot: %s.",
			 cJSON_GetObjectItem(a, "name")->valuestring);
		sm_render_expect_text(text, want);
	}
	assert_int_equal(nanalyses, 16);
	/* PRISMA, summary forest, a forest per analysis (the rare-event method
	 * forests are the bundle's files, not the report's), ONE page of funnels for the review (no near-empty funnel
	 * page per domain), risk of bias */
	assert_int_equal(numbered_in_order(text, "Figure"), 1 + 1 + nanalyses + 1 + 1);
	assert_null(strstr(text, "Funnel plot:"));
	sm_render_expect_text(text, ". Funnel plots: every analysis on shared axes");
	/* domains below the small-study minimum: said in words, not tested */
	sm_render_expect_text(text, "Musculoskeletal and connective tissue disorders The pooled "
			      "OR from 4 comparisons");
	sm_render_expect_text(text, "k = 4: fewer than 10 studies, tests for funnel asymmetry "
			      "not shown.");
	sm_render_expect_text(text, "k = 2: fewer than 10 studies, tests for funnel asymmetry "
			      "not shown.");
	assert_null(strstr(text, "Begg’s test p = 1.000"));
	sm_render_expect_text(text, "Trim and fill imputed 10 studies on the left: adjusted OR");
	/* table2 of the paper, the domain table, the check findings */
	/* ... plus the rare-event table and a sensitivity table per analysis */
	assert_int_equal(numbered_in_order(text, "Table"), 3 + 1 + nanalyses);
	/* the sensitivity tables' rules are said once (Table 3, the first),
	 * the others refer to it */
	int refs = 0;
	for (const char *p = text; (p = strstr(p, "Rules as in Table 3.")); p++)
		refs++;
	assert_int_equal(refs, nanalyses - 1);
	const char *rules = "Each row is a refit with the analysis";
	const char *first = strstr(text, rules);
	assert_non_null(first);
	assert_null(strstr(first + 1, rules));
	/* the caption names the analysis; the rules say what the rows are */
	assert_null(strstr(text, "Each row refits the analysis"));
	sm_render_expect_text(text, "The effect measure was the odds ratio.");
	sm_render_expect_text(text, "random-effects model with the DerSimonian\u2013Laird");
	sm_render_expect_text(text, "0.5 was added to every cell of studies with a zero cell");
	sm_render_expect_text(text, "Immune system disorders not reproduced");
	sm_render_expect_text(text, "11 of 16 reported analyses reproduce");
	sm_render_expect_text(text, "Verdict: Fewer events with MSC.");
	int pages = 0;
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	sm_render_expect_ok(f, sm_report_count_pages(f->ctx, f->msc, f->rmsc, &o, &pages));
	char *cmd = sm_asprintf("pdfinfo %s", pdf);
	char *info = sm_render_run_ok(cmd);
	char want[64];
	snprintf(want, sizeof want, "Pages: %d", pages);
	char *squeezed = strdup(info);
	for (char *s = squeezed, *d = squeezed;; s++) {
		if (*s == ' ' && d > squeezed && d[-1] == ' ')
			continue;
		if (!(*d++ = *s))
			break;
	}
	sm_render_expect_text(squeezed, want);
	sm_render_expect_text(squeezed, "Title: Safety of intravenous mesenchymal stem cell");
	sm_render_expect_text(squeezed, "Creator: safemeta ");
	sm_render_expect_text(squeezed, "Page size: 595.276 x 841.89 pts (A4)");
	assert_true(pages > 12 && pages <= MSC_MAX_PAGES);
	sm_render_expect_text(text, "1 / ");
	snprintf(want, sizeof want, "%d / %d", pages, pages);
	sm_render_expect_text(text, want);
	/* bookmarks: one per heading, the outline root present */
	char *raw = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file(pdf, 0, &raw, &len), 0);
	assert_true(contains(raw, len, "/Outlines") && contains(raw, len, "/First"));
	legible(pdf);
	/* the rare-event method forests are the bundle's files, the method
	 * comparison a table of the report */
	assert_null(strstr(text, "Rare events: General disorders"));
	sm_render_expect_text(text, "figures/methods-");
	char *again = report_of(f, f->msc, "msc-again");
	sm_render_same_files(pdf, again);
	free(raw);
	free(squeezed);
	free(info);
	free(cmd);
	free(again);
	free(text);
	free(pdf);
}

static void test_narrative_reviews(void **state)
{
	struct sm_render_fx *f = *state;
	const cJSON *docs[] = { f->tum, f->allo, f->sae };
	const char *names[] = { "tum", "allo", "sae" };
	for (int i = 0; i < 3; i++) {
		char *pdf = report_of(f, docs[i], names[i]);
		char *text = sm_render_pdf_text(pdf, 0);
		sm_render_expect_text(text, "PRISMA 2020 flow diagram");
		if (i < 2)
			sm_render_expect_text(text, "The review pools no effect sizes");
		else
			sm_render_expect_text(text, "Freeman\u2013Tukey double-arcsine-transformed");
		/* the review's own "Table 1." prefix is not doubled */
		assert_null(strstr(text, "Table 1. Table 1."));
		legible(pdf);
		free(text);
		free(pdf);
	}
}

/* The text from `from` up to the next `to` (a copy; fails when absent). */
static char *between(const char *text, const char *from, const char *to)
{
	const char *a = strstr(text, from);
	if (!a)
		fail_msg("'%s' not in the report", from);
	const char *b = strstr(a + strlen(from), to);
	return b ? strndup(a, (size_t)(b - a)) : strdup(a);
}

/* A report of a document the fixture does not hold (loaded here). */
static char *report_of_file(struct sm_render_fx *f, const char *rel, const char *name)
{
	cJSON *doc = sm_render_load_json(rel);
	struct sm_res *res = sm_render_load_res(rel);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	char *path = sm_asprintf("%s/%s.pdf", f->dir, name);
	sm_render_expect_ok(f, sm_report_write(f->ctx, doc, res, &o, path));
	sm_res_free(res);
	cJSON_Delete(doc);
	return path;
}

/* Rare events (the bundled 70-study SAE review: 2 events in 1496
 * patients): per 1000, the crude incidence with its exact interval in the
 * text and the domain table, never "0.00 [0.00, 0.00]", no test against 0.
 * One study: heterogeneity "not applicable", no prediction interval.  No
 * events: the upper bounds in words. */
static void test_rare_and_single(void **state)
{
	struct sm_render_fx *f = *state;
	char *pdf = report_of(f, f->sae, "sae");
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "The crude incidence was 2 events in 1496 patients, 1.34 per "
			      "1000 (exact 95% CI 0.16 to 4.82).");
	/* the report's own text and its domain table (the forest plots are
	 * another figure's) */
	char *table = between(text, "Domain k (studies) Events/N", "k: studies entering");
	sm_render_expect_text(table, "1.34 [0.16, 4.82]");
	sm_render_expect_text(table, "Crude incidence per 1000 [exact 95% CI]");
	assert_null(strstr(table, "0.00 [0.00, 0.00]"));
	assert_null(strstr(table, "<0.001 0.0")); /* no P column before I2 */
	char *words = between(text, "The crude incidence", "Figure");
	assert_null(strstr(words, "0.00 (95% CI 0.00 to 0.00"));
	assert_null(strstr(words, "0.00 per 1000"));
	assert_null(strstr(words, "; p < 0.001)")); /* the pooled proportion is not tested */
	free(table);
	free(words);
	legible(pdf);
	free(text);
	free(pdf);
	pdf = report_of_file(f, "tests/fixtures/render/k1.results.json", "k1");
	text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Heterogeneity: not applicable (one study); no prediction "
			      "interval.");
	sm_render_expect_text(text, "not applicable");
	assert_null(strstr(text, "prediction interval 0.33"));
	/* one study of fewer than 3: its funnel panel says so */
	sm_render_expect_text(text, "k = 1: fewer than 3 studies, no funnel plot");
	sm_render_overlap_tool(pdf);
	free(text);
	free(pdf);
	pdf = report_of_file(f, "tests/fixtures/render/zero-events.results.json", "zero");
	text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "No events occurred in 500 patients (3 studies): the exact "
			      "one-sided 95% upper bound on the incidence is 5.97 per 1000 (rule of "
			      "three: 6.00 per 1000)");
	free(text);
	free(pdf);
}

static void test_template_error_leaves_nothing(void **state)
{
	struct sm_render_fx *f = *state;
	char *tmpl = sm_asprintf("%s/bad.tmpl", f->dir);
	FILE *fp = fopen(tmpl, "w");
	assert_non_null(fp);
	fputs("# Results\n@each analysis\n{{analysis.estimat|2}}\n@end\n", fp);
	fclose(fp);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.template_name = tmpl;
	char *pdf = sm_asprintf("%s/bad.pdf", f->dir);
	sm_status s = sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf);
	char *msg = sm_diag_format(sm_ctx_error(f->ctx));
	char *want = sm_asprintf("%s:3:1: no value 'analysis.estimat' in the results", tmpl);
	assert_int_equal(s, SM_EINPUT);
	assert_non_null(strstr(msg, want));
	sm_ctx_clear_error(f->ctx);
	assert_int_equal(access(pdf, F_OK), -1);
	free(want);
	free(msg);
	free(pdf);
	free(tmpl);
}

/* A paragraph taller than a page flows on over the next pages, every word
 * drawn (issue 18: 1,237 of 3,000 words, the rest cut at the page's foot). */
static void test_long_paragraph(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "# Notes\n\n");
	static const char *const words[] = { "safety", "events", "pooled", "random",
					     "interval", "studies" };
	for (int i = 0; i < 3000; i++)
		sm_buf_printf(&b, "%sw%dx%s", i ? " " : "", i, words[i % 6]);
	sm_buf_puts(&b, "\n\n# After\n\nThe end.\n");
	assert_false(b.failed);
	struct sm_rtmpl *t = sm_rtmpl_parse(f->ctx, "long.tmpl", b.data, b.len);
	assert_non_null(t);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.tmpl = t;
	char *pdf = sm_asprintf("%s/long.pdf", f->dir);
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	char *text = sm_render_pdf_text(pdf, 0);
	int missing = 0;
	for (int i = 0; i < 3000; i++) {
		char want[32];
		snprintf(want, sizeof want, "w%dx%s", i, words[i % 6]);
		missing += strstr(text, want) == NULL;
	}
	assert_int_equal(missing, 0);
	sm_render_expect_text(text, "The end.");
	int pages = 0;
	sm_render_expect_ok(f, sm_report_count_pages(f->ctx, f->msc, f->rmsc, &o, &pages));
	assert_true(pages >= 3);
	legible(pdf);
	free(text);
	free(pdf);
	sm_rtmpl_free(t);
	sm_buf_release(&b);
}

/* The marks of the document's figures and tables are capped (issue 18: a
 * short template repeating a large figure took memory without bound): the
 * error names the line where the count passes the cap and no PDF is left;
 * a figure of several pages counts once, and below the cap all is drawn. */
static void test_marks_capped(void **state)
{
	struct sm_render_fx *f = *state;
	static const char text_t[] = "# Repeated\n@figure forest summary\n"
				     "@figure forest summary\n@figure forest summary\n";
	struct sm_rtmpl *t = sm_rtmpl_parse(f->ctx, "rep.tmpl", text_t, sizeof text_t - 1);
	assert_non_null(t);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.tmpl = t;
	o.max_marks = 1;
	char *pdf = sm_asprintf("%s/rep.pdf", f->dir);
	assert_int_equal(sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf), SM_EINPUT);
	char *msg = sm_diag_format(sm_ctx_error(f->ctx));
	assert_non_null(strstr(msg, "rep.tmpl:2:1: the report's figures and tables would hold "
				    "more than 1 marks and texts ("));
	size_t one = 0;
	assert_int_equal(sscanf(strstr(msg, " texts (") + 8, "%zu", &one), 1);
	assert_true(one > 100); /* a summary forest of 16 analyses */
	free(msg);
	sm_ctx_clear_error(f->ctx);
	o.max_marks = 2 * one + one / 2;
	assert_int_equal(sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf), SM_EINPUT);
	msg = sm_diag_format(sm_ctx_error(f->ctx));
	char *want = sm_asprintf("rep.tmpl:4:1: the report's figures and tables would hold more "
				 "than %zu marks and texts (%zu with this line's)",
				 o.max_marks, 3 * one);
	assert_non_null(strstr(msg, want));
	sm_ctx_clear_error(f->ctx);
	assert_int_equal(access(pdf, F_OK), -1);
	o.max_marks = 3 * one;
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	free(want);
	free(msg);
	free(pdf);
	sm_rtmpl_free(t);
}

/* @if report.supplement: a block only the supplement shows (its method
 * figures), numbered there as S items; the report leaves it out. */
static void test_if_supplement(void **state)
{
	struct sm_render_fx *f = *state;
	static const char text_t[] = "# Main\nAlways here.\n@if report.supplement\n"
				     "# Supplement only\nOnly in the supplement.\n"
				     "@figure leave1out Cardiac disorders | Leave one out.\n@end\n"
				     "@if !report.supplement\nOnly in the report.\n@end\n";
	struct sm_rtmpl *t = sm_rtmpl_parse(f->ctx, "supp.tmpl", text_t, sizeof text_t - 1);
	assert_non_null(t);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.tmpl = t;
	char *pdf = sm_asprintf("%s/plain.pdf", f->dir);
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Always here.");
	sm_render_expect_text(text, "Only in the report.");
	assert_null(strstr(text, "Only in the supplement."));
	assert_null(strstr(text, "Leave one out."));
	free(text);
	free(pdf);
	o.supplement = 1;
	pdf = sm_asprintf("%s/supp.pdf", f->dir);
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Only in the supplement.");
	sm_render_expect_text(text, "Figure S1. Leave one out.");
	assert_null(strstr(text, "Only in the report."));
	free(text);
	free(pdf);
	sm_rtmpl_free(t);
}

/* Inside @each, an analysis a kind has nothing to draw of is passed over,
 * as the bundle passes it (Hematological or oncological disorders has too
 * few studies for a leave-one-out forest), in the report and in the
 * supplement's numbering alike. */
static void test_each_skips_undrawable(void **state)
{
	struct sm_render_fx *f = *state;
	static const char text_t[] = "# Leave one out\n@each analysis\n"
				     "@figure leave1out | L1O: {{analysis.name}}.\n@end\n";
	struct sm_rtmpl *t = sm_rtmpl_parse(f->ctx, "l1o.tmpl", text_t, sizeof text_t - 1);
	assert_non_null(t);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.tmpl = t;
	char *pdf = sm_asprintf("%s/l1o.pdf", f->dir);
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "L1O: SAEs deaths.");
	sm_render_expect_text(text, "L1O: Cardiac disorders.");
	assert_null(strstr(text, "L1O: Hematological or oncological disorders."));
	free(text);
	struct sm_supp items = { 0 };
	o.supplement = 1;
	sm_render_expect_ok(f, sm_report_items(f->ctx, f->msc, f->rmsc, &o, &items));
	size_t drawable = 0;
	for (size_t i = 0; i < f->rmsc->analyses.n; i++)
		drawable += sm_figure_plans(f->ctx, sm_figure_kind_named("leave1out"), f->rmsc,
					    f->rmsc->analyses.v[i].name) == 1;
	assert_int_equal(items.n, drawable);
	assert_int_equal(items.n, f->rmsc->analyses.n - 1);
	sm_supp_release(&items);
	free(pdf);
	sm_rtmpl_free(t);
}

/* The diagnostic kinds are usable in templates like every kind of the
 * kinds table: an influence panel figure and a Baujat plot per analysis
 * with influential studies, each captioned and numbered, and its plot
 * text (panel titles, axis title) on the page. */
static void test_influence_figures_in_template(void **state)
{
	struct sm_render_fx *f = *state;
	static const char text_t[] = "# Influence\n@each analysis\n"
				     "@if analysis.influence_summary.influential\n"
				     "@figure influence | Influence: {{analysis.name}}.\n"
				     "@figure baujat | Baujat: {{analysis.name}}.\n@end\n@end\n";
	struct sm_rtmpl *t = sm_rtmpl_parse(f->ctx, "infl.tmpl", text_t, sizeof text_t - 1);
	assert_non_null(t);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	o.tmpl = t;
	char *pdf = sm_asprintf("%s/infl.pdf", f->dir);
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	char *text = sm_render_pdf_text(pdf, 0);
	/* MSC: SAEs deaths has influential studies (Ning 2008, Lin 2017 (a)) */
	sm_render_expect_text(text, "Influence: SAEs deaths.");
	sm_render_expect_text(text, "Baujat: SAEs deaths.");
	sm_render_expect_text(text, "rstudent");
	sm_render_expect_text(text, "Influence on overall result");
	/* Renal & urinary disorders has none: no figure of it */
	assert_null(strstr(text, "Influence: Renal"));
	legible(pdf);
	free(text);
	free(pdf);
	sm_rtmpl_free(t);
}

/* Two bundles of the same results hold the same bytes, one drawn by two
 * figure workers and one by a single worker (report --threads 1): the
 * manifests (SHA-256 of every file, report.pdf included) are identical. */
static void test_bundle_determinism(void **state)
{
	struct sm_render_fx *f = *state;
	char *manifest[2];
	for (int run = 0; run < 2; run++) {
		char *dir = sm_asprintf("%s/bundle%d", f->dir, run);
		assert_int_equal(sm_mkdir_p(f->ctx, dir), SM_OK);
		struct sm_bundle_opts o;
		sm_bundle_opts_init(&o);
		o.dpi = 36;
		o.threads = run ? 1 : 2;
		sm_render_expect_ok(f, sm_bundle_write(f->ctx, f->sae, dir, &o));
		char *path = sm_asprintf("%s/MANIFEST.sha256", dir);
		manifest[run] = sm_test_slurp(path);
		free(path);
		free(dir);
	}
	assert_string_equal(manifest[0], manifest[1]);
	sm_render_expect_text(manifest[0], " report.pdf\n");
	sm_render_expect_text(manifest[0], " results.json\n");
	sm_render_expect_text(manifest[0], " tables/domains.xlsx\n");
	free(manifest[0]);
	free(manifest[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msc_report),
		cmocka_unit_test(test_rare_and_single),
		cmocka_unit_test(test_narrative_reviews),
		cmocka_unit_test(test_template_error_leaves_nothing),
		cmocka_unit_test(test_long_paragraph),
		cmocka_unit_test(test_marks_capped),
		cmocka_unit_test(test_if_supplement),
		cmocka_unit_test(test_each_skips_undrawable),
		cmocka_unit_test(test_influence_figures_in_template),
		cmocka_unit_test(test_bundle_determinism),
	};
	return cmocka_run_group_tests(tests, sm_render_fx_setup, sm_render_fx_teardown);
}
