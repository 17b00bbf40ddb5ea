/* CSV outcome tables: every dialect, quoting and line-end variant, and every
 * error with its exact FILE:LINE:COL message. */
#include "sm_input_test.h"

#include "sm_limits.h"
#include "sm_strpool.h"

#include <math.h>
#include <unistd.h>

#define H "study,ai,n1i,ci,n2i\n"

static struct sm_review *load_ok(const char *path)
{
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_load_any(ctx, path);
	if (!r) {
		char *m = sm_diag_format(sm_ctx_error(ctx));
		print_error("%s\n", m);
		free(m);
	}
	sm_ctx_free(ctx);
	assert_non_null(r);
	return r;
}

static void check_2x2(const struct sm_outcome *o, const char *label, double ai, double n1i,
		      double ci, double n2i)
{
	assert_string_equal(o->label, label);
	assert_true(o->ai == ai && o->n1i == n1i && o->ci == ci && o->n2i == n2i);
	assert_true(isnan(o->xi) && isnan(o->ni) && isnan(o->yi) && isnan(o->vi));
}

/* The three example files of the 2x2 dialects hold the same numbers. */
static void test_examples_2x2(void **state)
{
	(void)state;
	const char *files[] = { "examples/counts-metafor.csv", "examples/counts-meta.csv",
				"examples/counts-revman.csv" };
	for (size_t f = 0; f < 3; f++) {
		struct sm_review *r = load_ok(files[f]);
		assert_int_equal(r->kind, SM_KIND_2X2);
		assert_int_equal(r->n_outcomes, 3);
		assert_int_equal(r->n_studies, 3);
		check_2x2(&r->outcomes[0], "Smith et al., 2010", 12, 40, 8, 41);
		check_2x2(&r->outcomes[1], "Chen et al., 2014", 5, 25, 6, 24);
		check_2x2(&r->outcomes[2], "Garcia et al., 2019", 20, 60, 11, 58);
		assert_int_equal(r->outcomes[2].src_line, 4);
		sm_review_free(r);
	}
	struct sm_review *r = load_ok("examples/counts-metafor.csv");
	assert_string_equal(r->id, "counts-metafor");
	assert_int_equal(r->outcomes[0].year, 2010);
	assert_string_equal(r->outcomes[0].group, "all");
	sm_review_free(r);
	/* a subgroup column gives subgroups of one analysis, not separate
	 * outcomes: the rows stay in analysis "all" */
	r = load_ok("examples/counts-meta.csv");
	assert_string_equal(r->outcomes[2].group, "all");
	assert_null(r->outcomes[2].domain);
	assert_string_equal(r->settings.subgroup_by, "subgroup");
	assert_int_equal(r->cols.n, 1);
	assert_string_equal(r->cols.names[0], "subgroup");
	assert_string_equal(r->cols.text[2], "Hepatic");
	sm_review_free(r);
}

static void test_examples_other(void **state)
{
	(void)state;
	struct sm_review *r = load_ok("examples/proportions.csv");
	assert_int_equal(r->kind, SM_KIND_PROP);
	assert_true(r->outcomes[1].xi == 0 && r->outcomes[1].ni == 25);
	assert_true(isnan(r->outcomes[1].ai));
	sm_review_free(r);
	r = load_ok("examples/generic.csv");
	assert_int_equal(r->kind, SM_KIND_GENERIC);
	/* sei is stored squared, as vi */
	sm_check_close(r->outcomes[0].vi, 0.49 * 0.49, 1e-15, 0, "vi from sei");
	sm_check_close(r->outcomes[1].yi, -0.25, 0, 0, "yi");
	sm_review_free(r);
}

/* The golden input (236 rows, UTF-8 labels, quoted commas) reads whole. */
static void test_golden_input(void **state)
{
	(void)state;
	struct sm_review *r = load_ok("tests/golden/msc-table3/input.csv");
	assert_int_equal(r->n_outcomes, 236);
	check_2x2(&r->outcomes[0], "Hare et al., 2009 (a)", 9, 34, 7, 19);
	/* its "group" column is read as the subgroup column */
	assert_string_equal(r->outcomes[0].group, "all");
	assert_string_equal(r->settings.subgroup_by, "group");
	assert_string_equal(r->cols.text[0],
			    "General disorders and administration site conditions");
	assert_string_equal(r->outcomes[12].label, "Álvaro-Gracia et al., 2017");
	assert_int_equal(r->outcomes[235].src_line, 237);
	sm_review_free(r);
}

