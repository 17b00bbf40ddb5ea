/* Review JSON: the examples and data files load, and every error names
 * FILE:LINE:COL, the field path and what was expected. */
#include "sm_input_test.h"

#include "sm_limits.h"

#include <math.h>

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

static void test_minimal_example(void **state)
{
	(void)state;
	struct sm_review *r = load_ok("examples/minimal-review.json");
	assert_string_equal(r->id, "minimal-example");
	assert_int_equal(r->kind, SM_KIND_2X2);
	assert_int_equal(r->n_studies, 3);
	assert_int_equal(r->n_outcomes, 3);
	const struct sm_outcome *o = &r->outcomes[2];
	assert_string_equal(o->study_id, "garcia2019");
	assert_string_equal(o->label, "Garcia et al., 2019");
	assert_string_equal(o->group, "all");
	assert_int_equal(o->year, 2019);
	assert_true(o->ai == 20 && o->n1i == 60 && o->ci == 11 && o->n2i == 58);
	assert_string_equal(o->src_file, "examples/minimal-review.json");
	assert_int_equal(o->src_line, 26);
	assert_string_equal(r->settings.measure, "OR");
	assert_string_equal(r->settings.method, "DL");
	assert_string_equal(r->settings.arm_labels[1], "Placebo");
	assert_false(r->settings.add_set || r->settings.level_set || r->settings.drop00_set);
	assert_int_equal(r->studies[0].n_chars, 2);
	assert_string_equal(r->studies[0].char_keys[1], "design");
	assert_string_equal(r->studies[0].char_values[1], "RCT");
	assert_string_equal(r->studies[0].ref, "1");
	/* risk of bias: RoB1's seven default domains were filled in */
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->risk_of_bias, "domains");
	assert_int_equal(cJSON_GetArraySize(d), 7);
	assert_string_equal(cJSON_GetArrayItem(d, 6)->valuestring, "Other bias");
	assert_non_null(r->metadata);
	assert_null(r->prisma);
	sm_review_free(r);
}

/* The review files in data/ (written by another helper) all load. */
static void test_data_files(void **state)
{
	(void)state;
	const char *files[] = { "data/msc-iv-rct.json", "data/iv-sae-70.json",
				"data/allogeneic-review.json", "data/tumorigenicity.json" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		FILE *f = fopen(files[i], "rb");
		if (!f)
			continue; /* not written yet */
		fclose(f);
		sm_review_free(load_ok(files[i]));
	}
	FILE *f = fopen("data/msc-iv-rct.json", "rb");
	if (f) {
		fclose(f);
		struct sm_review *r = load_ok("data/msc-iv-rct.json");
		assert_int_equal(r->kind, SM_KIND_2X2);
		assert_int_equal(r->n_outcomes, 236); /* as in the golden input */
		assert_true(r->outcomes[0].src_line >= 2);
		sm_review_free(r);
	}
}

#define PRE "{\"safemeta_review\": 1, \"metadata\": {\"id\": \"r\", \"title\": \"T\"}, "
#define ST "\"studies\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"b\", \"label\": \"B\"}]"
#define E(name, content, want) { name, content, want, 0 }

/* Inline rows and CSV rows, sub labels, group_by and sei. */
static void test_outcome_forms(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	char *csv = sm_write_tmp(dir, "rows.csv", "study,domain,sub,e_t,n_t,e_c,n_c,note\n"
				 "a,Cardiac,x,1,10,2,20,skip me\nB,Hepatic,,3,30,4,40,\n", 0);
	char *js = sm_write_tmp(dir, "r.json", PRE ST ", \"outcomes\": {\"csv\": \"rows.csv\", "
				"\"ignore\": [\"Note\"]}}", 0);
	struct sm_review *r = load_ok(js);
	assert_int_equal(r->n_outcomes, 2);
	assert_string_equal(r->outcomes[0].label, "A (x)");
	assert_string_equal(r->outcomes[1].study_id, "b"); /* matched by label */
	assert_string_equal(r->outcomes[1].group, "Hepatic");
	assert_string_equal(r->outcomes[1].src_file, csv);
	assert_int_equal(r->outcomes[1].src_line, 3);
	sm_review_free(r);
	remove(js);
	free(js);
	js = sm_write_tmp(dir, "g.json", PRE "\"settings\": {\"group_by\": \"event\", "
			  "\"measure\": \"GEN\", \"level\": 90, \"add\": 0, "
			  "\"drop00\": true}, "
			  ST ", \"outcomes\": [{\"study\": \"a\", \"event\": \"Fever\", "
			  "\"yi\": 0.5, "
			  "\"sei\": 0.5}, {\"study\": \"b\", \"yi\": -1, \"vi\": 2}]}", 0);
	r = load_ok(js);
	assert_int_equal(r->kind, SM_KIND_GENERIC);
	assert_string_equal(r->outcomes[0].group, "Fever");
	assert_string_equal(r->outcomes[1].group, "all");
	assert_true(r->outcomes[0].vi == 0.25 && r->outcomes[1].vi == 2);
	assert_true(r->settings.level_set && r->settings.level == 90);
	assert_true(r->settings.add_set && r->settings.add == 0);
	assert_true(r->settings.drop00_set && r->settings.drop00);
	sm_review_free(r);
	remove(js);
	remove(csv);
	free(js);
	free(csv);
	remove(dir);
	free(dir);
}

/* Numeric characteristics (a number, or {value, unit, text}) keep their
 * number and unit beside the display text; studies know their line. */
