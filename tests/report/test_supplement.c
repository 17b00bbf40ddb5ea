/*
 * test_supplement.c -- `report --supplement [--zip]`: the report's figures
 * and tables numbered S1, S2, ... in its captions, the bundle's files named
 * by the same numbers, the index (report page and index.txt) listing each
 * with its caption and files, and the zip: every file, in name order, one
 * fixed time, the same bytes from two folders and whatever the files'
 * times.
 */
#include "sm_render_test.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_bundle.h"
#include "sm_rdoc.h"
#include "sm_report.h"
#include "sm_rtmpl.h"
#include "sm_figure.h"
#include "sm_supplement.h"
#include "sm_zip.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

/* The report's items, numbered as its captions are: a supplement report
 * built with the list shows "Figure S<n>. <caption>" for each, in order. */
static void items_are_the_report_captions(void **state)
{
	struct sm_render_fx *f = *state;
	struct sm_report_opts o;
	sm_report_opts_init(&o);
	struct sm_supp items = { 0 };
	sm_render_expect_ok(f, sm_report_items(f->ctx, f->msc, f->rmsc, &o, &items));
	/* PRISMA, summary forest, a forest per analysis, the small-multiples
	 * funnel, risk of bias; then the supplement's section of sensitivity
	 * figures: each kind for every analysis it has something to draw of
	 * (as the bundle plans them); the paper's table, the domain table,
	 * the check findings */
	static const char *const section[] = { "leave1out", "cumulative", "influence", "baujat",
					       "methods" };
	int extra = 0;
	for (size_t k = 0; k < sizeof section / sizeof section[0]; k++)
		for (size_t i = 0; i < f->rmsc->analyses.n; i++)
			extra += sm_figure_plans(f->ctx, sm_figure_kind_named(section[k]), f->rmsc,
						 f->rmsc->analyses.v[i].name) == 1;
	assert_true(extra > 4 * 14); /* most analyses have all five */
	assert_int_equal(items.nfigures, 1 + 1 + 16 + 1 + 1 + extra);
	assert_int_equal(items.ntables, 3 + 1 + 16); /* + rare events, a sensitivity table per analysis */
	assert_string_equal(items.v[0].kind, "prisma");
	assert_int_equal(items.v[0].number, 1);
	struct sm_rtmpl *t = sm_rtmpl_load(f->ctx, NULL);
	assert_non_null(t);
	o.supplement = 1;
	struct sm_rdoc *d = sm_rdoc_build(f->ctx, f->msc, f->rmsc, t, &o, NULL, &items);
	assert_non_null(d);
	size_t next = 0;
	int fig = 0, tab = 0;
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct sm_rblock *b = &d->blocks[i];
		if (b->kind != SM_RB_FIG || !b->text || !strncmp(b->text, "Index", 5))
			continue;
		while (next < items.n && !items.v[next].in_report)
			next++;
		assert_true(next < items.n);
		const struct sm_supp_item *it = &items.v[next++];
		char want[1024];
		snprintf(want, sizeof want, "%s S%d.%s%s",
			 it->type == SM_SUPP_FIGURE ? "Figure" : "Table", it->number,
			 *it->caption ? " " : "", it->caption);
		assert_string_equal(b->text, want);
		it->type == SM_SUPP_FIGURE ? fig++ : tab++;
	}
	assert_int_equal(fig, items.nfigures);
	assert_int_equal(tab, items.ntables);
	/* the index closes the report: its heading and a table of every item */
	assert_string_equal(d->blocks[d->nblocks - 1].kind == SM_RB_FIG ? "fig" : "text", "fig");
	int index_heading = 0;
	for (size_t i = 0; i < d->nblocks; i++)
		index_heading |= d->blocks[i].kind == SM_RB_TEXT &&
				 !strcmp(d->blocks[i].text, "Index of the supplementary material");
	assert_true(index_heading);
	sm_rdoc_free(d);
	sm_rtmpl_free(t);
	sm_supp_release(&items);
}

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Every file under DIR/sub is named S<n>-... */
static size_t numbered_files(const char *dir, const char *sub)
{
	char *path = sm_asprintf("%s/%s", dir, sub);
	DIR *dp = opendir(path);
	assert_non_null(dp);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		int num = 0;
		char dash = 0;
		if (sscanf(e->d_name, "S%d%c", &num, &dash) != 2 || dash != '-' || num < 1)
			fail_msg("%s/%s is not numbered S<n>-...", sub, e->d_name);
		n++;
	}
	closedir(dp);
	free(path);
	return n;
}

static char *bundle(struct sm_render_fx *f, const char *where, int zip)
{
	char *dir = sm_asprintf("%s/%s", f->dir, where);
	assert_int_equal(sm_mkdir_p(f->ctx, dir), SM_OK);
	struct sm_bundle_opts o;
	sm_bundle_opts_init(&o);
	o.dpi = 36;
	o.threads = 2;
	o.supplement = 1;
	o.zip = zip;
	sm_render_expect_ok(f, sm_bundle_write(f->ctx, f->sae, dir, &o));
	return dir;
}

