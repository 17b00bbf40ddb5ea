/* The check report as JSON and as readable text. */
#include "sm_check_impl.h"

#include "sm_buf.h"
#include "sm_json_out.h"

#include <string.h>

static const char tolerance_rule[] =
	"a reported value agrees when it is within half a unit of its last printed decimal "
	"(decimals from the shortest form of the number; a printed zero takes the finest "
	"precision of the same key in the review's other analyses)";

static const char *kind_name(enum sm_check_kind k)
{
	static const char *const names[] = { "count", "value", "self-contradiction", "direction",
					     "not computable", "unmatched", "prisma", "claim",
					     "method" };
	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

cJSON *sm_check_json(const struct sm_check *c)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddNumberToObject(o, "disagreements", (double)c->n_findings);
	cJSON_AddStringToObject(o, "tolerance_rule", tolerance_rule);
	cJSON *as = cJSON_AddArrayToObject(o, "analyses");
	for (size_t i = 0; i < c->n_analyses; i++) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "name", c->analyses[i].name);
		cJSON_AddBoolToObject(a, "reproduced", c->analyses[i].reproduced);
		cJSON_AddNumberToObject(a, "values_compared", (double)c->analyses[i].values_compared);
		cJSON_AddItemToArray(as, a);
	}
	cJSON *fs = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct sm_check_finding *f = &c->findings[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "kind", kind_name(f->kind));
		sm_json_add_string(j, "analysis", f->analysis);
		sm_json_add_string(j, "field", f->field);
		sm_json_add_number(j, "reported", f->reported);
		sm_json_add_number(j, "computed", f->computed);
		sm_json_add_number(j, "tolerance", f->tolerance);
		cJSON_AddStringToObject(j, "message", f->message);
		cJSON_AddItemToArray(fs, j);
	}
	return o;
}

static void text_findings(struct sm_buf *b, const struct sm_check *c, const char *analysis)
{
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct sm_check_finding *f = &c->findings[i];
		int same = analysis ? f->analysis && !strcmp(f->analysis, analysis) : !f->analysis;
		if (same)
			sm_buf_printf(b, "  - %s [%s]: %s\n", f->field ? f->field : "-",
				      kind_name(f->kind), f->message);
	}
}

static size_t findings_of(const struct sm_check *c, const char *analysis)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		n += c->findings[i].analysis && !strcmp(c->findings[i].analysis, analysis);
	return n;
}

static void text_summary(struct sm_buf *b, const struct sm_check *c)
{
	size_t ok = 0;
	for (size_t i = 0; i < c->n_analyses; i++)
		ok += (size_t)c->analyses[i].reproduced;
	if (c->n_analyses)
		sm_buf_printf(b, "\nsummary: %zu of %zu reported analyses reproduce", ok,
			      c->n_analyses);
	else
		sm_buf_puts(b, "\nsummary: no reported analyses");
	const char *sep = "; not reproduced: ";
	for (size_t i = 0; i < c->n_analyses; i++) {
		if (c->analyses[i].reproduced)
			continue;
		sm_buf_printf(b, "%s%s", sep, c->analyses[i].name);
		sep = ", ";
	}
	sm_buf_printf(b, "\n%zu disagreement%s found\n", c->n_findings,
		      c->n_findings == 1 ? "" : "s");
}

char *sm_check_text(const struct sm_check *c, const char *input)
{
	struct sm_buf b;
	sm_buf_init(&b);
	if (c->n_analyses)
		sm_buf_printf(&b, "%s: %zu reported analyses compared with the recomputed "
			      "results\n(%s)\n", input ? input : "review", c->n_analyses,
			      tolerance_rule);
	else
		sm_buf_printf(&b, "%s: the review reports no analysis results to compare\n",
			      input ? input : "review");
	for (size_t i = 0; i < c->n_analyses; i++) {
		const struct sm_check_analysis *a = &c->analyses[i];
		size_t n = findings_of(c, a->name);
		const char *state = !a->reproduced ? "not reproduced"
				    : n ? "reproduced, with remarks on the paper's own numbers"
					: "reproduced";
		sm_buf_printf(&b, "\n%s: %s (%zu values compared)\n", a->name, state,
			      a->values_compared);
		text_findings(&b, c, a->name);
	}
	int method = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		method |= c->findings[i].kind == SM_CHECK_METHOD;
	if (method) {
		sm_buf_puts(&b, "\nAggregate comparisons:\n");
		for (size_t i = 0; i < c->n_findings; i++)
			if (c->findings[i].kind == SM_CHECK_METHOD)
				sm_buf_printf(&b, "  - %s [method]: %s\n", c->findings[i].analysis,
					      c->findings[i].message);
	}
	int prisma = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		prisma |= !c->findings[i].analysis;
	if (prisma) {
		sm_buf_puts(&b, "\nPRISMA flow:\n");
		text_findings(&b, c, NULL);
	}
	text_summary(&b, c);
	return sm_buf_take(&b);
}