static void test_numeric_characteristics(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	char *js = sm_write_tmp(dir, "n.json", PRE "\"studies\": [\n"
				"{\"id\": \"a\", \"label\": \"A\", \"characteristics\": "
				"{\"route\": \"IV\", \"n\": 45, \"dose\": {\"value\": 1.5e6, "
				"\"unit\": \"cells/kg\"}}},\n"
				"{\"id\": \"b\", \"label\": \"B\", \"characteristics\": "
				"{\"follow_up\": {\"value\": 0.92, \"unit\": \"months\", "
				"\"text\": \"28 d\"}}}]}", 0);
	struct sm_review *r = load_ok(js);
	const struct sm_study *a = &r->studies[0], *b = &r->studies[1];
	assert_int_equal(a->src_line, 2);
	assert_int_equal(b->src_line, 3);
	assert_int_equal(b->src_index, 1);
	assert_string_equal(a->char_values[0], "IV");
	assert_true(isnan(a->char_numbers[0]));
	assert_string_equal(a->char_values[1], "45");
	assert_true(a->char_numbers[1] == 45 && !a->char_units[1]);
	assert_string_equal(a->char_values[2], "1500000 cells/kg");
	assert_true(a->char_numbers[2] == 1.5e6);
	assert_string_equal(a->char_units[2], "cells/kg");
	assert_string_equal(b->char_values[0], "28 d");
	assert_true(b->char_numbers[0] == 0.92);
	assert_string_equal(b->char_units[0], "months");
	sm_review_free(r);
	remove(js);
	free(js);
	remove(dir);
	free(dir);
}

/* outcome_by (group_by its older name), subgroup_by and mods; an outcome
 * CSV keeps the columns they name, and its subgroup column. */
static void test_structure_settings(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	char *csv = sm_write_tmp(dir, "rows.csv", "study,domain,subgroup,e_t,n_t,e_c,n_c,dose,x\n"
				 "a,Cardiac,early,1,10,2,20,1.5,NA\nb,Cardiac,late,3,30,4,40,,y\n", 0);
	char *js = sm_write_tmp(dir, "r.json", PRE "\"settings\": {\"outcome_by\": \"none\", "
				"\"mods\": [\"dose\"]}, " ST ", \"outcomes\": {\"csv\": "
				"\"rows.csv\", \"ignore\": [\"x\"]}}", 0);
	struct sm_review *r = load_ok(js);
	assert_string_equal(r->settings.outcome_by, "none");
	assert_string_equal(r->outcomes[0].domain, "Cardiac");
	assert_int_equal(r->outcomes[1].study, 1);
	assert_int_equal(r->settings.n_mods, 1);
	assert_string_equal(r->settings.subgroup_by, "subgroup"); /* the CSV's column */
	assert_int_equal(r->cols.n, 2);
	assert_string_equal(r->cols.names[0], "subgroup");
	assert_string_equal(r->cols.names[1], "dose");
	assert_int_equal(r->cols.header_col[1], 8);
	assert_string_equal(r->cols.text[0 * 2 + 1], "1.5");
	assert_true(r->cols.num[0 * 2 + 1] == 1.5);
	assert_null(r->cols.text[1 * 2 + 1]); /* blank */
	assert_true(isnan(r->cols.num[1 * 2 + 1]));
	assert_string_equal(r->cols.text[1 * 2 + 0], "late");
	sm_review_free(r);
	remove(js);
	free(js);
	/* the load options name a column: kept, though the review does not */
	js = sm_write_tmp(dir, "o.json", PRE "\"settings\": {\"group_by\": \"event\"}, " ST
			  ", \"outcomes\": {\"csv\": \"rows.csv\"}}", 0);
	struct sm_ctx *ctx = sm_ctx_new();
	const char *named[] = { "X", "dose" };
	struct sm_load_opts lo = { named, 2 };
	r = sm_review_load_any_opts(ctx, js, &lo);
	assert_non_null(r);
	assert_string_equal(r->settings.outcome_by, "event");
	assert_int_equal(r->cols.n, 3);
	assert_string_equal(r->cols.names[2], "x");
	assert_string_equal(r->cols.text[1 * 3 + 2], "y");
	sm_review_free(r);
	/* without them an unknown column stays an error */
	assert_null(sm_review_load_any(ctx, js));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "unknown column 'dose'"));
	sm_ctx_free(ctx);
	remove(js);
	remove(csv);
	free(js);
	free(csv);
	remove(dir);
	free(dir);
}

