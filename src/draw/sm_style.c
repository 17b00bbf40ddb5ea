#include "sm_style.h"

#include "sm_buf.h"
#include "sm_canvas.h"
#include "sm_textfile.h"

#include <cjson/cJSON.h>
#include <glib.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum key_kind { K_STR, K_SIZE, K_LINE, K_RGB, K_DEC, K_LEN, K_FACTOR, K_BOOL, K_FILES };

struct style_key {
	const char *section;
	const char *key;
	enum key_kind kind;
	size_t off;
};

#define KEY(s, k, kind, f) { s, k, kind, offsetof(struct sm_style, f) }

static const struct style_key keys[] = {
	KEY("font", "family", K_STR, family),
	KEY("font", "fallback", K_STR, fallback),
	KEY("font", "file", K_FILES, font_files),
	KEY("font", "size", K_SIZE, size),
	KEY("font", "small", K_SIZE, small),
	KEY("font", "title", K_SIZE, title),
	KEY("font", "min", K_SIZE, min_size),
	KEY("lines", "ci", K_LINE, lw_ci),
	KEY("lines", "axis", K_LINE, lw_axis),
	KEY("lines", "null", K_LINE, lw_null),
	KEY("lines", "rule", K_LINE, lw_rule),
	KEY("lines", "diamond", K_LINE, lw_diamond),
	KEY("lines", "pi", K_LINE, lw_pi),
	KEY("lines", "funnel_region", K_LINE, lw_funnel_region),
	KEY("lines", "funnel_estimate", K_LINE, lw_funnel_estimate),
	KEY("lines", "funnel_egger", K_LINE, lw_funnel_egger),
	KEY("lines", "marker", K_LINE, lw_marker),
	KEY("lines", "marker_imputed", K_LINE, lw_marker_imputed),
	KEY("lines", "swatch", K_LINE, lw_swatch),
	KEY("colours", "text", K_RGB, c_text),
	KEY("colours", "muted", K_RGB, c_muted),
	KEY("colours", "square", K_RGB, c_square),
	KEY("colours", "ci", K_RGB, c_ci),
	KEY("colours", "diamond", K_RGB, c_diamond),
	KEY("colours", "diamond_line", K_RGB, c_diamond_line),
	KEY("colours", "pi", K_RGB, c_pi),
	KEY("colours", "null", K_RGB, c_null),
	KEY("colours", "rule", K_RGB, c_rule),
	KEY("colours", "rob_low", K_RGB, c_rob[0]),
	KEY("colours", "rob_unclear", K_RGB, c_rob[1]),
	KEY("colours", "rob_some", K_RGB, c_rob[2]),
	KEY("colours", "rob_high", K_RGB, c_rob[3]),
	KEY("colours", "rob_critical", K_RGB, c_rob[4]),
	KEY("colours", "rob_noinfo", K_RGB, c_rob[5]),
	KEY("colours", "prisma_header", K_RGB, c_prisma_header),
	KEY("colours", "prisma_stage", K_RGB, c_prisma_stage),
	KEY("colours", "contour_p10", K_RGB, c_contour[0]),
	KEY("colours", "contour_p05", K_RGB, c_contour[1]),
	KEY("colours", "contour_p01", K_RGB, c_contour[2]),
	KEY("colours", "greyscale", K_BOOL, greyscale),
	KEY("decimals", "effect", K_DEC, d_effect),
	KEY("decimals", "weight", K_DEC, d_weight),
	KEY("decimals", "stat", K_DEC, d_stat),
	KEY("decimals", "p", K_DEC, d_p),
	KEY("decimals", "tau2", K_DEC, d_tau2),
	KEY("decimals", "i2", K_DEC, d_i2),
	KEY("headers", "study", K_STR, h_study),
	KEY("headers", "domain", K_STR, h_domain),
	KEY("headers", "events", K_STR, h_events),
	KEY("headers", "total", K_STR, h_total),
	KEY("headers", "weight", K_STR, h_weight),
	KEY("headers", "effect", K_STR, h_effect),
	KEY("headers", "k", K_STR, h_k),
	KEY("headers", "i2", K_STR, h_i2),
	KEY("labels", "arm1", K_STR, arm1),
	KEY("labels", "arm2", K_STR, arm2),
	KEY("labels", "favours_left", K_STR, favours_left),
	KEY("labels", "favours_right", K_STR, favours_right),
	KEY("labels", "total", K_STR, l_total),
	KEY("labels", "subtotal", K_STR, l_subtotal),
	KEY("labels", "total_events", K_STR, l_total_events),
	KEY("labels", "pi", K_STR, l_pi),
	KEY("labels", "excluded", K_STR, l_excluded),
	KEY("layout", "width", K_LEN, width),
	KEY("layout", "margin", K_LEN, margin),
	KEY("layout", "column_gap", K_LEN, col_gap),
	KEY("layout", "graph_min", K_LEN, graph_min),
	KEY("layout", "page_height", K_LEN, page_height),
	KEY("layout", "row_height", K_FACTOR, row_height),
	KEY("layout", "square_max", K_FACTOR, square_max),
	KEY("output", "cmyk", K_BOOL, cmyk),
	KEY("output", "cmyk_profile", K_STR, cmyk_profile),
	KEY("output", "svg_text", K_BOOL, svg_text),
};

