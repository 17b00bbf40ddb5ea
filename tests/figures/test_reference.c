/* Reference images: each figure of tests/figures/ref/cases.txt is drawn
 * by `safemeta render` and compared with its PNG in tests/figures/ref/ as
 * cairo's test suite does (sm_image_cmp.h): the same bytes pass; otherwise
 * no pixel may move a channel by more than TOLERANCE.  On failure the
 * drawn image and a map of the differing pixels are left in ref-out/
 * next to the safemeta binary (build/ref-out/) for a look.  SM_WRITE_REFS=1 rewrites the
 * references instead (then look at every changed image before
 * committing it). */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_image_cmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Anti-aliased edges may differ by a unit or two between pixman builds;
 * a mark that moves by a pixel changes its edge pixels by far more. */
#define TOLERANCE 8

static char *shell_quote(const char *s)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_putc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sm_buf_puts(&b, "'\\''");
		else
			sm_buf_putc(&b, *s);
	}
	sm_buf_putc(&b, '\'');
	return sm_buf_take(&b);
}

/* "forest FILE --analysis Cardiac disorders --dpi 100": options start with
 * "--"; words up to the next option are one value (names hold spaces). */
static char *command_line(const char *args, const char *out)
{
	struct sm_buf cmd;
	sm_buf_init(&cmd);
	sm_buf_printf(&cmd, "%s --quiet render", sm_test_bin());
	const char *p = args;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *end = strstr(p + 1, " --");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		/* an option and its value: the first space splits them */
		const char *space = memchr(p, ' ', n);
		if (p[0] == '-' && p[1] == '-' && space) {
			char *opt = sm_asprintf("%.*s", (int)(space - p), p);
			char *val = sm_asprintf("%.*s", (int)(n - (size_t)(space - p) - 1), space + 1);
			char *q = shell_quote(val);
			sm_buf_printf(&cmd, " %s %s", opt, q);
			free(opt);
			free(val);
			free(q);
		} else {
			char *w = sm_asprintf("%.*s", (int)n, p);
			sm_buf_printf(&cmd, " %s", w);
			free(w);
		}
		p += n;
	}
	char *q = shell_quote(out);
	sm_buf_printf(&cmd, " -o %s", q);
	free(q);
	return sm_buf_take(&cmd);
}

static int check_case(const char *outdir, const char *name, const char *args, int write)
{
	char *ref = sm_asprintf("tests/figures/ref/%s.png", name);
	char *out = sm_asprintf("%s/%s.out.png", outdir, name);
	char *diff = sm_asprintf("%s/%s.diff.png", outdir, name);
	char *cmd = command_line(args, write ? ref : out);
	char *err = NULL;
	int rc = sm_test_run(cmd, NULL, &err);
	int ok = rc == 0;
	if (!ok)
		print_error("%s: `%s` failed (%d): %s\n", name, cmd, rc, err ? err : "");
	if (ok && !write) {
		struct sm_image_diff d;
		ok = sm_image_compare(out, ref, TOLERANCE, diff, &d) == 0 && d.same_size &&
		     d.pixels_over == 0;
		if (!ok)
			print_error("%s: differs from %s: %s, %zu pixels beyond %d (largest channel "
				    "difference %d); see %s and %s\n", name, ref,
				    d.same_size ? "same size" : "different size", d.pixels_over,
				    TOLERANCE, d.max_channel, out, diff);
		else
			remove(out);
	}
	free(err);
	free(cmd);
	free(diff);
	free(out);
	free(ref);
	return ok;
}

static void test_reference_images(void **state)
{
	(void)state;
	int write = getenv("SM_WRITE_REFS") != NULL;
	const char *bin = sm_test_bin();
	const char *slash = strrchr(bin, '/');
	char *outdir = sm_asprintf("%.*s/ref-out", slash ? (int)(slash - bin) : 1,
				   slash ? bin : ".");
	mkdir(outdir, 0777);
	char *list = sm_test_slurp("tests/figures/ref/cases.txt");
	int cases = 0, failed = 0;
	for (char *line = list, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		*tab = 0;
		cases++;
		failed += !check_case(outdir, line, tab + 1, write);
	}
	free(list);
	free(outdir);
	print_message("%d reference images, %d differ\n", cases, failed);
	assert_int_equal(cases, 20);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_images),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