static const struct sm_ecase json_errors[] = {
	/* syntax */
	E("empty.json", "", ":1:1: empty file; expected a JSON object"),
	E("comma.json", "{\"a\": 1 \"b\": 2}",
	  ":1:9: unexpected character; expected ',' or '}' after an object "
	  "member"),
	E("trail-obj.json", "{\"a\": 1,\n}",
	  ":2:1: trailing comma before '}'; expected another key"),
	E("trail-arr.json", "{\"a\": [1, 2, ]}",
	  ":1:14: trailing comma before ']'; expected another value"),
	E("arr-sep.json", "{\"a\": [1 2]}",
	  ":1:10: unexpected character; expected ',' or ']' after an array element"),
	E("eof.json", "{\"a\": [1,", ":1:10: unexpected end of file; expected a value"),
	E("eof-obj.json", "{\"a\": 1",
	  ":1:8: unexpected end of file; expected ',' or '}' after an object member"),
	E("colon.json", "{\"a\" 1}", ":1:6: unexpected character; expected ':' after the key"),
	E("key.json", "{a: 1}", ":1:2: unexpected character; expected a quoted key"),
	E("unterminated.json", "{\"a\": \"abc\n", ":1:11: control character in a string; "
	  "expected it escaped (e.g. \\n)"),
	E("unterminated2.json", "{\"a\": \"abc", ":1:7: unterminated string; expected a "
	  "closing '\"'"),
	E("escape.json", "{\"a\": \"x\\q\"}", ":1:9: invalid escape '\\q'; expected one of \\\" "
	  "\\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"),
	E("uescape.json", "{\"a\": \"\\u12G4\"}", ":1:8: invalid \\u escape; expected four "
	  "hex digits"),
	E("surrogate.json", "{\"a\": \"\\uD800x\"}", ":1:8: unpaired UTF-16 high surrogate in "
	  "\\u escape; expected a \\uDC00-\\uDFFF escape after it"),
	E("nul-escape.json", "{\"a\": \"\\u0000\"}", ":1:8: \\u0000 in a string; expected no "
	  "NUL characters"),
	E("literal.json", "{\"a\": tru}", ":1:7: invalid literal 'tru'; expected a string, "
	  "number, object, array, true, false or null"),
	E("nan.json", "{\"a\": NaN}", ":1:7: invalid literal 'NaN'; expected a string, number, "
	  "object, array, true, false or null"),
	E("leading-zero.json", "{\"a\": 012}", ":1:7: invalid number '012'; expected a JSON "
	  "number such as 12, -0.5 or 1e-3"),
	E("bad-exp.json", "{\"a\": 1e}", ":1:7: invalid number '1e'; expected a JSON number "
	  "such as 12, -0.5 or 1e-3"),
	E("comment.json", "{\n  // note\n  \"a\": 1}", ":2:3: unexpected character; expected "
	  "a quoted key"),
	E("comment-val.json", "{\"a\": /* x */ 1}", ":1:7: comment in JSON; expected a value "
	  "(JSON has no comments)"),
	E("single-quote.json", "{\"a\": 'x'}", ":1:7: single quote; expected a value (JSON "
	  "strings take double quotes)"),
	E("after.json", "{\"a\": 1} x", ":1:10: unexpected text after the JSON value; expected "
	  "end of file"),
	E("dup-key.json", "{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2}, \"a\": 3}",
	  ":2:16: duplicate key \"c\"; expected each key once per object"),
	E("dup-escaped.json", "{\"ab\": 1, \"a\\u0062\": 2}",
	  ":1:11: duplicate key \"ab\"; expected each key once per object"),
	E("bad-utf8.json", "{\"a\": \"\xC3\x28\"}", ":1:8: invalid UTF-8 (byte 0xC3); expected "
	  "UTF-8 text"),
	E("utf8-col.json", "{\"äöü\": 1 2}", ":1:11: unexpected character; expected ',' or "
	  "'}' after an object member"),
	/* top level */
	E("array.json", "[1]", ":1:1: not a review; expected a JSON object, got an array"),
	E("no-version.json", "{\"metadata\": {}}", ":1:1: field 'safemeta_review': missing "
	  "required key; expected the format version 1"),
	E("version.json", "{\"safemeta_review\": 2}", ":1:21: field 'safemeta_review': "
	  "unsupported format version; expected 1, got 2"),
	E("unknown-top.json", "{\"safemeta_review\": 1, \"studys\": []}",
	  ":1:24: field 'studys': unknown key; expected one of safemeta_review, metadata, "
	  "settings, studies, outcomes, prisma, risk_of_bias, tables, aggregate_tables, "
	  "reported, grade, notes"),
	E("no-metadata.json", "{\"safemeta_review\": 1}", ":1:1: field 'metadata': missing "
	  "required key; expected an object with id and title"),
	E("no-title.json", "{\"safemeta_review\": 1,\n \"metadata\": {\"id\": \"x\"}}",
	  ":2:14: field 'metadata.title': missing required key; expected a "
	  "string"),
	E("title-type.json",
	  "{\"safemeta_review\": 1, \"metadata\": {\"id\": \"x\", \"title\": 5}}",
	  ":1:57: field 'metadata.title': expected a string, got 5"),
	E("bad-id.json", "{\"safemeta_review\": 1, \"metadata\": {\"id\": \"a b\", \"title\": "
	  "\"t\"}}", ":1:43: field 'metadata.id': expected only letters, digits, '-' and '_', "
	  "got \"a b\""),
	E("empty-id.json", "{\"safemeta_review\": 1, \"metadata\": {\"id\": \"\", \"title\": "
	  "\"t\"}}",
	  ":1:43: field 'metadata.id': empty string; expected some text"),
	E("authors.json",
	  "{\"safemeta_review\": 1, \"metadata\": {\"id\": \"x\", \"title\": \"t\", "
	  "\"authors\": [\"A\", 3]}}", ":1:79: field 'metadata.authors[1]': expected a string, "
	  "got 3"),
	E("no-studies.json", PRE "\"outcomes\": []}", ":1:1: field 'studies': missing required "
	  "key; expected an array of studies (may be empty)"),
	/* settings */
	E("measure.json", PRE "\"settings\": {\"measure\": \"XX\"}, " ST "}",
	  ":1:87: field 'settings.measure': unknown value \"XX\"; expected one of OR, RR, RD, "
	  "PETO, PR, PLO, PAS, PFT, GEN"),
	E("method.json", PRE "\"settings\": {\"method\": \"dl\"}, " ST "}",
	  ":1:86: field 'settings.method': unknown value \"dl\"; expected one of FE, MH, PETO, "
	  "DL, HE, HS, SJ, ML, REML, EB, PM, GLMM, GLMM-FE"),
	E("test.json", PRE "\"settings\": {\"test\": \"t\"}, " ST "}",
	  ":1:84: field 'settings.test': unknown value \"t\"; expected one of z, knha"),
	E("to.json", PRE "\"settings\": {\"to\": 0}, " ST "}",
	  ":1:82: field 'settings.to': expected a string, got 0; expected one of all, only0, "
	  "if0all, none"),
	E("preset.json", PRE "\"settings\": {\"preset\": \"revman\"}, " ST "}",
	  ":1:86: field 'settings.preset': unknown value \"revman\"; expected one of metafor, "
	  "revman5, cochrane2025"),
	E("group-by.json", PRE "\"settings\": {\"group_by\": \"year\"}, " ST "}",
	  ":1:88: field 'settings.group_by': unknown value \"year\"; expected one of domain, "
	  "event, none"),
	E("both-by.json", PRE "\"settings\": {\"group_by\": \"event\", \"outcome_by\": "
	  "\"domain\"}, " ST "}",
	  ":1:76: field 'settings.group_by': both outcome_by and its older name group_by given; "
	  "expected one of them"),
	E("mods-twice.json", PRE "\"settings\": {\"mods\": [\"a\", \"a\"]}, " ST "}",
	  ":1:90: field 'settings.mods[1]': moderator \"a\" named twice; expected each once"),
	E("mods-empty.json", PRE "\"settings\": {\"mods\": []}, " ST "}",
	  ":1:84: field 'settings.mods': expected a non-empty array of column names, got an "
	  "array"),
	E("char-value.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", "
	  "\"characteristics\": {\"dose\": {\"value\": \"high\"}}}]}",
	  ":1:139: field 'studies[0].characteristics.dose.value': expected a finite number, got "
	  "\"high\""),
	E("char-nounit.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", "
	  "\"characteristics\": {\"dose\": {\"unit\": \"mg\"}}}]}",
	  ":1:129: field 'studies[0].characteristics.dose.value': missing required key; "
	  "expected a finite number"),
	E("char-key.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", "
	  "\"characteristics\": {\"dose\": {\"value\": 1, \"units\": \"mg\"}}}]}",
	  ":1:142: field 'studies[0].characteristics.dose.units': unknown key; expected one of "
	  "value, unit, text"),
	E("char-unit.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", "
	  "\"characteristics\": {\"dose\": {\"value\": 1, \"unit\": \"\"}}}]}",
	  ":1:150: field 'studies[0].characteristics.dose.unit': empty string; expected some "
	  "text"),
	E("level.json", PRE "\"settings\": {\"level\": 120}, " ST "}",
	  ":1:85: field 'settings.level': expected a percentage between 0 and 100, e.g. 95, "
	  "got 120"),
	E("add.json", PRE "\"settings\": {\"add\": -0.5}, " ST "}",
	  ":1:83: field 'settings.add': expected a number >= 0, got -0.5"),
	E("drop00.json", PRE "\"settings\": {\"drop00\": \"yes\"}, " ST "}",
	  ":1:86: field 'settings.drop00': expected true or false, got \"yes\""),
	E("arms.json", PRE "\"settings\": {\"arm_labels\": [\"MSC\"]}, " ST "}",
	  ":1:90: field 'settings.arm_labels': expected an array of two strings (treated, "
	  "control), got an array"),
	E("setting-key.json", PRE "\"settings\": {\"methods\": \"DL\"}, " ST "}",
	  ":1:76: field 'settings.methods': unknown key; expected one of preset, measure, "
	  "method, test, add, to, drop00, level, group_by, outcome_by, subgroup_by, mods, "
	  "arm_labels, outcome_label, model, cluster, robust, aggregate, glmm, small_study_min_k, "
	  "harm_margin_per_1000"),
	E("model.json", PRE "\"settings\": {\"model\": \"mv\"}, " ST "}",
	  ":1:85: field 'settings.model': unknown value \"mv\"; expected one of standard, multilevel"),
	E("aggregate.json", PRE "\"settings\": {\"aggregate\": 1}, " ST "}",
	  ":1:89: field 'settings.aggregate': expected true or false, got 1"),
	E("measure-kind.json", PRE "\"settings\": {\"measure\": \"PR\"}, " ST ", \"outcomes\": "
	  "[{\"study\": \"a\", \"ai\": 1, \"n1i\": 2, \"ci\": 1, \"n2i\": 2}]}",
	  ":1:87: field 'settings.measure': measure PR does not fit the outcomes, which are "
	  "2x2 counts (ai, n1i, ci, n2i); expected OR, RR, RD or PETO"),
	/* studies */
	E("dup-study.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\"},\n"
	  "{\"id\": \"a\", \"label\": \"B\"}]}", ":2:8: field 'studies[1].id': duplicate study "
	  "id \"a\" (also studies[0]); expected unique ids"),
	E("study-label.json", PRE "\"studies\": [{\"id\": \"a\"}]}", ":1:75: field "
	  "'studies[0].label': missing required key; expected a string"),
	E("study-year.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", \"year\": "
	  "\"2009\"}]}", ":1:109: field 'studies[0].year': expected a non-negative integer or "
	  "null, got \"2009\""),
	E("study-key.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", \"country\": "
	  "\"UK\"}]}", ":1:101: field 'studies[0].country': unknown key; expected one of id, "
	  "label, year, ref, characteristics"),
	E("study-char.json", PRE "\"studies\": [{\"id\": \"a\", \"label\": \"A\", "
	  "\"characteristics\": {\"n\": [1]}}]}", ":1:126: field 'studies[0].characteristics.n': "
	  "expected a string, a number or {\"value\": NUMBER, \"unit\": TEXT}, got an array"),
};

