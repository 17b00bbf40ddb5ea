/* Tests of tables: content built from the typed results, layout (widths,
 * wrapping, pages with the header repeated), the display list it fills,
 * the heights each page uses (for a report page), the figure kind and the
 * PDF/SVG/PNG files. */
#define _GNU_SOURCE /* memmem */
#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_table.h"
#include "sm_table_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MM (72 / 25.4)

/* A fixture document with its tables replaced: `domain_table` (JSON text
 * or NULL to leave none) and review.tables (JSON text or NULL for null);
 * review.studies go when `no_studies` (no characteristics then).  Read
 * through the typed reader, as every renderer's input is. */
static struct sm_res *doc_with(struct sm_render_fx *f, const cJSON *base,
			       const char *domain_table, const char *tables, int no_studies)
{
	cJSON *doc = cJSON_Duplicate(base, 1);
	cJSON *review = cJSON_GetObjectItemCaseSensitive(doc, "review");
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "domain_table");
	if (domain_table)
		cJSON_AddItemToObject(doc, "domain_table", cJSON_Parse(domain_table));
	cJSON_ReplaceItemInObjectCaseSensitive(review, "tables",
					       tables ? cJSON_Parse(tables) : cJSON_CreateNull());
	if (no_studies)
		cJSON_DeleteItemFromObjectCaseSensitive(review, "studies");
	struct sm_res *res = sm_res_from_json(f->ctx, "test.json", doc);
	cJSON_Delete(doc);
	if (!res) {
		char *m = sm_diag_format(sm_ctx_error(f->ctx));
		print_error("test document does not read: %s\n", m ? m : "?");
		free(m);
	}
	assert_non_null(res);
	return res;
}

/* The domain table as the analysis stage writes it (two domains). */
static const char domain_table[] =
	"{\"arm_labels\":[\"MSC\",\"Control\"],\"level\":95,\"counting\":\"comparisons\","
	"\"rows\":["
	"{\"analysis\":\"Infections and infestations\",\"measure\":\"OR\",\"k\":44,"
	"\"k_studies\":21,\"events_t\":120,\"n_t\":1300,\"events_c\":134,\"n_c\":1029,"
	"\"n_t_by_study\":null,\"n_c_by_study\":null,"
	"\"estimate\":0.7297,\"ci_lb\":0.5434,\"ci_ub\":0.9795,\"p\":0.0358,\"I2\":0,"
	"\"tau2\":0,\"egger_p\":0.181,\"begg_p\":0.598,\"direction\":\"fewer\","
	"\"verdict\":\"Fewer events with MSC\",\"absolute\":{\"control_per_1000\":130.2,"
	"\"treated_per_1000\":98.4,\"treated_ci_lb_per_1000\":75.2,"
	"\"treated_ci_ub_per_1000\":127.8,\"difference_per_1000\":-31.8,"
	"\"difference_ci_lb_per_1000\":-55,\"difference_ci_ub_per_1000\":-2.4}},"
	"{\"analysis\":\"Hematological\",\"measure\":\"OR\",\"k\":2,\"k_studies\":2,"
	"\"events_t\":4,\"n_t\":44,\"events_c\":4,\"n_c\":35,\"n_t_by_study\":null,"
	"\"n_c_by_study\":null,\"estimate\":0.62,"
	"\"ci_lb\":0.13,\"ci_ub\":2.89,\"p\":0.0004,\"I2\":0,\"tau2\":0,\"egger_p\":null,"
	"\"begg_p\":1,\"direction\":null,\"verdict\":\"No significant difference\","
	"\"absolute\":null}]}";

static void domain_table_cells(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_res *res = doc_with(f, f->tum, domain_table, NULL, 1);
	struct sm_table *t = sm_table_from_res(f->ctx, res, "domains");
	assert_non_null(t);
	assert_int_equal(t->nrows, 2);
	assert_int_equal(t->ncols, 13);
	assert_string_equal(t->headers[2], "MSC events/N");
	assert_string_equal(t->headers[3], "Control events/N");
	assert_string_equal(t->headers[4], "OR [95% CI]");
	assert_string_equal(sm_table_cell(t, 0, 0), "Infections and infestations");
	assert_string_equal(sm_table_cell(t, 0, 1), "44 (21)");
	assert_string_equal(sm_table_cell(t, 0, 2), "120/1300");
	assert_string_equal(sm_table_cell(t, 0, 4), "0.73 [0.54, 0.98]");
	assert_string_equal(sm_table_cell(t, 0, 5), "0.036");
	assert_string_equal(sm_table_cell(t, 0, 10), "130");
	assert_string_equal(sm_table_cell(t, 0, 11), "98 [75, 128]");
	assert_string_equal(sm_table_cell(t, 0, 12), "Fewer events with MSC");
	assert_string_equal(sm_table_cell(t, 1, 5), "<0.001");
	assert_string_equal(sm_table_cell(t, 1, 8), "NA");
	assert_string_equal(sm_table_cell(t, 1, 11), "");
	assert_int_equal(t->align[4], SM_ALIGN_RIGHT);
	assert_int_equal(t->align[12], SM_ALIGN_LEFT);
	assert_non_null(strstr(t->footnote, "summed over comparisons"));
	sm_table_free(t);
	size_t n;
	const char **names = sm_table_names_in(res, &n);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "domains");
	free(names);
	sm_res_free(res);
	/* The effect column is named by the measure's short name. */
	char *rr = strdup(domain_table);
	for (char *p = rr; (p = strstr(p, "\"OR\"")); p += 4)
		memcpy(p, "\"RR\"", 4);
	res = doc_with(f, f->tum, rr, NULL, 1);
	t = sm_table_from_res(f->ctx, res, "domains");
	assert_string_equal(t->headers[4], "RR [95% CI]");
	sm_table_free(t);
	sm_res_free(res);
	free(rr);
	/* The renderer never computes the table itself. */
	assert_null(sm_table_from_res(f->ctx, f->rtum, "domains"));
	assert_int_equal(sm_ctx_error(f->ctx)->code, SM_EINPUT);
	sm_ctx_clear_error(f->ctx);
}

/* "E [L, U]" of a rare-event method as the table prints it (two
 * decimals; per 1000 with one for risk differences), from the fixture's
 * own numbers. */
static void method_cell(char *out, size_t n, const cJSON *m, double f, int dec)
{
	snprintf(out, n, "%.*f [%.*f, %.*f]", dec,
		 f * cJSON_GetObjectItem(m, "estimate")->valuedouble, dec,
		 f * cJSON_GetObjectItem(m, "ci_lb")->valuedouble, dec,
		 f * cJSON_GetObjectItem(m, "ci_ub")->valuedouble);
}

/* `s` with every '-' a U+2212 minus sign and a "-0" that rounds to zero
 * as "0" (as sm_fmt writes them); free() it. */
