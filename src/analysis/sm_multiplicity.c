#include "sm_multiplicity.h"

#include "sm_buf.h"
#include "sm_fdr.h"
#include "sm_json_fast.h"
#include "sm_json_out.h"
#include "sm_json_stream.h"
#include "sm_row_index.h"
#include "sm_row_spool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The terms of every analysis: its "studies" then its "excluded" rows. */
struct terms {
	size_t n;
	double *p;
	size_t *group;
	const char **label, **event; /* the review's text or the tree's */
	const char *why_not; /* NULL when the double FDR can be run */
};

static void terms_release(struct terms *t)
{
	free(t->p);
	free(t->group);
	free(t->label);
	free(t->event);
}

static size_t count_rows(const cJSON *a, const struct sm_row_index *index)
{
	return sm_row_index_size(index, cJSON_GetObjectItemCaseSensitive(a, "studies")) +
	       (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "excluded"));
}

static sm_status gather_terms(struct sm_ctx *ctx, const cJSON *analyses,
			      const struct sm_row_index *index, struct terms *t)
{
	memset(t, 0, sizeof *t);
	size_t total = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(a, "studies")))
			t->why_not = "the per-study rows are left out (--no-studies), and the "
				     "double FDR needs the P value of every term";
		total += count_rows(a, index);
	}
	t->p = sm_alloc_array(total ? total : 1, sizeof *t->p);
	t->group = sm_alloc_array(total ? total : 1, sizeof *t->group);
	t->label = sm_alloc_array(total ? total : 1, sizeof *t->label);
	t->event = sm_alloc_array(total ? total : 1, sizeof *t->event);
	if (!t->p || !t->group || !t->label || !t->event)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t g = 0;
	cJSON_ArrayForEach(a, analyses) {
		static const char *const lists[] = { "studies", "excluded" };
		for (int l = 0; l < 2; l++) {
			struct sm_row_iter it;
			struct sm_row_view s;
			sm_row_iter_begin(&it, index, cJSON_GetObjectItemCaseSensitive(a, lists[l]));
			while (sm_row_iter_next(&it, &s)) {
				if (!s.has_fisher_p && !t->why_not)
					t->why_not = "the terms have no exact P value: the double "
						     "FDR needs 2x2 counts";
				t->p[t->n] = s.fisher_p;
				t->group[t->n] = g;
				t->label[t->n] = s.label;
				t->event[t->n] = s.event;
				t->n++;
			}
		}
		g++;
	}
	if (!t->n && !t->why_not)
		t->why_not = "no terms";
	return SM_OK;
}

static void add_flag(cJSON *o, const char *key, double adj, double alpha)
{
	if (isnan(adj))
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddBoolToObject(o, key, adj <= alpha);
}

static void write_domains(cJSON *out, const cJSON *analyses, const double *bh,
			  const double *p, const struct sm_dfdr *df, const struct terms *t,
			  double alpha)
{
	cJSON *list = cJSON_AddArrayToObject(out, "domains");
	size_t g = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		cJSON *o = cJSON_CreateObject();
		sm_json_add_string(o, "analysis", str(a, "name"));
		sm_json_add_number(o, "p", p[g]);
		sm_json_add_number(o, "p_bh", bh[g]);
		add_flag(o, "signal_bh", bh[g], alpha);
		size_t n = 0, flagged = 0;
		for (size_t i = 0; df && i < t->n; i++) {
			n += t->group[i] == g;
			flagged += t->group[i] == g && df->term_flag[i];
		}
		sm_json_add_number(o, "dfdr_body_system_p", df ? df->group_p[g] : NAN);
		sm_json_add_number(o, "dfdr_p", df ? df->group_adj[g] : NAN);
		if (df)
			cJSON_AddBoolToObject(o, "signal_dfdr", df->group_flag[g]);
		else
			cJSON_AddNullToObject(o, "signal_dfdr");
		sm_json_add_number(o, "terms", df ? (double)n : NAN);
		sm_json_add_number(o, "terms_flagged", df ? (double)flagged : NAN);
		cJSON_AddItemToArray(list, o);
		g++;
	}
}

/* Term i as the tree below prints it at the depth of the terms, written
 * as text when streamed (no node per member: 10^6 terms at k = 10^6). */
static void write_term_text(struct sm_buf *b, const char *analysis, const struct terms *t,
			    const struct sm_dfdr *df, size_t i)
{
	struct sm_json_obj w;
	sm_json_obj_begin(&w, b, SM_ROW_DEPTH_TERMS);
	sm_json_obj_string(&w, "analysis", analysis);
	sm_json_obj_string(&w, "label", t->label[i]);
	sm_json_obj_string(&w, "event", t->event[i]);
	sm_json_obj_number(&w, "p", t->p[i]);
	sm_json_obj_number(&w, "p_within_bh", df->term_adj[i]);
	sm_json_obj_bool(&w, "signal_dfdr", df->term_flag[i]);
	sm_json_obj_close(&w);
}