/* Rows with one problem each, inside a valid review with studies a and b. */
#define OUT(rows) PRE ST ",\n\"outcomes\": [\n" rows "]}"
static const struct sm_ecase outcome_errors[] = {
	E("o-text.json", OUT("{\"study\": \"a\", \"ai\": \"abc\", \"n1i\": 10, \"ci\": 1, "
	  "\"n2i\": 10}"), ":3:22: field 'outcomes[0].ai': expected a non-negative integer, "
	  "got \"abc\""),
	E("o-neg.json", OUT("{\"study\": \"a\", \"ai\": -1, \"n1i\": 10, \"ci\": 1, \"n2i\": 10}"),
	  ":3:22: field 'outcomes[0].ai': expected a non-negative integer, got -1"),
	E("o-frac.json", OUT("{\"study\": \"a\", \"ai\": 1, \"n1i\": 10.5, \"ci\": 1, \"n2i\": "
	  "10}"), ":3:32: field 'outcomes[0].n1i': expected a positive integer, got 10.5"),
	E("o-zero.json", OUT("{\"study\": \"a\", \"ai\": 0, \"n1i\": 10, \"ci\": 0, \"n2i\": 0}"),
	  ":3:52: field 'outcomes[0].n2i': total is zero; expected a positive integer, got 0"),
	E("o-missing.json", OUT("{\"study\": \"a\", \"ai\": 0, \"n1i\": 10, \"ci\": 0}"),
	  ":3:1: field 'outcomes[0].n2i': missing required key; expected a positive integer"),
	E("o-gt.json", OUT("{\"study\": \"a\", \"ai\": 1, \"n1i\": 10, \"ci\": 1, \"n2i\": 10},\n"
	  "{\"study\": \"b\", \"ai\": 11, \"n1i\": 10, \"ci\": 1, \"n2i\": 10}"),
	  ":4:22: field 'outcomes[1].ai': 11 events exceed the total n1i = 10; expected ai <= n1i"),
	E("o-inf.json", OUT("{\"study\": \"a\", \"yi\": 1e999, \"vi\": 1}"),
	  ":3:22: field 'outcomes[0].yi': number out of range; expected a finite number, got "
	  "1e999"),
	E("o-vi.json", OUT("{\"study\": \"a\", \"yi\": 1, \"vi\": 0}"),
	  ":3:31: field 'outcomes[0].vi': expected a positive number, got 0"),
	E("o-sei.json", OUT("{\"study\": \"a\", \"yi\": 1, \"sei\": -2}"),
	  ":3:32: field 'outcomes[0].sei': expected a positive number, got -2"),
	E("o-vi-sei.json", OUT("{\"study\": \"a\", \"yi\": 1, \"vi\": 1, \"sei\": 1}"),
	  ":3:34: field 'outcomes[0].sei': both vi and sei given; expected one"),
	E("o-no-vi.json", OUT("{\"study\": \"a\", \"yi\": 1}"),
	  ":3:1: field 'outcomes[0].vi': missing required key; expected vi or sei with yi"),
	E("o-prop.json", OUT("{\"study\": \"a\", \"xi\": 3, \"ni\": 2}"),
	  ":3:22: field 'outcomes[0].xi': 3 events exceed the total ni = 2; expected xi <= ni"),
	E("o-mixed.json", OUT("{\"study\": \"a\", \"xi\": 1, \"ni\": 2},\n"
	  "{\"study\": \"b\", \"yi\": 1, \"vi\": 1}"),
	  ":4:1: field 'outcomes[1]': row has a generic effect size (yi with vi or sei) but "
	  "outcomes[0] has a proportion (xi, ni); expected one data kind per review"),
	E("o-foreign.json", OUT("{\"study\": \"a\", \"ai\": 1, \"n1i\": 2, \"ci\": 1, \"n2i\": 2, "
	  "\"xi\": 1}"), ":3:54: field 'outcomes[0].xi': key of another data kind in a row of "
	  "2x2 counts (ai, n1i, ci, n2i); expected one data kind per row"),
	E("o-nodata.json", OUT("{\"study\": \"a\"}"), ":3:1: field 'outcomes[0]': no data; "
	  "expected ai, n1i, ci, n2i or xi, ni or yi with vi or sei"),
	E("o-study.json", OUT("{\"study\": \"zz\", \"xi\": 1, \"ni\": 2}"),
	  ":3:11: field 'outcomes[0].study': unknown study; expected a studies[].id, got \"zz\""),
	E("o-nostudy.json", OUT("{\"xi\": 1, \"ni\": 2}"),
	  ":3:1: field 'outcomes[0].study': missing required key; expected a string"),
	E("o-key.json", OUT("{\"study\": \"a\", \"group\": \"g\", \"xi\": 1, \"ni\": 2}"),
	  ":3:16: field 'outcomes[0].group': unknown key; expected one of study, domain, sub, "
	  "event, ai, n1i, ci, n2i, xi, ni, yi, vi, sei"),
	E("o-type.json", PRE ST ", \"outcomes\": 3}", ":1:142: field 'outcomes': expected an "
	  "array of outcome rows or {\"csv\": \"file\"}, got 3"),
	E("o-csv.json", PRE ST ",\n\"outcomes\": {\"csv\": \"nope.csv\"}}",
	  ":2:21: field 'outcomes.csv': cannot read %DIR%/nope.csv: No such file or directory; "
	  "expected a CSV file (paths are relative to the review file)"),
	E("o-csv-key.json", PRE ST ",\n\"outcomes\": {\"file\": \"x.csv\"}}",
	  ":2:14: field 'outcomes.file': unknown key; expected one of csv, ignore"),
};