static char *minus_signs(const char *s)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (const char *p = s; *p; p++) {
		if (*p == '-' && p[1] == '0' && !strchr(".0123456789", p[2]))
			continue;
		if (*p == '-')
			sm_buf_puts(&b, "\u2212");
		else
			sm_buf_printf(&b, "%c", *p);
	}
	return sm_buf_take(&b);
}

/* Issue 16: the rare-event comparison is one row per domain and scale
 * with a column per method (a row per method took over two pages); the
 * sensitivity table leaves out the random-effects row that repeats "All
 * studies" and says so. */
static void rare_events_and_sensitivity_rows(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "rare_events");
	assert_non_null(t);
	const cJSON *a0 = cJSON_GetArrayItem(cJSON_GetObjectItem(f->msc, "analyses"), 0);
	const cJSON *methods =
		cJSON_GetObjectItem(cJSON_GetObjectItem(a0, "rare_events"), "methods");
	/* 5 methods on the OR scale, 2 of them on RD too: 2 + 5 columns (the
	 * risk-difference row names its scale where the domain's name goes:
	 * no column of its own, which left the names two lines a row) */
	assert_int_equal(t->ncols, 2 + 5);
	assert_int_equal(t->nrows, 2 * f->rmsc->analyses.n);
	assert_string_equal(t->headers[2], "Inverse variance (corrected)");
	assert_string_equal(t->headers[3], "Mantel-Haenszel");
	assert_string_equal(t->headers[5], "GLMM UM.FS");
	assert_string_equal(sm_table_cell(t, 0, 0), f->rmsc->analyses.v[0].name);
	assert_string_equal(sm_table_cell(t, 0, 1), "36 (1)");
	assert_string_equal(sm_table_cell(t, 1, 0), "RD per 1000");
	assert_string_equal(sm_table_cell(t, 1, 1), "");
	char want[64];
	const cJSON *m;
	int col = 2;
	cJSON_ArrayForEach(m, methods) {
		int rd = !strcmp(cJSON_GetObjectItem(m, "measure")->valuestring, "RD");
		if (rd && col > 3)
			col = 2; /* RD: IV and MH again, on the second row */
		/* risk differences per 1000 in whole patients */
		method_cell(want, sizeof want, m, rd ? 1000 : 1, rd ? 0 : 2);
		/* (sm_fmt writes a true minus sign; "-0" is "0") */
		char *minus = minus_signs(want);
		assert_string_equal(sm_table_cell(t, rd, col), minus);
		free(minus);
		col++;
	}
	assert_string_equal(sm_table_cell(t, 1, 4), ""); /* no Peto risk difference */
	assert_non_null(strstr(t->footnote, "figures/methods-DOMAIN"));
	assert_null(strstr(t->footnote, "P:")); /* no P or tau2 columns */
	for (size_t c = 0; c < t->ncols; c++)
		assert_null(strstr(t->headers[c], "\xcf\x84"));
	sm_table_free(t);

	char *name = sm_asprintf("%s%s", SM_TABLE_SENS_PREFIX, f->rmsc->analyses.v[0].name);
	t = sm_table_from_res(f->ctx, f->rmsc, name);
	assert_non_null(t);
	size_t rows = cJSON_GetArraySize(
		cJSON_GetObjectItem(cJSON_GetObjectItem(a0, "sensitivity"), "rows"));
	assert_int_equal(t->nrows, rows - 1);
	for (size_t r = 0; r < t->nrows; r++)
		assert_string_not_equal(sm_table_cell(t, r, 0), "Random effects");
	assert_string_equal(sm_table_cell(t, 0, 0), "All studies");
	/* the rules say it (once a report), not a note of the table's own */
	assert_non_null(strstr(t->footnote, "Random effects: left out where it is the "
				"analysis' own model"));
	assert_null(strstr(t->footnote, "Random effects: as all studies"));
	sm_table_free(t);
	free(name);
	/* the table of every analysis says it once */
	t = sm_table_from_res(f->ctx, f->rmsc, "sensitivity");
	assert_non_null(t);
	for (size_t r = 0; r < t->nrows; r++)
		assert_string_not_equal(sm_table_cell(t, r, 1), "Random effects");
	assert_non_null(strstr(t->footnote, "Random effects: left out"));
	sm_table_free(t);
}

/* Issue 16: a row note every analysis has word for word (the multilevel
 * model's "variance components in ...") is said once, in the rules the
 * report states under the first table, not under every table; notes that
 * differ between analyses (the studies left out) stay each table's own. */
static void sensitivity_shared_note_once(void **state)
{
	struct sm_render_fx *f = *state;
	static const char note[] = "Multilevel (rows within clusters): variance components";
	char *rules = sm_table_sens_rules(f->rmsc, NULL);
	assert_non_null(rules);
	const char *in = strstr(rules, note);
	assert_non_null(in);
	assert_null(strstr(in + 1, note));
	size_t with_note = 0;
	for (size_t i = 0; i < f->rmsc->analyses.n; i++) {
		const char *name = f->rmsc->analyses.v[i].name;
		char *key = sm_asprintf("%s%s", SM_TABLE_SENS_PREFIX, name);
		struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, key);
		assert_non_null(t);
		/* the rules open the footnote; the rest is the table's own */
		char *mine = sm_table_sens_rules(f->rmsc, name);
		assert_int_equal(strncmp(t->footnote, mine, strlen(mine)), 0);
		assert_null(strstr(t->footnote + strlen(mine), note));
		with_note += strstr(mine, note) != NULL;
		if (i == 0) /* its own: the studies trim and fill imputed */
			assert_non_null(strstr(t->footnote + strlen(mine), "Trim-and-fill "
						"adjusted: 10 studies filled on the left."));
		free(mine);
		sm_table_free(t);
		free(key);
	}
	assert_int_equal(with_note, f->rmsc->analyses.n);
	free(rules);
}

/* Below the small-study minimum (10 studies) a sensitivity table has no
 * trim-and-fill row ("not assessed" in every small domain's table); the
 * rules say it once.  Analyses of 10 studies or more keep the row. */
static void sensitivity_no_unassessed_rows(void **state)
{
	struct sm_render_fx *f = *state;
	static const char *const names[] = {
		"Musculoskeletal and connective tissue disorders", /* k = 4 */
		"General disorders and administration site conditions", /* k = 36 */
	};
	for (int i = 0; i < 2; i++) {
		char *name = sm_asprintf("%s%s", SM_TABLE_SENS_PREFIX, names[i]);
		struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, name);
		assert_non_null(t);
		int trim = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			trim += !strcmp(sm_table_cell(t, r, 0), "Trim-and-fill adjusted");
			for (size_t c = 0; c < t->ncols; c++)
				assert_null(strstr(sm_table_cell(t, r, c), "not assessed"));
		}
		assert_int_equal(trim, i);
		assert_non_null(strstr(t->footnote, "Trim and fill is not assessed below 10 "
					"studies"));
		sm_table_free(t);
		free(name);
	}
}

