/* Tests of large outputs written with O_DIRECT (src/core/sm_direct.c
 * through sm_atomic_open_large): the same bytes as written, whatever the
 * pieces, the alignment of the caller's buffer or the file system. */
#define _GNU_SOURCE /* O_DIRECT, for the probe */
#include "sm_test.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_direct.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_DIRECT
#define O_DIRECT 0
#endif

#define MIB ((size_t)1 << 20)
/* small, so that the test writes a few MiB, not SM_DIRECT_AFTER's 32 */
#define AFTER MIB

/* Bytes no two offsets of a few MiB share a run of: a wrong, lost or
 * doubled stretch shows. */
static unsigned char *pattern(size_t n)
{
	unsigned char *p = malloc(n + 1);
	assert_non_null(p);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
	return p;
}

/* Whether the folder's file system takes O_DIRECT at all (tmpfs may,
 * FUSE may not): then a large output must have gone direct. */
static int takes_direct(const char *dir)
{
	char *probe = sm_asprintf("%s/probe", dir);
	int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_DIRECT, 0600);
	if (fd >= 0)
		close(fd);
	unlink(probe);
	free(probe);
	return O_DIRECT != 0 && fd >= 0;
}

static void expect_file(const char *path, const unsigned char *want, size_t n)
{
	char *got = NULL;
	size_t len = 0;
	assert_int_equal(sm_read_file(path, 0, &got, &len), 0);
	assert_int_equal(len, n);
	assert_true(n == 0 || memcmp(got, want, n) == 0);
	free(got);
}

/* Writes data[0, n) to dir/out.json through a large atomic output in the
 * given pieces (cycled; from data + skew, so also from a buffer that is
 * not aligned), commits and compares; returns the bytes written direct. */
static long long write_pieces(const char *dir, const unsigned char *data, size_t n,
			      const size_t *pieces, size_t n_pieces, int unbuffered)
{
	struct sm_ctx *ctx = sm_ctx_new();
	char *path = sm_asprintf("%s/out.json", dir);
	struct sm_atomic *af = sm_atomic_open_large(ctx, path, AFTER);
	assert_non_null(af);
	FILE *f = sm_atomic_stream(af);
	if (unbuffered)
		assert_int_equal(setvbuf(f, NULL, _IONBF, 0), 0);
	for (size_t at = 0, i = 0; at < n; i++) {
		size_t k = pieces[i % n_pieces];
		if (k > n - at)
			k = n - at;
		assert_int_equal(fwrite(data + at, 1, k, f), k);
		at += k;
	}
	assert_int_equal(fflush(f), 0);
	long long direct = sm_atomic_direct_bytes(af);
	assert_int_equal(sm_atomic_commit(ctx, af), SM_OK);
	expect_file(path, data, n);
	unlink(path);
	free(path);
	sm_ctx_free(ctx);
	return direct;
}

static char *make_dir(const char *under)
{
	char *tmpl = sm_asprintf("%s/sm_direct_XXXXXX", under);
	assert_non_null(mkdtemp(tmpl));
	return tmpl;
}

/* The streamer's pattern (2 MiB pieces ending at aligned offsets after a
 * short first one) and an awkward one (odd sizes crossing every boundary),
 * buffered and not, with an unaligned tail, an exactly aligned end and no
 * bytes at all. */
static void same_bytes_in(const char *under, int expect_direct)
{
	char *dir = make_dir(under);
	int direct_ok = expect_direct && takes_direct(dir);
	const size_t stream[] = { 2 * MIB - 1000, 2 * MIB };
	const size_t odd[] = { 1, 4095, 3 * MIB + 7, 4096, 13, 2 * MIB + 4096 };
	const size_t sizes[] = { 7 * MIB + 123, /* unaligned tail */
				 8 * MIB,       /* ends on a piece */
				 AFTER + 4096,  /* one block past the threshold */
				 AFTER - 1,     /* never reaches it */
				 0 };
	unsigned char *data = pattern(9 * MIB);
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		size_t n = sizes[s];
		for (int unbuf = 0; unbuf < 2; unbuf++) {
			long long a = write_pieces(dir, data, n, stream, 2, unbuf);
			long long b = write_pieces(dir, data + 1, n, odd, 6, unbuf);
			/* direct only past the threshold, and only whole blocks */
			assert_true(a >= 0 && a <= (long long)(n > AFTER ? n - AFTER : 0));
			assert_true(b >= 0 && b <= (long long)(n > AFTER ? n - AFTER : 0));
			assert_int_equal(a % 4096, 0);
			assert_int_equal(b % 4096, 0);
			if (direct_ok && n >= AFTER + 2 * MIB) {
				assert_true(a > 0);
				assert_true(b > 0);
			}
			if (!expect_direct) {
				assert_int_equal(a, 0);
				assert_int_equal(b, 0);
			}
		}
	}
	free(data);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static void large_output_has_its_bytes(void **state)
{
	(void)state;
	same_bytes_in("/tmp", 1);
}

