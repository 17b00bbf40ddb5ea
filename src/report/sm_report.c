#include "sm_report.h"

#include "sm_rdoc.h"
#include "sm_rtmpl.h"

#include <stdlib.h>

void sm_report_opts_init(struct sm_report_opts *opts)
{
	*opts = (struct sm_report_opts){ 0 };
}

/* Template, document and page flow of a report. */
static sm_status lay_out(struct sm_ctx *ctx, const cJSON *results, const struct sm_res *res,
			 const struct sm_report_opts *opts, struct sm_rdoc **doc,
			 struct sm_rflow *flow)
{
	*doc = NULL;
	*flow = (struct sm_rflow){ 0 };
	struct sm_rtmpl *loaded = opts->tmpl ? NULL : sm_rtmpl_load(ctx, opts->template_name);
	const struct sm_rtmpl *t = opts->tmpl ? opts->tmpl : loaded;
	if (!t)
		return SM_EINPUT;
	*doc = sm_rdoc_build(ctx, results, res, t, opts);
	sm_rtmpl_free(loaded);
	if (!*doc)
		return sm_ctx_error(ctx) ? sm_ctx_error(ctx)->code : SM_EINPUT;
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
