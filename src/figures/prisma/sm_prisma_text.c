/* The wording of the PRISMA 2020 boxes, filled with the counts exactly as
 * reported: a null count prints "n = not reported", nothing is computed. */
#include "sm_prisma_int.h"

#include "sm_buf.h"

#include <math.h>
#include <string.h>

/* A count stays on one line with its "(n =". */
#define NBSP "\xc2\xa0"

static void count(struct sm_buf *b, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsNumber(v))
		sm_buf_printf(b, "(n" NBSP "=" NBSP "%.0f)", v->valuedouble);
	else
		sm_buf_puts(b, "(n" NBSP "=" NBSP "not" NBSP "reported)");
}

int sm_prisma_has(const cJSON *o, const char *key)
{
	return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, key));
}

static int has_list(const cJSON *o, const char *key)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, key)) > 0;
}

/* "Name (n = N)" lines of a {name|reason, n} list. */
static void list(struct sm_buf *b, const cJSON *o, const char *key, const char *name_key)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, key)) {
		const char *name = sm_fig_str(e, name_key);
		sm_buf_printf(b, "\n%s ", name ? name : "not named");
		count(b, e, "n");
	}
}

static char *line(const char *label, const cJSON *o, const char *key)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "%s ", label);
	count(&b, o, key);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

char *sm_prisma_text(enum sm_prisma_slot slot, const cJSON *p)
{
	struct sm_buf b;
	sm_buf_init(&b);
	switch (slot) {
	case SM_PS_IDENTIFIED:
		if (has_list(p, "databases") || has_list(p, "registers")) {
			sm_buf_puts(&b, "Records identified from:");
			list(&b, p, "databases", "name");
			list(&b, p, "registers", "name");
			sm_buf_puts(&b, "\nTotal ");
			count(&b, p, "records_identified");
		} else {
			sm_buf_puts(&b, "Records identified from databases and registers ");
			count(&b, p, "records_identified");
		}
		break;
	case SM_PS_REMOVED:
		sm_buf_puts(&b, "Records removed before screening:\nDuplicate records removed ");
		count(&b, p, "duplicates_removed");
		sm_buf_puts(&b, "\nRecords marked as ineligible by automation tools ");
		count(&b, p, "automation_excluded");
		sm_buf_puts(&b, "\nRecords removed for other reasons ");
		count(&b, p, "other_removed");
		break;
	case SM_PS_OTHER_IDENTIFIED:
		return line("Records identified from other methods (websites, organisations, "
			    "citation searching)", p, "records_identified");
	case SM_PS_SCREENED:
		return line("Records screened", p, "records_screened");
	case SM_PS_EXCLUDED:
		return line("Records excluded", p, "records_excluded");
	case SM_PS_SOUGHT:
		return line("Reports sought for retrieval", p, "reports_sought");
	case SM_PS_NOT_RETRIEVED:
		return line("Reports not retrieved", p, "reports_not_retrieved");
	case SM_PS_ASSESSED:
		return line("Reports assessed for eligibility", p, "reports_assessed");
	case SM_PS_REPORTS_EXCLUDED:
		sm_buf_puts(&b, "Reports excluded ");
		count(&b, p, "reports_excluded");
		if (has_list(p, "exclusion_reasons")) {
			sm_buf_putc(&b, ':');
			list(&b, p, "exclusion_reasons", "reason");
		}
		break;
	case SM_PS_PREVIOUS:
		sm_buf_puts(&b, "Studies included in previous version of review ");
		count(&b, p, "previous_studies");
		sm_buf_puts(&b, "\nReports of studies included in previous version of review ");
		count(&b, p, "previous_reports");
		break;
	case SM_PS_INCLUDED: {
		int upd = sm_fig_str(p, "template") && !strcmp(sm_fig_str(p, "template"), "updated");
		sm_buf_puts(&b, upd ? "Total studies included in review " :
				      "Studies included in review ");
		count(&b, p, "studies_included");
		/* The reports line only when reported: most reviews count studies. */
		if (sm_prisma_has(p, "reports_included")) {
			sm_buf_puts(&b, upd ? "\nReports of total included studies "
					    : "\nReports of included studies ");
			count(&b, p, "reports_included");
		}
		break;
	}
	}
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}