static void test_json_errors(void **state)
{
	(void)state;
	sm_run_ecases(sm_review_load, json_errors, sizeof json_errors / sizeof json_errors[0]);
}

static void test_outcome_errors(void **state)
{
	(void)state;
	sm_run_ecases(sm_review_load, outcome_errors,
		      sizeof outcome_errors / sizeof outcome_errors[0]);
}


/* PRISMA, risk of bias, tables and reported results. */
#define X(part) PRE ST ",\n" part "}"
static const struct sm_ecase extra_errors[] = {
	E("p-neg.json", X("\"prisma\": {\"records_screened\": -5}"),
	  ":2:32: field 'prisma.records_screened': expected a non-negative integer, "
	  "got -5"),
	E("p-template.json", X("\"prisma\": {\"template\": \"old\"}"),
	  ":2:24: field 'prisma.template': unknown value \"old\"; expected one of new, updated"),
	E("p-db.json", X("\"prisma\": {\"databases\": [{\"name\": \"PubMed\", \"n\": 1.5}]}"),
	  ":2:50: field 'prisma.databases[0].n': expected a non-negative integer, got 1.5"),
	E("p-key.json", X("\"prisma\": {\"records\": 1}"),
	  ":2:12: field 'prisma.records': unknown key; expected one of template, "
	  "previous_studies, previous_reports, databases, registers, records_databases, "
	  "records_registers, records_identified, duplicates_removed, automation_excluded, "
	  "other_removed, records_screened, records_excluded, reports_sought, "
	  "reports_not_retrieved, reports_assessed, reports_excluded, exclusion_reasons, "
	  "other_methods, new_studies_included, new_reports_included, studies_included, "
	  "reports_included, notes"),
	/* the template's separate totals, the updated review's new studies and
	 * the other methods' sources: counts, positioned when of the wrong type */
	E("p-dbtotal.json", X("\"prisma\": {\"records_databases\": \"412\"}"),
	  ":2:33: field 'prisma.records_databases': expected a non-negative integer or null, "
	  "got \"412\""),
	E("p-regtotal.json", X("\"prisma\": {\"records_registers\": 4.5}"),
	  ":2:33: field 'prisma.records_registers': expected a non-negative integer, got 4.5"),
	E("p-new.json", X("\"prisma\": {\"template\": \"updated\", \"new_studies_included\": -2}"),
	  ":2:59: field 'prisma.new_studies_included': expected a non-negative integer, got -2"),
	E("p-newrep.json", X("\"prisma\": {\"new_reports_included\": true}"),
	  ":2:36: field 'prisma.new_reports_included': expected a non-negative integer or "
	  "null, got true"),
	E("p-sources.json", X("\"prisma\": {\"other_methods\": {\"sources\": {\"name\": \"x\"}}}"),
	  ":2:41: field 'prisma.other_methods.sources': expected an array, got an object"),
	E("p-source-n.json", X("\"prisma\": {\"other_methods\": {\"sources\": [{\"name\": "
				"\"Websites\", \"n\": 2.5}]}}"),
	  ":2:68: field 'prisma.other_methods.sources[0].n': expected a non-negative integer, "
	  "got 2.5"),
	E("p-source-key.json", X("\"prisma\": {\"other_methods\": {\"sources\": [{\"site\": "
				  "\"Websites\", \"n\": 3}]}}"),
	  ":2:43: field 'prisma.other_methods.sources[0].site': unknown key; expected one of "
	  "name, n"),
	E("p-other-reasons.json", X("\"prisma\": {\"other_methods\": {\"exclusion_reasons\": "
				     "[{\"reason\": \"x\", \"n\": -1}]}}"),
	  ":2:73: field 'prisma.other_methods.exclusion_reasons[0].n': expected a non-negative "
	  "integer, got -1"),
	E("p-other.json", X("\"prisma\": {\"other_methods\": {\"reports_sought\": -1}}"),
	  ":2:48: field 'prisma.other_methods.reports_sought': expected a non-negative integer, "
	  "got -1"),
	/* GRADE ratings */
	E("g-array.json", X("\"grade\": {\"analysis\": \"all\"}"), ":2:10: field 'grade': expected an array, got an object"),
	E("g-cert.json", X("\"grade\": [{\"analysis\": \"all\"}]"), ":2:11: field 'grade[0].certainty': missing required key; expected "
	  "high, moderate, low or very low"),
	E("g-word.json", X("\"grade\": [{\"analysis\": \"all\", \"certainty\": \"medium\"}]"),
	  ":2:44: field 'grade[0].certainty': unknown value \"medium\"; "
	  "expected one of high, moderate, low, very low"),
	E("g-note.json", X("\"grade\": [{\"analysis\": \"all\", \"certainty\": \"low\", "
			    "\"imprecision\": {\"rating\": \"serious\"}}]"), ":2:66: field 'grade[0].imprecision.footnote': missing required key; "
	  "expected the reason for rating down, as a footnote"),
	E("g-rating.json", X("\"grade\": [{\"analysis\": \"all\", \"certainty\": \"low\", "
			      "\"imprecision\": {\"rating\": \"bad\", \"footnote\": \"x\"}}]"),
	  ":2:77: field 'grade[0].imprecision.rating': unknown value \"bad\"; "
	  "expected one of not serious, serious, very serious"),
	E("g-cr.json", X("\"grade\": [{\"analysis\": \"all\", \"certainty\": \"low\", "
			  "\"control_risk_per_1000\": 1000}]"), ":2:76: field 'grade[0].control_risk_per_1000': expected a risk per "
	  "1000 above 0 and below 1000, got 1000"),
	E("g-twice.json", X("\"grade\": [{\"analysis\": \"all\", \"certainty\": \"low\"}, "
			     "{\"analysis\": \"all\", \"certainty\": \"high\"}]"), ":2:65: field 'grade[1].analysis': second rating of \"all\" (also "
	  "grade[0]); expected one per analysis"),
	E("g-key.json", X("\"grade\": [{\"analysis\": \"all\", \"certainty\": \"low\", "
			   "\"bias\": 1}]"), ":2:51: field 'grade[0].bias': unknown key; expected one of "
	  "analysis, outcome, certainty, importance, control_risk_per_1000, "
	  "risk_of_bias, inconsistency, indirectness, imprecision, "
	  "publication_bias"),
	E("r-tool.json", X("\"risk_of_bias\": {\"tool\": \"RoB3\", \"judgments\": []}"),
	  ":2:26: field 'risk_of_bias.tool': unknown value \"RoB3\"; expected one of RoB1, RoB2, "
	  "ROBINS-I"),
	E("r-notool.json", X("\"risk_of_bias\": {\"judgments\": []}"),
	  ":2:17: field 'risk_of_bias.tool': missing required key; expected RoB1, RoB2 or "
	  "ROBINS-I"),
	E("r-value.json", X("\"risk_of_bias\": {\"tool\": \"RoB2\", \"domains\": [\"D1\", \"D2\"], "
	  "\"judgments\": [{\"study\": \"a\", \"values\": [\"low\", \"unclear\"]}]}"),
	  ":2:106: field 'risk_of_bias.judgments[0].values[1]': not on the RoB2 scale; expected "
	  "one of low, some concerns, high or null, got \"unclear\""),
	E("r-count.json", X("\"risk_of_bias\": {\"tool\": \"RoB1\", \"judgments\": [{\"study\": "
	  "\"a\", \"values\": [\"low\"]}]}"),
	  ":2:73: field 'risk_of_bias.judgments[0].values': 1 values for 7 domains; expected one "
	  "value per domain"),
	E("r-overall.json", X("\"risk_of_bias\": {\"tool\": \"ROBINS-I\", \"domains\": [\"D\"], "
	  "\"judgments\": [{\"study\": \"a\", \"values\": [\"low\"], \"overall\": \"high\"}]}"),
	  ":2:115: field 'risk_of_bias.judgments[0].overall': not on the ROBINS-I scale; "
	  "expected one of low, moderate, serious, critical, no information or null, got \"high\""),
	E("r-study.json", X("\"risk_of_bias\": {\"tool\": \"RoB1\", \"domains\": [\"D\"], "
	  "\"judgments\": [{\"study\": \"zz\", \"values\": [\"low\"]}]}"),
	  ":2:76: field 'risk_of_bias.judgments[0].study': unknown study; expected a "
	  "studies[].id, got \"zz\""),
	E("r-twice.json", X("\"risk_of_bias\": {\"tool\": \"RoB1\", \"domains\": [\"D\"], "
	  "\"judgments\": [{\"study\": \"a\", \"values\": [\"low\"]}, {\"study\": \"a\", "
	  "\"values\": [\"high\"]}]}"),
	  ":2:111: field 'risk_of_bias.judgments[1].study': second judgment for study \"a\" "
	  "(also judgments[0]); expected one per study"),
	E("t-ragged.json", X("\"tables\": [{\"id\": \"t1\", \"columns\": [\"A\", \"B\"], "
	  "\"rows\": [[\"1\", \"2\"], [\"3\"]]}]"),
	  ":2:69: field 'tables[0].rows[1]': row of 1 cells; expected 2 as in columns"),
	E("t-cell.json", X("\"tables\": [{\"id\": \"t1\", \"columns\": [\"A\"], \"rows\": "
	  "[[true]]}]"),
	  ":2:53: field 'tables[0].rows[0][0]': expected a string, a number or null, got true"),
	E("t-noid.json", X("\"tables\": [{\"columns\": [], \"rows\": []}]"),
	  ":2:12: field 'tables[0].id': missing required key; expected a string"),
	E("rep-num.json", X("\"reported\": {\"analyses\": [{\"name\": \"all\", \"p\": \"0.2\"}]}"),
	  ":2:48: field 'reported.analyses[0].p': expected a finite number or null, got \"0.2\""),
	E("rep-key.json", X("\"reported\": {\"analyses\": [{\"name\": \"all\", \"pval\": 0.2}]}"),
	  ":2:43: field 'reported.analyses[0].pval': unknown key; expected one of name, "
	  "measure, method, note, k, studies_stated, z, p, estimate, ci_lb, ci_ub, Q, Q_p, tau2, "
	  "I2, H2, se, pi_lb, pi_ub, rstudent_bound, begg_p, egger_p, claims"),
	E("rep-k.json", X("\"reported\": {\"analyses\": [{\"name\": \"all\", \"k\": -1}]}"),
	  ":2:48: field 'reported.analyses[0].k': expected a non-negative integer, got -1"),
};

