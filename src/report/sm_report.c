#include "sm_report.h"

#include "sm_rdoc.h"
#include "sm_rtmpl.h"
#include "sm_supplement.h"

#include <stdlib.h>

void sm_report_opts_init(struct sm_report_opts *opts)
{
	*opts = (struct sm_report_opts){ 0 };
}

static struct sm_rtmpl *template_of(struct sm_ctx *ctx, const struct sm_report_opts *opts,
				    struct sm_rtmpl **loaded)
{
	*loaded = opts->tmpl ? NULL : sm_rtmpl_load(ctx, opts->template_name);
	return opts->tmpl ? (struct sm_rtmpl *)opts->tmpl : *loaded;
}

sm_status sm_report_items(struct sm_ctx *ctx, const cJSON *results, const struct sm_res *res,
			  const struct sm_report_opts *opts, struct sm_supp *items)
{
	struct sm_rtmpl *loaded;
	const struct sm_rtmpl *t = template_of(ctx, opts, &loaded);
	if (!t)
		return SM_EINPUT;
	struct sm_report_opts o = *opts;
	o.supplement = 1;
	struct sm_rdoc *doc = sm_rdoc_build(ctx, results, res, t, &o, items, NULL);
	sm_rtmpl_free(loaded);
	sm_rdoc_free(doc);
	return doc ? SM_OK : sm_ctx_status(ctx, SM_EINPUT);
}

/* Template, document and page flow of a report; a supplement's index is
 * the bundle's list or, without one, the report's own items. */
static sm_status lay_out(struct sm_ctx *ctx, const cJSON *results, const struct sm_res *res,
			 const struct sm_report_opts *opts, struct sm_rdoc **doc,
			 struct sm_rflow *flow)
{
	*doc = NULL;
	*flow = (struct sm_rflow){ 0 };
	struct sm_supp own = { 0 };
	sm_status s = SM_OK;
	if (opts->supplement && !opts->supp)
		s = sm_report_items(ctx, results, res, opts, &own);
	struct sm_rtmpl *loaded = NULL;
	const struct sm_rtmpl *t = s == SM_OK ? template_of(ctx, opts, &loaded) : NULL;
	if (t)
		*doc = sm_rdoc_build(ctx, results, res, t, opts, NULL,
				     opts->supp ? opts->supp : &own);
	sm_rtmpl_free(loaded);
	sm_supp_release(&own);
	if (!*doc)
		return s != SM_OK ? s : sm_ctx_status(ctx, SM_EINPUT);
	return sm_rpage_flow(ctx, *doc, flow);
}

sm_status sm_report_write(struct sm_ctx *ctx, const cJSON *results, const struct sm_res *res,
			  const struct sm_report_opts *opts, const char *pdf_path)
{
	struct sm_rdoc *doc;
	struct sm_rflow flow;
	sm_status s = lay_out(ctx, results, res, opts, &doc, &flow);
	if (s == SM_OK)
		s = sm_rpage_draw(ctx, doc, &flow, pdf_path);
	sm_rpage_flow_release(&flow);
	sm_rdoc_free(doc);
	return s;
}

sm_status sm_report_count_pages(struct sm_ctx *ctx, const cJSON *results,
				const struct sm_res *res, const struct sm_report_opts *opts,
				int *pages)
{
	struct sm_rdoc *doc;
	struct sm_rflow flow;
	sm_status s = lay_out(ctx, results, res, opts, &doc, &flow);
	*pages = flow.npages;
	sm_rpage_flow_release(&flow);
	sm_rdoc_free(doc);
	return s;
}
