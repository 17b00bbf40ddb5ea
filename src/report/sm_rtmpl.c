#include "sm_rtmpl.h"

#include "sm_buf.h"
#include "sm_figure.h"
#include "sm_rvalue.h"
#include "sm_textfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest nesting of @each/@if blocks. */
#define SM_RTMPL_MAX_DEPTH 16

struct parser {
	struct sm_ctx *ctx;
	const char *path;
	const char *text, *end;
	const char *cur;   /* start of the next line */
	long line;         /* number of the line last read */
	int in_each;
};

/* One physical line without its terminator (LF, CRLF or CR). */
struct span {
	const char *s;
	size_t n;
};

static int next_line(struct parser *p, struct span *out)
{
	if (p->cur >= p->end)
		return 0;
	const char *s = p->cur, *e = s;
	while (e < p->end && *e != '\n' && *e != '\r')
		e++;
	out->s = s;
	out->n = (size_t)(e - s);
	if (e < p->end && *e == '\r')
		e++;
	if (e < p->end && *e == '\n' && (e == s || e[-1] != '\n'))
		e++;
	p->cur = e;
	p->line++;
	return 1;
}

static struct span trim(struct span sp)
{
	while (sp.n && (*sp.s == ' ' || *sp.s == '\t')) {
		sp.s++;
		sp.n--;
	}
	while (sp.n && (sp.s[sp.n - 1] == ' ' || sp.s[sp.n - 1] == '\t'))
		sp.n--;
	return sp;
}

static char *dup_span(struct span sp)
{
	return strndup(sp.s, sp.n);
}

static void node_release(struct sm_rnode *n);

static void nodes_free(struct sm_rnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		node_release(&nodes[i]);
	free(nodes);
}

static void node_release(struct sm_rnode *n)
{
	free(n->name);
	free(n->arg);
	free(n->text);
	nodes_free(n->body, n->nbody);
}

struct list {
	struct sm_rnode *v;
	size_t n, cap;
};

static struct sm_rnode *list_add(struct parser *p, struct list *l, enum sm_rnode_kind kind)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct sm_rnode *grown = sm_realloc_array(l->v, cap, sizeof *grown);
		if (!grown) {
			SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
			return NULL;
		}
		l->v = grown;
		l->cap = cap;
	}
	struct sm_rnode *n = &l->v[l->n++];
	*n = (struct sm_rnode){ .kind = kind, .line = p->line };
	return n;
}