static void test_extra_errors(void **state)
{
	(void)state;
	sm_run_ecases(sm_review_load, extra_errors, sizeof extra_errors / sizeof extra_errors[0]);
}

/* A review whose rows come from a CSV: errors are placed in the CSV. */
static void test_review_csv_errors(void **state)
{
	(void)state;
	static const struct {
		const char *csv, *want;
	} cases[] = {
		{ "study,xi,ni\nzz,1,2\n", ":2:1: column 'study': unknown study \"zz\"; expected a "
		  "studies[].id or studies[].label of the review" },
		{ "xi,ni\n1,2\n", ":1:1: missing column 'study'; expected the study id or label "
		  "(studies[].id or studies[].label of the review) on every row" },
		{ "study,xi,ni,w\na,1,2,3\n", ":1:13: unknown column 'w'; expected one of the "
		  "column names in examples/FORMAT.md or list it in the review's "
		  "outcomes.ignore" },
		{ "study,xi,ni\na,3,2\n",
		  ":2:3: column 'xi': 3 events exceed the total 2 in column "
		  "'ni'; expected at most the total" },
	};
	char *dir = sm_tmpdir();
	char *js = sm_write_tmp(dir, "r.json", PRE ST ", \"outcomes\": {\"csv\": \"o.csv\"}}", 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *csv = sm_write_tmp(dir, "o.csv", cases[i].csv, 0);
		char *want = sm_asprintf("%s%s", csv, cases[i].want);
		char *got = sm_load_error(sm_review_load, js);
		assert_non_null(got);
		assert_string_equal(got, want);
		free(got);
		free(want);
		remove(csv);
		free(csv);
	}
	remove(js);
	free(js);
	remove(dir);
	free(dir);
}

