/* The review JSON reader: syntax, top level, metadata and settings. */
#include "sm_review_read.h"

#include "sm_buf.h"
#include "sm_limits.h"
#include "sm_review_parts.h"
#include "sm_textfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const top_keys[] = {
	"safemeta_review", "metadata", "settings", "studies", "outcomes", "prisma",
	"risk_of_bias", "tables", "aggregate_tables", "reported", "grade", "notes", NULL
};
static const char *const metadata_keys[] = {
	"id", "title", "authors", "date", "source", "notes", "extra", NULL
};
static const char *const settings_keys[] = {
	"preset", "measure", "method", "test", "add", "to", "drop00", "level",
	"group_by", "outcome_by", "subgroup_by", "mods", "arm_labels", "outcome_label", "model",
	"cluster", "robust", "aggregate", "glmm", "small_study_min_k", "harm_margin_per_1000", NULL
};
static const char *const presets[] = { "metafor", "revman5", "cochrane2025", NULL };
static const char *const measures[] = {
	"OR", "RR", "RD", "PETO", "PR", "PLO", "PAS", "PFT", "GEN", NULL
};
static const char *const methods[] = {
	"FE", "MH", "PETO", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM", "GLMM", "GLMM-FE", NULL
};
static const char *const glmm_models[] = { "UM.FS", "UM.RS", "CM.EL", "CM.AL", NULL };
static const char *const tests[] = { "z", "knha", NULL };
static const char *const tos[] = { "all", "only0", "if0all", "none", NULL };
static const char *const outcome_bys[] = { "domain", "event", "none", NULL };
static const char *const models[] = { "standard", "multilevel", NULL };
static const char *const robusts[] = { "none", "cr1", "cr2", NULL };

/* Syntax (own scanner, for exact messages), then cJSON for the tree. */
static cJSON *parse(struct sm_jv *v)
{
	size_t off = 0;
	char *msg = NULL;
	int rc = sm_json_scan(v->text, v->len, &off, &msg);
	if (rc == SM_JSON_SCAN_NOMEM) {
		SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	if (rc != 0) {
		sm_textfile_fail(v->ctx, v->file, v->text, v->len, off, NULL, "%s", msg);
		free(msg);
		return NULL;
	}
	size_t bom = sm_textfile_bom(v->text, v->len);
	cJSON *root = cJSON_ParseWithLengthOpts(v->text + bom, v->len - bom, NULL, 0);
	/* The scanner accepted the text, so cJSON (whose error is the same for
	 * bad text and a failed malloc) ran out of memory: see sm_json_scan. */
	if (!root)
		SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	return root;
}

static sm_status read_metadata(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rp)
{
	struct sm_jpath p = JV_KEY(rp, "metadata");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "metadata");
	sm_status s;
	if (!m)
		return sm_jv_missing(v, &p, "expected an object with id and title");
	if ((s = sm_jv_object(v, m, &p)) || (s = sm_jv_keys(v, m, &p, metadata_keys)) ||
	    (s = sm_jv_string(v, m, "id", &p, 1, &v->r->id)) ||
	    (s = sm_jv_string(v, m, "title", &p, 1, &v->r->title)) ||
	    (s = sm_jv_strings(v, m, "authors", &p)) ||
	    (s = sm_jv_string(v, m, "date", &p, 0, NULL)) ||
	    (s = sm_jv_text(v, m, "source", &p, 0)) ||
	    (s = sm_jv_strings(v, m, "notes", &p)))
		return s;
	if (strspn(v->r->id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "0123456789_-") != strlen(v->r->id)) {
		struct sm_jpath k = JV_KEY(&p, "id");
		return sm_jv_bad(v, &k, "expected only letters, digits, '-' and '_'");
	}
	return SM_OK;
}

static sm_status read_arm_labels(struct sm_jv *v, const cJSON *set, const struct sm_jpath *p)
{
	struct sm_jpath k = JV_KEY(p, "arm_labels");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(set, "arm_labels");
	if (!a)
		return SM_OK;
	const char *expected = "expected an array of two strings (treated, control)";
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2)
		return sm_jv_bad(v, &k, expected);
	const char **out = v->r->settings.arm_labels;
	for (int i = 0; i < 2; i++) {
		const cJSON *e = cJSON_GetArrayItem(a, i);
		struct sm_jpath ep = JV_IDX(&k, (size_t)i);
		if (!cJSON_IsString(e))
			return sm_jv_bad(v, &ep, "expected a string");
		if (!(out[i] = sm_review_str(v->r, e->valuestring)))
			return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	}
	return SM_OK;
}

