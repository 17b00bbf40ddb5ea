#include "sm_fonts.h"

#include "sm_buf.h"

#include <dirent.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

struct sm_fonts {
	FcConfig *config;
	PangoFontMap *map;
	char *dir;   /* canonical path, to check where a match comes from */
	char *asked; /* the folder as asked for, to tell whether a cached map fits */
	char *extra; /* the extra files as asked for (NULL: none), likewise */
	char **files; /* the files loaded from outside dir (canonical paths) */
	size_t nfiles;
	/* The files of external-fonts.txt, loaded on first need only: they are
	 * large (Noto Sans CJK: 40 MB, 30-40 ms to read) and most figures never
	 * draw a character the bundled fonts lack. */
	struct external_font *external;
	size_t nexternal;
	int external_loaded;
	int refs;
};

struct external_font {
	char *path;     /* as listed */
	char *why;      /* what to install when it is missing */
	char *families; /* "A,B" the file provides, as listed; NULL: not said */
};

/* Whose object the context's cache slot holds (only its address counts). */
static const char fonts_cache_key = 'F';

void sm_fonts_free(struct sm_fonts *fonts)
{
	if (!fonts || --fonts->refs > 0)
		return;
	if (fonts->map) {
		/* Fonts and fontsets cached by the map refer back to it; without a
		 * shutdown the map and its FcConfig are never freed. */
		pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(fonts->map));
		/* Pango 1.50 never drops its reference to the configuration. */
		pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts->map), NULL);
		g_object_unref(fonts->map);
	}
	if (fonts->config)
		FcConfigDestroy(fonts->config);
	free(fonts->dir);
	free(fonts->asked);
	free(fonts->extra);
	for (size_t i = 0; i < fonts->nfiles; i++)
		free(fonts->files[i]);
	free(fonts->files);
	for (size_t i = 0; i < fonts->nexternal; i++) {
		free(fonts->external[i].path);
		free(fonts->external[i].why);
		free(fonts->external[i].families);
	}
	free(fonts->external);
	free(fonts);
}

static void release_cached(void *fonts)
{
	sm_fonts_free(fonts);
}

