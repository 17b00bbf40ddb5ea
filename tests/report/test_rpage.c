/*
 * test_rpage.c -- the report's page model: tables flow from where they
 * are (below their heading, across pages with the header repeated), are
 * never scaled and never set below the style's minimum size, go on
 * landscape pages when too wide for portrait; figures never shrink below
 * their legible size; the PDF's pages have the orientation of what they
 * hold and nothing on them is smaller than the minimum.
 */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_rdoc.h"
#include "sm_report.h"
#include "sm_rtmpl.h"
#include "sm_table.h"
#include "sm_table_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct laid {
	struct sm_rdoc *doc;
	struct sm_rflow flow;
};

static void laid_release(struct laid *l)
{
	sm_rpage_flow_release(&l->flow);
	sm_rdoc_free(l->doc);
}

/* The document and its pages for a template (text, or NULL: the default
 * template). */
static struct laid lay(struct sm_render_fx *f, const cJSON *doc, const struct sm_res *res,
		       const char *text)
{
	struct sm_rtmpl *t = text ? sm_rtmpl_parse(f->ctx, "t.tmpl", text, strlen(text))
				  : sm_rtmpl_load(f->ctx, NULL);
	if (!t)
		sm_render_expect_ok(f, SM_EINPUT);
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	struct laid l = { sm_rdoc_build(f->ctx, doc, res, t, &o, NULL, NULL), { 0 } };
	sm_rtmpl_free(t);
	if (!l.doc)
		sm_render_expect_ok(f, SM_EINPUT);
	sm_render_expect_ok(f, sm_rpage_flow(f->ctx, l.doc, &l.flow));
	return l;
}

static int is_table(const struct sm_rblock *b)
{
	return b->kind == SM_RB_FIG && b->caption_above;
}

/* Smallest text size of page p of a figure. */
static double smallest_text(const struct sm_fig *fig, int p)
{
	double s = INFINITY;
	for (size_t i = fig->page_text[p]; i < fig->page_text[p + 1]; i++)
		s = fmin(s, fig->texts[i].st.size);
	return s;
}

/* Rows of a table figure's page (its distinct cell rows). */
static size_t rows_on_page(const struct sm_fig *fig, int p, size_t ncols)
{
	size_t n = 0;
	long last = -1;
	for (size_t i = fig->page_text[p]; i < fig->page_text[p + 1]; i++) {
		const struct sm_fig_text *x = &fig->texts[i];
		if (x->tag == SM_TT_CELL && x->ref / (long)ncols != last) {
			last = x->ref / (long)ncols;
			n++;
		}
	}
	return n;
}

/* Header cells of page p of a table figure. */
static size_t heads_on_page(const struct sm_fig *fig, int p)
{
	size_t n = 0;
	for (size_t i = fig->page_text[p]; i < fig->page_text[p + 1]; i++)
		n += fig->texts[i].tag == SM_TT_HEAD;
	return n;
}

static size_t columns_of(const struct sm_fig *fig)
{
	return heads_on_page(fig, 0);
}

/* What every laid-out report keeps to: every block inside its page's
 * content box, on a page of its own orientation; tables at scale 1 with
 * no text below the style's minimum, their first page holding the caption,
 * the header and two rows (or all of them), their heading on that page;
 * figures placed at no less than their legible scale. */