/* One content in many dialects and encodings gives identical outcomes. */
static void test_variants(void **state)
{
	(void)state;
	static const char *const variants[] = {
		"study,ai,n1i,ci,n2i\nA,1,10,2,20\n\"B, jr\",3,30,4,40\n",
		"\xEF\xBB\xBFstudy,ai,n1i,ci,n2i\r\nA,1,10,2,20\r\n\"B, jr\",3,30,4,40\r\n",
		"studlab,event.e,n.e,event.c,n.c\nA,1,10,2,20\n\"B, jr\",3,30,4,40",
		"Study or Subgroup,Experimental Events,Experimental Total,Control Events,"
		"Control Total\r\nA,1,10,2,20\r\n\"B, jr\",3,30,4,40\r\n",
		"author,events_t,n_t,events_c,n_c\n\nA,1,10,2,20\n\n\"B, jr\",3,30,4,40\n\n",
		" STUDY , E_T , N_T , E_C , N_C \n A , 1 , 10 , 2 , 20 \n\"B, jr\",3,30,4,40\n",
		"\"study\",\"ai\",\"n1i\",\"ci\",\"n2i\"\n\"A\",\"1\",\"10\",\"2\",\"20\"\n"
		"\"B, jr\",3,30,4,40\n",
		"n2i,ci,n1i,ai,study\n20,2,10,1,A\n40,4,30,3,\"B, jr\"\n",
	};
	char *dir = sm_tmpdir();
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		char *path = sm_write_tmp(dir, "v.csv", variants[i], 0);
		struct sm_review *r = load_ok(path);
		assert_int_equal(r->n_outcomes, 2);
		check_2x2(&r->outcomes[0], "A", 1, 10, 2, 20);
		check_2x2(&r->outcomes[1], "B, jr", 3, 30, 4, 40);
		sm_review_free(r);
		remove(path);
		free(path);
	}
	remove(dir);
	free(dir);
}

/* Quoted fields keep commas, doubled quotes and line breaks; line numbers
 * stay physical. */
static void test_quoting(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	char *path = sm_write_tmp(dir, "q.csv",
				  "study,sub,event,domain,year,ai,n1i,ci,n2i\n"
				  "\"Lee \"\"J\"\", 2010\",a,\"Pain,\nfever\",Cardiac,2010,"
				  "1,10,2,20\n"
				  "Kim,,,,,0,5,0,6\n", 0);
	struct sm_review *r = load_ok(path);
	assert_int_equal(r->n_outcomes, 2);
	assert_string_equal(r->outcomes[0].label, "Lee \"J\", 2010 (a)");
	assert_string_equal(r->outcomes[0].study_id, "Lee \"J\", 2010");
	assert_string_equal(r->outcomes[0].event, "Pain,\nfever");
	assert_string_equal(r->outcomes[0].group, "Cardiac");
	assert_string_equal(r->outcomes[0].domain, "Cardiac");
	assert_int_equal(r->outcomes[0].year, 2010);
	assert_int_equal(r->outcomes[0].src_line, 2);
	assert_int_equal(r->outcomes[1].src_line, 4);
	assert_null(r->outcomes[1].sub);
	assert_null(r->outcomes[1].event);
	assert_string_equal(r->outcomes[1].group, "all");
	sm_review_free(r);
	remove(path);
	free(path);
	remove(dir);
	free(dir);
}

/* Without a study column rows are numbered; repeated labels share a study. */
static void test_studies_made(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	char *path = sm_write_tmp(dir, "n.csv", "xi,ni\n1,10\n2,20\n", 0);
	struct sm_review *r = load_ok(path);
	assert_string_equal(r->outcomes[1].label, "Study 2");
	assert_int_equal(r->n_studies, 2);
	sm_review_free(r);
	remove(path);
	free(path);
	path = sm_write_tmp(dir, "s.csv", "study,sub,ref,ai,n1i,ci,n2i\nA,a,12,1,2,1,2\n"
			    "A,b,,1,2,1,2\nB,,,1,2,1,2\n", 0);
	r = load_ok(path);
	assert_int_equal(r->n_studies, 2);
	assert_string_equal(r->studies[0].ref, "12");
	assert_string_equal(r->outcomes[1].label, "A (b)");
	assert_string_equal(r->outcomes[1].study_id, "A");
	/* rows share the review's strings instead of copying them per row */
	assert_ptr_equal(r->outcomes[0].study_id, r->studies[0].id);
	assert_ptr_equal(r->outcomes[1].study_id, r->studies[0].id);
	assert_ptr_equal(r->outcomes[2].label, r->studies[1].label);
	assert_ptr_equal(r->outcomes[0].group, r->outcomes[2].group);
	assert_string_equal(r->outcomes[0].group, "all");
	assert_null(r->outcomes[2].sub);
	sm_review_free(r);
	remove(path);
	free(path);
	remove(dir);
	free(dir);
}