static int is_font_file(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && (!strcasecmp(name + n - 4, ".ttf") || !strcasecmp(name + n - 4, ".otf"));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* File by file, in name order: FcConfigAppFontAddDir would try to write a
 * font cache (and complain on stderr when it cannot). */
static sm_status add_files(struct sm_ctx *ctx, FcConfig *config, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return SM_FAIL(ctx, SM_EINPUT, "cannot read font folder %s: %s", dir,
			       strerror(errno));
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		if (is_font_file(e->d_name) && (names[n] = strdup(e->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	int ok = 1;
	for (size_t i = 0; i < n; i++) {
		char *path = sm_asprintf("%s/%s", dir, names[i]);
		ok = ok && path && FcConfigAppFontAddFile(config, (const FcChar8 *)path);
		free(path);
		free(names[i]);
	}
	if (!ok)
		return SM_FAIL(ctx, SM_EINPUT, "cannot load the fonts of %s; expected "
			       "readable TrueType files", dir);
	return SM_OK;
}

/* One file from outside the folder: it must exist (else `why` says what
 * to install or fix) and load. */
static sm_status add_outside(struct sm_ctx *ctx, struct sm_fonts *f, const char *path,
			     const char *why)
{
	char *real = realpath(path, NULL);
	char **grown = real ? sm_realloc_array(f->files, f->nfiles + 1, sizeof *grown) : NULL;
	if (!real || !grown) {
		int missing = !real;
		free(real);
		if (missing)
			return SM_FAIL(ctx, SM_EINPUT, "font file %s not found: %s; expected %s",
				       path, strerror(errno), why);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	f->files = grown;
	f->files[f->nfiles++] = real;
	if (!FcConfigAppFontAddFile(f->config, (const FcChar8 *)real))
		return SM_FAIL(ctx, SM_EINPUT, "cannot load the font file %s; expected a "
			       "TrueType or OpenType font (.ttf, .otf, .ttc)", path);
	return SM_OK;
}

/* One line "PATH<TAB>PACKAGE[<TAB>FAMILY,FAMILY...]" of external-fonts.txt:
 * the file must exist now (else the error names its package); it is read
 * when first needed (sm_fonts_load_external). */
static sm_status list_external(struct sm_ctx *ctx, struct sm_fonts *f, char *line)
{
	char *package = strchr(line, '\t'), *families = NULL;
	if (package) {
		*package++ = '\0';
		if ((families = strchr(package, '\t')))
			*families++ = '\0';
	}
	char *why = sm_asprintf("the Debian package %s (apt-get install %s, or "
				"bash .ci/install-deps)", package ? package : "that provides it",
				package ? package : "it");
	struct external_font *grown = sm_realloc_array(f->external, f->nexternal + 1,
						       sizeof *grown);
	if (!why || !grown) {
		free(why);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	f->external = grown;
	struct external_font *e = &f->external[f->nexternal++];
	*e = (struct external_font){ strdup(line), why, families ? strdup(families) : NULL };
	if (!e->path || (families && !e->families))
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (access(line, R_OK) != 0)
		return SM_FAIL(ctx, SM_EINPUT, "font file %s not found: %s; expected %s", line,
			       strerror(errno), why);
	return SM_OK;
}

/* The files of DIR/external-fonts.txt, when the folder has that list. */
static sm_status add_external(struct sm_ctx *ctx, struct sm_fonts *f)
{
	char *list = sm_asprintf("%s/external-fonts.txt", f->dir), *text = NULL;
	if (!list)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	int rc = sm_read_file(list, 1 << 16, &text, NULL);
	free(list);
	if (rc != 0)
		return SM_OK; /* a folder without external fonts */
	sm_status st = SM_OK;
	for (char *line = text, *next; st == SM_OK && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] != '#' && line[0] != '\0')
			st = list_external(ctx, f, line);
	}
	free(text);
	return st;
}

sm_status sm_fonts_load_external(struct sm_ctx *ctx, struct sm_fonts *f, int *added)
{
	*added = 0;
	if (f->external_loaded || f->nexternal == 0)
		return SM_OK;
	f->external_loaded = 1;
	for (size_t i = 0; i < f->nexternal; i++) {
		sm_status st = add_outside(ctx, f, f->external[i].path, f->external[i].why);
		if (st != SM_OK)
			return st;
	}
	if (f->map)
		/* the map's fontsets were made without them */
		pango_fc_font_map_config_changed(PANGO_FC_FONT_MAP(f->map));
	*added = 1;
	return SM_OK;
}

int sm_fonts_external_read(const struct sm_fonts *fonts)
{
	return fonts->external_loaded;
}

/* `family` is one of those an external file says it provides. */
static int external_provides(const struct sm_fonts *f, const char *family)
{
	size_t n = strlen(family);
	for (size_t i = 0; i < f->nexternal; i++) {
		for (const char *p = f->external[i].families; p && *p;) {
			size_t len = strcspn(p, ",");
			if (len == n && !strncasecmp(p, family, n))
				return 1;
			p += len + (p[len] == ',');
		}
	}
	return 0;
}

/* A style's own font files, one path a line. */
static sm_status add_extra(struct sm_ctx *ctx, struct sm_fonts *f, const char *extra)
{
	char *copy = strdup(extra);
	if (!copy)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = SM_OK;
	for (char *p = copy, *next; st == SM_OK && p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		if (*p)
			st = add_outside(ctx, f, p, "the font file the style's font.file names");
	}
	free(copy);
	return st;
}

static sm_status load_dir(struct sm_ctx *ctx, struct sm_fonts *f, const char *dir,
			  const char *extra)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return SM_FAIL(ctx, SM_EINPUT, "font folder %s not found; expected the "
			       "bundled fonts/ folder of safemeta (set SAFEMETA_HOME)", dir);
	f->dir = realpath(dir, NULL);
	f->config = FcConfigCreate();
	if (!f->dir || !f->config)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	if (add_files(ctx, f->config, f->dir) != SM_OK)
		return SM_EINPUT;
	FcFontSet *set = FcConfigGetFonts(f->config, FcSetApplication);
	if (!set || set->nfont == 0)
		return SM_FAIL(ctx, SM_EINPUT, "no font files in %s; expected the "
			       "bundled Liberation Sans and DejaVu Sans files", dir);
	sm_status s = add_external(ctx, f);
	if (s == SM_OK && extra)
		s = add_extra(ctx, f, extra);
	if (s != SM_OK)
		return s;
	if (!FcConfigBuildFonts(f->config))
		return SM_FAIL(ctx, SM_EINTERNAL, "cannot build the font list of %s", dir);
	return SM_OK;
}

struct sm_fonts *sm_fonts_new_with(struct sm_ctx *ctx, const char *dir, const char *extra)
{
	struct sm_fonts *f = calloc(1, sizeof *f);
	if (!f || !(f->asked = strdup(dir)) || (extra && !(f->extra = strdup(extra)))) {
		if (f)
			free(f->asked);
		free(f);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	f->refs = 1;
	if (load_dir(ctx, f, dir, extra) != SM_OK) {
		sm_fonts_free(f);
		return NULL;
	}
	f->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	if (!f->map || !PANGO_IS_FC_FONT_MAP(f->map)) {
		SM_FAIL(ctx, SM_EINTERNAL, "pango has no fontconfig font map");
		sm_fonts_free(f);
		return NULL;
	}
	/* The map takes its own reference to the configuration. */
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), f->config);
	return f;
}

struct sm_fonts *sm_fonts_new(struct sm_ctx *ctx, const char *dir)
{
	return sm_fonts_new_with(ctx, dir, NULL);
}

static int same_extra(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

struct sm_fonts *sm_fonts_new_home(struct sm_ctx *ctx)
{
	return sm_fonts_new_home_with(ctx, NULL);
}

/* Fontconfig, Pango and GLib do not survive a failed allocation: fontconfig
 * dereferences NULL, GLib aborts when Pango cannot start one of its threads
 * (each a stack of RLIMIT_STACK, 8 MiB).  So before any of them runs for a
 * figure there must be room for what one figure costs them, measured under
 * `ulimit -v` (SM_FONTS_HEADROOM_MB, README "Exit codes"); when there is
 * not, the run stops here with "out of memory" (exit 4) instead of
 * crashing inside them.  The probe maps the room (address space and, with
 * overcommit off, commit charge) and gives it back at once. */
sm_status sm_fonts_check_headroom(struct sm_ctx *ctx)
{
	size_t size = (size_t)SM_FONTS_HEADROOM_MB << 20;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory: less than %d MiB left for "
			       "the fonts and drawing of a figure; expected more memory "
			       "(ulimit -v, the container's limit)", SM_FONTS_HEADROOM_MB);
	munmap(p, size);
	return SM_OK;
}

struct sm_fonts *sm_fonts_new_home_with(struct sm_ctx *ctx, const char *extra)
{
	if (sm_fonts_check_headroom(ctx) != SM_OK)
		return NULL;
	const char *home = sm_ctx_home(ctx);
	if (!home) {
		SM_FAIL(ctx, SM_EINPUT, "safemeta home folder not set; expected "
			"SAFEMETA_HOME to name the folder holding fonts/");
		return NULL;
	}
	char *dir = sm_asprintf("%s/fonts", home);
	if (!dir) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	struct sm_fonts *f = sm_ctx_cache(ctx, &fonts_cache_key);
	if (f && !strcmp(f->asked, dir) && same_extra(f->extra, extra)) {
		f->refs++;
		free(dir);
		return f;
	}
	f = sm_fonts_new_with(ctx, dir, extra);
	free(dir);
	if (f) {
		f->refs++; /* the context's reference */
		sm_ctx_set_cache(ctx, &fonts_cache_key, f, release_cached);
	}
	return f;
}

PangoFontMap *sm_fonts_map(struct sm_fonts *fonts)
{
	return fonts->map;
}

/* A file of our folder, or one we loaded from outside it. */
static int is_ours(const struct sm_fonts *f, const char *file)
{
	size_t len = strlen(f->dir);
	if (!strncmp(file, f->dir, len) && file[len] == '/')
		return 1;
	for (size_t i = 0; i < f->nfiles; i++)
		if (!strcmp(file, f->files[i]))
			return 1;
	return 0;
}

/* A face of our files whose weight and slant match. */
static int has_face(const struct sm_fonts *f, FcFontSet *fs, int bold, int italic)
{
	for (int i = 0; i < fs->nfont; i++) {
		FcChar8 *file = NULL;
		int weight = 0, slant = 0;
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch ||
		    FcPatternGetInteger(fs->fonts[i], FC_WEIGHT, 0, &weight) != FcResultMatch ||
		    FcPatternGetInteger(fs->fonts[i], FC_SLANT, 0, &slant) != FcResultMatch)
			continue;
		if (!is_ours(f, (const char *)file))
			continue;
		if ((weight >= FC_WEIGHT_BOLD) == bold && (slant != FC_SLANT_ROMAN) == italic)
			return 1;
	}
	return 0;
}

static int has_family(struct sm_ctx *ctx, struct sm_fonts *fonts, const char *family, int bold,
		      int italic, sm_status *st);

sm_status sm_fonts_require(struct sm_ctx *ctx, struct sm_fonts *fonts,
			   const char *family, int bold, int italic)
{
	sm_status st = SM_OK;
	int ok = has_family(ctx, fonts, family, bold, italic, &st);
	/* an external file that says it has the family (regular faces only:
	 * the fallbacks) is trusted until it is read */
	if (!ok && st == SM_OK && !bold && !italic && !fonts->external_loaded &&
	    external_provides(fonts, family))
		return SM_OK;
	int added = 0;
	if (!ok && st == SM_OK && !fonts->external_loaded &&
	    (st = sm_fonts_load_external(ctx, fonts, &added)) == SM_OK && added)
		ok = has_family(ctx, fonts, family, bold, italic, &st);
	if (st != SM_OK)
		return st;
	if (!ok)
		return SM_FAIL(ctx, SM_EINPUT, "font \"%s\"%s%s not found in %s%s; expected "
			       "one of the bundled fonts or a font.file of the style", family,
			       bold ? " bold" : "", italic ? " italic" : "", fonts->dir,
			       fonts->nfiles ? " or its external fonts" : "");
	return SM_OK;
}

/* A face of `family` with that weight and slant among the loaded files. */
static int has_family(struct sm_ctx *ctx, struct sm_fonts *fonts, const char *family, int bold,
		      int italic, sm_status *st)
{
	FcPattern *pat = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_WEIGHT, FC_SLANT, (char *)NULL);
	if (!pat || !os || !FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family)) {
		if (pat)
			FcPatternDestroy(pat);
		if (os)
			FcObjectSetDestroy(os);
		*st = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return 0;
	}
	FcFontSet *fs = FcFontList(fonts->config, pat, os);
	int ok = fs && has_face(fonts, fs, bold, italic);
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	return ok;
}