static void review_tables(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "characteristics");
	assert_non_null(t);
	assert_int_equal(t->nrows, 36);
	/* Study + 14 printed + 2 row-identity keys + the 2 numeric characteristics
	 * (follow-up in months, patients) that serve as moderators */
	assert_int_equal(t->ncols, 19);
	assert_string_equal(t->headers[1], "Country");
	assert_string_equal(sm_table_cell(t, 0, 0), "Ning et al., 2008");
	assert_string_equal(sm_table_cell(t, 1, 1), "USA");
	sm_table_free(t);
	t = sm_table_from_res(f->ctx, f->rmsc, "table2");
	assert_non_null(t);
	assert_int_equal(t->nrows, 36);
	assert_int_equal(t->ncols, 16);
	assert_string_equal(t->title, "Table 2 | Study characteristics of randomized control trials");
	assert_non_null(t->footnote);
	sm_table_free(t);

	t = sm_table_from_res(f->ctx, f->rmsc, "domains");
	assert_non_null(t);
	assert_int_equal(t->nrows, f->rmsc->domain_table.rows.n);
	sm_table_free(t);

	size_t n;
	const char **names = sm_table_names_in(f->rallo, &n);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "table1");
	assert_string_equal(names[3], "table4");
	free(names);
	assert_null(sm_table_from_res(f->ctx, f->rallo, "table9"));
	assert_string_equal(sm_ctx_error(f->ctx)->msg,
			    "no table 'table9' in the results; expected one of: "
			    "table1, table2, table3, table4");
	sm_ctx_clear_error(f->ctx);
	/* Numbers in free-form tables print in their shortest form, null as "". */
	struct sm_res *res = doc_with(f, f->tum, NULL,
				      "[{\"id\":\"x\",\"columns\":[\"a\",\"b\"],\"rows\":"
				      "[[0.1,null],[12,\"t\"],[1e-7,5.551115123125783e-17]]}]", 1);
	t = sm_table_from_res(f->ctx, res, "x");
	assert_non_null(t);
	assert_string_equal(sm_table_cell(t, 0, 0), "0.1");
	assert_string_equal(sm_table_cell(t, 0, 1), "");
	assert_string_equal(sm_table_cell(t, 1, 0), "12");
	assert_string_equal(sm_table_cell(t, 2, 0), "1e-07");
	assert_string_equal(sm_table_cell(t, 2, 1), "5.551115123125783e-17"); /* 16 digits */
	assert_int_equal(t->align[0], SM_ALIGN_RIGHT);
	assert_int_equal(t->align[1], SM_ALIGN_LEFT);
	sm_table_free(t);
	sm_res_free(res);
}

/* Characteristics: keys in order of first appearance over the studies,
 * the first value when a study repeats a key, numbers in shortest form. */
static void characteristics_columns(void **state)
{
	struct sm_render_fx *f = *state;
	const struct sm_res_study_info *s = &f->rmsc->review.studies.v[0];
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "characteristics");
	assert_non_null(t);
	assert_true(s->characteristics.n >= 1);
	for (size_t j = 0; j < s->characteristics.n; j++) {
		const struct sm_res_char *ch = &s->characteristics.v[j];
		size_t c = 1;
		while (c < t->ncols && strcmp(t->headers[c], ch->key))
			c++;
		assert_true(c < t->ncols);
		if (ch->value.kind == SM_CELL_STRING)
			assert_string_equal(sm_table_cell(t, 0, c), ch->value.s);
		else if (ch->value.kind == SM_CELL_NUMBER)
			assert_true(strtod(sm_table_cell(t, 0, c), NULL) == ch->value.v);
		else if (ch->value.kind == SM_CELL_NULL)
			assert_string_equal(sm_table_cell(t, 0, c), "");
	}
	sm_table_free(t);
}

/* Texts of the figure with tag `tag` on `page`. */
static size_t count_texts(const struct sm_fig *fig, int tag, int page)
{
	size_t n = 0;
	for (size_t i = 0; i < fig->ntexts; i++)
		n += fig->texts[i].tag == tag && fig->texts[i].page == page;
	return n;
}

/* The display list holds what the geometry says: pages as wide as the
 * page (a bare table, for a report page: as the table), per page with rows
 * the three rules at the header's top, under it and under the last row,
 * the header row, that page's cells; the title first on page 0; the
 * footnote on its page; each page's used height. */
static void check_fig(const struct sm_fig *fig, const struct sm_table_layout *l,
		      const struct sm_table *t, int bare)
{
	assert_int_equal(fig->npages, l->npages);
	/* a bare table with a title or footnote: as wide as those (the page's
	 * content width), the table centred under them */
	int notes = t->title || t->footnote;
	sm_check_close(fig->width, !bare ? l->page_w : notes ? l->text_w : l->table_w, 0, 0,
		       "figure width");
	if (bare && notes)
		sm_check_close(l->table_x, (l->text_w - l->table_w) / 2, 1e-9, 0, "table centred");
	sm_check_close(fig->height, l->page_h, 0, 0, "figure height");
	size_t heads = 0;
	for (size_t c = 0; c < t->ncols; c++)
		heads += *t->headers[c] != 0;
	for (int p = 0; p < l->npages; p++) {
		int with_rows = 0;
		for (size_t r = 0; r < l->nrows; r++)
			with_rows |= l->row_page[r] == p;
		int header = with_rows || p == 0;
		assert_int_equal(count_texts(fig, SM_TT_HEAD, p), header ? heads : 0);
		size_t rules = 0;
		for (size_t i = fig->page_item[p]; i < fig->page_item[p + 1]; i++) {
			const struct sm_fig_item *it = &fig->items[i];
			assert_int_equal(it->kind, SM_FIG_LINE);
			assert_int_equal(it->ref, p);
			double want = sm_table_layout_head_y(l, p) +
				      (it->tag == SM_TT_RULE_HEAD ? l->head_h : 0);
			if (it->tag == SM_TT_RULE_BOTTOM)
				want = sm_table_layout_rows_end(l, p);
			sm_check_close(it->y0, want, 1e-12, 1e-9, "rule %d on page %d", it->tag, p);
			sm_check_close(it->x1 - it->x0, l->table_w, 1e-12, 1e-9, "rule width");
			rules++;
		}
		assert_int_equal(rules, header ? 3 : 0);
		assert_int_equal(count_texts(fig, SM_TT_TITLE, p), p == 0 && t->title ? 1 : 0);
		assert_int_equal(count_texts(fig, SM_TT_FOOT, p),
				 p == l->foot_page && t->footnote ? 1 : 0);
		sm_check_close(sm_fig_page_used(fig, p), sm_table_layout_used(l, p), 0, 0,
			       "figure's used height of page %d", p);
	}
	assert_int_equal(fig->npages_used, l->npages);
	if (t->title) {
		assert_int_equal(fig->texts[0].tag, SM_TT_TITLE);
		assert_true(fig->texts[0].before_items);
	}
	for (size_t i = 0; i < fig->ntexts; i++) {
		const struct sm_fig_text *x = &fig->texts[i];
		if (x->tag != SM_TT_CELL)
			continue;
		size_t r = (size_t)x->ref / t->ncols, c = (size_t)x->ref % t->ncols;
		assert_int_equal(x->page, l->row_page[r]);
		assert_string_equal(x->text, sm_table_cell(t, r, c));
		sm_check_close(x->oy, l->row_y[r] + l->pad, 1e-12, 1e-9, "cell %zu,%zu top", r, c);
		assert_true(x->box.x0 >= l->col_x[c] - 0.01 &&
			    x->box.x1 <= l->col_x[c] + l->col_w[c] + 0.01);
		assert_true(x->box.y1 <= l->row_y[r] + l->row_h[r] + 1e-9);
	}
}