/* The study map is sized for the whole file at row 4096 when every row so
 * far had a study of its own (sm_dialect.c row_study): the studies before
 * and after that row, and repeats of early ones after it, stay the studies
 * of first appearance, in file order.  Also when the file repeats one
 * before the probe row (the map then grows as before). */
static void test_many_studies(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	for (int repeat_early = 0; repeat_early < 2; repeat_early++) {
		struct sm_buf b;
		sm_buf_init(&b);
		sm_buf_append(&b, "study,yi,vi\n", 12);
		size_t n = 9000;
		for (size_t i = 1; i <= n; i++) {
			/* rows 4500.. name the studies of rows 1.. again */
			size_t s = i > 4500 && i % 3 == 0 ? i - 4499 : i;
			if (repeat_early && i == 10)
				s = 1;
			char line[64];
			int len = snprintf(line, sizeof line, "s%zu,%zu,1\n", s, i);
			sm_buf_append(&b, line, (size_t)len);
		}
		assert_false(b.failed);
		char *path = sm_write_tmp(dir, "many.csv", b.data, b.len);
		struct sm_review *r = load_ok(path);
		size_t want = 0, *first = calloc(n + 1, sizeof *first);
		assert_non_null(first);
		for (size_t i = 1; i <= n; i++) {
			size_t s = i > 4500 && i % 3 == 0 ? i - 4499 : i;
			if (repeat_early && i == 10)
				s = 1;
			const struct sm_outcome *o = &r->outcomes[i - 1];
			char label[32];
			snprintf(label, sizeof label, "s%zu", s);
			assert_string_equal(o->label, label);
			assert_true(o->yi == (double)i);
			if (!first[s]) {
				/* a new study, numbered in order of appearance */
				assert_int_equal(o->study, want);
				first[s] = ++want;
			}
			assert_int_equal(o->study, first[s] - 1);
			assert_string_equal(r->studies[o->study].label, label);
		}
		assert_int_equal(r->n_studies, want);
		free(first);
		sm_review_free(r);
		remove(path);
		free(path);
		sm_buf_release(&b);
	}
	remove(dir);
	free(dir);
}