/* Nesting and length limits. */
static void test_json_limits(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_puts(&b, "{\"notes\": ");
	for (int i = 0; i < 600; i++)
		sm_buf_putc(&b, '[');
	char *path = sm_write_tmp(dir, "deep.json", b.data, b.len);
	char *got = sm_load_error(sm_review_load, path);
	char *want = sm_asprintf("%s:1:522: nesting deeper than 512 levels; expected a flatter "
				 "document", path);
	assert_string_equal(got, want);
	free(got);
	free(want);
	remove(path);
	free(path);
	sm_buf_reset(&b);
	sm_buf_puts(&b, PRE "\"studies\": [{\"id\": \"a\", \"label\": \"");
	for (int i = 0; i < 1001; i++)
		sm_buf_putc(&b, 'x');
	sm_buf_puts(&b, "\"}]}");
	path = sm_write_tmp(dir, "long.json", b.data, b.len);
	got = sm_load_error(sm_review_load, path);
	want = sm_asprintf("%s:1:96: field 'studies[0].label': text too long (1001 bytes); "
			   "expected at most 1000 bytes", path);
	assert_string_equal(got, want);
	free(got);
	free(want);
	remove(path);
	free(path);
	sm_buf_release(&b);
	remove(dir);
	free(dir);
}

/* A minimal review padded with blanks to `size` bytes. */
static char *review_of_size(size_t size)
{
	static const char head[] = PRE "\"studies\": []}";
	assert_true(size >= sizeof head - 1);
	char *text = malloc(size + 1);
	assert_non_null(text);
	memcpy(text, head, sizeof head - 1);
	memset(text + sizeof head - 1, ' ', size - (sizeof head - 1));
	text[size] = '\0';
	return text;
}

