/* The bundle for print (issues 17.5, 17.6, 17.8, 18.8), through the CLI as
 * a user runs it: `report --style journal --width single` draws every
 * figure in grey, a style's own font is recorded in the MANIFEST, tables
 * come as DOCX too, and reviews too large for a PNG at 300 dpi (700
 * studies from tests/bench/simulate.py; 260 analyses) still give a bundle,
 * the large figures drawn at a lower dpi with a warning naming them. */
#include "sm_test.h"

#include "sm_buf.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
	char dir[64];
	const char *bin;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sm_bundle_print_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->bin = getenv("SAFEMETA_BIN");
	assert_non_null(f->bin);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = sm_asprintf("rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

/* Run the CLI; its exit code, stderr in *err. */
static int run(struct fx *f, const char *args, char **err)
{
	char *errf = sm_asprintf("%s/stderr", f->dir);
	char *cmd = sm_asprintf("SOURCE_DATE_EPOCH=0 %s --quiet %s 2>%s", f->bin, args, errf);
	int rc = system(cmd);
	*err = sm_test_slurp(errf);
	free(cmd);
	free(errf);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void png_size(const char *png, int *w, int *h)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	*w = cairo_image_surface_get_width(s);
	*h = cairo_image_surface_get_height(s);
	cairo_surface_destroy(s);
}

static long not_grey(const char *png)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	long bad = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = d + (size_t)y * (size_t)stride + 4 * (size_t)x;
			bad += !(p[0] == p[1] && p[1] == p[2]);
		}
	cairo_surface_destroy(s);
	return bad;
}

static void expect_in(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		print_error("expected \"%s\" in:\n%s\n", needle, hay);
		fail();
	}
}