static void page_invariants(const struct laid *l)
{
	const struct sm_rdoc *d = l->doc;
	double min = d->style->min_size;
	for (size_t k = 0; k < l->flow.n; k++) {
		const struct sm_rplace *p = &l->flow.pl[k];
		const struct sm_rblock *b = &d->blocks[p->block];
		int land = l->flow.landscape[p->page];
		assert_int_equal(b->landscape, land);
		double h = b->kind == SM_RB_FIG
				   ? b->obj_h * p->scale + (b->text ? b->cap_h + SM_RDOC_CAPTION_GAP : 0)
				   : b->h;
		if (p->y + h > sm_rdoc_content_h(land) + 0.02)
			fail_msg("block %zu ends at %g on page %d, below the content box (%g)",
				 p->block, p->y + h, p->page, sm_rdoc_content_h(land));
		if (b->kind != SM_RB_FIG)
			continue;
		assert_true(b->obj_w * p->scale <= sm_rdoc_content_w(land) + 0.01);
		double smallest = smallest_text(b->fig, b->page) * p->scale;
		if (is_table(b)) {
			if (!(p->scale == 1 && b->scale == 1))
				fail_msg("table block %zu (page %d) scaled %.9g/%.9g: %g x %g", p->block, b->page, p->scale, b->scale, b->obj_w, b->obj_h);
			if (smallest < min)
				fail_msg("table block %zu set at %g pt, below the minimum %g", p->block,
					 smallest, min);
		} else {
			if (p->scale < b->min_scale - 1e-9)
				fail_msg("figure block %zu (page %d) at scale %.6g, below its legible %.6g (%s)", p->block, b->page, p->scale, b->min_scale, b->text ? b->text : "");
		}
		if (!is_table(b) || b->page != 0)
			continue;
		size_t rows = rows_on_page(b->fig, 0, columns_of(b->fig));
		size_t all = 0;
		for (int q = 0; q < b->fig->npages; q++)
			all += rows_on_page(b->fig, q, columns_of(b->fig));
		assert_true(rows >= (all < 2 ? all : 2));
		/* the heading chain before it is on its page */
		if (k > 0 && d->blocks[l->flow.pl[k - 1].block].kind == SM_RB_TEXT &&
		    d->blocks[l->flow.pl[k - 1].block].keep_with_next)
			assert_int_equal(l->flow.pl[k - 1].page, p->page);
	}
}

/* The first block of a table whose caption starts with `caption`. */
static size_t table_block(const struct laid *l, const char *caption, size_t *placed)
{
	for (size_t k = 0; k < l->flow.n; k++) {
		const struct sm_rblock *b = &l->doc->blocks[l->flow.pl[k].block];
		if (is_table(b) && b->text && !strncmp(b->text, caption, strlen(caption))) {
			*placed = k;
			return l->flow.pl[k].block;
		}
	}
	fail_msg("no table captioned '%s'", caption);
	return 0;
}

/* The MSC review's characteristics table (16 columns) does not fit a
 * portrait page at the minimum size: it goes on landscape pages, at no
 * less than the minimum, never scaled, captioned once. */
/* How full each page of a flow is: the lowest block's end over the content
 * height (figures at their placed scale, captions included). */
static double *page_fill(const struct laid *l)
{
	double *fill = calloc((size_t)l->flow.npages, sizeof *fill);
	assert_non_null(fill);
	for (size_t i = 0; i < l->flow.n; i++) {
		const struct sm_rplace *p = &l->flow.pl[i];
		const struct sm_rblock *b = &l->doc->blocks[p->block];
		double h = b->kind == SM_RB_FIG
				   ? b->obj_h * p->scale + (b->text ? b->cap_h + SM_RDOC_CAPTION_GAP : 0)
				   : b->h;
		fill[p->page] = fmax(fill[p->page], (p->y + h) / sm_rdoc_content_h(
							     l->flow.landscape[p->page]));
	}
	return fill;
}

/* 1 when page p ends early because what opens page p + 1 could not go
 * there: its first figure or table (not a continued part), with the text
 * above it, is taller than the rest of page p. */
static int ends_for_what_follows(const struct laid *l, const double *fill, int p)
{
	double room = (1 - fill[p]) * sm_rdoc_content_h(l->flow.landscape[p]), need = 0;
	for (size_t i = 0; i < l->flow.n; i++) {
		const struct sm_rplace *pl = &l->flow.pl[i];
		const struct sm_rblock *b = &l->doc->blocks[pl->block];
		if (pl->page != p + 1)
			continue;
		if (b->kind == SM_RB_FIG && b->page > 0)
			return 0;
		need = pl->y + b->h;
		if (b->kind == SM_RB_FIG)
			return need > room;
	}
	return need > room;
}