static void pages_repeat_the_header(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rsae, "table1");
	assert_non_null(t);
	double page_h = 250 * MM, width = 175 * MM;
	struct sm_table_req req = { .width_pt = width, .page_h = page_h };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->npages >= 2);
	assert_true(l->page_w <= width + 1e-9); /* seven columns fit, nothing widens */
	double used = l->gap * (double)(t->ncols - 1);
	for (size_t c = 0; c < t->ncols; c++)
		used += l->col_w[c];
	assert_true(used <= width - 2 * l->margin + 1e-6);
	int page = -1;
	for (size_t r = 0; r < t->nrows; r++) {
		assert_true(l->row_y[r] + l->row_h[r] <= page_h - l->margin + 1e-9);
		if (l->row_page[r] != page) {
			/* First row of each page sits right under that page's header. */
			assert_int_equal(l->row_page[r], page + 1);
			page = l->row_page[r];
			sm_check_close(l->row_y[r], sm_table_layout_head_y(l, page) + l->head_h,
				       1e-12, 1e-9, "row %zu below the header", r);
		} else {
			sm_check_close(l->row_y[r], l->row_y[r - 1] + l->row_h[r - 1], 1e-12, 1e-9,
				       "row %zu follows", r);
		}
	}
	assert_int_equal(page, l->npages - 1 - (l->foot_page > page));
	check_fig(fig, l, t, 0);
	/* What a page uses ends with its last row, or the footnote on its page. */
	for (int p = 0; p < l->npages; p++) {
		double want = p == l->foot_page ? l->foot_y + l->foot_h
						: sm_table_layout_rows_end(l, p);
		sm_check_close(sm_table_layout_used(l, p), want, 1e-12, 0, "used on page %d", p);
		assert_true(sm_table_layout_used(l, p) <= page_h - l->margin + 1e-9);
	}
	sm_table_layout_free(l);
	sm_fig_free(fig);
	/* Unpaginated (SVG, PNG): one page as tall as the table. */
	req.page_h = 0;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_int_equal(l->npages, 1);
	sm_check_close(l->page_h, l->foot_y + l->foot_h + l->margin, 1e-12, 0, "page height");
	check_fig(fig, l, t, 0);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
}

/* Issue 16: a column of names beside a column of long findings (the check
 * table) gets the width that makes the table shortest, not a share in
 * proportion to the unwrapped widths (the findings' thousands of points
 * left the names three lines beside a one-line finding: "none"). */
static void names_beside_long_text(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "check");
	assert_non_null(t);
	/* as a report page sets it */
	struct sm_table_req req = { .width_pt = 175 * MM, .font_size = 7, .bare = 1,
				    .fit_width = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	double line = l->head_h - 2 * l->pad; /* the header: one line of one-word heads */
	size_t none = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		if (strcmp(sm_table_cell(t, r, 2), "none") != 0)
			continue;
		none++;
		if (l->row_h[r] - 2 * l->pad > 2 * line + 0.5)
			fail_msg("'%s': %.1f lines beside 'none'", sm_table_cell(t, r, 0),
				 (l->row_h[r] - 2 * l->pad) / line);
	}
	assert_true(none >= 2);
	check_fig(fig, l, t, 1);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
}

static void long_cells_wrap(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_new(f->ctx, "w", 2);
	sm_table_set_header(f->ctx, t, 0, "Name", SM_ALIGN_LEFT);
	sm_table_set_header(f->ctx, t, 1, "Comment", SM_ALIGN_LEFT);
	sm_table_add_row(f->ctx, t);
	sm_table_add_row(f->ctx, t);
	sm_table_set(f->ctx, t, 0, 0, "short");
	sm_table_set(f->ctx, t, 0, 1, "one line");
	sm_table_set(f->ctx, t, 1, 0, "short");
	sm_table_set(f->ctx, t, 1, 1, "a long comment that cannot fit on one line of a narrow "
				      "page and must therefore be wrapped over several lines");
	struct sm_table_req req = { .width_pt = 60 * MM };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->row_h[1] > 2 * l->row_h[0]);
	assert_true(l->col_x[1] + l->col_w[1] <= 60 * MM - l->margin + 1e-9);
	check_fig(fig, l, t, 0);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	/* A word wider than the page widens the page instead of breaking. */
	sm_table_set(f->ctx, t, 0, 1, "Pneumonoultramicroscopicsilicovolcanoconiosis-"
				      "Pneumonoultramicroscopicsilicovolcanoconiosis");
	req.width_pt = 30 * MM;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->page_w > 30 * MM);
	sm_check_close(fig->width, l->page_w, 0, 0, "the figure widens with the page");
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
}

/* A table on report pages (bare): no margin, at most the width given,
 * pages of at most the height given, the figure as wide as the table, and
 * the height each page uses recorded in the figure. */
