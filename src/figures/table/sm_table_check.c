/* sm_table_check.c -- the table of what `safemeta check` found, from the
 * results' "check" block (the analysis stage's findings): one row per
 * reported analysis, with its findings, and one for the PRISMA flow when
 * its arithmetic does not add up. */
#include "sm_table_int.h"

#include "sm_buf.h"

#include <stdlib.h>
#include <string.h>

/* The kinds of findings as the table words them. */
static const char *kind_word(const char *kind)
{
	return kind && !strcmp(kind, "prisma") ? "PRISMA" : kind ? kind : "?";
}

/* The findings of one reported analysis (NULL: the review's own, PRISMA)
 * as bullet lines; NULL on out of memory. */
static char *findings_of(const struct sm_res_check *c, const char *name)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t j = 0; j < c->findings.n; j++) {
		const struct sm_res_check_finding *f = &c->findings.v[j];
		if ((name == NULL) != (f->analysis == NULL) || (name && strcmp(name, f->analysis)))
			continue;
		sm_buf_printf(&b, "%s\u2022 %s: %s", b.len ? "\n" : "", kind_word(f->kind),
			      f->message ? f->message : "");
	}
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return b.data ? sm_buf_take(&b) : strdup("");
}

static sm_status add_row(struct sm_ctx *ctx, struct sm_table *t, const char *name,
			 const char *result, const char *findings)
{
	long r = sm_table_add_row(ctx, t);
	if (r < 0)
		return SM_EINTERNAL;
	sm_status s = sm_table_set(ctx, t, (size_t)r, 0, name);
	if (s == SM_OK)
		s = sm_table_set(ctx, t, (size_t)r, 1, result);
	if (s == SM_OK)
		s = sm_table_set(ctx, t, (size_t)r, 2, *findings ? findings : "none");
	return s;
}

struct sm_table *sm_table_check(struct sm_ctx *ctx, const struct sm_res *res)
{
	const struct sm_res_check *c = &res->check;
	if (!c->present) {
		SM_FAIL(ctx, SM_EINPUT, "the results hold no check findings; expected a results "
			"document written by safemeta analyze");
		return NULL;
	}
	struct sm_table *t = sm_table_new(ctx, "check", 3);
	if (!t)
		return NULL;
	static const char *const heads[] = { "Analysis", "Result", "Findings" };
	sm_status s = SM_OK;
	for (size_t i = 0; s == SM_OK && i < 3; i++)
		s = sm_table_set_header(ctx, t, i, heads[i], SM_ALIGN_LEFT);
	for (size_t i = 0; s == SM_OK && i <= c->analyses.n; i++) {
		const struct sm_res_check_analysis *a = i < c->analyses.n ? &c->analyses.v[i] : NULL;
		char *text = findings_of(c, a ? a->name : NULL);
		if (!text)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else if (a)
			s = add_row(ctx, t, a->name, a->reproduced == 1 ? "reproduced"
							: "not reproduced", text);
		else if (*text)
			s = add_row(ctx, t, "PRISMA flow", "arithmetic does not add up", text);
		free(text);
	}
	if (s != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}