static const struct sm_ecase csv_errors[] = {
	{ "empty.csv", "", ":1:1: empty file; expected a header line and data rows", 0 },
	{ "blank.csv", "\n\n", ":1:1: empty file; expected a header line and data rows", 0 },
	{ "header-only.csv", H, ":1:1: header only; expected at least one data row after it", 0 },
	{ "ragged-short.csv", H "A,1,2,1,2\nB,1,2,3\n",
	  ":3:1: ragged row: 4 fields; expected 5 as in the header", 0 },
	{ "ragged-long.csv", H "A,1,2,1,2,9\n",
	  ":2:1: ragged row: 6 fields; expected 5 as in the header", 0 },
	{ "unbalanced.csv", H "A,1,2,1,2\n\"B,1,2,1,2\nC,1,2,1,2\n",
	  ":3:1: unbalanced quote: this quoted field is never closed; expected a closing '\"'", 0 },
	{ "unbalanced-mid.csv", H "A,1,2,1,\"2\n",
	  ":2:9: unbalanced quote: this quoted field is never closed; expected a closing '\"'", 0 },
	{ "stray-quote.csv", H "A\"x,1,2,1,2\n",
	  ":2:2: quote inside an unquoted field; expected the whole field quoted, with inner "
	  "quotes doubled", 0 },
	{ "after-quote.csv", H "\"A\"x,1,2,1,2\n",
	  ":2:4: unexpected text after a closing quote; expected ',' or end of line", 0 },
	{ "unknown-col.csv", "study,ai,n1i,ci,n2i,Weight\nA,1,2,1,2,3\n",
	  ":1:21: unknown column 'Weight'; expected one of the column names in "
	  "examples/FORMAT.md", 0 },
	{ "dup-col.csv", "study,ai,n1i,ci,n2i,AI\nA,1,2,1,2,3\n",
	  ":1:21: duplicate column 'AI': column 2 'ai' already gives the treated events; "
	  "expected each column once", 0 },
	{ "dup-alias.csv", "study,ai,n1i,ci,n2i,n.e\n",
	  ":1:21: duplicate column 'n.e': column 3 'n1i' already gives the treated total; "
	  "expected each column once", 0 },
	{ "dup-study.csv", "study,studlab,xi,ni\n",
	  ":1:7: duplicate column 'studlab': column 1 'study' already gives the study label; "
	  "expected each column once", 0 },
	{ "empty-colname.csv", "study,,ai\n", ":1:7: empty column name in the header; expected "
	  "a column name", 0 },
	{ "missing-metafor.csv", "study,ai,n1i,ci\nA,1,2,1\n",
	  ":1:1: missing column 'n2i'; the header has 2x2 columns of the metafor dialect, "
	  "which needs ai, n1i, ci, n2i", 0 },
	{ "missing-meta.csv", "studlab,event.e,n.e\nA,1,2\n",
	  ":1:1: missing columns 'event.c', 'n.c'; the header has 2x2 columns of the meta "
	  "dialect, which needs event.e, n.e, event.c, n.c", 0 },
	{ "missing-revman.csv", "Study or Subgroup,Experimental Events,Experimental Total,"
	  "Control Events\nA,1,2,1\n",
	  ":1:1: missing column 'Control Total'; the header has 2x2 columns of the RevMan "
	  "dialect, which needs Experimental Events, Experimental Total, Control Events, "
	  "Control Total", 0 },
	{ "missing-e_t.csv", "e_t,n_t\n1,2\n",
	  ":1:1: missing columns 'e_c', 'n_c'; the header has 2x2 columns of the e_t dialect, "
	  "which needs e_t, n_t, e_c, n_c", 0 },
	{ "no-data.csv", "study,year\nA,2000\n",
	  ":1:1: no data columns in the header; expected one of: ai,n1i,ci,n2i (metafor) | "
	  "event.e,n.e,event.c,n.c (meta) | Experimental Events,Experimental Total,Control "
	  "Events,Control Total (RevMan) | events_t,n_t,events_c,n_c | e_t,n_t,e_c,n_c | "
	  "yi,vi | yi,sei | xi,ni", 0 },
	{ "mixed-kinds.csv", "study,ai,n1i,ci,n2i,yi\n",
	  ":1:21: column 'yi' (generic effect sizes) mixed with column 'ai' (2x2 counts); "
	  "expected one data kind per file", 0 },
	{ "yi-only.csv", "study,yi\nA,1\n", ":1:1: missing column 'vi' or 'sei'; generic "
	  "effect sizes need yi with vi or sei", 0 },
	{ "vi-only.csv", "study,vi\nA,1\n", ":1:1: missing column 'yi'; generic effect sizes "
	  "need yi with vi or sei", 0 },
	{ "vi-and-sei.csv", "study,yi,vi,sei\nA,1,1,1\n",
	  ":1:13: both 'vi' and 'sei' given; expected one of them", 0 },
	{ "xi-only.csv", "study,xi\nA,1\n", ":1:1: missing column 'ni'; proportions need xi "
	  "and ni", 0 },
	{ "not-number.csv", H "A,abc,10,1,10\n",
	  ":2:3: column 'ai': expected a non-negative integer, got \"abc\"", 0 },
	{ "negative.csv", H "A,-1,10,1,10\n",
	  ":2:3: column 'ai': expected a non-negative integer, got \"-1\"", 0 },
	{ "fraction.csv", H "A,1.5,10,1,10\n",
	  ":2:3: column 'ai': expected a non-negative integer, got \"1.5\"", 0 },
	{ "neg-total.csv", H "A,1,10,1,-10\n",
	  ":2:10: column 'n2i': expected a positive integer, got \"-10\"", 0 },
	{ "zero-total.csv", H "A,0,0,1,10\n",
	  ":2:5: column 'n1i': total is zero; expected a positive integer, got \"0\"", 0 },
	{ "missing-total.csv", H "A,1,,1,10\n",
	  ":2:5: column 'n1i': missing value; expected a positive integer", 0 },
	{ "missing-quoted.csv", H "A,1,10,\"  \",10\n",
	  ":2:8: column 'ci': missing value; expected a non-negative integer", 0 },
	{ "events-gt.csv", H "A,1,10,12,10\n",
	  ":2:8: column 'ci': 12 events exceed the total 10 in column 'n2i'; expected at most "
	  "the total", 0 },
	{ "events-gt-prop.csv", "study,xi,ni\nA,5,4\n",
	  ":2:3: column 'xi': 5 events exceed the total 4 in column 'ni'; expected at most the "
	  "total", 0 },
	{ "overflow.csv", H "A,1e999,10,1,10\n",
	  ":2:3: column 'ai': number out of range; expected a finite number, got \"1e999\"", 0 },
	{ "huge-count.csv", H "A,1,1e300,1,10\n",
	  ":2:5: column 'n1i': expected an integer of at most 2^53, got \"1e300\"", 0 },
	{ "nan.csv", H "A,nan,10,1,10\n",
	  ":2:3: column 'ai': expected a non-negative integer, got \"nan\"", 0 },
	{ "hex.csv", H "A,0x10,10,1,10\n",
	  ":2:3: column 'ai': expected a non-negative integer, got \"0x10\"", 0 },
	{ "inf-yi.csv", "study,yi,vi\nA,inf,0.1\n",
	  ":2:3: column 'yi': expected a finite number, got \"inf\"", 0 },
	{ "zero-vi.csv", "study,yi,vi\nA,0.1,0\n",
	  ":2:7: column 'vi': expected a positive number, got \"0\"", 0 },
	{ "neg-sei.csv", "study,yi,sei\nA,0.1,-0.2\n",
	  ":2:7: column 'sei': expected a positive number, got \"-0.2\"", 0 },
	{ "big-sei.csv", "study,yi,sei\nA,0.1,1e200\n",
	  ":2:7: column 'sei': squared standard error out of range; expected a positive number "
	  "below 1e154, got \"1e200\"", 0 },
	{ "bad-year.csv", "study,year,xi,ni\nA,20x0,1,2\n",
	  ":2:3: column 'year': expected a year from 1 to 9999, got \"20x0\"", 0 },
	{ "empty-study.csv", H "\"\",1,10,1,10\n",
	  ":2:1: column 'study': missing study; expected a study label", 0 },
	{ "utf8-col.csv", H "\"Ä, B\",x,10,1,10\n",
	  ":2:8: column 'ai': expected a non-negative integer, got \"x\"", 0 },
	{ "multiline.csv", H "\"A\nB\",1,10,1,10\nC,x,10,1,10\n",
	  ":4:3: column 'ai': expected a non-negative integer, got \"x\"", 0 },
	{ "crlf.csv", "study,ai,n1i,ci,n2i\r\nA,1,10,1,10\r\nC,1,10,1,x\r\n",
	  ":3:10: column 'n2i': expected a positive integer, got \"x\"", 0 },
	{ "cr-only.csv", "study,ai,n1i,ci,n2i\rA,1,10,1,10\rC,1,10,1,x\r",
	  ":3:10: column 'n2i': expected a positive integer, got \"x\"", 0 },
	{ "bom.csv", "\xEF\xBB\xBFstudy,ai,n1i,ci,n2i,zz\nA,1,2,1,2,3\n",
	  ":1:21: unknown column 'zz'; expected one of the column names in examples/FORMAT.md", 0 },
	{ "bad-utf8.csv", H "A\xFF,1,10,1,10\n", ":2:2: invalid UTF-8 (byte 0xFF); expected "
	  "UTF-8 text", 0 },
	{ "overlong-utf8.csv", H "Ab\xC0\xAF,1,10,1,10\n", ":2:3: invalid UTF-8 (byte 0xC0); "
	  "expected UTF-8 text", 0 },
	{ "surrogate-utf8.csv", "study,xi,ni\n\xED\xA0\x80,1,2\n", ":2:1: invalid UTF-8 "
	  "(byte 0xED); expected UTF-8 text", 0 },
	{ "nul.csv", H "A\0,1,10,1,10\n", ":2:2: NUL byte in text; expected a text file",
	  sizeof(H "A\0,1,10,1,10\n") - 1 },
	{ "long-got.csv", H "A,1234567890123456789012345678901234567890123456789x,10,1,10\n",
	  ":2:3: column 'ai': expected a non-negative integer, got "
	  "\"1234567890123456789012345678901234567890...\"", 0 },
};