/* The files are named by the numbers; index.txt lists every item with the
 * caption the report gives it and its files, which exist; the report's
 * index page lists the same. */
static void files_and_index_match(void **state)
{
	struct sm_render_fx *f = *state;
	char *dir = bundle(f, "supp", 0);
	size_t nfig = numbered_files(dir, "figures"), ntab = numbered_files(dir, "tables");
	char *path = sm_asprintf("%s/index.txt", dir);
	char *index = sm_test_slurp(path);
	free(path);
	path = sm_asprintf("%s/report.pdf", dir);
	char *report = sm_render_pdf_text(path, 0);
	free(path);
	sm_render_expect_text(report, "Index of the supplementary material");
	/* every entry: "Figure S<n>   caption" then its files, which exist */
	size_t fig_entries = 0, table_entries = 0, in_report = 0;
	int further = 0;
	for (char *line = index; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		further |= has_prefix(line, "Further");
		int n = 0;
		char type[8] = "";
		if (sscanf(line, "%7s S%d", type, &n) == 2 &&
		    (!strcmp(type, "Figure") || !strcmp(type, "Table"))) {
			const char *caption = line + strcspn(line, "0123456789");
			caption += strspn(caption, "0123456789");
			caption += strspn(caption, " ");
			char *files = end ? end + 1 : NULL;
			assert_non_null(files);
			char *fend = strchr(files, '\n');
			assert_non_null(fend);
			*fend = 0;
			const char *rel = files + strspn(files, " ");
			char base[512];
			assert_int_equal(sscanf(rel, "%511[^,]", base), 1);
			char *stem = strrchr(base, '.');
			assert_non_null(stem);
			*stem = 0;
			char folder[16];
			snprintf(folder, sizeof folder, "%s/S%d-", !strcmp(type, "Figure") ? "figures"
											      : "tables", n);
			assert_true(has_prefix(base, folder));
			static const char *const fexts[] = { "pdf", "svg", "png", NULL },
					  *const texts[] = { "csv", "xlsx", "md", "docx", NULL };
			int is_fig = !strcmp(type, "Figure");
			const char *const *exts = is_fig ? fexts : texts;
			for (int e = 0; exts[e]; e++) {
				char *file = sm_asprintf("%s/%s.%s", dir, base, exts[e]);
				if (access(file, F_OK) != 0)
					fail_msg("index.txt lists %s, which is not there", file);
				free(file);
			}
			/* the report captions it the same (its items) and its index
			 * page names the files */
			if (!further) {
				char *want = sm_asprintf("%s S%d. %s", type, n, caption);
				sm_render_expect_text(report, want);
				free(want);
				in_report++;
			}
			char *shown = is_fig ? sm_asprintf("%s (.pdf, .svg, .png)", base)
					     : sm_asprintf("%s (.csv, .xlsx, .md, .docx)", base);
			sm_render_expect_text(report, shown);
			free(shown);
			if (is_fig)
				fig_entries++;
			else
				table_entries++;
			line = fend + 1;
			continue;
		}
		line = end ? end + 1 : NULL;
	}
	assert_int_equal(fig_entries * 3, nfig);
	assert_int_equal(table_entries * 4, ntab);
	assert_true(in_report >= 4);
	/* index.txt is in the manifest; the bundle's unnumbered names are not there */
	path = sm_asprintf("%s/MANIFEST.sha256", dir);
	char *manifest = sm_test_slurp(path);
	sm_render_expect_text(manifest, "  index.txt\n");
	assert_null(strstr(manifest, "  figures/forest-"));
	assert_null(strstr(manifest, "  tables/domains."));
	free(manifest);
	free(path);
	free(report);
	free(index);
	free(dir);
}

/* The zip time of a Unix time: the fields as a zip holds them (UTC). */
static void dos_times(void **state)
{
	(void)state;
	unsigned short t, d;
	sm_zip_dostime(0, &t, &d); /* before 1980: the earliest a zip can hold */
	assert_int_equal(t, 0);
	assert_int_equal(d, (0 << 9) | (1 << 5) | 1);
	sm_zip_dostime(1700000000, &t, &d); /* 2023-11-14 22:13:20 UTC */
	assert_int_equal(t, (22 << 11) | (13 << 5) | (20 / 2));
	assert_int_equal(d, ((2023 - 1980) << 9) | (11 << 5) | 14);
	sm_zip_dostime(1LL << 40, &t, &d); /* after 2107: the latest */
	assert_int_equal(d >> 9, 127);
}

