#include "sm_supplement.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_rdoc.h"
#include "sm_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void item_release(struct sm_supp_item *it)
{
	free(it->caption);
	free(it->kind);
	free(it->which);
	free(it->base);
	free(it->files);
}

void sm_supp_release(struct sm_supp *s)
{
	for (size_t i = 0; i < s->n; i++)
		item_release(&s->v[i]);
	free(s->v);
	*s = (struct sm_supp){ 0 };
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct sm_supp_item *sm_supp_add(struct sm_ctx *ctx, struct sm_supp *s, enum sm_supp_type type,
				 const char *caption, const char *kind, const char *which)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct sm_supp_item *v = sm_realloc_array(s->v, cap, sizeof *v);
		if (!v) {
			SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			return NULL;
		}
		s->v = v;
		s->cap = cap;
	}
	struct sm_supp_item *it = &s->v[s->n];
	*it = (struct sm_supp_item){
		.type = type, .caption = strdup(caption ? caption : ""), .kind = dup_or_null(kind),
		.which = dup_or_null(which), .in_report = 1,
		.number = type == SM_SUPP_FIGURE ? s->nfigures + 1 : s->ntables + 1,
	};
	if (!it->caption || (kind && !it->kind) || (which && !it->which)) {
		item_release(it);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	s->n++;
	type == SM_SUPP_FIGURE ? s->nfigures++ : s->ntables++;
	return it;
}

void sm_supp_label(const struct sm_supp_item *it, char *buf, size_t size)
{
	snprintf(buf, size, "%s S%d", it->type == SM_SUPP_FIGURE ? "Figure" : "Table",
		 it->number);
}

/* ---- naming ------------------------------------------------------------ */

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The kind a template's figure name draws with ("forest+rob" is the forest
 * with its risk-of-bias columns). */
static const struct sm_figure_kind *kind_of(const char *name, const char **flag)
{
	int rob = name && !strcmp(name, "forest+rob");
	*flag = rob ? "rob" : NULL;
	return name ? sm_figure_kind_named(rob ? "forest" : name) : NULL;
}

/* A caption for a figure the report does not show. */
static char *figure_caption(const char *kind, const char *which)
{
	int all = which && (!strcmp(which, "all") || !strcmp(which, "summary"));
	if (!strcmp(kind, "forest"))
		return all ? strdup("Summary forest plot: the pooled estimate of every analysis.")
			   : sm_asprintf("Forest plot: %s.", which ? which : "the analysis");
	if (!strcmp(kind, "funnel"))
		return all ? strdup("Funnel plots of every analysis.")
			   : sm_asprintf("Funnel plot: %s.", which ? which : "the analysis");
	if (!strcmp(kind, "prisma"))
		return strdup("PRISMA 2020 flow diagram of study selection.");
	if (!strcmp(kind, "rob"))
		return strdup("Risk of bias of the included studies.");
	/* another kind: its summary up to the first clause, capitalised */
	const struct sm_figure_kind *k = sm_figure_kind_named(kind);
	const char *what = k && k->summary && *k->summary ? k->summary : kind;
	int n = (int)strcspn(what, ":,;");
	char first = what[0] >= 'a' && what[0] <= 'z' ? (char)(what[0] - 'a' + 'A') : what[0];
	return sm_asprintf("%c%.*s%s%s.", first, n > 0 ? n - 1 : 0, what + 1, which ? ": " : "",
			   which ? which : "");
}

/* S<n>-<name>, the name made safe for a file. */
static char *numbered_base(int number, const char *name)
{
	char *safe = sm_safe_filename(name, 80);
	char *base = safe ? sm_asprintf("S%d-%s", number, safe) : NULL;
	free(safe);
	return base;
}

/* A report figure: the plan's job of the same kind and argument when
 * there is one left (its file name), else a job of its own. */
static sm_status name_figure(struct sm_ctx *ctx, struct sm_supp_item *it,
			     const struct sm_figure_plan *plan, unsigned char *used)
{
	it->fkind = kind_of(it->kind, &it->flag);
	if (!it->fkind)
		return SM_FAIL(ctx, SM_EINPUT, "unknown figure '%s'", it->kind ? it->kind : "?");
	for (size_t j = 0; !it->flag && j < plan->n; j++) {
		const struct sm_figure_job *p = &plan->jobs[j];
		if (!used[j] && p->kind == it->fkind && same(p->arg, it->which)) {
			used[j] = 1;
			it->base = numbered_base(it->number, p->base);
			return it->base ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		}
	}
	char *name = it->which ? sm_asprintf("%s%s%s-%s", it->fkind->name, it->flag ? "-" : "",
					     it->flag ? it->flag : "", it->which)
			       : sm_asprintf("%s%s%s", it->fkind->name, it->flag ? "-" : "",
					     it->flag ? it->flag : "");
	it->base = name ? numbered_base(it->number, name) : NULL;
	free(name);
	return it->base ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
}

