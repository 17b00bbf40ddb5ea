/* sm_res_keys_doc.c -- the key table as the README's reference of the
 * results document (sm_res_keys.h). */
#include "sm_res_keys.h"

#include "sm_buf.h"

#include <string.h>

static void type_words(struct sm_buf *b, const struct sm_rkey *k)
{
	switch (k->type) {
	case SM_RK_NUM:
		sm_buf_puts(b, k->flags & SM_RK_INT ? "whole number" : "number");
		if (k->flags & SM_RK_PROB)
			sm_buf_puts(b, " 0..1");
		else if (k->flags & SM_RK_PCT)
			sm_buf_puts(b, " 0..100");
		else if (k->flags & SM_RK_POS)
			sm_buf_puts(b, " > 0");
		else if (k->flags & SM_RK_NONNEG)
			sm_buf_puts(b, " >= 0");
		break;
	case SM_RK_BOOL: sm_buf_puts(b, "true/false"); break;
	case SM_RK_STR:
		if (k->words) {
			for (const char *const *w = k->words; *w; w++)
				sm_buf_printf(b, "%s`%s`", w == k->words ? "" : " ", *w);
		} else {
			sm_buf_puts(b, "string");
		}
		break;
	case SM_RK_OBJ: sm_buf_printf(b, "object (`%s`)", k->obj->name); break;
	case SM_RK_LIST: sm_buf_printf(b, "list (`%s`)", k->obj->name); break;
	case SM_RK_STRS: sm_buf_puts(b, "list of strings"); break;
	case SM_RK_NUMS: sm_buf_puts(b, "list of numbers"); break;
	case SM_RK_PAIR: sm_buf_puts(b, "[lower, upper]"); break;
	case SM_RK_BOOL2: sm_buf_puts(b, "[true/false, true/false]"); break;
	case SM_RK_REF: sm_buf_printf(b, "object (`%s`)", k->obj->name); break;
	case SM_RK_CHARS: sm_buf_puts(b, "object of values"); break;
	case SM_RK_ROWS: sm_buf_puts(b, "list of rows"); break;
	case SM_RK_ANY: case SM_RK_IGNORE: sm_buf_puts(b, "any"); break;
	}
	if (k->flags & SM_RK_NULLABLE)
		sm_buf_puts(b, ", or null");
	if (k->flags & SM_RK_OPTIONAL)
		sm_buf_puts(b, ", may be absent");
	if (k->flags & SM_RK_LOOSE)
		sm_buf_puts(b, " (an empty one: name, k, k_rows, warnings only)");
}

/* Objects in document order, each once (several keys share one). */
static void collect(const struct sm_robj *o, const struct sm_robj **seen, size_t *n, size_t max)
{
	for (size_t i = 0; i < *n; i++)
		if (seen[i] == o)
			return;
	if (*n == max)
		return;
	seen[(*n)++] = o;
	for (size_t i = 0; i < o->nkeys; i++)
		if (o->keys[i].obj)
			collect(o->keys[i].obj, seen, n, max);  /* each object once: REF may recurse */
}

char *sm_res_keys_markdown(void)
{
	const struct sm_robj *objs[96];
	size_t n = 0;
	collect(&sm_res_doc_schema, objs, &n, sizeof objs / sizeof objs[0]);
	struct sm_buf b;
	sm_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		const struct sm_robj *o = objs[i];
		sm_buf_printf(&b, "%s#### `%s`\n\n| key | type | meaning |\n|---|---|---|\n",
			      i ? "\n" : "", o->name);
		for (size_t j = 0; j < o->nkeys; j++) {
			const struct sm_rkey *k = &o->keys[j];
			sm_buf_printf(&b, "| `%s` | ", k->key);
			type_words(&b, k);
			sm_buf_printf(&b, " | %s |\n", k->doc);
		}
	}
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}