#define NKEYS (sizeof keys / sizeof keys[0])

void sm_style_free(struct sm_style *style)
{
	if (!style)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].kind == K_STR || keys[i].kind == K_FILES)
			free(*(char **)((char *)style + keys[i].off));
	free(style->name);
	free(style);
}

const char *sm_style_differs(const struct sm_style *a, const struct sm_style *b)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const struct style_key *k = &keys[i];
		const char *pa = (const char *)a + k->off, *pb = (const char *)b + k->off;
		int same;
		if (k->kind == K_STR || k->kind == K_FILES) {
			const char *x = *(char *const *)pa, *y = *(char *const *)pb;
			same = (!x && !y) || (x && y && !strcmp(x, y));
		} else if (k->kind == K_RGB) {
			const struct sm_rgb *x = (const void *)pa, *y = (const void *)pb;
			same = x->r == y->r && x->g == y->g && x->b == y->b;
		} else if (k->kind == K_DEC || k->kind == K_BOOL) {
			same = *(const int *)pa == *(const int *)pb;
		} else {
			same = fabs(*(const double *)pa - *(const double *)pb) <= 1e-9;
		}
		if (!same)
			return k->key;
	}
	return NULL;
}

static const struct style_key *find_key(const char *section, const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
			return &keys[i];
	return NULL;
}

static int set_str(struct sm_style *s, const struct style_key *k, const char *value)
{
	char **slot = (char **)((char *)s + k->off);
	free(*slot);
	*slot = strdup(value);
	return *slot != NULL;
}

static struct sm_rgb rgb(unsigned hex)
{
	struct sm_rgb c = { ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
			    (hex & 255) / 255.0 };
	return c;
}

double sm_rgb_luma(struct sm_rgb c)
{
	return 255 * (0.299 * c.r + 0.587 * c.g + 0.114 * c.b);
}

struct sm_rgb sm_rgb_grey(struct sm_rgb c)
{
	/* Rounded to a whole level, so that a raster holds exact greys. */
	double v = round(sm_rgb_luma(c)) / 255;
	return (struct sm_rgb){ v, v, v };
}

/* Lumas (Rec. 601) spaced at least SM_STYLE_MIN_LUMA_GAP apart: critical 31,
 * high 77, low 122, no information 168, unclear and some concerns 213
 * (never in one tool together).  Greens, yellows and reds as readers
 * expect them, darker or lighter than the Okabe-Ito pair they replace
 * (green 106 and vermillion 119 were one grey in print). */
static const unsigned rob_hex[SM_STYLE_NROB] = { 0x1FA879, 0xF0E442, 0xF0E442, 0xB0241B,
						 0x4D0B0B, 0xA8A8A8 };