static sm_status fail(struct parser *p, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static sm_status fail(struct parser *p, const char *at, const char *fmt, ...)
{
	int col = 1;
	if (at) {
		const char *ls = at;
		while (ls > p->text && ls[-1] != '\n' && ls[-1] != '\r')
			ls--;
		for (const char *c = ls; c < at; c++)
			col += ((unsigned char)*c & 0xC0) != 0x80;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return SM_FAIL_POS(p->ctx, SM_EINPUT, p->path, (int)p->line, col, NULL, "%s", msg);
}

static sm_status check_text(struct parser *p, const char *text)
{
	return sm_rvalue_check(p->ctx, p->path, p->line, text, p->in_each);
}

/* "WORDS [| CAPTION]" into the first word, the rest, and the caption. */
static sm_status split_args(struct parser *p, struct span args, struct sm_rnode *n)
{
	const char *bar = memchr(args.s, '|', args.n);
	/* a '|' inside a placeholder ({{x|p}}) is not the caption bar */
	const char *open = NULL;
	for (const char *c = args.s; c < args.s + args.n; c++) {
		if (c + 1 < args.s + args.n && c[0] == '{' && c[1] == '{')
			open = c;
		if (c + 1 < args.s + args.n && c[0] == '}' && c[1] == '}')
			open = NULL;
		if (*c == '|' && !open) {
			bar = c;
			break;
		}
		bar = NULL;
	}
	struct span head = { args.s, bar ? (size_t)(bar - args.s) : args.n };
	head = trim(head);
	if (bar) {
		struct span cap = { bar + 1, (size_t)(args.s + args.n - bar - 1) };
		if (!(n->text = dup_span(trim(cap))))
			return SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
	}
	size_t w = 0;
	while (w < head.n && head.s[w] != ' ' && head.s[w] != '\t')
		w++;
	if (w > 0 && !(n->name = strndup(head.s, w)))
		return SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
	struct span rest = trim((struct span){ head.s + w, head.n - w });
	if (rest.n && !(n->arg = dup_span(rest)))
		return SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
	return SM_OK;
}

static int one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (s && !strcmp(s, *words))
			return 1;
	return 0;
}

/* A figure is any kind of the table (sm_figure_kinds.c), or forest+rob
 * (the forest with its risk-of-bias columns). */
static sm_status check_figure(struct parser *p, const char *at, struct sm_rnode *n)
{
	static const char *const rob[] = { "both", "traffic", "summary", NULL };
	int forest_rob = n->name && !strcmp(n->name, "forest+rob");
	const struct sm_figure_kind *kind =
		n->name ? sm_figure_kind_named(forest_rob ? "forest" : n->name) : NULL;
	if (!kind || !strcmp(kind->name, "table")) {
		struct sm_buf names;
		sm_buf_init(&names);
		size_t nk;
		const struct sm_figure_kind *const *kinds = sm_figure_kinds(&nk);
		for (size_t i = 0; i < nk; i++)
			if (strcmp(kinds[i]->name, "table") != 0)
				sm_buf_printf(&names, "%s, ", kinds[i]->name);
		sm_buf_puts(&names, "forest+rob");
		sm_status st = fail(p, at, "unknown figure '%s'; expected %s (tables: @table)",
				    n->name ? n->name : "", names.failed ? "?" : names.data);
		sm_buf_release(&names);
		return st;
	}
	int named = kind->positional && !strcmp(kind->positional, "analysis");
	if (!strcmp(n->name, "rob") && n->arg && !one_of(n->arg, rob))
		return fail(p, at, "unknown risk-of-bias plot '%s'; expected %s", n->arg,
			    "both, traffic or summary");
	if (!named && !strcmp(n->name, "prisma") && n->arg)
		return fail(p, at, "unexpected '%s' after @figure prisma; expected %s", n->arg,
			    "nothing or '| caption'");
	if (named && !n->arg && !p->in_each)
		return fail(p, at, "@figure %s needs an analysis outside @each; expected %s",
			    n->name, "a NAME, summary (forest) or all (funnel)");
	return SM_OK;
}

static sm_status parse_block(struct parser *p, struct list *out, int depth, long open_line);

static sm_status parse_directive(struct parser *p, struct list *out, struct span sp, int depth)
{
	size_t w = 1;
	while (w < sp.n && sp.s[w] != ' ' && sp.s[w] != '\t')
		w++;
	char word[16] = "";
	if (w - 1 < sizeof word)
		memcpy(word, sp.s + 1, w - 1);
	struct span args = trim((struct span){ sp.s + w, sp.n - w });
	char *argtext = dup_span(args);
	if (!argtext)
		return SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
	sm_status st = check_text(p, argtext);
	free(argtext);
	if (st != SM_OK)
		return st;
	static const struct {
		const char *word;
		enum sm_rnode_kind kind;
		int args; /* 0 none, 1 text, 2 name [arg] [| caption] */
	} dirs[] = {
		{ "title", SM_RN_TITLE, 1 }, { "subtitle", SM_RN_SUBTITLE, 1 },
		{ "meta", SM_RN_META, 2 }, { "page", SM_RN_PAGE, 0 },
		{ "figure", SM_RN_FIGURE, 2 }, { "table", SM_RN_TABLE, 2 },
		{ "tables", SM_RN_TABLES, 0 }, { "check", SM_RN_CHECK, 0 },
		{ "index", SM_RN_INDEX, 0 },
		{ "each", SM_RN_EACH, 2 }, { "if", SM_RN_IF, 2 },
	};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (strcmp(word, dirs[i].word) != 0)
			continue;
		if (dirs[i].args == 0 && args.n)
			return fail(p, args.s, "unexpected text after @%s; expected %s", word,
				    "nothing else on the line");
		if (dirs[i].args > 0 && !args.n)
			return fail(p, sp.s + w, "@%s needs %s", word,
				    dirs[i].args == 1 ? "a text" : "an argument");
		struct sm_rnode *n = list_add(p, out, dirs[i].kind);
		if (!n)
			return SM_EINTERNAL;
		if (dirs[i].args == 1)
			return (n->text = dup_span(args)) ? SM_OK
				: SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
		if (dirs[i].args == 2 && (st = split_args(p, args, n)) != SM_OK)
			return st;
		if (dirs[i].args == 2 && !n->name)
			return fail(p, args.s, "@%s needs a name before '|'; expected %s", word,
				    "@figure KIND, @table NAME, @meta KEY, @each analysis or "
				    "@if PATH");
		return dirs[i].kind == SM_RN_FIGURE ? check_figure(p, args.s, n) : SM_OK;
	}
	if (!strcmp(word, "end"))
		return depth > 0 ? SM_OK
			: fail(p, sp.s, "@end without @each or @if%s; expected %s", "",
			       "an open block");
	return fail(p, sp.s, "unknown directive '@%s'; expected %s", word,
		    "title, subtitle, meta, page, figure, table, tables, check, index, each, "
		    "if or end");
}

