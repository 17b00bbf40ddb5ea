/* Tests of atomic output: complete files or nothing, safe names. */
#include "sm_test.h"

#include "sm_atomic.h"
#include "sm_buf.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/sm_atomic_XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return strdup(dir);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void write_replaces_whole_file(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_tmpdir();
	char *path = sm_asprintf("%s/out.json", dir);
	assert_int_equal(sm_atomic_write(ctx, path, "first", 5), SM_OK);
	assert_int_equal(sm_atomic_write(ctx, path, "second!", 7), SM_OK);
	char *data = sm_test_slurp(path);
	assert_string_equal(data, "second!");
	assert_int_equal(count_entries(dir), 1);
	free(data);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	sm_ctx_free(ctx);
}

static void abort_keeps_previous_output(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_tmpdir();
	char *path = sm_asprintf("%s/fig.pdf", dir);
	assert_int_equal(sm_atomic_write(ctx, path, "old", 3), SM_OK);
	struct sm_atomic *af = sm_atomic_open(ctx, path);
	assert_non_null(af);
	fputs("half-written", sm_atomic_stream(af));
	sm_atomic_abort(af);
	char *data = sm_test_slurp(path);
	assert_string_equal(data, "old");
	assert_int_equal(count_entries(dir), 1);
	free(data);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	sm_ctx_free(ctx);
}

static void unwritable_folder_is_an_output_error(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	assert_int_equal(sm_atomic_write(ctx, "/nonexistent-dir/x/out.json", "x", 1), SM_EOUTPUT);
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EOUTPUT);
	assert_string_equal(d->file, "/nonexistent-dir/x/out.json");
	assert_non_null(strstr(d->msg, "cannot create output file"));
	sm_ctx_free(ctx);
}

static void folder_as_output_fails_before_writing(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_tmpdir();
	assert_null(sm_atomic_open(ctx, dir));
	const struct sm_diag *d = sm_ctx_error(ctx);
	assert_non_null(d);
	assert_int_equal(d->code, SM_EOUTPUT);
	assert_string_equal(d->msg, "output is a folder; expected a file name");
	assert_int_equal(count_entries(dir), 0);
	rmdir(dir);
	free(dir);
	sm_ctx_free(ctx);
}

/* -o /dev/stdout (a pipe, a device) must be written through, never replaced
 * by a regular file, which root could do.  A FIFO of our own stands in for
 * the device, so that a broken sm_atomic cannot damage the system. */
