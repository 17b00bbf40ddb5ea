/* Tests of the DOCX export (sm_docx.h): the package Word and LibreOffice
 * open.  LibreOffice is not installed on the build machines (and is not
 * installed for the tests), so the package is checked the way an OOXML
 * reader reads it: the parts in order, every part well-formed XML
 * (xmllint), the relationships pointing at parts that exist, the content
 * types naming them, and the table's text in the document part. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_docx.h"
#include "sm_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

static struct sm_table *small_table(struct sm_ctx *ctx)
{
	struct sm_table *t = sm_table_new(ctx, "demo", 3);
	assert_non_null(t);
	sm_table_set_header(ctx, t, 0, "Study", SM_ALIGN_LEFT);
	sm_table_set_header(ctx, t, 1, "Events, n", SM_ALIGN_RIGHT);
	sm_table_set_header(ctx, t, 2, "Note", SM_ALIGN_CENTER);
	assert_int_equal(sm_table_add_row(ctx, t), 0);
	assert_int_equal(sm_table_add_row(ctx, t), 1);
	sm_table_set(ctx, t, 0, 0, "Hare <POSEIDON> & \"co\"");
	sm_table_set(ctx, t, 0, 1, "9");
	sm_table_set(ctx, t, 0, 2, "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"); /* 王小明 */
	sm_table_set(ctx, t, 1, 0, " padded");
	sm_table_set(ctx, t, 1, 1, "");
	sm_table_set(ctx, t, 1, 2, "two\r\nlines");
	sm_table_set_title(ctx, t, "Demo table", "Footnote.");
	return t;
}

/* Entry `name` of the package, NUL-terminated (caller frees). */
static char *entry(zip_t *za, const char *name)
{
	zip_stat_t st;
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	zip_file_t *zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	char *text = malloc(st.size + 1);
	assert_int_equal(zip_fread(zf, text, st.size), (zip_int64_t)st.size);
	text[st.size] = '\0';
	zip_fclose(zf);
	return text;
}

static void well_formed(const char *text, const char *name)
{
	char path[] = "/tmp/sm_docx_part_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char *cmd = sm_asprintf("xmllint --noout %s", path);
	int rc = system(cmd);
	if (rc != 0) {
		print_error("%s is not well-formed XML\n", name);
		fail();
	}
	free(cmd);
	unlink(path);
}