/* The entries of a zip, read back: names in order, times, methods, bytes. */
static void check_entries(const char *zip_path, const char *dir, char **names, size_t n)
{
	int err = 0;
	zip_t *za = zip_open(zip_path, ZIP_RDONLY, &err);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), (zip_int64_t)n);
	for (size_t i = 0; i < n; i++) {
		zip_stat_t st;
		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		assert_string_equal(st.name, names[i]);
		if (i > 0)
			assert_true(strcmp(names[i - 1], names[i]) < 0);
		assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
		assert_true(st.mtime == (time_t)1700000000); /* read back in UTC (TZ=UTC) */
		zip_uint8_t os = 0;
		zip_uint32_t attr = 0;
		assert_int_equal(zip_file_get_external_attributes(za, i, 0, &os, &attr), 0);
		assert_int_equal(os, ZIP_OPSYS_UNIX);
		assert_int_equal(attr >> 16, 0100644);
		char *path = sm_asprintf("%s/%s", dir, names[i]);
		char *want = NULL;
		size_t len = 0;
		assert_int_equal(sm_read_file(path, 0, &want, &len), 0);
		assert_int_equal(st.size, len);
		zip_file_t *zf = zip_fopen_index(za, i, 0);
		assert_non_null(zf);
		char *got = malloc(len + 1);
		assert_int_equal(zip_fread(zf, got, len), (zip_int64_t)len);
		zip_fclose(zf);
		assert_memory_equal(got, want, len);
		free(got);
		free(want);
		free(path);
	}
	zip_discard(za);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The manifest's files and the manifest itself, sorted (caller frees). */
static char **zip_names(const char *dir, size_t *n)
{
	char *path = sm_asprintf("%s/MANIFEST.sha256", dir);
	char *manifest = sm_test_slurp(path);
	free(path);
	char **names = calloc(1024, sizeof *names);
	*n = 0;
	for (char *line = strtok(manifest, "\n"); line; line = strtok(NULL, "\n"))
		names[(*n)++] = strdup(line + 66);
	names[(*n)++] = strdup("MANIFEST.sha256");
	qsort(names, *n, sizeof *names, by_name);
	free(manifest);
	return names;
}

/* Two supplements of the same results in different folders have the same
 * zip, byte for byte; so has a zip of the same files with other times. */
static void zip_is_deterministic(void **state)
{
	struct sm_render_fx *f = *state;
	setenv("TZ", "UTC", 1);
	tzset();
	char *a = bundle(f, "one", 1), *b = bundle(f, "two/deeper/folder", 1);
	char *za = sm_asprintf("%s/supplement.zip", a), *zb = sm_asprintf("%s/supplement.zip", b);
	char ha[65], hb[65];
	assert_int_equal(sm_sha256_file(za, ha), 0);
	assert_int_equal(sm_sha256_file(zb, hb), 0);
	assert_string_equal(ha, hb);
	size_t n = 0;
	char **names = zip_names(a, &n);
	check_entries(za, a, names, n);
	/* the files' own times do not reach the zip */
	char *cmd = sm_asprintf("find '%s' -type f -exec touch -d '2001-02-03 04:05:06' {} +", b);
	free(sm_render_run_ok(cmd));
	char *zc = sm_asprintf("%s/again.zip", f->dir);
	sm_render_expect_ok(f, sm_zip_write(f->ctx, b, (const char *const *)names, n, zc, 1700000000));
	char hc[65];
	assert_int_equal(sm_sha256_file(zc, hc), 0);
	assert_string_equal(ha, hc);
	/* no temporary file is left beside it */
	char *listing = sm_asprintf("ls -a '%s' | grep -c again", f->dir);
	char *count = sm_render_run_ok(listing);
	assert_string_equal(count, "1\n");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(count);
	free(listing);
	free(zc);
	free(cmd);
	free(za);
	free(zb);
	free(a);
	free(b);
}

/* A zip that cannot be written is an output error naming it, and leaves
 * nothing. */
static void zip_errors(void **state)
{
	struct sm_render_fx *f = *state;
	const char *files[] = { "no-such-file" };
	char *zp = sm_asprintf("%s/bad.zip", f->dir);
	assert_int_equal(sm_zip_write(f->ctx, f->dir, files, 1, zp, 0), SM_EOUTPUT);
	char *msg = sm_diag_format(sm_ctx_error(f->ctx));
	assert_non_null(strstr(msg, "bad.zip"));
	assert_non_null(strstr(msg, "cannot write the zip"));
	sm_ctx_clear_error(f->ctx);
	assert_int_equal(access(zp, F_OK), -1);
	free(msg);
	free(zp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(items_are_the_report_captions),
		cmocka_unit_test(files_and_index_match),
		cmocka_unit_test(dos_times),
		cmocka_unit_test(zip_is_deterministic),
		cmocka_unit_test(zip_errors),
	};
	return cmocka_run_group_tests(tests, sm_render_fx_setup, sm_render_fx_teardown);
}