static void report_pages(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rsae, "table1");
	assert_non_null(t);
	double width = 175 * MM, page_h = 120 * MM;
	struct sm_table_req req = { .width_pt = width, .page_h = page_h, .bare = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_int_equal(l->margin, 0);
	assert_true(l->npages >= 2);
	assert_int_equal(fig->npages, l->npages);
	sm_check_close(fig->width, l->table_w, 0, 0, "table width");
	assert_true(fig->width <= width + 1e-9);
	sm_check_close(fig->height, page_h, 0, 0, "page height");
	for (int p = 0; p < l->npages; p++) {
		sm_check_close(sm_fig_page_used(fig, p), sm_table_layout_used(l, p), 0, 0,
			       "page %d", p);
		assert_true(sm_fig_page_used(fig, p) <= page_h + 1e-9);
	}
	check_fig(fig, l, t, 1);
	/* The kind lays out the same for a report page. */
	struct sm_table_fopts ko;
	sm_figure_table.opts_init(&ko);
	ko.table = "table1";
	struct sm_figure_env env = { .format = SM_CANVAS_PDF, .page_height = page_h, .max_width = width };
	struct sm_fig *kf = NULL;
	sm_render_expect_ok(f, sm_figure_table.layout(f->ctx, f->rsae, &ko, &env, &kf));
	assert_int_equal(kf->npages, fig->npages);
	assert_true(kf->width == fig->width && kf->height == fig->height);
	for (int p = 0; p < kf->npages; p++)
		assert_true(sm_fig_page_used(kf, p) == sm_fig_page_used(fig, p));
	assert_int_equal(kf->ntexts, fig->ntexts);
	assert_int_equal(kf->nitems, fig->nitems);
	for (size_t i = 0; i < kf->ntexts; i++) {
		assert_string_equal(kf->texts[i].text, fig->texts[i].text);
		assert_true(kf->texts[i].ox == fig->texts[i].ox && kf->texts[i].oy == fig->texts[i].oy);
	}
	/* A page past the last one is not drawn. */
	assert_int_equal(sm_fig_draw_page(f->ctx, NULL, kf, l->npages, 0, 0), SM_EINTERNAL);
	sm_ctx_clear_error(f->ctx);
	sm_fig_free(kf);
	sm_fig_free(fig);
	sm_table_layout_free(l);
	sm_table_free(t);
}

/* The check findings in words: values named in words with true minus and
 * plus-minus signs, the analysis stage's sentences with the same
 * typography and no field names left. */
static void check_findings_in_words(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "check");
	assert_non_null(t);
	assert_int_equal(t->ncols, 3);
	const char *immune = NULL, *hema = NULL, *gastro = NULL;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *name = sm_table_cell(t, r, 0), *found = sm_table_cell(t, r, 2);
		if (!strcmp(name, "Immune system disorders"))
			immune = found;
		if (!strcmp(name, "Hematological or oncological disorders"))
			hema = found;
		if (!strcmp(name, "Gastrointestinal disorders"))
			gastro = found;
		static const char *const field_names[] = { "ci_lb", "ci_ub", "rstudent_bound",
							   "egger_p", "begg_p", "Q_p", "tau2",
							   "+-", " -0", " -1", " -2", "(-", "= -" };
		for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
			if (strstr(found, field_names[i]))
				fail_msg("'%s' in the findings of %s:\n%s", field_names[i], name, found);
	}
	assert_non_null(immune);
	/* values with one likely cause: the cause once, then each value */
	sm_render_expect_text(immune, "\u2022 values, likely cause of each: the paper's k (4) "
				      "differs from the data's (3): ");
	sm_render_expect_text(immune, "; lower CI bound reported as \u22122.42 (\u00b1 0.005), "
				      "recomputed \u22122.85;");
	const char *cause = strstr(immune, "the paper's k (4) differs");
	assert_non_null(cause);
	assert_null(strstr(cause + 1, "the paper's k (4) differs"));
	sm_render_expect_text(immune, "studentized-residual bound reported as 2.4977 "
				      "(\u00b1 0.00005), recomputed 2.3940");
	sm_render_expect_text(immune, "\u03c4\u00b2 reported as 0.2214");
	sm_render_expect_text(immune, "Egger's test P value reported as 0.1865");
	assert_non_null(hema);
	sm_render_expect_text(hema, "\u2022 not computable: the paper gives its Egger's test P "
				    "value as 0.8987, but it cannot be computed for these data "
				    "(k = 2)");
	assert_non_null(gastro);
	sm_render_expect_text(gastro, "contradicts its own Z = \u22120.00272, which gives P");
	sm_render_expect_text(gastro, "z statistic reported as \u22120.00272 (\u00b1 0.000005), "
				      "recomputed \u22120.20729");
	sm_table_free(t);
}

/* A table that starts part way down a report page: page 0 holds what
 * fits in its shorter room, the other pages the full height, the header
 * on each. */
static void first_page_shorter(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rsae, "table1");
	assert_non_null(t);
	double width = 175 * MM, page_h = 120 * MM, first = 40 * MM;
	struct sm_table_req req = { .width_pt = width, .page_h = page_h, .first_page_h = first,
				    .bare = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->npages >= 3);
	size_t on_first = 0;
	double used_second = 0;
	for (size_t r = 0; r < l->nrows; r++) {
		double bottom = l->row_page[r] == 0 ? first : page_h;
		assert_true(l->row_y[r] + l->row_h[r] <= bottom + 1e-9);
		on_first += l->row_page[r] == 0;
		if (l->row_page[r] == 1)
			used_second = l->row_y[r] + l->row_h[r];
	}
	assert_true(on_first >= 1);
	/* page 0 is full: its next row would not have fitted */
	assert_true(l->row_y[on_first - 1] + l->row_h[on_first - 1] + l->row_h[on_first] > first);
	/* page 1 has the full height, more than page 0's room */
	assert_true(used_second > first);
	check_fig(fig, l, t, 1);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	/* Too short for the header and a row: refused. */
	req.first_page_h = 5;
	sm_render_expect_fail(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l),
			      "the page is too short for the table header");
	assert_null(fig);
	sm_table_free(t);
}

/* A report page does not widen: long words break inside the width. */
static void fixed_width_breaks_words(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_new(f->ctx, "w", 2);
	sm_table_set_header(f->ctx, t, 0, "Name", SM_ALIGN_LEFT);
	sm_table_set_header(f->ctx, t, 1, "Comment", SM_ALIGN_LEFT);
	sm_table_add_row(f->ctx, t);
	sm_table_set(f->ctx, t, 0, 0, "short");
	sm_table_set(f->ctx, t, 0, 1, "Pneumonoultramicroscopicsilicovolcanoconiosis");
	struct sm_table_req req = { .width_pt = 30 * MM, .bare = 1, .fit_width = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->words_broken);
	assert_true(l->table_w <= 30 * MM + 1e-9);
	assert_true(fig->width <= 30 * MM + 1e-9);
	/* the long word takes two lines or more */
	assert_true(l->row_h[0] - 2 * l->pad > 1.9 * (l->head_h - 2 * l->pad));
	check_fig(fig, l, t, 1);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	/* With room enough nothing breaks. */
	req.width_pt = 175 * MM;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_false(l->words_broken);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
}

/* A narrow table's title and footnote take the page's content width, not
 * the table's, and break between words (issue 18: "Characteristics" was cut
 * to the width of two short columns, mid-word). */
