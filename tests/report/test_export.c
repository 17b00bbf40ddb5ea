/* Tests of the table exports: CSV (RFC 4180), Markdown, XLSX. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_domain_table.h"
#include "sm_export.h"
#include "sm_res.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct sm_table *small_table(struct sm_ctx *ctx)
{
	struct sm_table *t = sm_table_new(ctx, "demo", 3);
	assert_non_null(t);
	sm_table_set_header(ctx, t, 0, "Study", SM_ALIGN_LEFT);
	sm_table_set_header(ctx, t, 1, "Events, n", SM_ALIGN_RIGHT);
	sm_table_set_header(ctx, t, 2, "Note", SM_ALIGN_CENTER);
	assert_int_equal(sm_table_add_row(ctx, t), 0);
	assert_int_equal(sm_table_add_row(ctx, t), 1);
	sm_table_set(ctx, t, 0, 0, "Hare \"POSEIDON\"");
	sm_table_set(ctx, t, 0, 1, "9");
	sm_table_set(ctx, t, 0, 2, "a|b\\c");
	sm_table_set(ctx, t, 1, 0, " padded");
	sm_table_set(ctx, t, 1, 1, "");
	sm_table_set(ctx, t, 1, 2, "two\nlines");
	sm_table_set_title(ctx, t, "Demo | table", "Footnote.");
	return t;
}

/* Cells a spreadsheet would evaluate are quoted and prefixed with ' (OWASP
 * CSV injection); plain numbers, negative ones too, stay numbers. */