static sm_status read_flags(struct sm_jv *v, const cJSON *set, const struct sm_jpath *p)
{
	struct sm_settings *st = &v->r->settings;
	sm_status s;
	if ((s = sm_jv_number(v, set, "add", p, SM_RULE_FINITE, 0, 0, &st->add)))
		return s;
	st->add_set = !isnan(st->add);
	if (st->add_set && st->add < 0) {
		struct sm_jpath k = JV_KEY(p, "add");
		return sm_jv_bad(v, &k, "expected a number >= 0");
	}
	if ((s = sm_jv_number(v, set, "level", p, SM_RULE_FINITE, 0, 0, &st->level)))
		return s;
	st->level_set = !isnan(st->level);
	if (st->level_set && (st->level <= 0 || st->level >= 100)) {
		struct sm_jpath k = JV_KEY(p, "level");
		return sm_jv_bad(v, &k, "expected a percentage between 0 and 100, e.g. 95");
	}
	if ((s = sm_jv_number(v, set, "harm_margin_per_1000", p, SM_RULE_FINITE, 0, 0,
			      &st->harm_margin_per_1000)))
		return s;
	if (!isnan(st->harm_margin_per_1000) &&
	    !(st->harm_margin_per_1000 > 0 && st->harm_margin_per_1000 <= 1000)) {
		struct sm_jpath k = JV_KEY(p, "harm_margin_per_1000");
		return sm_jv_bad(v, &k, "expected an excess risk per 1000 above 0 and at most 1000");
	}
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(set, "drop00");
	if (d) {
		struct sm_jpath k = JV_KEY(p, "drop00");
		if (!cJSON_IsBool(d))
			return sm_jv_bad(v, &k, "expected true or false");
		st->drop00 = cJSON_IsTrue(d);
		st->drop00_set = 1;
	}
	const cJSON *ag = cJSON_GetObjectItemCaseSensitive(set, "aggregate");
	if (ag) {
		struct sm_jpath k = JV_KEY(p, "aggregate");
		if (!cJSON_IsBool(ag))
			return sm_jv_bad(v, &k, "expected true or false");
		st->aggregate = cJSON_IsTrue(ag);
		st->aggregate_set = 1;
	}
	return SM_OK;
}

/* "small_study_min_k": the fewest studies for which tests of funnel
 * asymmetry are presented (a whole number, at most a million). */
static sm_status read_small_study(struct sm_jv *v, const cJSON *set, const struct sm_jpath *p)
{
	double k = NAN;
	sm_status s = sm_jv_number(v, set, "small_study_min_k", p, SM_RULE_FINITE, 0, 0, &k);
	if (s != SM_OK || isnan(k))
		return s;
	if (k != floor(k) || k < 1 || k > 1e6) {
		struct sm_jpath kp = JV_KEY(p, "small_study_min_k");
		return sm_jv_bad(v, &kp, "expected a whole number of studies from 1 to 1000000");
	}
	v->r->settings.small_study_min_k = (int)k;
	return SM_OK;
}

/* "outcome_by", or its older name "group_by" (not both): the outcome field
 * that separates the analyses. */
static sm_status read_outcome_by(struct sm_jv *v, const cJSON *set, const struct sm_jpath *p)
{
	struct sm_settings *st = &v->r->settings;
	const char *old = NULL;
	sm_status s;
	if ((s = sm_jv_enum(v, set, "outcome_by", p, outcome_bys, &st->outcome_by)) ||
	    (s = sm_jv_enum(v, set, "group_by", p, outcome_bys, &old)))
		return s;
	if (old && st->outcome_by) {
		struct sm_jpath k = JV_KEY(p, "group_by");
		return sm_jv_fail(v, &k, SM_JPOS_KEY, "both outcome_by and its older name group_by "
				  "given; expected one of them");
	}
	if (old)
		st->outcome_by = old;
	return SM_OK;
}

/* "mods": the moderators of a meta-regression, distinct names. */
static sm_status read_mods(struct sm_jv *v, const cJSON *set, const struct sm_jpath *p)
{
	struct sm_jpath k = JV_KEY(p, "mods");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(set, "mods");
	if (!m)
		return SM_OK;
	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) == 0)
		return sm_jv_bad(v, &k, "expected a non-empty array of column names");
	struct sm_settings *st = &v->r->settings;
	size_t n = (size_t)cJSON_GetArraySize(m);
	if (!(st->mods = sm_alloc_array(n, sizeof *st->mods)))
		return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
	size_t i = 0;
	for (const cJSON *e = m->child; e; e = e->next, i++) {
		struct sm_jpath ep = JV_IDX(&k, i);
		if (!cJSON_IsString(e) || !e->valuestring[0])
			return sm_jv_bad(v, &ep, "expected a column name");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(st->mods[j], e->valuestring))
				return sm_jv_fail(v, &ep, SM_JPOS_VALUE, "moderator \"%s\" named "
						  "twice; expected each once", e->valuestring);
		if (!(st->mods[i] = sm_review_str(v->r, e->valuestring)))
			return SM_FAIL(v->ctx, SM_EINTERNAL, "out of memory");
		st->n_mods = i + 1;
	}
	return SM_OK;
}