static zip_t *open_package(const char *data, size_t len, zip_source_t **src)
{
	zip_error_t err;
	zip_error_init(&err);
	*src = zip_source_buffer_create(data, len, 0, &err);
	assert_non_null(*src);
	zip_t *za = zip_open_from_source(*src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	assert_non_null(za);
	zip_error_fini(&err);
	return za;
}

/* The parts in their fixed order, each well-formed, wired together. */
static void package_structure(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sm_docx_package(ctx, t, &data, &len), SM_OK);
	assert_true(len > 4 && !memcmp(data, "PK\x03\x04", 4));
	zip_source_t *src;
	zip_t *za = open_package(data, len, &src);
	static const char *const parts[] = { "[Content_Types].xml", "_rels/.rels",
					     "word/_rels/document.xml.rels", "word/document.xml",
					     "word/styles.xml" };
	assert_int_equal(zip_get_num_entries(za, 0), 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(zip_get_name(za, (zip_uint64_t)i, 0), parts[i]);
		char *text = entry(za, parts[i]);
		well_formed(text, parts[i]);
		free(text);
	}
	char *types = entry(za, "[Content_Types].xml");
	assert_non_null(strstr(types, "PartName=\"/word/document.xml\" ContentType=\"application/"
				      "vnd.openxmlformats-officedocument.wordprocessingml."
				      "document.main+xml\""));
	assert_non_null(strstr(types, "PartName=\"/word/styles.xml\""));
	char *rels = entry(za, "_rels/.rels");
	assert_non_null(strstr(rels, "relationships/officeDocument\" Target=\"word/document.xml\""));
	char *drels = entry(za, "word/_rels/document.xml.rels");
	assert_non_null(strstr(drels, "relationships/styles\" Target=\"styles.xml\""));
	char *doc = entry(za, "word/document.xml");
	/* the title, the header row repeated on every page, escaped cells */
	assert_non_null(strstr(doc, "<w:pStyle w:val=\"Caption\"/></w:pPr><w:r><w:t "
				    "xml:space=\"preserve\">Demo table</w:t>"));
	assert_non_null(strstr(doc, "<w:tblHeader/>"));
	assert_non_null(strstr(doc, "Hare &lt;POSEIDON&gt; &amp; &quot;co&quot;"));
	assert_non_null(strstr(doc, "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"));
	assert_non_null(strstr(doc, "two</w:t><w:br/><w:t xml:space=\"preserve\">lines"));
	assert_null(strchr(doc, '\r'));
	assert_non_null(strstr(doc, "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t "
				    "xml:space=\"preserve\">9</w:t>"));
	assert_non_null(strstr(doc, "Footnote."));
	/* three columns: one grid column each, 3 cells a row in 3 rows */
	int grid = 0, cells = 0;
	for (const char *p = doc; (p = strstr(p, "<w:gridCol/>")); p++)
		grid++;
	for (const char *p = doc; (p = strstr(p, "<w:tc>")); p++)
		cells++;
	assert_int_equal(grid, 3);
	assert_int_equal(cells, 9);
	free(types);
	free(rels);
	free(drels);
	free(doc);
	zip_close(za);
	free(data);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

/* Same table, same bytes, whatever the time or the time zone; the entries
 * carry the DOS time of SOURCE_DATE_EPOCH (UTC) and no extra fields. */
static void deterministic(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	sm_ctx_set_epoch(ctx, 1700000000); /* 2023-11-14 22:13:20 UTC */
	struct sm_table *t = small_table(ctx);
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	setenv("TZ", "America/New_York", 1);
	assert_int_equal(sm_docx_package(ctx, t, &a, &na), SM_OK);
	sleep(1);
	setenv("TZ", "Asia/Tokyo", 1);
	assert_int_equal(sm_docx_package(ctx, t, &b, &nb), SM_OK);
	/* libzip reads a DOS time back as local time: read it in UTC */
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	zip_source_t *src;
	zip_t *za = open_package(a, na, &src);
	for (zip_uint64_t i = 0; i < 5; i++) {
		zip_stat_t st;
		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		struct tm tm;
		localtime_r(&st.mtime, &tm);
		assert_int_equal(tm.tm_year + 1900, 2023);
		assert_int_equal(tm.tm_mon + 1, 11);
		assert_int_equal(tm.tm_mday, 14);
		assert_int_equal(tm.tm_hour, 22);
		assert_int_equal(tm.tm_min, 13);
		assert_int_equal(zip_file_extra_fields_count(za, i, ZIP_FL_CENTRAL | ZIP_FL_LOCAL),
				 0);
	}
	zip_close(za);
	unsetenv("TZ");
	tzset();
	free(a);
	free(b);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

/* sm_export_write() takes .docx, and the file is the package. */
static void export_by_extension(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_table *t = small_table(ctx);
	enum sm_export_format fmt;
	assert_int_equal(sm_export_format_of(ctx, "x/T.DOCX", &fmt), SM_OK);
	assert_int_equal(fmt, SM_EXPORT_DOCX);
	char dir[] = "/tmp/sm_docx_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = sm_asprintf("%s/t.docx", dir);
	assert_int_equal(sm_export_write(ctx, t, path), SM_OK);
	char *file = NULL, *mem = NULL;
	size_t nf = 0, nm = 0;
	assert_int_equal(sm_read_file(path, 0, &file, &nf), 0);
	assert_int_equal(sm_docx_package(ctx, t, &mem, &nm), SM_OK);
	assert_int_equal(nf, nm);
	assert_memory_equal(file, mem, nf);
	free(file);
	free(mem);
	unlink(path);
	rmdir(dir);
	free(path);
	sm_table_free(t);
	sm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(package_structure),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(export_by_extension),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