/* A bundle figure the report does not show, numbered after the rest. */
static sm_status add_planned(struct sm_ctx *ctx, struct sm_supp *s, const struct sm_figure_job *p)
{
	char *caption = figure_caption(p->kind->name, p->arg);
	struct sm_supp_item *it = caption ? sm_supp_add(ctx, s, SM_SUPP_FIGURE, caption,
							p->kind->name, p->arg)
					  : NULL;
	free(caption);
	if (!it)
		return sm_ctx_error(ctx) ? SM_EINTERNAL : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	it->in_report = 0;
	it->fkind = p->kind;
	it->base = numbered_base(it->number, p->base);
	return it->base ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
}

static int shows_table(const struct sm_supp *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].type == SM_SUPP_TABLE && same(s->v[i].which, name))
			return 1;
	return 0;
}

/* A table the bundle exports and the report does not show, captioned with
 * its own title. */
static sm_status add_exported(struct sm_ctx *ctx, struct sm_supp *s, const struct sm_res *res,
			      const char *name)
{
	struct sm_table *t = sm_table_from_res(ctx, res, name);
	if (!t)
		return sm_ctx_status(ctx, SM_EINTERNAL);
	const char *title = t->title ? sm_rdoc_unnumbered(t->title) : name;
	char *caption = sm_asprintf("%s.", title);
	struct sm_supp_item *it = caption ? sm_supp_add(ctx, s, SM_SUPP_TABLE, caption, NULL, name)
					  : NULL;
	free(caption);
	sm_table_free(t);
	if (!it)
		return sm_ctx_error(ctx) ? SM_EINTERNAL : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	it->in_report = 0;
	return SM_OK;
}