/* The block of an @each/@if just added as the last node of `out`. */
static sm_status parse_body(struct parser *p, struct list *out, int depth)
{
	struct sm_rnode *n = &out->v[out->n - 1];
	long open_line = n->line;
	int was = p->in_each;
	if (n->kind == SM_RN_EACH) {
		if (strcmp(n->name, "analysis") != 0 || n->arg || n->text)
			return SM_FAIL_POS(p->ctx, SM_EINPUT, p->path, (int)p->line, 1, NULL,
					   "unknown @each '%s'; expected @each analysis",
					   n->name);
		if (was)
			return SM_FAIL_POS(p->ctx, SM_EINPUT, p->path, (int)p->line, 1, NULL,
					   "@each inside @each; expected one level");
	} else {
		const char *path = n->name[0] == '!' ? n->name + 1 : n->name;
		n->negate = n->name[0] == '!';
		if (n->arg || n->text || !*path)
			return SM_FAIL_POS(p->ctx, SM_EINPUT, p->path, (int)p->line, 1, NULL,
					   "@if takes one PATH; expected @if PATH or @if !PATH");
		char *ph = sm_asprintf("{{%s}}", path);
		sm_status st = ph ? check_text(p, ph) : SM_FAIL(p->ctx, SM_EINTERNAL, "oom");
		free(ph);
		if (st != SM_OK)
			return st;
		memmove(n->name, path, strlen(path) + 1);
	}
	p->in_each = was || n->kind == SM_RN_EACH;
	struct list body = { 0 };
	sm_status st = parse_block(p, &body, depth + 1, open_line);
	p->in_each = was;
	n = &out->v[out->n - 1];
	n->body = body.v;
	n->nbody = body.n;
	return st;
}

static sm_status flush_para(struct parser *p, struct list *out, struct sm_buf *para,
			    long first_line)
{
	if (!para->len)
		return SM_OK;
	long line = p->line;
	p->line = first_line;
	struct sm_rnode *n = list_add(p, out, SM_RN_PARA);
	p->line = line;
	if (!n)
		return SM_EINTERNAL;
	n->text = sm_buf_take(para);
	sm_buf_init(para);
	return n->text ? SM_OK : SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
}

static sm_status heading(struct parser *p, struct list *out, struct span sp)
{
	int level = sp.n > 1 && sp.s[1] == '#' ? 2 : 1;
	struct span t = trim((struct span){ sp.s + level, sp.n - (size_t)level });
	if (level == 2 && t.n && t.s[0] == '#')
		return fail(p, t.s, "heading level %s is not supported; expected %s", "3",
			    "# or ##");
	if (!t.n)
		return fail(p, sp.s, "empty heading%s; expected %s", "", "a text after #");
	struct sm_rnode *n = list_add(p, out, SM_RN_HEADING);
	if (!n)
		return SM_EINTERNAL;
	n->level = level;
	if (!(n->text = dup_span(t)))
		return SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
	return check_text(p, n->text);
}

static sm_status parse_line(struct parser *p, struct list *out, struct span sp,
			    struct sm_buf *para, long *para_line, int depth, int *ended)
{
	sm_status st = SM_OK;
	if (sp.n >= 2 && sp.s[0] == '%' && sp.s[1] == '%')
		return SM_OK;
	if (!sp.n || sp.s[0] == '#' || sp.s[0] == '@')
		st = flush_para(p, out, para, *para_line);
	if (st != SM_OK || !sp.n)
		return st;
	if (sp.s[0] == '#')
		return heading(p, out, sp);
	if (sp.s[0] == '@') {
		if (sp.n == 4 && !memcmp(sp.s, "@end", 4) && depth > 0) {
			*ended = 1;
			return SM_OK;
		}
		st = parse_directive(p, out, sp, depth);
		if (st == SM_OK && out->n &&
		    (out->v[out->n - 1].kind == SM_RN_EACH ||
		     out->v[out->n - 1].kind == SM_RN_IF) &&
		    out->v[out->n - 1].line == p->line && !out->v[out->n - 1].body)
			st = parse_body(p, out, depth);
		return st;
	}
	char *line = dup_span(sp);
	if (!line)
		return SM_FAIL(p->ctx, SM_EINTERNAL, "out of memory");
	st = check_text(p, line);
	free(line);
	if (!para->len)
		*para_line = p->line;
	else
		sm_buf_putc(para, ' ');
	sm_buf_append(para, sp.s, sp.n);
	return st;
}

static sm_status parse_block(struct parser *p, struct list *out, int depth, long open_line)
{
	if (depth > SM_RTMPL_MAX_DEPTH)
		return SM_FAIL_POS(p->ctx, SM_EINPUT, p->path, (int)p->line, 1, NULL,
				   "blocks nested deeper than %d; expected fewer @each/@if levels",
				   SM_RTMPL_MAX_DEPTH);
	struct sm_buf para;
	sm_buf_init(&para);
	long para_line = 0;
	struct span sp;
	sm_status st = SM_OK;
	int ended = 0;
	while (st == SM_OK && !ended && next_line(p, &sp))
		st = parse_line(p, out, trim(sp), &para, &para_line, depth, &ended);
	if (st == SM_OK)
		st = flush_para(p, out, &para, para_line);
	sm_buf_release(&para);
	if (st == SM_OK && depth > 0 && !ended)
		st = SM_FAIL_POS(p->ctx, SM_EINPUT, p->path, (int)open_line, 1, NULL,
				 "block opened here is not closed; expected @end");
	return st;
}