static sm_status read_settings(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rp)
{
	struct sm_jpath p = JV_KEY(rp, "settings");
	const cJSON *set = cJSON_GetObjectItemCaseSensitive(root, "settings");
	struct sm_settings *st = &v->r->settings;
	st->add = st->level = st->harm_margin_per_1000 = NAN;
	if (!set)
		return SM_OK;
	sm_status s;
	if ((s = sm_jv_object(v, set, &p)) || (s = sm_jv_keys(v, set, &p, settings_keys)) ||
	    (s = sm_jv_enum(v, set, "preset", &p, presets, &st->preset)) ||
	    (s = sm_jv_enum(v, set, "measure", &p, measures, &st->measure)) ||
	    (s = sm_jv_enum(v, set, "method", &p, methods, &st->method)) ||
	    (s = sm_jv_enum(v, set, "test", &p, tests, &st->test)) ||
	    (s = sm_jv_enum(v, set, "glmm", &p, glmm_models, &st->glmm)) ||
	    (s = sm_jv_enum(v, set, "to", &p, tos, &st->to)) ||
	    (s = read_outcome_by(v, set, &p)) ||
	    (s = sm_jv_string(v, set, "subgroup_by", &p, 0, &st->subgroup_by)) ||
	    (s = read_mods(v, set, &p)) ||
	    (s = sm_jv_enum(v, set, "model", &p, models, &st->model)) ||
	    (s = sm_jv_enum(v, set, "robust", &p, robusts, &st->robust)) ||
	    (s = sm_jv_string(v, set, "cluster", &p, 0, &st->cluster)) ||
	    (s = read_flags(v, set, &p)) || (s = read_small_study(v, set, &p)) ||
	    (s = read_arm_labels(v, set, &p)))
		return s;
	return sm_jv_string(v, set, "outcome_label", &p, 0, &st->outcome_label);
}

static sm_status read_version(struct sm_jv *v, const cJSON *root, const struct sm_jpath *rp)
{
	struct sm_jpath p = JV_KEY(rp, "safemeta_review");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "safemeta_review");
	if (!ver)
		return sm_jv_missing(v, &p, "expected the format version 1");
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
		return sm_jv_bad(v, &p, "unsupported format version; expected 1");
	return SM_OK;
}

static sm_status read_root(struct sm_jv *v, cJSON *root)
{
	const struct sm_jpath *rp = NULL;
	sm_status s;
	if (!cJSON_IsObject(root))
		return sm_jv_bad(v, rp, "not a review; expected a JSON object");
	if ((s = sm_jv_keys(v, root, rp, top_keys)) || (s = read_version(v, root, rp)) ||
	    (s = read_metadata(v, root, rp)) || (s = read_settings(v, root, rp)) ||
	    (s = sm_rv_studies(v, root, rp)) || (s = sm_rv_outcomes(v, root, rp)) ||
	    (s = sm_rv_settings_check(v, rp)) || (s = sm_rv_prisma(v, root, rp)) ||
	    (s = sm_rv_risk_of_bias(v, root, rp)) || (s = sm_rv_tables(v, root, rp)) ||
	    (s = sm_rv_aggregate_tables(v, root, rp)) || (s = sm_rv_reported(v, root, rp)) ||
	    (s = sm_rv_grade(v, root, rp)))
		return s;
	v->r->metadata = cJSON_DetachItemFromObjectCaseSensitive(root, "metadata");
	return SM_OK;
}

struct sm_review *sm_rv_load_text(struct sm_ctx *ctx, const char *path, const char *text,
				  size_t len, const struct sm_load_opts *load)
{
	struct sm_review *r = sm_review_new();
	struct sm_jv v = { ctx, path, text, len, r, load };
	cJSON *root = NULL;
	if (!r || !(r->path = sm_review_str(r, path))) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		goto fail;
	}
	root = parse(&v);
	if (!root || read_root(&v, root) != SM_OK)
		goto fail;
	cJSON_Delete(root);
	sm_review_pack(r);
	return r;
fail:
	cJSON_Delete(root);
	sm_review_free(r);
	return NULL;
}

struct sm_review *sm_review_load(struct sm_ctx *ctx, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (sm_textfile_load_max(ctx, path, SM_MAX_JSON_BYTES, SM_RV_JSON_HINT, &text,
				 &len) != SM_OK)
		return NULL;
	struct sm_review *r = sm_rv_load_text(ctx, path, text, len, NULL);
	free(text);
	return r;
}

struct sm_review *sm_review_parse(struct sm_ctx *ctx, const char *path, const char *text,
				  size_t len)
{
	if (sm_textfile_check_max(ctx, path, SM_MAX_JSON_BYTES, SM_RV_JSON_HINT, text,
				  len) != SM_OK)
		return NULL;
	/* the readers rely on a terminating NUL, as sm_textfile_load gives */
	char *copy = malloc(len + 1);
	if (!copy) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	struct sm_review *r = sm_rv_load_text(ctx, path, copy, len, NULL);
	free(copy);
	return r;
}