sm_status sm_supp_complete(struct sm_ctx *ctx, struct sm_supp *s, const struct sm_res *res,
			   const struct sm_figure_plan *plan, const char *const *tables,
			   size_t ntables)
{
	unsigned char *used = calloc(plan->n ? plan->n : 1, 1);
	if (!used)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = SM_OK;
	size_t shown = s->n;
	for (size_t i = 0; st == SM_OK && i < shown; i++)
		if (s->v[i].type == SM_SUPP_FIGURE)
			st = name_figure(ctx, &s->v[i], plan, used);
	for (size_t j = 0; st == SM_OK && j < plan->n; j++)
		if (!used[j])
			st = add_planned(ctx, s, &plan->jobs[j]);
	for (size_t j = 0; st == SM_OK && j < ntables; j++)
		if (!shows_table(s, tables[j]))
			st = add_exported(ctx, s, res, tables[j]);
	for (size_t i = 0; st == SM_OK && i < s->n; i++) {
		struct sm_supp_item *it = &s->v[i];
		if (it->type == SM_SUPP_TABLE &&
		    !(it->base = numbered_base(it->number, it->which ? it->which : "table")))
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	free(used);
	return st;
}

/* ---- the plain-text index ------------------------------------------------ */

char *sm_supp_caption(const struct sm_supp_item *it)
{
	if (*it->caption || it->type == SM_SUPP_TABLE || !it->kind)
		return strdup(*it->caption ? it->caption : "(no caption)");
	const char *flag;
	const struct sm_figure_kind *k = kind_of(it->kind, &flag);
	return figure_caption(k ? k->name : it->kind, it->which);
}

/* The order of an index: figures then tables of the report, then the
 * further figures and tables. */
static int index_group(const struct sm_supp_item *it)
{
	return (it->in_report ? 0 : 2) + (it->type == SM_SUPP_TABLE);
}

/* "figures/S1-prisma.pdf, .svg, .png" as "figures/S1-prisma (.pdf, .svg,
 * .png)": a line may break before "(" but, by the Unicode line-breaking
 * rules, never before ".svg", so the name keeps its line and does not
 * break at one of its hyphens instead. */
static char *files_cell(const char *files)
{
	if (!files)
		return strdup("");
	const char *list = strstr(files, ", .");
	const char *dot = list;
	while (dot && dot > files && *dot != '.')
		dot--;
	if (!list || !dot || dot == files)
		return strdup(files);
	return sm_asprintf("%.*s (%s)", (int)(dot - files), files, dot);
}

struct sm_table *sm_supp_index_table(struct sm_ctx *ctx, const struct sm_supp *s)
{
	int files = 0;
	for (size_t i = 0; i < s->n; i++)
		files |= s->v[i].files != NULL;
	struct sm_table *t = sm_table_new(ctx, "index", files ? 3 : 2);
	if (!t)
		return NULL;
	sm_status st = sm_table_set_title(ctx, t, "Index of the supplementary material", NULL);
	static const char *const heads[] = { "Item", "Caption", "Files" };
	for (size_t c = 0; st == SM_OK && c < t->ncols; c++)
		st = sm_table_set_header(ctx, t, c, heads[c], SM_ALIGN_LEFT);
	for (int group = 0; group < 4; group++)
		for (size_t i = 0; st == SM_OK && i < s->n; i++) {
			const struct sm_supp_item *it = &s->v[i];
			if (index_group(it) != group)
				continue;
			char label[32];
			/* a no-break space keeps "Figure S12" on one line */
			snprintf(label, sizeof label, "%s\u00a0S%d",
				 it->type == SM_SUPP_FIGURE ? "Figure" : "Table", it->number);
			char *caption = sm_supp_caption(it);
			size_t len = caption ? strlen(caption) : 0;
			len -= len && caption[len - 1] == '.';
			char *shown = caption && !it->in_report
					      ? sm_asprintf("%.*s (a file only, not in this report).",
							    (int)len, caption)
					      : NULL;
			long r = caption && (it->in_report || shown) ? sm_table_add_row(ctx, t) : -1;
			st = r < 0 ? SM_FAIL(ctx, SM_EINTERNAL, "out of memory")
				   : sm_table_set(ctx, t, (size_t)r, 0, label);
			if (st == SM_OK)
				st = sm_table_set(ctx, t, (size_t)r, 1, shown ? shown : caption);
			char *cell = files ? files_cell(it->files) : NULL;
			if (st == SM_OK && files)
				st = cell ? sm_table_set(ctx, t, (size_t)r, 2, cell)
					  : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			free(cell);
			free(shown);
			free(caption);
		}
	if (st != SM_OK) {
		sm_table_free(t);
		return NULL;
	}
	return t;
}

static void put_items(struct sm_buf *b, const struct sm_supp *s, enum sm_supp_type type,
		      int in_report)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sm_supp_item *it = &s->v[i];
		if (it->type != type || it->in_report != in_report)
			continue;
		char label[32];
		sm_supp_label(it, label, sizeof label);
		char *caption = sm_supp_caption(it);
		sm_buf_printf(b, "%-12s %s\n", label, caption ? caption : "");
		if (it->files)
			sm_buf_printf(b, "%-12s %s\n", "", it->files);
		free(caption);
	}
}

char *sm_supp_index_text(const struct sm_supp *s, const struct sm_res *res)
{
	struct sm_buf b;
	sm_buf_init(&b);
	const char *title = res->review.title ? res->review.title : res->review.metadata.title;
	sm_buf_printf(&b, "Supplementary material%s%s\n", title ? ": " : "", title ? title : "");
	sm_buf_printf(&b, "Built by safemeta %s from %s\n\n", res->safemeta ? res->safemeta : "?",
		      res->input ? res->input : "?");
	sm_buf_puts(&b, "report.pdf    the report: methods, results and every item marked "
		    "\"in the report\" below\nresults.json  every computed statistic\n"
		    "MANIFEST.sha256  the SHA-256 of every file\n");
	static const char *const heads[2][2] = { { "Figures in the report", "Tables in the report" },
						 { "Further figures (files only)",
						   "Further tables (files only)" } };
	for (int shown = 1; shown >= 0; shown--)
		for (int type = 0; type < 2; type++) {
			struct sm_buf part;
			sm_buf_init(&part);
			put_items(&part, s, (enum sm_supp_type)type, shown);
			if (part.len)
				sm_buf_printf(&b, "\n%s\n%s", heads[!shown][type], part.data);
			sm_buf_release(&part);
		}
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}