struct sm_rgb sm_style_rob_default(int level)
{
	return rgb(rob_hex[level >= 0 && level < SM_STYLE_NROB ? level : SM_STYLE_NROB - 1]);
}

static int default_strings(struct sm_style *s)
{
	static const char *const defs[][3] = {
		{ "font", "family", "Liberation Sans" },
		{ "font", "fallback", "DejaVu Sans, Noto Sans CJK SC" },
		{ "headers", "study", "Study" }, { "headers", "domain", "Domain" },
		{ "headers", "events", "Events" }, { "headers", "total", "Total" },
		{ "headers", "weight", "Weight" },
		{ "headers", "effect", "{measure} [{level}% CI]" }, { "headers", "k", "k" },
		{ "headers", "i2", "I\xc2\xb2" }, { "labels", "arm1", "Treatment" },
		{ "labels", "arm2", "Control" },
		{ "labels", "favours_left", "Favours {arm1}" },
		{ "labels", "favours_right", "Favours {arm2}" },
		{ "labels", "total", "Total ({level}% CI)" },
		{ "labels", "subtotal", "Subtotal ({level}% CI)" },
		{ "labels", "total_events", "Total events" },
		{ "labels", "pi", "Prediction interval" },
		{ "labels", "excluded", "Not estimable" },
		{ "output", "cmyk_profile", SM_CANVAS_CMYK_PROFILE },
	};
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		if (!set_str(s, find_key(defs[i][0], defs[i][1]), defs[i][2]))
			return 0;
	return (s->name = strdup("default")) != NULL;
}

struct sm_style *sm_style_defaults(struct sm_ctx *ctx)
{
	struct sm_style *s = calloc(1, sizeof *s);
	if (!s || !default_strings(s)) {
		sm_style_free(s);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	s->size = 8, s->small = 7, s->title = 9, s->min_size = 6;
	s->lw_ci = 0.6, s->lw_axis = 0.5, s->lw_null = 0.5, s->lw_rule = 0.4;
	s->lw_diamond = 0.5, s->lw_pi = 1.2;
	s->lw_funnel_region = 0.6, s->lw_funnel_estimate = 0.8, s->lw_funnel_egger = 0.9;
	s->lw_marker = 0.4, s->lw_marker_imputed = 0.6, s->lw_swatch = 0.3;
	/* Okabe-Ito blue and orange: safe for colour-blind readers, and two
	 * distinct greys when printed without colour (luma 87 and 162; the
	 * vermillion, 119, came out one grey with the blue). */
	s->c_text = rgb(0x000000), s->c_muted = rgb(0x595959);
	s->c_square = rgb(0x0072B2), s->c_ci = rgb(0x000000);
	s->c_diamond = rgb(0xE69F00), s->c_diamond_line = rgb(0x000000);
	s->c_pi = rgb(0x000000), s->c_null = rgb(0x7F7F7F), s->c_rule = rgb(0x000000);
	for (int i = 0; i < SM_STYLE_NROB; i++)
		s->c_rob[i] = rgb(rob_hex[i]);
	/* PRISMA header 210 and stage bars 167 in luma, against white boxes;
	 * funnel contours 115, 158, 200 against the white P > 0.10 region. */
	s->c_prisma_header = rgb(0xF2D27A), s->c_prisma_stage = rgb(0x8AABDD);
	s->c_contour[0] = rgb(0x737373), s->c_contour[1] = rgb(0x9E9E9E);
	s->c_contour[2] = rgb(0xC8C8C8);
	s->d_effect = 2, s->d_weight = 1, s->d_stat = 2, s->d_p = 2;
	s->d_tau2 = 2, s->d_i2 = 0;
	s->width = 175 * SM_PT_PER_MM, s->margin = 2 * SM_PT_PER_MM;
	s->col_gap = 3 * SM_PT_PER_MM, s->graph_min = 30 * SM_PT_PER_MM;
	s->page_height = 250 * SM_PT_PER_MM;
	s->row_height = 1.45, s->square_max = 0.8;
	return s;
}

/* A length without an upper bound; the callers bound it. */
static sm_status parse_length(struct sm_ctx *ctx, const char *text, double *pt)
{
	static const struct { const char *name; double mm; } presets[] = {
		{ "single", 85 }, { "onehalf", 120 }, { "double", 175 },
	};
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(text, presets[i].name)) {
			*pt = presets[i].mm * SM_PT_PER_MM;
			return SM_OK;
		}
	static const struct { const char *unit; double pt; } units[] = {
		{ "mm", SM_PT_PER_MM }, { "cm", 10 * SM_PT_PER_MM }, { "in", 72 }, { "pt", 1 },
	};
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	for (size_t i = 0; errno == 0 && end != text && i < 4; i++)
		if (!strcmp(end, units[i].unit) && v >= 0 && isfinite(v)) {
			*pt = v * units[i].pt;
			return SM_OK;
		}
	return SM_FAIL(ctx, SM_EINPUT, "bad length \"%s\"; expected a number with "
		       "mm, cm, in or pt (e.g. 150mm) or single, onehalf, double", text);
}