static void write_terms(cJSON *out, const cJSON *analyses, const struct sm_dfdr *df,
			const struct terms *t, struct sm_row_spool *spool,
			struct sm_json_stream *stream)
{
	if (!df) {
		cJSON_AddNullToObject(out, "terms");
		return;
	}
	const char **names = sm_alloc_array(df->n_groups ? df->n_groups : 1, sizeof *names);
	size_t g = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		if (names)
			names[g] = str(a, "name");
		g++;
	}
	cJSON *list = cJSON_AddArrayToObject(out, "terms");
	int streamed = stream && list && names;
	if (streamed) {
		/* The block is the document's next member, everything of it
		 * before the terms is final: named now for the stream (a
		 * constant key, which adding it to the document replaces
		 * without freeing). */
		out->string = (char *)"multiplicity";
		out->type |= cJSON_StringIsConst;
		sm_json_stream_enter(stream, out);
		sm_json_stream_enter(stream, list);
	}
	struct sm_buf text;
	sm_buf_init(&text);
	for (size_t i = 0; streamed && i < t->n; i++) {
		sm_buf_reset(&text);
		write_term_text(&text, names[t->group[i]], t, df, i);
		sm_json_stream_row_untreed(stream, text.failed ? NULL : text.data, text.len);
	}
	sm_buf_release(&text);
	for (size_t i = 0; names && !streamed && i < t->n; i++) {
		cJSON *o = cJSON_CreateObject();
		sm_json_add_string(o, "analysis", names[t->group[i]]);
		sm_json_add_string(o, "label", t->label[i]);
		sm_json_add_string(o, "event", t->event[i]);
		sm_json_add_number(o, "p", t->p[i]);
		sm_json_add_number(o, "p_within_bh", df->term_adj[i]);
		cJSON_AddBoolToObject(o, "signal_dfdr", df->term_flag[i]);
		if (spool) /* one term a row: nothing reads it */
			sm_row_spool_put(spool, o, SM_ROW_DEPTH_TERMS, NULL, 0);
		cJSON_AddItemToArray(list, o);
	}
	if (streamed)
		sm_json_stream_leave(stream);
	free(names);
}

cJSON *sm_multiplicity_json(struct sm_ctx *ctx, const cJSON *results)
{
	return sm_multiplicity_json_spooled(ctx, results, NULL);
}

cJSON *sm_multiplicity_json_spooled(struct sm_ctx *ctx, const cJSON *results,
				    struct sm_row_spool *spool)
{
	return sm_multiplicity_json_streamed(ctx, results, spool, NULL);
}

cJSON *sm_multiplicity_json_streamed(struct sm_ctx *ctx, const cJSON *results,
				     struct sm_row_spool *spool, struct sm_json_stream *stream)
{
	return sm_multiplicity_json_indexed(ctx, results, spool, stream, NULL);
}

cJSON *sm_multiplicity_json_indexed(struct sm_ctx *ctx, const cJSON *results,
				    struct sm_row_spool *spool, struct sm_json_stream *stream,
				    const struct sm_row_index *index)
{
	const cJSON *analyses = cJSON_GetObjectItemCaseSensitive(results, "analyses");
	double level = num(cJSON_GetObjectItemCaseSensitive(results, "settings"), "level");
	double alpha = 1 - level / 100;
	size_t na = (size_t)cJSON_GetArraySize(analyses);
	double *p = sm_alloc_array(na ? na : 1, sizeof *p), *bh = sm_alloc_array(na ? na : 1, sizeof *bh);
	struct terms t;
	memset(&t, 0, sizeof t);
	struct sm_dfdr df;
	int have_df = 0;
	memset(&df, 0, sizeof df);
	sm_status st = p && bh ? gather_terms(ctx, analyses, index, &t)
			       : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t g = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, analyses) {
		if (p)
			p[g] = num(a, "p");
		g++;
	}
	if (st == SM_OK)
		st = sm_bh_adjust(ctx, p, na, bh);
	if (st == SM_OK && !t.why_not) {
		st = sm_dfdr_run(ctx, t.p, t.group, t.n, na, alpha, alpha, &df);
		have_df = st == SM_OK;
	}
	cJSON *out = st == SM_OK ? cJSON_CreateObject() : NULL;
	if (out) {
		sm_json_add_number(out, "alpha", alpha);
		cJSON_AddStringToObject(out, "bh_method",
					"Benjamini-Hochberg (1995) across the domains' pooled P "
					"values, as R's p.adjust(p, \"BH\")");
		cJSON_AddStringToObject(out, "dfdr_method",
					"double FDR of Mehrotra & Heyse (2004): body systems by the "
					"smallest within-system BH-adjusted term P, BH across body "
					"systems, then BH within each flagged body system; "
					"alpha1 = alpha2 = alpha; a term is a row (one event in one "
					"study) with the P of Fisher's exact test");
		sm_json_add_string(out, "dfdr_note", t.why_not);
		write_domains(out, analyses, bh, p, have_df ? &df : NULL, &t, alpha);
		write_terms(out, analyses, have_df ? &df : NULL, &t, spool, stream);
	}
	if (have_df)
		sm_dfdr_release(&df);
	terms_release(&t);
	free(p);
	free(bh);
	if (!out && st == SM_OK)
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	return out;
}
