/* The wording of the PRISMA 2020 boxes, filled with the counts exactly as
 * reported: a null count prints "n = not reported", nothing is computed. */
#include "sm_prisma_int.h"

#include "sm_buf.h"

#include <math.h>
#include <string.h>

/* A count stays on one line with its "(n =". */
#define NBSP "\xc2\xa0"

void sm_prisma_counts_main(const struct sm_res_prisma *p, struct sm_prisma_counts *c)
{
	*c = (struct sm_prisma_counts){
		.template_name = p->template_name,
		.updated = p->template_name && !strcmp(p->template_name, "updated"),
		.previous_studies = p->previous_studies,
		.previous_reports = p->previous_reports,
		.databases = p->databases.v, .ndatabases = p->databases.n,
		.registers = p->registers.v, .nregisters = p->registers.n,
		.records_databases = p->records_databases,
		.records_registers = p->records_registers,
		.records_identified = p->records_identified,
		.duplicates_removed = p->duplicates_removed,
		.automation_excluded = p->automation_excluded,
		.other_removed = p->other_removed,
		.records_screened = p->records_screened,
		.records_excluded = p->records_excluded,
		.reports_sought = p->reports_sought,
		.reports_not_retrieved = p->reports_not_retrieved,
		.reports_assessed = p->reports_assessed,
		.reports_excluded = p->reports_excluded,
		.studies_included = p->studies_included,
		.reports_included = p->reports_included,
		.new_studies_included = p->new_studies_included,
		.new_reports_included = p->new_reports_included,
		.reasons = p->exclusion_reasons.v, .nreasons = p->exclusion_reasons.n,
	};
}

void sm_prisma_counts_other(const struct sm_res_prisma_other *o, struct sm_prisma_counts *c)
{
	*c = (struct sm_prisma_counts){
		.previous_studies = NAN, .previous_reports = NAN,
		.sources = o->sources.v, .nsources = o->sources.n,
		.records_databases = NAN, .records_registers = NAN,
		.records_identified = o->records_identified,
		.duplicates_removed = NAN, .automation_excluded = NAN, .other_removed = NAN,
		.records_screened = NAN, .records_excluded = NAN,
		.reports_sought = o->reports_sought,
		.reports_not_retrieved = o->reports_not_retrieved,
		.reports_assessed = o->reports_assessed,
		.reports_excluded = o->reports_excluded,
		.studies_included = NAN, .reports_included = NAN,
		.new_studies_included = NAN, .new_reports_included = NAN,
		.reasons = o->exclusion_reasons.v, .nreasons = o->exclusion_reasons.n,
	};
}

static void count(struct sm_buf *b, double n)
{
	if (sm_prisma_has(n))
		sm_buf_printf(b, "(n" NBSP "=" NBSP "%.0f)", n);
	else
		sm_buf_puts(b, "(n" NBSP "=" NBSP "not" NBSP "reported)");
}

/* "Name (n = N)" lines of the databases, registers or other methods. */
static void sources(struct sm_buf *b, const struct sm_res_prisma_source *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sm_buf_printf(b, "\n%s ", v[i].name ? v[i].name : "not named");
		count(b, v[i].n);
	}
}

/* One category of the template's "Records identified from:" box: its own
 * total when reported ("Databases (n = 1047)"), then its sources; a list
 * without a total is headed "Databases:", since the total is not ours to
 * add up.  Returns the count lines written. */
static size_t category(struct sm_buf *b, const char *name, double total,
		       const struct sm_res_prisma_source *v, size_t n)
{
	if (!sm_prisma_has(total) && n == 0)
		return 0;
	sm_buf_printf(b, "\n%s", name);
	if (sm_prisma_has(total)) {
		sm_buf_putc(b, ' ');
		count(b, total);
	} else {
		sm_buf_putc(b, ':');
	}
	sources(b, v, n);
	return n + (size_t)sm_prisma_has(total);
}

/* The identification box of either column: the categories, then the
 * total when it sums more than one line (else the line says it all). */
