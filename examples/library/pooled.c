/*
 * pooled.c -- a program using the safemeta library: analyse a review,
 * print every analysis' pooled estimate, draw the first forest plot.
 *
 *   cc pooled.c $(pkg-config --cflags --libs safemeta) -o pooled
 *   ./pooled REVIEW.json|DATA.csv [FOREST.png] [METHOD]
 *
 * The library finds its fonts and templates next to libsafemeta.so; a
 * program linked with the static library names the folder itself (here
 * from SAFEMETA_HOME, e.g. `pkg-config --variable=datadir safemeta`).
 *
 * The forest plot is drawn twice, to the named file and through a write
 * function into FOREST.png.stream, to show both ways of getting a figure.
 */
#include <safemeta.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct sm_ctx *ctx)
{
	char *m = sm_diag_format(sm_ctx_error(ctx));
	fprintf(stderr, "pooled: %s\n", m ? m : "failed");
	free(m);
	int code = sm_ctx_error(ctx) ? (int)sm_ctx_error(ctx)->code : 4;
	sm_ctx_free(ctx);
	return code;
}

static int to_file(void *closure, const unsigned char *data, size_t len)
{
	return fwrite(data, 1, len, closure) == len ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: pooled REVIEW [FOREST.png] [METHOD]\n");
		return 2;
	}
	sm_init();
	struct sm_ctx *ctx = sm_ctx_new();
	if (!ctx)
		return 4;
	if (getenv("SAFEMETA_HOME"))
		sm_ctx_set_home(ctx, getenv("SAFEMETA_HOME"));
	struct sm_review *review = sm_review_load_any(ctx, argv[1]);
	struct sm_analysis_opts *opts = sm_analysis_opts_new();
	if (!review || !opts ||
	    (argc > 3 && sm_analysis_opts_set(ctx, opts, "method", argv[3]) != SM_OK))
		return fail(ctx);
	char *json = sm_analyze_json(ctx, review, opts);
	sm_analysis_opts_free(opts);
	sm_review_free(review);
	struct sm_res *res = json ? sm_res_parse(ctx, argv[1], json, strlen(json)) : NULL;
	free(json);
	if (!res)
		return fail(ctx);

	size_t n = sm_res_count(res, "analyses");
	for (size_t i = 0; i < n; i++) {
		const char *what[] = { "k", "estimate", "ci_lb", "ci_ub" };
		char path[64];
		snprintf(path, sizeof path, "analyses[%zu].name", i);
		printf("%s:", sm_res_string(res, path));
		for (size_t j = 0; j < 4; j++) {
			snprintf(path, sizeof path, "analyses[%zu].%s", i, what[j]);
			printf(" %s %.17g", what[j], sm_res_number(res, path));
		}
		printf("\n");
	}
	for (size_t i = 0; i < sm_ctx_warning_count(ctx); i++)
		fprintf(stderr, "pooled: warning: %s\n", sm_ctx_warning(ctx, i));

	int rc = 0;
	if (argc > 2) {
		const char *options[] = { "width", "double", NULL };
		char stream[4096];
		snprintf(stream, sizeof stream, "%s.stream", argv[2]);
		FILE *f = fopen(stream, "wb");
		if (sm_render(ctx, res, "forest", options, argv[2]) != SM_OK || !f ||
		    sm_render_to(ctx, res, "forest", options, "png", to_file, f) != SM_OK)
			rc = 1;
		if (f && fclose(f) != 0)
			rc = 1;
	}
	sm_res_free(res);
	if (rc)
		return fail(ctx);
	sm_ctx_free(ctx);
	return 0;
}