static void narrow_table_title(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_new(f->ctx, "n", 2);
	sm_table_set_header(f->ctx, t, 0, "k", SM_ALIGN_LEFT);
	sm_table_set_header(f->ctx, t, 1, "n", SM_ALIGN_RIGHT);
	sm_table_add_row(f->ctx, t);
	sm_table_set(f->ctx, t, 0, 0, "1");
	sm_table_set(f->ctx, t, 0, 1, "2");
	sm_table_set_title(f->ctx, t, "Characteristics of the randomized controlled trials",
			   "Abbreviations: k, comparisons; n, randomized participants.");
	for (int bare = 0; bare < 2; bare++) {
		struct sm_table_req req = { .width_pt = 120 * MM, .bare = bare, .fit_width = bare };
		struct sm_fig *fig = NULL;
		struct sm_table_layout *l = NULL;
		sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
		assert_true(l->table_w < 20 * MM);
		double content = 120 * MM - 2 * l->margin;
		sm_check_close(l->text_w, content, 1e-9, 0, "title width");
		int seen = 0;
		for (size_t i = 0; i < fig->ntexts; i++) {
			const struct sm_fig_text *x = &fig->texts[i];
			if (x->tag != SM_TT_TITLE && x->tag != SM_TT_FOOT)
				continue;
			seen++;
			assert_true(x->st.wrap >= content - 1e-9);
			/* one line each: no word broken, nothing wrapped */
			assert_true(x->box.y1 - x->box.y0 < 1.5 * x->st.size * 1.3);
			assert_true(x->box.x1 <= (bare ? fig->width : 120 * MM) + 1e-6);
		}
		assert_int_equal(seen, 2);
		check_fig(fig, l, t, bare);
		sm_table_layout_free(l);
		sm_fig_free(fig);
	}
	sm_table_free(t);
}

/* A table of n one-line rows, optionally with a footnote. */
static struct sm_table *rows_table(struct sm_render_fx *f, size_t n, const char *foot)
{
	struct sm_table *t = sm_table_new(f->ctx, "rows", 2);
	sm_table_set_header(f->ctx, t, 0, "Row", SM_ALIGN_LEFT);
	sm_table_set_header(f->ctx, t, 1, "Value", SM_ALIGN_RIGHT);
	for (size_t i = 0; i < n; i++) {
		char b[32];
		long r = sm_table_add_row(f->ctx, t);
		snprintf(b, sizeof b, "row %zu", i + 1);
		sm_table_set(f->ctx, t, (size_t)r, 0, b);
		snprintf(b, sizeof b, "%zu", 10 * i);
		sm_table_set(f->ctx, t, (size_t)r, 1, b);
	}
	sm_table_set_title(f->ctx, t, NULL, foot);
	return t;
}

static size_t rows_on(const struct sm_table_layout *l, int page)
{
	size_t n = 0;
	for (size_t r = 0; r < l->nrows; r++)
		n += l->row_page[r] == page;
	return n;
}

/* The last page never holds a single row alone when the page before can
 * spare one; a footnote that does not fit under the last row takes rows
 * along to its page. */
static void no_lone_rows_or_notes(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = rows_table(f, 9, NULL);
	struct sm_table_req req = { .width_pt = 100 * MM, .bare = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	double head = sm_table_layout_head_y(l, 0) + l->head_h, row = l->row_h[0];
	sm_table_layout_free(l);
	sm_fig_free(fig);
	/* pages of 8 rows: greedily 8 + 1; balanced 7 + 2 */
	req.page_h = head + 8 * row + 0.01;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_int_equal(l->npages, 2);
	assert_int_equal(rows_on(l, 0), 7);
	assert_int_equal(rows_on(l, 1), 2);
	check_fig(fig, l, t, 1);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
	/* 8 rows fill page 0 exactly; the footnote does not fit under them and
	 * takes the last two rows to page 1. */
	t = rows_table(f, 8, "A footnote.");
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_int_equal(l->npages, 2);
	assert_int_equal(l->foot_page, 1);
	assert_int_equal(rows_on(l, 0), 6);
	assert_int_equal(rows_on(l, 1), 2);
	assert_true(l->foot_y + l->foot_h <= req.page_h + 1e-9);
	check_fig(fig, l, t, 1);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
}

static void the_kind(void **state)
{
	struct sm_render_fx *f = *state;
	assert_string_equal(sm_figure_table.name, "table");
	assert_string_equal(sm_figure_table.positional, "table");
	assert_null(sm_figure_table.plan);
	assert_int_equal(sm_figure_table.nopts, 1);
	assert_string_equal(sm_figure_table.opts[0].name, "table");
	assert_int_equal(sm_figure_table.opts[0].type, SM_FOPT_STRING);
	assert_string_equal(sm_figure_table.opts[0].arg, "NAME");
	assert_string_equal(sm_figure_table.opts[0].help,
			    "domains | characteristics | sensitivity | rare_events | sof | check\n"
			    "| a review table id");
	assert_int_equal(sm_figure_table.opts_size, sizeof(struct sm_table_fopts));
	struct sm_table_fopts o;
	memset(&o, 0x55, sizeof o);
	sm_figure_table.opts_init(&o);
	assert_null(o.table);
	assert_null(o.common.style);
	assert_null(o.common.width);
	assert_null(o.common.title);
	assert_true(o.common.dpi == 300);
	struct sm_figure_env env = { .format = SM_CANVAS_PDF, .page_height = 0, .max_width = 0 };
	struct sm_fig *fig = NULL;
	/* --table is required, and a wrong name lists the right ones. */
	sm_render_expect_fail(f, sm_figure_table.layout(f->ctx, f->rsae, &o, &env, &fig),
			      "expected --table NAME, one of: domains, characteristics, sensitivity, table1");
	assert_null(fig);
	o.table = "nope";
	sm_render_expect_fail(f, sm_figure_table.layout(f->ctx, f->rsae, &o, &env, &fig),
			      "no table 'nope' in the results; expected one of: domains, "
			      "characteristics, sensitivity, table1");
	/* A PDF paginates at the style's page height; SVG is one page. */
	o.table = "table1";
	sm_render_expect_ok(f, sm_figure_table.layout(f->ctx, f->rsae, &o, &env, &fig));
	assert_true(fig->finished);
	assert_true(fig->npages >= 2);
	sm_check_close(fig->height, fig->style->page_height, 0, 0, "PDF page height");
	sm_fig_free(fig);
	env.format = SM_CANVAS_SVG;
	sm_render_expect_ok(f, sm_figure_table.layout(f->ctx, f->rsae, &o, &env, &fig));
	assert_int_equal(fig->npages, 1);
	assert_true(fig->height > fig->style->page_height);
	sm_fig_free(fig);
	/* The title option replaces or drops the table's title. */
	o.common.title = "";
	sm_render_expect_ok(f, sm_figure_table.layout(f->ctx, f->rsae, &o, &env, &fig));
	assert_int_equal(count_texts(fig, SM_TT_TITLE, 0), 0);
	sm_fig_free(fig);
	o.common.title = "Another title";
	sm_render_expect_ok(f, sm_figure_table.layout(f->ctx, f->rsae, &o, &env, &fig));
	assert_string_equal(fig->texts[0].text, "Another title");
	sm_fig_free(fig);
	/* A longer table costs more. */
	o.common.title = NULL;
	o.table = "domains";
	double small = sm_figure_table.cost(f->rsae, &o);
	assert_true(f->rsae->domain_table.rows.n < f->rsae->review.studies.n);
	o.table = "characteristics";
	assert_true(small > 0 && sm_figure_table.cost(f->rsae, &o) > small);
}

static char *slurp_bin(const char *path, size_t *len)
{
	char *data = NULL;
	assert_int_equal(sm_read_file(path, 0, &data, len), 0);
	return data;
}

/* In an SVG page body (after the glyph definitions), a glyph is placed
 * before the first path (a rule) is drawn. */
__attribute__((noinline)) static int title_first(const char *svg)
{
	const char *body = strstr(svg, "</defs>");
	const char *use = body ? strstr(body, "<use") : NULL;
	const char *rule = body ? strstr(body, "<path") : NULL;
	return use && rule && use < rule;
}

/* The kind's files: a PDF of as many pages as the paginated layout, an
 * SVG whose title is painted first, a PNG; an unknown extension writes
 * nothing. */
static void renders_every_format(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rsae, "table1");
	assert_non_null(t);
	struct sm_table_req req = { .page_h = -1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->npages >= 2);
	char count[32];
	snprintf(count, sizeof count, "/Count %d", l->npages);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
	struct sm_table_fopts ko;
	sm_figure_table.opts_init(&ko);
	ko.table = "table1";
	ko.common.dpi = 72;
	static const char *const ext[] = { "pdf", "svg", "png" };
	static const enum sm_canvas_format fmt[] = { SM_CANVAS_PDF, SM_CANVAS_SVG, SM_CANVAS_PNG };
	for (int i = 0; i < 3; i++) {
		char *path = sm_asprintf("%s/t.%s", f->dir, ext[i]);
		struct sm_figure_env env = { .format = fmt[i], .page_height = 0, .max_width = 0 };
		sm_render_expect_ok(f, sm_figure_table.layout(f->ctx, f->rsae, &ko, &env, &fig));
		sm_render_expect_ok(f, sm_fig_write(f->ctx, fig, path, ko.common.dpi));
		size_t len;
		char *data = slurp_bin(path, &len);
		if (i == 0) {
			assert_memory_equal(data, "%PDF", 4);
			/* The page tree holds as many pages as the layout. */
			/* The PDF holds NUL bytes: search all of it. */
			if (!memmem(data, len, count, strlen(count)))
				fail_msg("no '%s' in the PDF", count);
		} else if (i == 1) {
			assert_non_null(strstr(data, "<svg"));
			/* The title is painted before the rules, as tables always were:
			 * its glyphs come first in the page body. */
			assert_true(title_first(data));
		} else {
			assert_memory_equal(data, "\x89PNG", 4);
		}
		if (i < 2)
			sm_fig_free(fig);
		free(data);
		free(path);
	}
	/* Fonts embedded, SVG well formed, PNG of the figure's size. */
	sm_render_check_formats(f, "t", fig, ko.common.dpi);
	sm_fig_free(fig);
	char *bad = sm_asprintf("%s/t.txt", f->dir);
	assert_int_equal(sm_figure_render(f->ctx, &sm_figure_table, f->rsae, &ko, bad), SM_EINPUT);
	sm_ctx_clear_error(f->ctx);
	assert_int_equal(access(bad, F_OK), -1);
	free(bad);
}