/* tmpfs (/dev/shm) has no device under it: O_DIRECT is refused there, or
 * taken and buffered all the same (Linux 6.6 and later); either way the
 * bytes are the ones written. */
static void tmpfs_gives_the_same_bytes(void **state)
{
	(void)state;
	struct stat st;
	if (stat("/dev/shm", &st) != 0 || !S_ISDIR(st.st_mode) || access("/dev/shm", W_OK) != 0)
		skip();
	same_bytes_in("/dev/shm", 1);
}

/* A device is written in place, never switched to O_DIRECT. */
static void device_is_never_direct(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	struct sm_atomic *af = sm_atomic_open_large(ctx, "/dev/null", 0);
	assert_non_null(af);
	unsigned char *data = pattern(3 * MIB);
	assert_int_equal(fwrite(data, 1, 3 * MIB, sm_atomic_stream(af)), 3 * MIB);
	assert_int_equal(sm_atomic_direct_bytes(af), 0);
	assert_int_equal(sm_atomic_commit(ctx, af), SM_OK);
	free(data);
	sm_ctx_free(ctx);
}

/* An output given up after going direct leaves the previous file, and no
 * temporary. */
static void abort_after_direct_keeps_previous(void **state)
{
	(void)state;
	struct sm_ctx *ctx = sm_ctx_new();
	char *dir = make_dir("/tmp");
	char *path = sm_asprintf("%s/out.json", dir);
	assert_int_equal(sm_atomic_write(ctx, path, "old", 3), SM_OK);
	struct sm_atomic *af = sm_atomic_open_large(ctx, path, AFTER);
	assert_non_null(af);
	unsigned char *data = pattern(4 * MIB);
	assert_int_equal(fwrite(data, 1, 4 * MIB, sm_atomic_stream(af)), 4 * MIB);
	sm_atomic_abort(af);
	expect_file(path, (const unsigned char *)"old", 3);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0); /* empty: no temporary left */
	free(data);
	free(path);
	free(dir);
	sm_ctx_free(ctx);
}

/* The writer on its own: pieces written at once, so that a write error
 * answers the call whose bytes failed (a descriptor open read-only stands
 * in for a full disk). */
static void write_error_is_the_callers(void **state)
{
	(void)state;
	char *dir = make_dir("/tmp");
	char *path = sm_asprintf("%s/f", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	struct sm_direct *d = sm_direct_new(fd, 0);
	assert_non_null(d);
	unsigned char *data = pattern(2 * MIB + 5);
	assert_int_equal(sm_direct_write(d, data, 2 * MIB + 5), 0);
	/* nothing held back: all of it is in the file now */
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 2 * MIB + 5);
	assert_int_equal(sm_direct_settle(d), 0);
	sm_direct_free(d);
	close(fd);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	d = sm_direct_new(fd, 0);
	assert_int_equal(sm_direct_write(d, data, 2 * MIB), -1);
	assert_int_equal(errno, EBADF);
	/* through the stream: fwrite falls short and the error flag is set
	 * (not a full count with the flag, on which a caller goes on) */
	FILE *f = sm_direct_stream(d);
	assert_non_null(f);
	assert_int_equal(setvbuf(f, NULL, _IONBF, 0), 0);
	errno = 0;
	assert_true(fwrite(data, 1, 2 * MIB, f) < 2 * MIB);
	assert_int_equal(errno, EBADF);
	assert_true(ferror(f));
	fclose(f);
	sm_direct_free(d);
	close(fd);
	expect_file(path, data, 2 * MIB + 5);
	unlink(path);
	rmdir(dir);
	free(data);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(large_output_has_its_bytes),
		cmocka_unit_test(tmpfs_gives_the_same_bytes),
		cmocka_unit_test(device_is_never_direct),
		cmocka_unit_test(abort_after_direct_keeps_previous),
		cmocka_unit_test(write_error_is_the_callers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
