#include "sm_test.h"

#include "sm_buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int sm_check_close_at(double got, double want, double rel, double abs_tol,
		      const char *file, int line, const char *fmt, ...)
{
	if (isnan(got) && isnan(want))
		return 1;
	if (isinf(want) && got == want)
		return 1;
	double tol = fmax(rel * fabs(want), abs_tol);
	if (fabs(got - want) <= tol)
		return 1;
	va_list ap;
	va_start(ap, fmt);
	char *what = sm_vasprintf(fmt, ap);
	va_end(ap);
	print_error("%s:%d: %s: got %.17g expected %.17g (rel %g, abs %g)\n",
		    file, line, what ? what : "?", got, want, rel, abs_tol);
	free(what);
	_fail(file, line);
	return 0;
}

char *sm_test_path(const char *relative)
{
	const char *home = getenv("SAFEMETA_HOME");
	return sm_asprintf("%s/%s", home ? home : ".", relative);
}

/* noinline: inlined, gcc's dangling-pointer analysis takes the returned
 * buffer for the address of the local `data` and rejects its callers. */
__attribute__((noinline)) char *sm_test_slurp(const char *path)
{
	char *data = NULL;
	if (sm_read_file(path, 0, &data, NULL) != 0) {
		print_error("cannot read %s\n", path);
		fail();
	}
	return data;
}

const char *sm_test_bin(void)
{
	const char *bin = getenv("SAFEMETA_BIN");
	return bin ? bin : "build/safemeta";
}

static char *slurp_or_empty(const char *path)
{
	char *data = NULL;
	if (sm_read_file(path, 0, &data, NULL) != 0)
		data = strdup("");
	return data;
}

int sm_test_run(const char *cmd, char **out, char **err)
{
	char out_path[] = "/tmp/sm_test_out_XXXXXX";
	char err_path[] = "/tmp/sm_test_err_XXXXXX";
	int fo = mkstemp(out_path), fe = mkstemp(err_path);
	if (fo < 0 || fe < 0)
		return -1;
	close(fo);
	close(fe);
	char *full = sm_asprintf("%s >%s 2>%s", cmd, out_path, err_path);
	int status = system(full);
	free(full);
	if (out)
		*out = slurp_or_empty(out_path);
	if (err)
		*err = slurp_or_empty(err_path);
	unlink(out_path);
	unlink(err_path);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

void sm_test_readme_block(const char *begin, const char *end, const char *want,
			  const char *what)
{
	char *path = sm_test_path("README.md");
	char *readme = sm_test_slurp(path);
	const char *bp = strstr(readme, begin), *ep = bp ? strstr(bp, end) : NULL;
	if (!ep)
		print_error("README.md has no block %s ... %s\n", begin, end);
	assert_non_null(ep);
	size_t from = (size_t)(bp - readme) + strlen(begin), to = (size_t)(ep - readme);
	size_t have = to - from;
	int same = have == strlen(want) && !memcmp(readme + from, want, have);
	if (!same && getenv("SM_WRITE_README")) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fwrite(readme, 1, from, f);
		fputs(want, f);
		fputs(readme + to, f);
		assert_int_equal(fclose(f), 0);
		print_message("README.md: %s rewritten\n", what);
		same = 1;
	}
	if (!same)
		print_error("README.md's block %s differs from %s; run with SM_WRITE_README=1 "
			    "to rewrite it\n", begin, what);
	assert_true(same);
	free(readme);
	free(path);
}

void sm_test_same_bytes(const char *want, const char *got, const char *what)
{
	if (!strcmp(want, got))
		return;
	size_t i = 0;
	while (want[i] && want[i] == got[i])
		i++;
	size_t from = i > 60 ? i - 60 : 0;
	print_error("%s: streamed output differs at byte %zu:\n  tree:   %.120s\n"
		    "  stream: %.120s\n", what, i, want + from, got + from);
	fail();
}
