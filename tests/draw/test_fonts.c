/* Tests of the font map kept in the context: one per context and home,
 * reference counted, released with the context. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_fonts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *home(void)
{
	const char *h = getenv("SAFEMETA_HOME");
	return h ? h : ".";
}

static struct sm_ctx *new_ctx(const char *dir)
{
	struct sm_ctx *ctx = sm_ctx_new();
	assert_non_null(ctx);
	sm_ctx_set_home(ctx, dir);
	return ctx;
}

/* Same context, same home: the same map; another context: its own. */
static void one_map_per_context(void **state)
{
	(void)state;
	struct sm_ctx *a = new_ctx(home()), *b = new_ctx(home());
	struct sm_fonts *a1 = sm_fonts_new_home(a), *a2 = sm_fonts_new_home(a);
	struct sm_fonts *b1 = sm_fonts_new_home(b);
	assert_non_null(a1);
	assert_non_null(b1);
	assert_ptr_equal(a1, a2);
	assert_ptr_equal(sm_fonts_map(a1), sm_fonts_map(a2));
	assert_ptr_not_equal(a1, b1);
	assert_ptr_not_equal(sm_fonts_map(a1), sm_fonts_map(b1));
	/* dropping one reference leaves the other usable */
	sm_fonts_free(a1);
	assert_int_equal(sm_fonts_require(a, a2, "Liberation Sans", 1, 0), SM_OK);
	sm_fonts_free(a2);
	/* the context still holds it: a later figure gets the same map */
	struct sm_fonts *a3 = sm_fonts_new_home(a);
	assert_ptr_equal(a3, a2);
	sm_fonts_free(a3);
	sm_fonts_free(b1);
	sm_ctx_free(a);
	sm_ctx_free(b);
}

/* A caller's reference outlives the context that made the map. */
static void map_outlives_its_context(void **state)
{
	(void)state;
	struct sm_ctx *a = new_ctx(home());
	struct sm_fonts *f = sm_fonts_new_home(a);
	assert_non_null(f);
	sm_ctx_free(a);
	struct sm_ctx *b = new_ctx(home());
	assert_int_equal(sm_fonts_require(b, f, "DejaVu Sans", 0, 0), SM_OK);
	assert_non_null(sm_fonts_map(f));
	sm_fonts_free(f);
	sm_ctx_free(b);
	sm_fonts_free(NULL);
}

/* A new home is a new font folder: the kept map is not reused for it, and
 * a failed load leaves the old one in place and reports the error. */
static void new_home_new_map(void **state)
{
	(void)state;
	char dir[] = "/tmp/sm-test-fonts-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *fonts = sm_asprintf("%s/fonts", dir);
	char *link = sm_asprintf("%s/DejaVuSans.ttf", fonts);
	char *target = sm_asprintf("%s/fonts/DejaVuSans.ttf", home());
	char *abs = realpath(target, NULL);
	assert_non_null(abs);
	assert_int_equal(mkdir(fonts, 0700), 0);
	assert_int_equal(symlink(abs, link), 0);

	struct sm_ctx *ctx = new_ctx(home());
	struct sm_fonts *first = sm_fonts_new_home(ctx);
	assert_non_null(first);
	sm_ctx_set_home(ctx, dir);
	struct sm_fonts *second = sm_fonts_new_home(ctx);
	assert_non_null(second);
	assert_ptr_not_equal(first, second);
	/* the new folder has DejaVu only */
	assert_int_equal(sm_fonts_require(ctx, second, "DejaVu Sans", 0, 0), SM_OK);
	assert_int_equal(sm_fonts_require(ctx, second, "Liberation Sans", 0, 0), SM_EINPUT);
	sm_ctx_clear_error(ctx);
	/* the first map is still the caller's to use and free */
	assert_int_equal(sm_fonts_require(ctx, first, "Liberation Sans", 0, 0), SM_OK);
	sm_fonts_free(first);
	sm_fonts_free(second);

	sm_ctx_set_home(ctx, "/nonexistent");
	assert_null(sm_fonts_new_home(ctx));
	assert_non_null(strstr(sm_ctx_error(ctx)->msg, "font folder"));
	sm_ctx_free(ctx);

	unlink(link);
	rmdir(fonts);
	rmdir(dir);
	free(abs);
	free(target);
	free(link);
	free(fonts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_map_per_context),
		cmocka_unit_test(map_outlives_its_context),
		cmocka_unit_test(new_home_new_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