/* A report's trial layouts measured in one figure (measure_only: the
 * geometry, nothing drawn, *fig NULL), then the table laid out into it:
 * the same geometry as fresh layouts, and the same PDF and SVG bytes as a
 * figure of its own, though its texts were shaped by the trials. */
static void measurer_same_layout(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rsae, "table1");
	assert_non_null(t);
	struct sm_table_req req = { .width_pt = 175 * MM, .page_h = 120 * MM, .bare = 1,
				    .fit_width = 1 };
	struct sm_fig *own = NULL, *m = sm_table_measurer(f->ctx, NULL), *trial = NULL;
	struct sm_table_layout *l_own = NULL, *l_trial = NULL;
	assert_non_null(m);
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &own, &l_own));
	struct sm_table_req smaller = req;
	smaller.font_size = 6;
	smaller.into = m;
	smaller.measure_only = 1;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &smaller, &trial, &l_trial));
	assert_null(trial);
	assert_true(l_trial->head_h < l_own->head_h); /* another size: other keys */
	sm_table_layout_free(l_trial);
	struct sm_table_req same = req;
	same.into = m;
	same.measure_only = 1;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &same, &trial, &l_trial));
	assert_null(trial);
	assert_true(l_trial->table_w == l_own->table_w && l_trial->nrows == l_own->nrows);
	for (size_t r = 0; r < l_own->nrows; r++)
		assert_true(l_trial->row_h[r] == l_own->row_h[r]);
	sm_table_layout_free(l_trial);
	same.measure_only = 0;
	struct sm_fig *into = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &same, &into, NULL));
	assert_ptr_equal(into, m);
	assert_int_equal(into->npages, own->npages);
	static const char *const ext[] = { "pdf", "svg" };
	for (int i = 0; i < 2; i++) {
		char *a = sm_asprintf("%s/own.%s", f->dir, ext[i]);
		char *b = sm_asprintf("%s/into.%s", f->dir, ext[i]);
		sm_render_expect_ok(f, sm_fig_write(f->ctx, own, a, 72));
		sm_render_expect_ok(f, sm_fig_write(f->ctx, into, b, 72));
		size_t la, lb;
		char *da = slurp_bin(a, &la), *db = slurp_bin(b, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(da, db, la);
		free(da);
		free(db);
		free(a);
		free(b);
	}
	sm_fig_free(m);
	sm_fig_free(own);
	sm_table_layout_free(l_own);
	sm_table_free(t);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * and keeps it until exit (the same suppression as the other render tests). */
/* Default visibility: the build hides symbols, and the sanitizer runtime
 * finds this hook only when it is exported. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* The column headed `h`, or fails. */
static size_t column(const struct sm_table *t, const char *h)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->headers[c], h))
			return c;
	fail_msg("no column '%s'", h);
	return 0;
}

static size_t row_named(const struct sm_table *t, const char *name)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(sm_table_cell(t, r, 0), name))
			return r;
	fail_msg("no row '%s'", name);
	return 0;
}

/* Below the small-study minimum the tests are "not tested"; one study has
 * no heterogeneity ("not applicable"); both are explained in the note. */
