/* sm_fplot_prop.c -- proportions on a forest (sm_fplot_int.h): per 100 or
 * per 1000 patients, each study's observed proportion with its exact
 * (Clopper-Pearson) interval, the crude pooled incidence with its exact
 * interval beside the model, and what to say when the model's value cannot
 * be read (events too rare for its back-transformation, or none at all).
 * The analysis stage computed every number; only the unit changes here. */
#include "sm_fplot_int.h"

#include "sm_fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* `auto` is the analysis' display unit (display_per), so the forest, the
 * funnel, the domain table and the report's words all speak per the same
 * number of patients; results without it: per 1000 when the crude
 * incidence is below 1%, else per 100.  Decimals enough for two
 * significant digits of it (at most 4). */
void sm_fb_prop_scale(struct build *b, const struct sm_res_analysis *a)
{
	struct sm_fplot *p = b->p;
	double base = a->crude.present ? a->crude.proportion : a->transformed.estimate;
	switch (b->req->per) {
	case SM_PER_1:
		p->per = 1;
		break;
	case SM_PER_100:
		p->per = 100;
		break;
	case SM_PER_1000:
		p->per = 1000;
		break;
	case SM_PER_AUTO:
		if (a->display_per > 0)
			p->per = a->display_per;
		else
			p->per = isfinite(base) && base < 0.01 ? 1000 : 100;
		break;
	}
	int dec = p->per == 1 ? b->st->d_effect : 1;
	double v = base * p->per;
	if (isfinite(v) && v > 0)
		dec = (int)fmax(dec, ceil(-log10(v) - 1e-9) + 1);
	p->dec = dec > 4 ? 4 : dec;
}

void sm_fb_prop_study(struct build *b, struct sm_frow *r, const struct sm_res_study *s)
{
	double k = b->p->per;
	if (isfinite(s->proportion) && isfinite(s->exact_ci[0]) && isfinite(s->exact_ci[1])) {
		r->est = s->proportion * k;
		r->lb = s->exact_ci[0] * k;
		r->ub = s->exact_ci[1] * k;
	} else if (sm_res_study_pooled(s)) {
		/* results of an older version: the model's back-transformed values */
		r->est = s->transformed.yi * k;
		r->lb = s->transformed.ci_lb * k;
		r->ub = s->transformed.ci_ub * k;
	}
}

int sm_fb_prop_unreadable(const struct build *b, const struct sm_res_analysis *a, double est,
			  double lb)
{
	(void)b;
	if (a->zero_events.present)
		return 1;
	return a->crude.present && a->crude.events > 0 && est == 0 && lb == 0;
}

static void crude_row(struct build *b, const struct sm_res_analysis *a)
{
	const struct sm_res_crude *c = &a->crude;
	struct sm_frow *r = sm_fb_add(b, SM_ROW_POOLED);
	if (!r)
		return;
	r->cell[SM_COL_LABEL] = sm_fb_dup(b, "Crude incidence (exact CI)");
	r->cell[SM_COL_EV1] = sm_fb_count(b, c->events);
	r->cell[SM_COL_N1] = sm_fb_count(b, c->patients);
	r->hollow = 1;
	r->est = c->proportion * b->p->per;
	r->lb = c->exact_ci[0] * b->p->per;
	r->ub = c->exact_ci[1] * b->p->per;
	sm_fb_effect_cells(b, r);
}

/* "N per 1000" (or a proportion) with the plot's decimals. */
static void per_value(struct build *b, struct sm_buf *t, double x)
{
	sm_fmt_num(t, x * b->p->per, b->p->dec);
	if (b->p->per > 1)
		sm_buf_printf(t, " per %.0f", b->p->per);
}

void sm_fb_prop_pooled(struct build *b, const struct sm_res_analysis *a)
{
	if (a->crude.present)
		crude_row(b, a);
	const struct sm_res_zero_events *z = &a->zero_events;
	struct sm_buf t;
	sm_buf_init(&t);
	if (z->present) {
		sm_buf_printf(&t, "No events in %.0f patients: the pooled model's value is not "
			      "meaningful; the exact one-sided %g%% upper bound of the incidence is ",
			      z->n_total, z->level);
		per_value(b, &t, z->upper_exact);
		sm_buf_puts(&t, ", and the rule of three gives ");
		per_value(b, &t, z->upper_rule_of_three);
		sm_buf_putc(&t, '.');
		sm_fb_note(b, &t, 1);
		return;
	}
	double est = a->transformed.estimate, lb = a->transformed.ci_lb;
	if (!sm_fb_prop_unreadable(b, a, est, lb))
		return;
	sm_buf_puts(&t, "The pooled model's back-transformed value is 0");
	const char *fn = a->transformed.function;
	if (fn && !strcmp(fn, "ipft.hm") && isfinite(a->transformed.ni_harmonic_mean)) {
		sm_buf_puts(&t, " (Freeman\xe2\x80\x93Tukey inverse with the harmonic mean n = ");
		sm_fmt_num(&t, a->transformed.ni_harmonic_mean, 1);
		sm_buf_putc(&t, ')');
	}
	sm_buf_printf(&t, " although %.0f events occurred in %.0f patients, so it is not "
		      "interpretable; the crude incidence is ", a->crude.events, a->crude.patients);
	per_value(b, &t, a->crude.proportion);
	sm_buf_puts(&t, " [");
	sm_fmt_num(&t, a->crude.exact_ci[0] * b->p->per, b->p->dec);
	sm_buf_puts(&t, ", ");
	sm_fmt_num(&t, a->crude.exact_ci[1] * b->p->per, b->p->dec);
	sm_buf_printf(&t, "] (exact %d%% CI).", b->p->level);
	sm_fb_note(b, &t, 1);
}