static void csv_defuses_formulas(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = sm_table_new(ctx, "t", 7);
	assert_non_null(t);
	assert_int_equal(sm_table_add_row(ctx, t), 0);
	const char *cells[] = { "=HYPERLINK(\"x\")", "+1+2", "-2-3", "@SUM(A1)", "\tcmd", "-0.25",
				"+3" };
	for (size_t c = 0; c < 7; c++) {
		assert_int_equal(sm_table_set_header(ctx, t, c, "h", SM_ALIGN_LEFT), SM_OK);
		assert_int_equal(sm_table_set(ctx, t, 0, c, cells[c]), SM_OK);
	}
	char *csv = sm_export_csv(t);
	assert_string_equal(csv, "h,h,h,h,h,h,h\r\n"
				 "\"'=HYPERLINK(\"\"x\"\")\",\"'+1+2\",\"'-2-3\",\"'@SUM(A1)\","
				 "\"'\tcmd\",-0.25,+3\r\n");
	free(csv);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

static void csv_quotes_per_rfc4180(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	char *csv = sm_export_csv(t);
	assert_string_equal(csv, "Study,\"Events, n\",Note\r\n"
				 "\"Hare \"\"POSEIDON\"\"\",9,a|b\\c\r\n"
				 "\" padded\",,\"two\nlines\"\r\n");
	free(csv);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

static void markdown_escapes_pipes(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	char *md = sm_export_markdown(t);
	assert_string_equal(md, "**Demo \\| table**\n\n"
				"| Study | Events, n | Note |\n"
				"| --- | ---: | :---: |\n"
				"| Hare \"POSEIDON\" | 9 | a\\|b\\\\c |\n"
				"|  padded |  | two<br>lines |\n"
				"\nFootnote.\n");
	free(md);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/sm_export_XXXXXX");
	assert_non_null(mkdtemp(d));
	return d;
}

static void rmdir_all(const char *d)
{
	char *cmd = sm_asprintf("rm -rf '%s'", d);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", d);
	free(cmd);
}

static void write_by_extension(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	char *d = tmpdir();
	char *csv = sm_asprintf("%s/t.csv", d), *md = sm_asprintf("%s/t.MD", d);
	assert_int_equal(sm_export_write(ctx, t, csv), SM_OK);
	assert_int_equal(sm_export_write(ctx, t, md), SM_OK);
	char *got = sm_test_slurp(csv), *want = sm_export_csv(t);
	assert_string_equal(got, want);
	free(got);
	free(want);
	got = sm_test_slurp(md);
	assert_non_null(strstr(got, "| Study | Events, n | Note |\n"));
	free(got);
	char *bad = sm_asprintf("%s/t.txt", d);
	assert_int_equal(sm_export_write(ctx, t, bad), SM_EINPUT);
	assert_int_equal(access(bad, F_OK), -1);
	free(bad);
	free(csv);
	free(md);
	rmdir_all(d);
	free(d);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

static void xlsx_is_a_zip_and_deterministic(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	char *d = tmpdir();
	char *a = sm_asprintf("%s/a.xlsx", d), *b = sm_asprintf("%s/b.xlsx", d);
#ifdef SM_HAVE_XLSXWRITER
	assert_int_equal(sm_export_write(ctx, t, a), SM_OK);
	sleep(1); /* a clock-dependent timestamp would now differ */
	assert_int_equal(sm_export_write(ctx, t, b), SM_OK);
	char *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	assert_int_equal(sm_read_file(a, 0, &x, &nx), 0);
	assert_int_equal(sm_read_file(b, 0, &y, &ny), 0);
	assert_memory_equal(x, "PK\x03\x04", 4);
	assert_int_equal(nx, ny);
	assert_memory_equal(x, y, nx);
	free(x);
	free(y);
#else
	assert_int_equal(sm_export_write(ctx, t, a), SM_EOUTPUT);
	assert_int_equal(access(a, F_OK), -1);
#endif
	free(a);
	free(b);
	rmdir_all(d);
	free(d);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

#ifdef SM_HAVE_XLSXWRITER
/* One member of a zip file, through unzip(1); NULL when unzip is missing. */
static char *unzip_member(const char *zip, const char *member)
{
	char *cmd = sm_asprintf("unzip -p '%s' '%s' 2>/dev/null", zip, member);
	FILE *p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return NULL;
	struct sm_buf b;
	sm_buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		sm_buf_append(&b, chunk, n);
	int rc = pclose(p);
	if (rc != 0) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}

/* The names in folder d other than `keep`: "" when there are none. */
static char *other_files(const char *d, const char *keep)
{
	char *cmd = sm_asprintf("ls -A '%s' | grep -vx '%s'", d, keep);
	FILE *p = popen(cmd, "r");
	free(cmd);
	char line[512] = "";
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	pclose(p);
	return strdup(line);
}

/* The sheet name is cut at 31 characters, never inside a UTF-8 sequence
 * (workbook.xml would be invalid), and []:*?/\ and a leading apostrophe
 * become '_'.  Each "é" is 2 bytes: 31 bytes would cut the 16th in half. */
static void xlsx_sheet_name_cut_on_characters(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	const char *id = "'ééééé [a]:b*c?d/e\\f ééééééééééééééé";
	struct sm_table *t = sm_table_new(ctx, id, 1);
	assert_non_null(t);
	sm_table_set_header(ctx, t, 0, "h", SM_ALIGN_LEFT);
	char *d = tmpdir();
	char *x = sm_asprintf("%s/t.xlsx", d);
	assert_int_equal(sm_export_write(ctx, t, x), SM_OK);
	char *wb = unzip_member(x, "xl/workbook.xml");
	if (!wb)
		skip();
	assert_non_null(strstr(wb, "<sheet name=\"_ééééé _a__b_c_d_e_f éééééééééé\""));
	char *rest = other_files(d, "t.xlsx");
	assert_string_equal(rest, "");
	free(rest);
	free(wb);
	free(x);
	rmdir_all(d);
	free(d);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

/* A cell over Excel's 32,767 characters is cut to that many characters
 * (again on a UTF-8 boundary) with a warning naming table, row and column;
 * the file is written and libxlsxwriter never refuses it. */
static void xlsx_long_cell_cut_with_warning(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = sm_table_new(ctx, "long", 2);
	assert_non_null(t);
	sm_table_set_header(ctx, t, 0, "a", SM_ALIGN_LEFT);
	sm_table_set_header(ctx, t, 1, "b", SM_ALIGN_LEFT);
	assert_int_equal(sm_table_add_row(ctx, t), 0);
	assert_int_equal(sm_table_add_row(ctx, t), 1);
	size_t n = 40000;
	char *big = malloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(big + 2 * i, "é", 2);
	big[2 * n] = '\0';
	sm_table_set(ctx, t, 1, 1, big);
	sm_table_set(ctx, t, 0, 0, "short");
	char *d = tmpdir();
	char *x = sm_asprintf("%s/t.xlsx", d);
	assert_int_equal(sm_export_write(ctx, t, x), SM_OK);
	assert_null(sm_ctx_error(ctx));
	assert_int_equal(sm_ctx_warning_count(ctx), 1);
	assert_non_null(strstr(sm_ctx_warning(ctx, 0), "table 'long': row 2, column 2: cut to "
						       "32767 characters"));
	char *ss = unzip_member(x, "xl/sharedStrings.xml");
	if (!ss)
		skip();
	/* the cut cell: exactly 32767 "é" between its tags */
	big[2 * 32767] = '\0';
	char *want = sm_asprintf("<t>%s</t>", big);
	assert_non_null(strstr(ss, want));
	assert_non_null(strstr(ss, "<t>short</t>"));
	free(want);
	free(ss);
	free(big);
	free(x);
	rmdir_all(d);
	free(d);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

/* A failed write leaves nothing behind (the private folder is removed) and
 * its message is in the documented form, never a raw libxlsxwriter line:
 * a folder that does not exist fails before the private folder is made, a
 * target that is a folder only when the workbook is complete. */
static void xlsx_failure_leaves_no_temporary(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	char *d = tmpdir();
	char *x = sm_asprintf("%s/none/t.xlsx", d);
	assert_int_equal(sm_export_write(ctx, t, x), SM_EOUTPUT);
	const struct sm_diag *e = sm_ctx_error(ctx);
	assert_non_null(e);
	assert_string_equal(e->file, x);
	assert_non_null(strstr(e->msg, "expected a writable folder"));
	free(x);
	sm_ctx_clear_error(ctx);
	x = sm_asprintf("%s/t.xlsx", d);
	assert_int_equal(mkdir(x, 0700), 0);
	assert_int_equal(sm_export_write(ctx, t, x), SM_EOUTPUT);
	assert_non_null(sm_ctx_error(ctx));
	char *rest = other_files(d, "t.xlsx");
	assert_string_equal(rest, "");
	free(rest);
	free(x);
	rmdir_all(d);
	free(d);
	sm_table_free(t);
	sm_ctx_free(ctx);
}
#endif

static void msc_domain_table_as_csv(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_test_path("tests/fixtures/results/msc-iv-rct.results.json");
	char *text = sm_test_slurp(path);
	cJSON *doc = cJSON_Parse(text);
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "domain_table", sm_domain_table_json(ctx, doc));
	struct sm_res *res = sm_res_from_json(ctx, path, doc);
	assert_non_null(res);
	struct sm_table *t = sm_table_from_res(ctx, res, "domains");
	assert_non_null(t);
	char *csv = sm_export_csv(t);
	size_t lines = 0;
	for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 17);
	assert_non_null(strstr(csv, "Infections and infestations,44 (21),120/1300,134/1029,"
				    "\"0.73 [0.54, 0.98]\",0.036,"));
	/* the excess risk bound in its own column: 3.3 fewer per 1000 at most */
	assert_non_null(strstr(csv, ",Fewer events with MSC,\xe2\x88\x92" "3.3\r\n"));
	free(csv);
	sm_table_free(t);
	sm_res_free(res);
	cJSON_Delete(doc);
	free(text);
	free(path);
	sm_ctx_free(ctx);
}

/* Under ASan: fontconfig loads the system configuration once per process
 * and keeps it until exit (the same suppression as the other render tests). */
/* Default visibility: the build hides symbols, and the sanitizer runtime
 * finds this hook only when it is exported. */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_quotes_per_rfc4180),
		cmocka_unit_test(csv_defuses_formulas),
		cmocka_unit_test(markdown_escapes_pipes),
		cmocka_unit_test(write_by_extension),
		cmocka_unit_test(xlsx_is_a_zip_and_deterministic),
#ifdef SM_HAVE_XLSXWRITER
		cmocka_unit_test(xlsx_sheet_name_cut_on_characters),
		cmocka_unit_test(xlsx_long_cell_cut_with_warning),
		cmocka_unit_test(xlsx_failure_leaves_no_temporary),
#endif
		cmocka_unit_test(msc_domain_table_as_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