static void pipe_is_written_in_place(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_tmpdir();
	char *fifo = sm_asprintf("%s/pipe", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int rd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so a writer may open */
	assert_true(rd >= 0);
	assert_int_equal(sm_atomic_write(ctx, fifo, "abc", 3), SM_OK);
	struct stat st;
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	char got[8] = { 0 };
	assert_int_equal(read(rd, got, sizeof got), 3);
	assert_string_equal(got, "abc");
	sm_atomic_abort(sm_atomic_open(ctx, fifo));
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(count_entries(dir), 1);
	close(rd);
	unlink(fifo);
	rmdir(dir);
	free(fifo);
	free(dir);
	sm_ctx_free(ctx);
}

/* A link (e.g. /dev/stdout when stdout is a file) stays a link. */
static void symlink_target_is_replaced(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_tmpdir();
	char *target = sm_asprintf("%s/target.json", dir);
	char *link = sm_asprintf("%s/link.json", dir);
	assert_int_equal(sm_atomic_write(ctx, target, "old", 3), SM_OK);
	assert_int_equal(symlink("target.json", link), 0);
	assert_int_equal(sm_atomic_write(ctx, link, "new", 3), SM_OK);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	char *data = sm_test_slurp(target);
	assert_string_equal(data, "new");
	assert_int_equal(count_entries(dir), 2);
	free(data);
	unlink(link);
	unlink(target);
	rmdir(dir);
	free(link);
	free(target);
	free(dir);
	sm_ctx_free(ctx);
}

static void mkdir_p_creates_parents(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_tmpdir();
	char *deep = sm_asprintf("%s/a/b/c", dir);
	assert_int_equal(sm_mkdir_p(ctx, deep), SM_OK);
	struct stat st;
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(sm_mkdir_p(ctx, deep), SM_OK); /* idempotent */
	char *cmd = sm_asprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(deep);
	free(dir);
	sm_ctx_free(ctx);
}

static void safe_filename_never_escapes(void **state)
{
	(void)state;
	const char *cases[][2] = {
		{ "../../x", "x" },
		{ "..", "unnamed" },
		{ "/etc/passwd", "etc-passwd" },
		{ "Nervous system disorder", "Nervous-system-disorder" },
		{ "Álvaro-Gracia, 2017", "lvaro-Gracia-2017" },
		{ ".hidden", "hidden" },
		{ "", "unnamed" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = sm_safe_filename(cases[i][0], 64);
		assert_string_equal(s, cases[i][1]);
		assert_null(strchr(s, '/'));
		free(s);
	}
	char *long_name = sm_safe_filename("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 10);
	assert_int_equal(strlen(long_name), 10);
	free(long_name);
}

/* The umask is never read or changed (the bundle's workers create files and
 * folders at the same time): a new file gets 0666 less the umask, a
 * replaced one keeps its mode.  Reproduced before: umask(0) for a moment
 * left files of other threads at 0666 and folders at 0777. */
struct umask_race {
	const char *dir;
	int bad;
};

static void *make_folders(void *arg)
{
	struct umask_race *r = arg;
	for (int i = 0; i < 300; i++) {
		char *d = sm_asprintf("%s/d%d", r->dir, i);
		struct stat st;
		if (mkdir(d, 0777) == 0 && stat(d, &st) == 0 && (st.st_mode & 0777) != 0700)
			r->bad = 1;
		rmdir(d);
		free(d);
	}
	return NULL;
}

static void umask_is_left_alone(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	mode_t old = umask(077);
	struct umask_race race = { dir, 0 };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, make_folders, &race), 0);
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_asprintf("%s/out.txt", dir);
	for (int i = 0; i < 300; i++)
		assert_int_equal(sm_atomic_write(ctx, path, "x", 1), SM_OK);
	pthread_join(t, NULL);
	assert_false(race.bad);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a replaced file keeps its mode, whatever the umask */
	assert_int_equal(chmod(path, 0640), 0);
	umask(022);
	assert_int_equal(sm_atomic_write(ctx, path, "yy", 2), SM_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(umask(old), 022);
	unlink(path);
	free(path);
	sm_ctx_free(ctx);
	rmdir(dir);
	free(dir);
}

/* A temporary's suffix is six of a-z0-9, which sm_tmp_name_is takes as
 * one, and random: 50 draws of 36^6 are never all one. */
static void tmp_suffix_is_a_temporary_name(void **state)
{
	(void)state;
	char first[7], name[32];
	assert_int_equal(sm_tmp_suffix(first), 0);
	assert_int_equal(strlen(first), 6);
	int differ = 0;
	for (int i = 0; i < 50; i++) {
		char s[7];
		assert_int_equal(sm_tmp_suffix(s), 0);
		snprintf(name, sizeof name, "f.png.tmp.%s", s);
		assert_true(sm_tmp_name_is(name, "f.png.tmp."));
		differ |= strcmp(s, first) != 0;
	}
	assert_true(differ);
	assert_false(sm_tmp_name_is("f.png.tmp.ABCDEF", "f.png.tmp."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_replaces_whole_file),
		cmocka_unit_test(abort_keeps_previous_output),
		cmocka_unit_test(unwritable_folder_is_an_output_error),
		cmocka_unit_test(folder_as_output_fails_before_writing),
		cmocka_unit_test(pipe_is_written_in_place),
		cmocka_unit_test(symlink_target_is_replaced),
		cmocka_unit_test(mkdir_p_creates_parents),
		cmocka_unit_test(safe_filename_never_escapes),
		cmocka_unit_test(umask_is_left_alone),
		cmocka_unit_test(tmp_suffix_is_a_temporary_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