void sm_rtmpl_free(struct sm_rtmpl *t)
{
	if (!t)
		return;
	nodes_free(t->nodes, t->nnodes);
	free(t->path);
	free(t);
}

struct sm_rtmpl *sm_rtmpl_parse(struct sm_ctx *ctx, const char *path, const char *text,
				size_t len)
{
	if (sm_textfile_check(ctx, path, text, len) != SM_OK)
		return NULL;
	size_t bom = sm_textfile_bom(text, len);
	struct parser p = { ctx, path, text, text + len, text + bom, 0, 0 };
	struct list nodes = { 0 };
	struct sm_rtmpl *t = calloc(1, sizeof *t);
	sm_status st = t ? parse_block(&p, &nodes, 0, 0) : SM_FAIL(ctx, SM_EINTERNAL, "oom");
	if (t) {
		t->nodes = nodes.v;
		t->nnodes = nodes.n;
	}
	if (st == SM_OK && !(t->path = strdup(path)))
		st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (st != SM_OK) {
		if (t)
			sm_rtmpl_free(t);
		else
			nodes_free(nodes.v, nodes.n);
		return NULL;
	}
	return t;
}

struct sm_rtmpl *sm_rtmpl_load(struct sm_ctx *ctx, const char *name)
{
	if (!name)
		name = "report";
	size_t n = strlen(name);
	char *path = n > 5 && !strcmp(name + n - 5, ".tmpl")
			     ? strdup(name)
			     : sm_asprintf("%s/templates/%s.tmpl",
					   sm_ctx_home(ctx) ? sm_ctx_home(ctx) : ".", name);
	if (!path) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	char *text = NULL;
	size_t len = 0;
	struct sm_rtmpl *t = NULL;
	if (sm_textfile_load(ctx, path, &text, &len) == SM_OK)
		t = sm_rtmpl_parse(ctx, path, text, len);
	free(text);
	free(path);
	return t;
}

struct cost {
	size_t items, drawn;
};

static sm_status nodes_cost(struct sm_ctx *ctx, const struct sm_rtmpl *t,
			    const struct sm_rnode *nodes, size_t n, size_t times, size_t n_analyses,
			    struct cost *c)
{
	for (size_t i = 0; i < n; i++) {
		const struct sm_rnode *nd = &nodes[i];
		int drawn = nd->kind == SM_RN_FIGURE || nd->kind == SM_RN_TABLE ||
			    nd->kind == SM_RN_TABLES;
		c->items += times;
		if (drawn)
			c->drawn += times;
		if (c->items > SM_RTMPL_MAX_ITEMS || c->drawn > SM_RTMPL_MAX_DRAWN)
			return SM_FAIL_POS(ctx, SM_EINPUT, t->path, (int)nd->line, 1, NULL,
					   "the template expands to more than %zu %s here (an "
					   "@each repeats its block for each of the %zu analyses); "
					   "expected at most %zu",
					   c->drawn > SM_RTMPL_MAX_DRAWN ? SM_RTMPL_MAX_DRAWN
									 : SM_RTMPL_MAX_ITEMS,
					   c->drawn > SM_RTMPL_MAX_DRAWN ? "figures and tables"
									 : "items",
					   n_analyses,
					   c->drawn > SM_RTMPL_MAX_DRAWN ? SM_RTMPL_MAX_DRAWN
									 : SM_RTMPL_MAX_ITEMS);
		if (nd->kind == SM_RN_EACH || nd->kind == SM_RN_IF) {
			size_t k = nd->kind == SM_RN_EACH ? n_analyses : 1;
			/* times * k without overflow: a product past the caps fails anyway */
			size_t next = k && times > SM_RTMPL_MAX_ITEMS / k ? SM_RTMPL_MAX_ITEMS + 1
									   : times * k;
			sm_status s = nodes_cost(ctx, t, nd->body, nd->nbody, next, n_analyses, c);
			if (s != SM_OK)
				return s;
		}
	}
	return SM_OK;
}

sm_status sm_rtmpl_check_cost(struct sm_ctx *ctx, const struct sm_rtmpl *t, size_t n_analyses)
{
	struct cost c = {.items = 0, .drawn = 0};
	return nodes_cost(ctx, t, t->nodes, t->nnodes, 1, n_analyses, &c);
}