/* A review JSON of exactly SM_MAX_JSON_BYTES loads; one byte more is an
 * error that points to CSV for big outcome tables, whether the file is
 * named .json, sniffed, or parsed from memory. */
static void test_json_size_limit(void **state)
{
	(void)state;
	char *dir = sm_tmpdir();
	char *text = review_of_size(SM_MAX_JSON_BYTES + 1);
	char *path = sm_write_tmp(dir, "max.json", text, SM_MAX_JSON_BYTES);
	struct sm_review *r = load_ok(path);
	assert_string_equal(r->id, "r");
	sm_review_free(r);
	remove(path);
	free(path);
	static const char *const names[] = { "over.json", "over" };
	for (int i = 0; i < 2; i++) {
		path = sm_write_tmp(dir, names[i], text, SM_MAX_JSON_BYTES + 1);
		char *got = sm_load_error(sm_review_load_any, path);
		char *want = sm_asprintf("%s: file too large; expected at most 16 MiB for a review "
					 "JSON (put larger outcome tables in a CSV file: "
					 "\"outcomes\": {\"csv\": \"FILE\"})", path);
		assert_string_equal(got, want);
		free(got);
		free(want);
		remove(path);
		free(path);
	}
	struct sm_ctx *ctx = sm_ctx_new();
	assert_null(sm_review_parse(ctx, "mem.json", text, SM_MAX_JSON_BYTES + 1));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "at most 16 MiB for a review JSON"));
	sm_ctx_free(ctx);
	free(text);
	remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_example),
		cmocka_unit_test(test_data_files),
		cmocka_unit_test(test_outcome_forms),
		cmocka_unit_test(test_numeric_characteristics),
		cmocka_unit_test(test_structure_settings),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_outcome_errors),
		cmocka_unit_test(test_extra_errors),
		cmocka_unit_test(test_review_csv_errors),
		cmocka_unit_test(test_json_limits),
		cmocka_unit_test(test_json_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