static void identified(struct sm_buf *b, const struct sm_prisma_counts *c)
{
	sm_buf_puts(b, "Records identified from:");
	size_t lines = category(b, "Databases", c->records_databases, c->databases,
				c->ndatabases) +
		       category(b, "Registers", c->records_registers, c->registers,
				c->nregisters);
	sources(b, c->sources, c->nsources);
	lines += c->nsources;
	if (sm_prisma_has(c->records_identified) && lines != 1) {
		sm_buf_puts(b, "\nTotal ");
		count(b, c->records_identified);
	}
}

static void reasons(struct sm_buf *b, const struct sm_res_prisma_reason *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sm_buf_printf(b, "\n%s ", v[i].reason ? v[i].reason : "not named");
		count(b, v[i].n);
	}
}

static char *line(const char *label, double n)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_printf(&b, "%s ", label);
	count(&b, n);
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}

char *sm_prisma_text(enum sm_prisma_slot slot, const struct sm_prisma_counts *c)
{
	struct sm_buf b;
	sm_buf_init(&b);
	switch (slot) {
	case SM_PS_IDENTIFIED:
		if (c->ndatabases > 0 || c->nregisters > 0 || sm_prisma_has(c->records_databases) ||
		    sm_prisma_has(c->records_registers)) {
			identified(&b, c);
		} else {
			sm_buf_puts(&b, "Records identified from databases and registers ");
			count(&b, c->records_identified);
		}
		break;
	case SM_PS_REMOVED:
		sm_buf_puts(&b, "Records removed before screening:\nDuplicate records removed ");
		count(&b, c->duplicates_removed);
		sm_buf_puts(&b, "\nRecords marked as ineligible by automation tools ");
		count(&b, c->automation_excluded);
		sm_buf_puts(&b, "\nRecords removed for other reasons ");
		count(&b, c->other_removed);
		break;
	case SM_PS_OTHER_IDENTIFIED:
		if (c->nsources > 0) {
			identified(&b, c);
			break;
		}
		return line("Records identified from other methods (websites, organisations, "
			    "citation searching)", c->records_identified);
	case SM_PS_SCREENED:
		return line("Records screened", c->records_screened);
	case SM_PS_EXCLUDED:
		return line("Records excluded", c->records_excluded);
	case SM_PS_SOUGHT:
		return line("Reports sought for retrieval", c->reports_sought);
	case SM_PS_NOT_RETRIEVED:
		return line("Reports not retrieved", c->reports_not_retrieved);
	case SM_PS_ASSESSED:
		return line("Reports assessed for eligibility", c->reports_assessed);
	case SM_PS_REPORTS_EXCLUDED:
		sm_buf_puts(&b, "Reports excluded ");
		count(&b, c->reports_excluded);
		if (c->nreasons > 0) {
			sm_buf_putc(&b, ':');
			reasons(&b, c->reasons, c->nreasons);
		}
		break;
	case SM_PS_PREVIOUS:
		sm_buf_puts(&b, "Studies included in previous version of review ");
		count(&b, c->previous_studies);
		sm_buf_puts(&b, "\nReports of studies included in previous version of review ");
		count(&b, c->previous_reports);
		break;
	case SM_PS_INCLUDED:
		/* The updated template counts this update's studies here and
		 * the totals below; the reports line only when reported: most
		 * reviews count studies. */
		if (c->updated) {
			sm_buf_puts(&b, "New studies included in review ");
			count(&b, c->new_studies_included);
			if (sm_prisma_has(c->new_reports_included)) {
				sm_buf_puts(&b, "\nReports of new included studies ");
				count(&b, c->new_reports_included);
			}
			break;
		}
		sm_buf_puts(&b, "Studies included in review ");
		count(&b, c->studies_included);
		if (sm_prisma_has(c->reports_included)) {
			sm_buf_puts(&b, "\nReports of included studies ");
			count(&b, c->reports_included);
		}
		break;
	case SM_PS_TOTAL:
		sm_buf_puts(&b, "Total studies included in review ");
		count(&b, c->studies_included);
		if (sm_prisma_has(c->reports_included)) {
			sm_buf_puts(&b, "\nReports of total included studies ");
			count(&b, c->reports_included);
		}
		break;
	}
	return b.failed ? (sm_buf_release(&b), NULL) : sm_buf_take(&b);
}