/* The default report of the MSC review fills its pages: no more than
 * MSC_PAGES (43 when the forests reserved their notes and lead on every
 * page and a method forest followed each domain; 29 until the bound
 * followed the report's own), and no page under MSC_FILL full (55 % until
 * the least full page reached 75 %, 75 % until it was measured again at
 * 87 %) but the last, one before a turn of orientation and one whose next
 * page opens with what could not go there. */
#define MSC_PAGES 21
#define MSC_FILL 0.85
static void msc_pages_are_full(void **state)
{
	struct sm_render_fx *f = *state;
	struct laid l = lay(f, f->msc, f->rmsc, NULL);
	assert_true(l.flow.npages <= MSC_PAGES);
	double *fill = page_fill(&l);
	for (int p = 0; p + 1 < l.flow.npages; p++) {
		if (l.flow.landscape[p] != l.flow.landscape[p + 1] ||
		    ends_for_what_follows(&l, fill, p))
			continue;
		if (fill[p] < MSC_FILL) {
			print_error("page %d of %d is %.0f %% full\n", p + 1, l.flow.npages,
				    100 * fill[p]);
			fail();
		}
	}
	free(fill);
	laid_release(&l);
}

/* The index of the first text block that starts with `text` (fails when
 * there is none). */
static size_t text_block(const struct sm_rdoc *d, const char *text)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == SM_RB_TEXT &&
		    !strncmp(d->blocks[i].text, text, strlen(text)))
			return i;
	fail_msg("no text block '%s'", text);
	return 0;
}

/* Issue 16: the default template sets the risk of bias of the included
 * studies before their results, and ends with the tables that flow over
 * pages (rare events, then the checks) rather than with full-page figures
 * after a part-empty page; the verdict ends the paragraph of the pooled
 * result (a paragraph of its own per analysis was a line and a gap more). */
static void msc_order_and_verdicts(void **state)
{
	struct sm_render_fx *f = *state;
	struct laid l = lay(f, f->msc, f->rmsc, NULL);
	const struct sm_rdoc *d = l.doc;
	size_t rob = text_block(d, "Risk of bias"), domains = text_block(d, "Safety domains");
	size_t funnel = text_block(d, "Small-study effects"), rare = text_block(d, "Rare events");
	size_t check = text_block(d, "Checks of the reported results");
	assert_true(rob < domains);
	assert_true(text_block(d, "Results by analysis") < funnel);
	assert_true(funnel < rare && rare < check);
	size_t verdicts = 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct sm_rblock *b = &d->blocks[i];
		if (b->kind != SM_RB_TEXT)
			continue;
		assert_false(!strncmp(b->text, "Verdict:", 8));
		verdicts += !strncmp(b->text, "The pooled OR", 13) && strstr(b->text, ". Verdict: ");
	}
	assert_int_equal(verdicts, 16);
	laid_release(&l);
}

/* Issue 16: a forest that does not fit in the rest of its page waits for
 * the top of the next, and what follows it (its domain's sensitivity
 * table) fills the page first, as LaTeX floats figures; figures keep the
 * order of their numbers and the places are in page order. */
static void msc_figure_waits_table_fills(void **state)
{
	struct sm_render_fx *f = *state;
	struct laid l = lay(f, f->msc, f->rmsc, NULL);
	const struct sm_rdoc *d = l.doc;
	page_invariants(&l);
	size_t last_fig = 0, waited = 0;
	for (size_t k = 0; k < l.flow.n; k++) {
		const struct sm_rplace *p = &l.flow.pl[k];
		const struct sm_rblock *b = &d->blocks[p->block];
		if (k > 0)
			assert_true(l.flow.pl[k - 1].page <= p->page);
		if (b->kind != SM_RB_FIG || b->caption_above)
			continue;
		assert_true(p->block >= last_fig);
		last_fig = p->block;
		if (b->page != 0 || k == 0)
			continue;
		/* a table after it in reading order that went before it */
		const struct sm_rplace *q = &l.flow.pl[k - 1];
		const struct sm_rblock *t = &d->blocks[q->block];
		if (q->block > p->block && q->page == p->page - 1 && t->kind == SM_RB_FIG &&
		    t->caption_above) {
			assert_true(p->y == 0);
			waited++;
		}
	}
	assert_true(waited >= 1);
	laid_release(&l);
}