sm_status sm_style_length(struct sm_ctx *ctx, const char *text, double *pt)
{
	sm_status s = parse_length(ctx, text, pt);
	if (s == SM_OK && *pt > SM_STYLE_MAX_MM * SM_PT_PER_MM + 1e-9)
		return SM_FAIL(ctx, SM_EINPUT, "length \"%s\" is too long; expected at most "
			       "%.0f mm", text, SM_STYLE_MAX_MM);
	return s;
}

sm_status sm_style_width_check(struct sm_ctx *ctx, double pt, double min_mm)
{
	double mm = pt / SM_PT_PER_MM;
	if (pt < min_mm * SM_PT_PER_MM - 1e-9)
		return SM_FAIL(ctx, SM_EINPUT, "figure width %.0f mm is too narrow; "
			       "expected at least %.0f mm", mm, min_mm);
	if (pt > SM_STYLE_MAX_MM * SM_PT_PER_MM + 1e-9)
		return SM_FAIL(ctx, SM_EINPUT, "figure width %.0f mm is too wide; "
			       "expected at most %.0f mm", mm, SM_STYLE_MAX_MM);
	return SM_OK;
}

sm_status sm_style_width(struct sm_ctx *ctx, const char *text, double min_mm, double *pt)
{
	if (parse_length(ctx, text, pt) != SM_OK)
		return SM_EINPUT;
	return sm_style_width_check(ctx, *pt, min_mm);
}

static int parse_rgb(const char *text, struct sm_rgb *c)
{
	if (strlen(text) != 7 || text[0] != '#' || strspn(text + 1, "0123456789abcdefABCDEF") != 6)
		return 0;
	*c = rgb((unsigned)strtoul(text + 1, NULL, 16));
	return 1;
}

static sm_status bad_value(struct sm_ctx *ctx, const char *path,
			   const struct style_key *k, const char *expected)
{
	char *field = sm_asprintf("%s.%s", k->section, k->key);
	sm_status s = SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, field,
				  "bad style value; expected %s", expected);
	free(field);
	return s;
}

static sm_status set_number(struct sm_ctx *ctx, const char *path, struct sm_style *s,
			    const struct style_key *k, const cJSON *v)
{
	double *slot = (double *)((char *)s + k->off);
	double x = v->valuedouble;
	if (!cJSON_IsNumber(v))
		return bad_value(ctx, path, k, "a number");
	if (k->kind == K_SIZE && !(x >= 6 && x <= 72))
		return bad_value(ctx, path, k, "a font size from 6 to 72 pt "
				 "(smaller text is illegible in print)");
	if (k->kind == K_LINE && !(x >= 0.1 && x <= 10))
		return bad_value(ctx, path, k, "a line width from 0.1 to 10 pt");
	if (k->kind == K_FACTOR && !(x >= 0.1 && x <= 5))
		return bad_value(ctx, path, k, "a factor from 0.1 to 5");
	if (k->kind == K_DEC) {
		if (!(x >= 0 && x <= 6 && x == floor(x)))
			return bad_value(ctx, path, k, "a whole number of decimals from 0 to 6");
		*(int *)((char *)s + k->off) = (int)x;
		return SM_OK;
	}
	*slot = x;
	return SM_OK;
}