static void test_csv_errors(void **state)
{
	(void)state;
	sm_run_ecases(sm_review_load_csv, csv_errors, sizeof csv_errors / sizeof csv_errors[0]);
}

/* n data rows of "1,2" under a yi,vi header. */
static char *rows_csv(size_t n, size_t *len)
{
	static const char header[] = "yi,vi\n";
	*len = sizeof header - 1 + 4 * n;
	char *text = malloc(*len + 1);
	assert_non_null(text);
	memcpy(text, header, sizeof header - 1);
	for (size_t i = 0; i < n; i++)
		memcpy(text + sizeof header - 1 + 4 * i, "1,2\n", 4);
	text[*len] = '\0';
	return text;
}

/* Exactly SM_MAX_ROWS data rows load; one more is an error at that row. */
static void test_row_limit(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = rows_csv(SM_MAX_ROWS + 1, &len);
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_review *r = sm_review_parse_csv(ctx, "max.csv", text, len - 4);
	assert_non_null(r);
	assert_int_equal(r->n_outcomes, SM_MAX_ROWS);
	assert_int_equal(r->n_studies, SM_MAX_ROWS);
	char *last = sm_asprintf("Study %zu", SM_MAX_ROWS);
	assert_string_equal(r->studies[SM_MAX_ROWS - 1].label, last);
	free(last);
	assert_true(r->outcomes[SM_MAX_ROWS - 1].vi == 2);
	assert_int_equal(r->outcomes[SM_MAX_ROWS - 1].src_line, SM_MAX_ROWS + 1);
	/* the memory model: arrays of exactly the rows, each label once in the
	 * string pool ("Study 1000000" is 14 bytes), nothing per row besides */
	assert_int_equal(r->cap_outcomes, SM_MAX_ROWS);
	assert_int_equal(r->cap_studies, SM_MAX_ROWS);
	assert_true(sm_strpool_bytes(r->strings) < 15 * SM_MAX_ROWS);
	assert_ptr_equal(r->outcomes[7].label, r->studies[7].label);
	assert_ptr_equal(r->outcomes[7].study_id, r->studies[7].label);
	assert_ptr_equal(r->outcomes[7].group, r->outcomes[8].group);
	sm_review_free(r);
	assert_null(sm_review_parse_csv(ctx, "over.csv", text, len));
	char *msg = sm_diag_format(sm_ctx_error(ctx));
	char *want = sm_asprintf("over.csv:%zu:1: too many rows; expected at most %zu data rows",
				 SM_MAX_ROWS + 2, SM_MAX_ROWS);
	assert_string_equal(msg, want);
	free(want);
	free(msg);
	sm_ctx_free(ctx);
	free(text);
}

