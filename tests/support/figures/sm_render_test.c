#include "sm_render_test.h"

#include "sm_buf.h"
#include "sm_canvas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURES "tests/fixtures/results/"

cJSON *sm_render_load_json(const char *rel)
{
	char *path = sm_test_path(rel);
	char *text = sm_test_slurp(path);
	cJSON *j = cJSON_Parse(text);
	assert_non_null(j);
	free(text);
	free(path);
	return j;
}

struct sm_res *sm_render_load_res(const char *rel)
{
	char *path = sm_test_path(rel);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_res *r = sm_res_read(ctx, path);
	if (!r) {
		char *m = sm_diag_format(sm_ctx_error(ctx));
		print_error("%s does not read: %s\n", rel, m ? m : "?");
		free(m);
	}
	assert_non_null(r);
	sm_ctx_free(ctx);
	free(path);
	return r;
}

static struct sm_render_fx *fx_new(void)
{
	struct sm_render_fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->ctx = sm_ctx_new();
	assert_non_null(f->ctx);
	sm_ctx_set_home(f->ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	sm_ctx_set_epoch(f->ctx, 1700000000);
	snprintf(f->dir, sizeof f->dir, "%s", "/tmp/sm_fig_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	return f;
}

int sm_render_fx_setup_bare(void **state)
{
	*state = fx_new();
	return 0;
}

int sm_render_fx_setup(void **state)
{
	struct sm_render_fx *f = fx_new();
	f->msc = sm_render_load_json(FIXTURES "msc-iv-rct.results.json");
	f->sae = sm_render_load_json(FIXTURES "iv-sae-70.results.json");
	f->tum = sm_render_load_json(FIXTURES "tumorigenicity.results.json");
	f->allo = sm_render_load_json(FIXTURES "allogeneic-review.results.json");
	f->rmsc = sm_render_load_res(FIXTURES "msc-iv-rct.results.json");
	f->rsae = sm_render_load_res(FIXTURES "iv-sae-70.results.json");
	f->rtum = sm_render_load_res(FIXTURES "tumorigenicity.results.json");
	f->rallo = sm_render_load_res(FIXTURES "allogeneic-review.results.json");
	*state = f;
	return 0;
}

int sm_render_fx_setup_doc(void **state, const char *rel)
{
	sm_render_fx_setup(state);
	struct sm_render_fx *f = *state;
	f->doc = sm_render_load_json(rel);
	f->rdoc = sm_render_load_res(rel);
	return 0;
}

struct sm_res *sm_render_typed(struct sm_render_fx *f, const cJSON *doc)
{
	struct sm_res *r = sm_res_from_json(f->ctx, "test", doc);
	if (!r) {
		char *m = sm_diag_format(sm_ctx_error(f->ctx));
		print_error("derived results do not read: %s\n", m ? m : "?");
		free(m);
	}
	assert_non_null(r);
	return r;
}

int sm_render_fx_teardown(void **state)
{
	struct sm_render_fx *f = *state;
	char *cmd = sm_asprintf("rm -rf %s", f->dir);
	if (system(cmd) != 0)
		print_error("cannot remove %s\n", f->dir);
	free(cmd);
	cJSON_Delete(f->msc);
	cJSON_Delete(f->sae);
	cJSON_Delete(f->tum);
	cJSON_Delete(f->allo);
	sm_res_free(f->rmsc);
	sm_res_free(f->rsae);
	sm_res_free(f->rtum);
	sm_res_free(f->rallo);
	cJSON_Delete(f->doc);
	sm_res_free(f->rdoc);
	sm_ctx_free(f->ctx);
	free(f);
	return 0;
}

void sm_render_expect_ok(struct sm_render_fx *f, sm_status s)
{
	if (s != SM_OK) {
		char *m = sm_diag_format(sm_ctx_error(f->ctx));
		print_error("render failed: %s\n", m ? m : "?");
		free(m);
	}
	assert_int_equal(s, SM_OK);
}

void sm_render_expect_fail(struct sm_render_fx *f, sm_status s, const char *words)
{
	assert_int_equal(s, SM_EINPUT);
	const struct sm_diag *d = sm_ctx_error(f->ctx);
	assert_non_null(d);
	if (!strstr(d->msg, words)) {
		print_error("message \"%s\" lacks \"%s\"\n", d->msg, words);
		fail();
	}
	sm_ctx_clear_error(f->ctx);
}

char *sm_render_run_ok(const char *cmd)
{
	char *out = NULL, *err = NULL;
	int st = sm_test_run(cmd, &out, &err);
	if (st != 0)
		print_error("`%s` exited %d: %s%s\n", cmd, st, out, err);
	assert_int_equal(st, 0);
	free(err);
	return out;
}

/* Runs of white space (no-break spaces too) become one space. */
static void squeeze(char *s)
{
	char *w = s;
	int sp = 0;
	for (char *r = s; *r; r++) {
		int nb = (unsigned char)r[0] == 0xc2 && (unsigned char)r[1] == 0xa0;
		int is = nb || *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f';
		if (nb)
			r++;
		if (is && sp)
			continue;
		*w++ = is ? ' ' : *r;
		sp = is;
	}
	*w = 0;
}

char *sm_render_pdf_text(const char *pdf, int layout)
{
	char *cmd = sm_asprintf("pdftotext %s '%s' -", layout ? "-layout" : "-raw", pdf);
	char *out = sm_render_run_ok(cmd);
	free(cmd);
	squeeze(out);
	return out;
}

void sm_render_expect_text(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		print_error("\"%s\" not in the PDF text:\n%s\n", needle, hay);
		fail();
	}
}

void sm_render_overlap_tool(const char *pdf)
{
	char *tool = sm_test_path("tests/tools/pdf-text-overlap");
	char *cmd = sm_asprintf("python3 '%s' '%s'", tool, pdf);
	free(sm_render_run_ok(cmd));
	free(cmd);
	free(tool);
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | p[2] << 8 | p[3];
}

/* Every font line of `pdffonts` output says embedded and subset. */
static void check_fonts(const char *pdf)
{
	char *cmd = sm_asprintf("pdffonts '%s'", pdf);
	char *out = sm_render_run_ok(cmd);
	int fonts = 0;
	for (char *line = out; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (*line && strncmp(line, "name", 4) && strncmp(line, "----", 4)) {
			fonts++;
			if (!strstr(line, " yes yes ")) {
				print_error("font not embedded and subset: %s\n", line);
				fail();
			}
		}
		if (!end)
			break;
		line = end + 1;
	}
	assert_true(fonts >= 1);
	free(out);
	free(cmd);
}

void sm_render_check_formats(struct sm_render_fx *f, const char *base, const struct sm_fig *fig,
			     double dpi)
{
	char *pdf = sm_asprintf("%s/%s.pdf", f->dir, base);
	check_fonts(pdf);
	char *cmd = sm_asprintf("xmllint --noout '%s/%s.svg'", f->dir, base);
	free(sm_render_run_ok(cmd));
	free(cmd);
	char *png = sm_asprintf("%s/%s.png", f->dir, base);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file(png, 0, &data, &len), 0);
	assert_true(len > 24);
	const unsigned char *u = (const unsigned char *)data;
	assert_memory_equal(u + 12, "IHDR", 4);
	assert_int_equal(be32(u + 16), sm_canvas_px(fig->width, dpi));
	assert_int_equal(be32(u + 20), sm_canvas_px(fig->height, dpi));
	free(data);
	free(png);
	free(pdf);
}

void sm_render_same_files(const char *a, const char *b)
{
	char *cmd = sm_asprintf("cmp '%s' '%s'", a, b);
	free(sm_render_run_ok(cmd));
	free(cmd);
}

int sm_render_inside(const struct sm_box *in, const struct sm_box *out)
{
	return in->x0 >= out->x0 - 0.01 && in->x1 <= out->x1 + 0.01 && in->y0 >= out->y0 - 0.01 &&
	       in->y1 <= out->y1 + 0.01;
}

int sm_fonts_fx_setup(void **state)
{
	struct sm_fonts_fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->ctx = sm_ctx_new();
	sm_ctx_set_home(f->ctx, getenv("SAFEMETA_HOME") ? getenv("SAFEMETA_HOME") : ".");
	f->fonts = sm_fonts_new_home(f->ctx);
	*state = f;
	return f->fonts ? 0 : -1;
}

int sm_fonts_fx_teardown(void **state)
{
	struct sm_fonts_fx *f = *state;
	sm_fonts_free(f->fonts);
	sm_ctx_free(f->ctx);
	free(f);
	return 0;
}