/* A path or a list of paths, kept one per line; a relative path is read
 * from the style file's folder. */
static sm_status set_files(struct sm_ctx *ctx, const char *path, struct sm_style *s,
			   const struct style_key *k, const cJSON *v)
{
	struct sm_buf b;
	sm_buf_init(&b);
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) : 1;
	const char *dir = slash ? path : ".";
	int n = 0, ok = cJSON_IsString(v) || cJSON_IsArray(v);
	for (const cJSON *e = cJSON_IsArray(v) ? v->child : v; ok && e;
	     e = cJSON_IsArray(v) ? e->next : NULL) {
		ok = cJSON_IsString(e) && e->valuestring[0] && !strchr(e->valuestring, '\n');
		if (ok && e->valuestring[0] == '/')
			sm_buf_printf(&b, "%s%s", n++ ? "\n" : "", e->valuestring);
		else if (ok)
			sm_buf_printf(&b, "%s%.*s/%s", n++ ? "\n" : "", dir_len, dir,
				      e->valuestring);
	}
	if (!ok || n == 0) {
		sm_buf_release(&b);
		return bad_value(ctx, path, k, "a font file path or a list of them");
	}
	if (b.failed) {
		sm_buf_release(&b);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	char **slot = (char **)((char *)s + k->off);
	free(*slot);
	*slot = sm_buf_take(&b);
	return SM_OK;
}

static sm_status set_value(struct sm_ctx *ctx, const char *path, struct sm_style *s,
			   const struct style_key *k, const cJSON *v)
{
	if (k->kind == K_FILES)
		return set_files(ctx, path, s, k, v);
	if (k->kind == K_BOOL) {
		if (!cJSON_IsBool(v))
			return bad_value(ctx, path, k, "true or false");
		*(int *)((char *)s + k->off) = cJSON_IsTrue(v);
		return SM_OK;
	}
	if (k->kind == K_STR || k->kind == K_RGB || k->kind == K_LEN) {
		if (!cJSON_IsString(v))
			return bad_value(ctx, path, k, "a string");
		if (k->kind == K_STR)
			return set_str(s, k, v->valuestring) ? SM_OK
				: SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		if (k->kind == K_RGB)
			return parse_rgb(v->valuestring, (struct sm_rgb *)((char *)s + k->off))
				? SM_OK : bad_value(ctx, path, k, "a colour like \"#0072B2\"");
		double pt;
		if (sm_style_length(ctx, v->valuestring, &pt) != SM_OK)
			return SM_EINPUT;
		*(double *)((char *)s + k->off) = pt;
		return SM_OK;
	}
	return set_number(ctx, path, s, k, v);
}

static sm_status apply(struct sm_ctx *ctx, const char *path, struct sm_style *s,
		       const cJSON *root)
{
	if (!cJSON_IsObject(root))
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "style is not a JSON object; expected {\"font\": {...}, ...}");
	for (const cJSON *sec = root->child; sec; sec = sec->next) {
		if (!strcmp(sec->string, "name") || !strcmp(sec->string, "description")) {
			if (!cJSON_IsString(sec))
				return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, sec->string,
						   "bad style value; expected a string");
			continue;
		}
		if (!cJSON_IsObject(sec))
			return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, sec->string,
					   "unknown style section; expected font, lines, "
					   "colours, decimals, headers, labels, layout or "
					   "output");
		for (const cJSON *v = sec->child; v; v = v->next) {
			const struct style_key *k = find_key(sec->string, v->string);
			if (!k) {
				char *field = sm_asprintf("%s.%s", sec->string, v->string);
				SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, field, "unknown style key; "
					    "expected a key of templates/default.style.json");
				free(field);
				return SM_EINPUT;
			}
			sm_status st = set_value(ctx, path, s, k, v);
			if (st != SM_OK)
				return st;
		}
	}
	if (s->min_size > s->size || s->min_size > s->small)
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, "font.min",
				   "minimum font size above a text size; expected "
				   "font.min <= font.size and font.small");
	return SM_OK;
}