static void domain_table_small_k(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "domains");
	assert_non_null(t);
	size_t eg = column(t, "Egger P"), be = column(t, "Begg P");
	size_t musc = row_named(t, "Musculoskeletal and connective tissue disorders");
	size_t hema = row_named(t, "Hematological or oncological disorders");
	size_t gen = row_named(t, "General disorders and administration site conditions");
	assert_string_equal(sm_table_cell(t, musc, eg), "not tested");
	assert_string_equal(sm_table_cell(t, musc, be), "not tested");
	/* k = 2: no more "Begg P = 1.000" */
	assert_string_equal(sm_table_cell(t, hema, be), "not tested");
	assert_string_equal(sm_table_cell(t, gen, eg), "0.044");
	assert_non_null(strstr(t->footnote, "Not tested: fewer than 10 studies"));
	assert_null(strstr(t->footnote, "Not applicable"));
	sm_table_free(t);
	struct sm_res *k1 = sm_render_load_res("tests/fixtures/render/k1.results.json");
	t = sm_table_from_res(f->ctx, k1, "domains");
	assert_non_null(t);
	assert_string_equal(sm_table_cell(t, 0, column(t, "I\xc2\xb2 (%)")), "not applicable");
	assert_string_equal(sm_table_cell(t, 0, column(t, "\xcf\x84\xc2\xb2")), "not applicable");
	assert_non_null(strstr(t->footnote, "Not applicable: one study"));
	sm_table_free(t);
	sm_res_free(k1);
}

/* The excess risk the data exclude has a column of its own (the verdict
 * no longer says it in words), and on a portrait report page the MSC
 * domain table keeps every row to two lines of body text: the surplus
 * width goes to the domain names and verdicts, not to long headers. */
static void domain_table_excess_column(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rmsc, "domains");
	assert_non_null(t);
	assert_int_equal(t->ncols, 14);
	size_t ex = column(t, "Excess risk bound per 1000");
	size_t dir = column(t, "Direction of evidence");
	size_t gen = row_named(t, "General disorders and administration site conditions");
	size_t inf = row_named(t, "Infections and infestations");
	/* excess_upper_per_1000 = 61.26 and -3.3 in the fixture */
	assert_string_equal(sm_table_cell(t, gen, ex), "61.3");
	assert_string_equal(sm_table_cell(t, inf, ex), "\xe2\x88\x92" "3.3");
	assert_string_equal(sm_table_cell(t, gen, dir), "No significant difference");
	assert_string_equal(sm_table_cell(t, inf, dir), "Fewer events with MSC");
	assert_non_null(strstr(t->footnote, "Excess risk bound: the one-sided upper bound"));
	/* the report's portrait content width (210 - 2 x 17.5 mm) at 7 pt */
	struct sm_table_req req = { .width_pt = 175 * MM, .font_size = 7, .bare = 1,
				    .fit_width = 1 };
	struct sm_fig *fig = NULL;
	struct sm_table_layout *l = NULL;
	sm_render_expect_ok(f, sm_table_lay_out(f->ctx, t, &req, &fig, &l));
	assert_true(l->table_w <= 175 * MM + 1e-6);
	assert_false(l->words_broken);
	/* a line of 7 pt text is 7.8 pt: two lines and the padding are
	 * 19.1 pt; only the longest name ("General disorders and
	 * administration site conditions") takes three */
	size_t over_two = 0;
	for (size_t r = 0; r < l->nrows; r++) {
		assert_true(l->row_h[r] < 28);
		over_two += l->row_h[r] > 20;
	}
	assert_true(over_two <= 1);
	sm_table_layout_free(l);
	sm_fig_free(fig);
	sm_table_free(t);
}

/* Proportions: per 1000 patients (the analysis' scale), the crude
 * incidence with its exact interval, no P column, never "0.00 [0.00,
 * 0.00]" with events; without events the upper bounds. */
static void domain_table_proportions(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_table *t = sm_table_from_res(f->ctx, f->rsae, "domains");
	assert_non_null(t);
	assert_int_equal(t->ncols, 9);
	for (size_t c = 0; c < t->ncols; c++)
		assert_string_not_equal(t->headers[c], "P");
	size_t model = column(t, "Pooled incidence per 1000 [95% CI]");
	size_t crude = column(t, "Crude incidence per 1000 [exact 95% CI]");
	assert_string_equal(sm_table_cell(t, 0, column(t, "Events/N")), "2/1496");
	/* 2/1496 = 1.34 per 1000, Clopper-Pearson 0.16 to 4.82 (R binom.test) */
	assert_string_equal(sm_table_cell(t, 0, crude), "1.34 [0.16, 4.82]");
	/* the Freeman-Tukey estimate back-transforms to 0 with 2 events */
	assert_string_equal(sm_table_cell(t, 0, model), "not interpretable\xc2\xb9");
	for (size_t c = 0; c < t->ncols; c++)
		assert_null(strstr(sm_table_cell(t, 0, c), "0.00 [0.00, 0.00]"));
	assert_non_null(strstr(t->footnote, "Clopper"));
	assert_non_null(strstr(t->footnote, "\xc2\xb9 The model's back-transformed estimate is 0"));
	sm_table_free(t);
	struct sm_res *z = sm_render_load_res("tests/fixtures/render/zero-events.results.json");
	t = sm_table_from_res(f->ctx, z, "domains");
	assert_non_null(t);
	/* 1 - 0.05^(1/500) = 5.97 per 1000; 3/500 = 6.00 */
	assert_string_equal(sm_table_cell(t, 0, column(t, "Crude incidence per 1000 "
							  "[exact 95% CI]")),
			    "no events; upper bound 5.97 (rule of three 6.00)");
	assert_string_equal(sm_table_cell(t, 0, column(t, "Pooled incidence per 1000 [95% CI]")),
			    "not estimable\xc2\xb2");
	assert_non_null(strstr(t->footnote, "\xc2\xb2 No event in any study"));
	sm_table_free(t);
	sm_res_free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(domain_table_cells, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(domain_table_small_k, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(domain_table_excess_column, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(domain_table_proportions, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(rare_events_and_sensitivity_rows,
						sm_render_fx_setup, sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(names_beside_long_text, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(sensitivity_shared_note_once, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(sensitivity_no_unassessed_rows, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(review_tables, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(characteristics_columns, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(pages_repeat_the_header, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(long_cells_wrap, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(report_pages, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(check_findings_in_words, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(first_page_shorter, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(fixed_width_breaks_words, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(narrow_table_title, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(no_lone_rows_or_notes, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(the_kind, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(measurer_same_layout, sm_render_fx_setup,
						sm_render_fx_teardown),
		cmocka_unit_test_setup_teardown(renders_every_format, sm_render_fx_setup,
						sm_render_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