static void wide_table_goes_landscape(void **state)
{
	struct sm_render_fx *f = *state;
	struct laid l = lay(f, f->msc, f->rmsc, NULL);
	page_invariants(&l);
	size_t k = 0;
	size_t i = table_block(&l, "Table 1. Study characteristics of randomized control trials",
			       &k);
	const struct sm_rblock *b = &l.doc->blocks[i];
	assert_true(b->landscape);
	assert_true(l.flow.landscape[l.flow.pl[k].page]);
	assert_true(b->fig->npages >= 2);
	for (int p = 0; p < b->fig->npages; p++) {
		assert_true(l.doc->blocks[i + (size_t)p].landscape);
		assert_true(smallest_text(b->fig, p) >= l.doc->style->min_size);
	}
	/* the heading of its section moved onto the landscape page with it */
	assert_true(l.doc->blocks[i - 1].landscape);
	assert_string_equal(l.doc->blocks[i - 1].text, "Tables of the review");
	/* portrait again after it */
	size_t after = i + (size_t)b->fig->npages;
	assert_false(l.doc->blocks[after].landscape);
	for (size_t j = 0; j < l.doc->nblocks; j++)
		assert_true(!l.doc->blocks[j].text || !strstr(l.doc->blocks[j].text, "Table 1. Table"));
	laid_release(&l);
}

/* A table of a page and a half after some text starts on the text's page
 * (when its caption, header and two rows fit there) and continues on the
 * next, header repeated.  The review of 70 reports' table1 after its
 * PRISMA diagram. */
static void tables_flow_from_where_they_are(void **state)
{
	struct sm_render_fx *f = *state;
	struct laid l = lay(f, f->sae, f->rsae, NULL);
	page_invariants(&l);
	size_t k = 0;
	size_t i = table_block(&l, "Table 1.", &k);
	const struct sm_rplace *p = &l.flow.pl[k];
	assert_true(p->y > 0.25 * SM_RDOC_CONTENT_H); /* below the PRISMA figure */
	const struct sm_rblock *b = &l.doc->blocks[i];
	assert_true(b->fig->npages >= 2);
	assert_int_equal(l.flow.pl[k + 1].page, p->page + 1);
	assert_int_equal(l.flow.pl[k + 1].y, 0);
	/* the first page fills what was left */
	double end = p->y + b->h;
	assert_true(end > SM_RDOC_CONTENT_H - 40);
	for (int q = 0; q < b->fig->npages; q++)
		assert_int_equal(heads_on_page(b->fig, q), 7); /* the header on every page */
	laid_release(&l);
}

static double table_head(const struct sm_table_layout *l)
{
	return l->head_h + l->row_h[0] + l->row_h[1];
}

/* k filler paragraphs, a heading, then a table: wherever the paragraphs
 * end, the table starts below its heading when its caption, header and two
 * rows fit there, else on the next page with its heading; never a
 * heading alone at the bottom of a page. */