static void manifest_verifies(const char *dir)
{
	char *cmd = sm_asprintf("cd %s && sha256sum --quiet --strict -c MANIFEST.sha256", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* 700 studies: the forest is 2.9 m long, 34,431 px at 300 dpi; the bundle
 * draws its PNG at 285 dpi and says so. */
static void many_studies(void **state)
{
	struct fx *f = *state;
	char *out = sm_asprintf("%s/k700", f->dir), *err = NULL;
	char *args = sm_asprintf("report tests/report/data/k700.csv -o %s", out);
	assert_int_equal(run(f, args, &err), 0);
	expect_in(err, "safemeta: warning: figures/forest-all: 175 x 2917 mm is too large for "
		       "a PNG at 300 dpi (at most 32767 px a side): drawn at 285 dpi (the PDF "
		       "and SVG have it in full)\n");
	char *png = sm_asprintf("%s/figures/forest-all.png", out);
	int w, h;
	png_size(png, &w, &h);
	assert_true(h <= 32767 && h > 32000);
	assert_int_equal(w, (int)lround(175 / 25.4 * 285));
	manifest_verifies(out);
	free(png);
	free(args);
	free(err);
	/* --dpi is taken, and the same rule holds at it */
	args = sm_asprintf("report tests/report/data/k700.csv --dpi 400 -o %s", out);
	assert_int_equal(run(f, args, &err), 0);
	expect_in(err, "too large for a PNG at 400 dpi (at most 32767 px a side): drawn at 285 "
		       "dpi");
	free(args);
	free(err);
	free(out);
}

/* 260 analyses of 3 studies: the page of all funnels is 3.4 m long. */
static void many_analyses(void **state)
{
	struct fx *f = *state;
	char *csv = sm_asprintf("%s/a260.csv", f->dir);
	FILE *fp = fopen(csv, "w");
	assert_non_null(fp);
	fputs("study,yi,vi,domain\n", fp);
	for (int d = 0; d < 260; d++)
		for (int s = 0; s < 3; s++)
			fprintf(fp, "s%d_%d,%g,%g,Domain %03d\n", d, s, 0.1 * ((d * 7 + s * 3) % 11) - 0.4,
				0.02 + 0.01 * ((d + s) % 17), d);
	fclose(fp);
	char *out = sm_asprintf("%s/a260", f->dir), *err = NULL;
	char *args = sm_asprintf("report %s -o %s", csv, out);
	assert_int_equal(run(f, args, &err), 0);
	expect_in(err, "safemeta: warning: figures/funnel-all: ");
	expect_in(err, "is too large for a PNG at 300 dpi (at most 32767 px a side): drawn at ");
	manifest_verifies(out);
	free(args);
	free(err);
	free(out);
	free(csv);
}

/* The journal style for the whole bundle: every PNG grey, at 85 mm where
 * the figure can take it (the others keep their width, with a warning),
 * tables also as DOCX, all in the MANIFEST. */
static void journal_bundle(void **state)
{
	struct fx *f = *state;
	char *out = sm_asprintf("%s/journal", f->dir), *err = NULL;
	char *args = sm_asprintf("report data/msc-iv-rct.json --style journal --width single "
				 "--dpi 72 -o %s", out);
	assert_int_equal(run(f, args, &err), 0);
	/* the PRISMA flow takes 85 mm too (its columns sized to their text) */
	assert_null(strstr(err, "figures/prisma"));
	char *cmd = sm_asprintf("ls %s/figures/*.png", out);
	FILE *p = popen(cmd, "r");
	char line[512];
	int pngs = 0, narrow = 0;
	while (fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		pngs++;
		if (not_grey(line)) {
			print_error("%s is not grey\n", line);
			fail();
		}
		int w, h;
		png_size(line, &w, &h);
		narrow += w == (int)lround(85 / 25.4 * 72);
	}
	pclose(p);
	assert_true(pngs > 30);
	assert_true(narrow >= 2); /* the risk-of-bias figure and the PRISMA flow take 85 mm */
	char *manifest = sm_asprintf("%s/MANIFEST.sha256", out);
	char *m = sm_test_slurp(manifest);
	expect_in(m, "  tables/domains.docx\n");
	expect_in(m, "  tables/characteristics.docx\n");
	manifest_verifies(out);
	free(m);
	free(manifest);
	free(cmd);
	free(args);
	free(err);
	free(out);
}

/* A style with its own font file: its SHA-256 in a comment line of the
 * MANIFEST, which sha256sum -c still reads; a bad style or width is
 * refused before anything is written. */
static void font_record_and_refusals(void **state)
{
	struct fx *f = *state;
	const char *serif = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
	char *style = sm_asprintf("%s/own.style.json", f->dir);
	FILE *fp = fopen(style, "w");
	fprintf(fp, "{\"font\": {\"file\": \"%s\", \"fallback\": \"DejaVu Sans, Noto Serif CJK SC\"}}",
		serif);
	fclose(fp);
	char *out = sm_asprintf("%s/own", f->dir), *err = NULL;
	char *args = sm_asprintf("report data/msc-iv-rct.json --style %s --dpi 36 -o %s", style,
				 out);
	assert_int_equal(run(f, args, &err), 0);
	char *manifest = sm_asprintf("%s/MANIFEST.sha256", out);
	char *m = sm_test_slurp(manifest);
	char *cmd = sm_asprintf("sha256sum %s", serif);
	FILE *p = popen(cmd, "r");
	char hex[65] = "";
	assert_int_equal(fscanf(p, "%64s", hex), 1);
	pclose(p);
	char *want = sm_asprintf("# font %s  %s\n", hex, serif);
	assert_true(!strncmp(m, want, strlen(want)));
	manifest_verifies(out);
	free(want);
	free(cmd);
	free(m);
	free(manifest);
	free(args);
	free(err);
	/* refused, exit 2, nothing written */
	char *none = sm_asprintf("%s/none", f->dir);
	const char *bad[][2] = {
		{ "--style no-such-style", "cannot read style" },
		{ "--width wide", "bad length \"wide\"" },
		{ "--dpi 10", "option '--dpi': expected a number from 36 to 2400, got '10'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		args = sm_asprintf("report data/msc-iv-rct.json %s -o %s", bad[i][0], none);
		assert_int_equal(run(f, args, &err), 2);
		expect_in(err, bad[i][1]);
		struct stat st;
		assert_int_not_equal(stat(none, &st), 0);
		free(args);
		free(err);
	}
	free(none);
	free(out);
	free(style);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(many_studies, setup, teardown),
		cmocka_unit_test_setup_teardown(many_analyses, setup, teardown),
		cmocka_unit_test_setup_teardown(journal_bundle, setup, teardown),
		cmocka_unit_test_setup_teardown(font_record_and_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