static char *style_path(struct sm_ctx *ctx, const char *name)
{
	size_t len = strlen(name);
	if (strchr(name, '/') || (len > 5 && !strcmp(name + len - 5, ".json")))
		return strdup(name);
	const char *home = sm_ctx_home(ctx);
	if (!home) {
		SM_FAIL(ctx, SM_EINPUT, "safemeta home folder not set; expected "
			"SAFEMETA_HOME to name the folder holding templates/");
		return NULL;
	}
	return sm_asprintf("%s/templates/%s.style.json", home, name);
}

static sm_status load_file(struct sm_ctx *ctx, const char *path, struct sm_style *s)
{
	char *text = NULL;
	if (sm_textfile_regular(ctx, path) != SM_OK)
		return SM_EINPUT;
	if (sm_read_file(path, 1 << 20, &text, NULL) != 0)
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "cannot read style: %s; expected a style name of "
				   "templates/ (default, journal) or a .json file",
				   strerror(errno));
	const char *err = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &err, 1);
	sm_status st;
	if (!root) {
		st = SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				 "style is not valid JSON near byte %ld; expected JSON",
				 err ? (long)(err - text) : 0L);
	} else {
		st = apply(ctx, path, s, root);
	}
	cJSON_Delete(root);
	free(text);
	return st;
}

struct sm_style *sm_style_load(struct sm_ctx *ctx, const char *name)
{
	if (!name)
		name = "default";
	struct sm_style *s = sm_style_defaults(ctx);
	char *path = s ? style_path(ctx, name) : NULL;
	if (!path || load_file(ctx, path, s) != SM_OK) {
		if (s && !path)
			SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		free(path);
		sm_style_free(s);
		return NULL;
	}
	free(path);
	free(s->name);
	if (!(s->name = strdup(name))) {
		sm_style_free(s);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	return s;
}

sm_status sm_style_font_record(struct sm_ctx *ctx, const char *name, struct sm_buf *out)
{
	struct sm_style *s = sm_style_load(ctx, name);
	if (!s)
		return sm_ctx_status(ctx, SM_EINPUT);
	sm_status st = SM_OK;
	for (char *p = s->font_files, *next; st == SM_OK && p && *p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		char *data = NULL;
		size_t len = 0;
		if (sm_read_file(p, 0, &data, &len) != 0) {
			st = SM_FAIL_POS(ctx, SM_EINPUT, p, 0, 0, "font.file",
					 "cannot read the style's font file: %s; expected a "
					 "readable font", strerror(errno));
			break;
		}
		gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data,
							 len);
		free(data);
		if (!hex) {
			st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			break;
		}
		sm_buf_printf(out, "# font %s  %s\n", hex, p);
		g_free(hex);
	}
	sm_style_free(s);
	return st;
}

char *sm_style_expand(const char *tmpl, const char *arm1, const char *arm2,
		      const char *measure, int level)
{
	struct sm_buf b;
	sm_buf_init(&b);
	for (const char *p = tmpl; *p; p++) {
		if (!strncmp(p, "{arm1}", 6)) {
			sm_buf_puts(&b, arm1);
			p += 5;
		} else if (!strncmp(p, "{arm2}", 6)) {
			sm_buf_puts(&b, arm2);
			p += 5;
		} else if (!strncmp(p, "{measure}", 9)) {
			sm_buf_puts(&b, measure);
			p += 8;
		} else if (!strncmp(p, "{level}", 7)) {
			sm_buf_printf(&b, "%d", level);
			p += 6;
		} else {
			sm_buf_putc(&b, *p);
		}
	}
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}