static void tables_after_any_amount_of_text(void **state)
{
	struct sm_render_fx *f = *state;
	int mid_page = 0, moved = 0;
	/* what the domain table's first page must hold, set as the report sets it */
	struct sm_table *dt = sm_table_from_res(f->ctx, f->rmsc, "domains");
	assert_non_null(dt);
	struct sm_table_req req = { .width_pt = SM_RDOC_CONTENT_W, .bare = 1, .font_size = 7 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *geo = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, dt, &req, &fig, &geo));
	double header_and_two_rows = table_head(geo);
	sm_table_layout_free(geo);
	sm_fig_free(fig);
	sm_table_free(dt);
	for (int k = 0; k <= 40; k += 1) {
		struct sm_buf t;
		sm_buf_init(&t);
		sm_buf_printf(&t, "# Filler\n");
		for (int j = 0; j < k; j++)
			sm_buf_printf(&t, "Paragraph %d of filler text that runs over more than one "
				      "line of the page, so that the table below it starts a little "
				      "further down with every paragraph added to the template.\n\n",
				      j);
		sm_buf_printf(&t, "## The domains\n@table domains\n");
		struct laid l = lay(f, f->msc, f->rmsc, t.data);
		sm_buf_release(&t);
		page_invariants(&l);
		size_t at = 0;
		size_t i = table_block(&l, "Table 1.", &at);
		const struct sm_rplace *p = &l.flow.pl[at], *head = &l.flow.pl[at - 1];
		assert_string_equal(l.doc->blocks[head->block].text, "The domains");
		assert_int_equal(head->page, p->page);
		const struct sm_rplace *before = &l.flow.pl[at - 2];
		if (before->page == p->page) {
			mid_page++;
		} else {
			/* it moved: the rest of the page could not hold the heading,
			 * the caption, the header and two rows */
			moved++;
			const struct sm_rblock *b = &l.doc->blocks[i];
			const struct sm_rblock *prev = &l.doc->blocks[before->block];
			const struct sm_rblock *h = &l.doc->blocks[head->block];
			double rest = SM_RDOC_CONTENT_H - before->y - prev->h;
			double need = h->space_before + h->h + SM_RDOC_FIGURE_SPACE + b->cap_h +
				      SM_RDOC_CAPTION_GAP + header_and_two_rows;
			if (rest >= need + 0.5)
				fail_msg("k = %d: the table moved although %g pt of the %g it "
					 "needs were left", k, rest, need);
		}
		laid_release(&l);
	}
	assert_true(mid_page > 5 && moved > 0);
}

static void text_has_one_caption(const char *pdf)
{
	char *text = sm_render_pdf_text(pdf, 0);
	sm_render_expect_text(text, "Table 1. Study characteristics of randomized control trials");
	assert_null(strstr(text, "Table 1. Table 2"));
	free(text);
}

/* The PDF: landscape pages where the tables are, and no text below the
 * minimum size as the checking tool measures it (word box height / 1.15). */
static void pdf_pages_and_text_sizes(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	char *pdf = sm_asprintf("%s/msc.pdf", f->dir);
	sm_render_expect_ok(f, sm_report_write(f->ctx, f->msc, f->rmsc, &o, pdf));
	char *cmd = sm_asprintf("pdfinfo -f 1 -l 999 '%s'", pdf);
	char *info = sm_render_run_ok(cmd);
	int landscape = 0, portrait = 0;
	for (const char *s = info; (s = strstr(s, " size: ")); s++) {
		double w = 0, h = 0;
		if (sscanf(s, " size: %lf x %lf", &w, &h) == 2)
			w > h ? landscape++ : portrait++;
	}
	assert_true(landscape >= 2 && portrait > 10);
	free(info);
	free(cmd);
	cmd = sm_asprintf("pdftotext -bbox '%s' -", pdf);
	char *bbox = sm_render_run_ok(cmd);
	double smallest = INFINITY;
	for (const char *s = bbox; (s = strstr(s, "<word xMin=")); s++) {
		double x0, y0, x1, y1;
		if (sscanf(s, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0,
			   &x1, &y1) == 4)
			smallest = fmin(smallest, (y1 - y0) / 1.15);
	}
	if (smallest < 6.0)
		fail_msg("text of %.2f pt in the report (the style's minimum is 6 pt)", smallest);
	text_has_one_caption(pdf);
	free(bbox);
	free(cmd);
	free(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wide_table_goes_landscape),
		cmocka_unit_test(tables_flow_from_where_they_are),
		cmocka_unit_test(tables_after_any_amount_of_text),
		cmocka_unit_test(pdf_pages_and_text_sizes),
		cmocka_unit_test(msc_pages_are_full),
		cmocka_unit_test(msc_order_and_verdicts),
		cmocka_unit_test(msc_figure_waits_table_fills),
	};
	return cmocka_run_group_tests(tests, sm_render_fx_setup, sm_render_fx_teardown);
}