static void test_limits(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	/* a field one byte over the label limit */
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "study,xi,ni\n");
	for (size_t i = 0; i <= SM_MAX_LABEL_BYTES; i++)
		sm_buf_putc(&b, 'x');
	sm_buf_puts(&b, ",1,2\n");
	char *path = sm_write_tmp(dir, "long.csv", b.data, b.len);
	char *got = sm_load_error(sm_review_load_csv, path);
	char *want = sm_asprintf("%s:2:1: field too long (1001 bytes); expected at most 1000 "
				 "bytes", path);
	assert_string_equal(got, want);
	free(got);
	free(want);
	remove(path);
	free(path);
	sm_buf_release(&b);
	/* a file over 64 MiB (sparse: nothing is written) */
	path = sm_asprintf("%s/big.csv", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)SM_MAX_FILE_BYTES + 1), 0);
	fclose(f);
	got = sm_load_error(sm_review_load_csv, path);
	want = sm_asprintf("%s: file too large; expected at most 64 MiB", path);
	assert_string_equal(got, want);
	free(got);
	free(want);
	remove(path);
	free(path);
	/* a missing file */
	path = sm_asprintf("%s/none.csv", dir);
	got = sm_load_error(sm_review_load_any, path);
	want = sm_asprintf("%s: cannot read file: No such file or directory; expected a readable file", path);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(path);
	remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_2x2),
		cmocka_unit_test(test_examples_other),
		cmocka_unit_test(test_golden_input),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_studies_made),
		cmocka_unit_test(test_many_studies),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_row_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
