/*
 * sm_direct.c -- writes past the page cache once a file is large (see
 * sm_direct.h).
 *
 * Each call writes its bytes in order, in stretches: the ones before
 * `after` and any piece not starting and ending on a block boundary
 * buffered, the aligned ones direct, at most PIECE at a time, copied into
 * an aligned buffer when the caller's is not aligned itself.  Nothing is
 * kept back between calls, so that a write error (a full disk, a file
 * size limit) is the answer to the very call whose bytes failed, as with a
 * plain write(2), and the stdio stream above reports it where it did
 * before.  The results streamer hands over pieces of 2 MiB that end at
 * 2 MiB-aligned offsets, so O_DIRECT is set once, when the first aligned
 * piece past `after` comes, and cleared for the document's last, short
 * piece.
 */
#define _GNU_SOURCE /* O_DIRECT, fopencookie(3), statx(2) */
#include "sm_direct.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* The most one direct write(2) takes: the streamer's piece. */
#define PIECE ((size_t)2 << 20)
/* Offsets, lengths and the buffer are aligned to at least this: the
 * largest logical block size of common devices (4Kn disks); 512-byte
 * devices accept it as well. */
#define MIN_ALIGN ((size_t)4096)

struct sm_direct {
	int fd;
	long long pos;   /* fd's offset: where the next byte goes */
	long long after; /* the first offset that may be written direct */
	size_t align;
	int on;          /* O_DIRECT is set on fd now */
	int refused;     /* O_DIRECT is not to be had: buffered from now on */
	long long direct_bytes;
	char *buf;       /* PIECE bytes aligned to align, made on first use */
};

/* What direct I/O on fd needs aligned, or 0 when the file system says it
 * has none.  statx() tells where the kernel knows (Linux 6.1); otherwise
 * the file's block size when it is a larger power of two than MIN_ALIGN. */
static size_t dio_align(int fd)
{
	size_t a = MIN_ALIGN;
#ifdef STATX_DIOALIGN
	struct statx sx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 &&
	    (sx.stx_mask & STATX_DIOALIGN)) {
		if (sx.stx_dio_offset_align == 0)
			return 0;
		size_t want = sx.stx_dio_offset_align > sx.stx_dio_mem_align
				      ? sx.stx_dio_offset_align
				      : sx.stx_dio_mem_align;
		while (a < want && a < PIECE)
			a *= 2;
		return a >= want ? a : 0;
	}
#endif
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_blksize > 0) {
		size_t b = (size_t)st.st_blksize;
		if (b > a && b <= PIECE && (b & (b - 1)) == 0)
			a = b;
	}
	return a;
}

struct sm_direct *sm_direct_new(int fd, size_t after)
{
	struct sm_direct *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->fd = fd;
#ifdef O_DIRECT
	d->align = dio_align(fd);
#endif
	d->refused = d->align == 0;
	if (!d->refused) {
		size_t a = d->align;
		size_t up = after > SIZE_MAX - a ? SIZE_MAX - SIZE_MAX % a : (after + a - 1) / a * a;
		d->after = up > (size_t)INT64_MAX ? INT64_MAX : (long long)up;
	}
	return d;
}

void sm_direct_free(struct sm_direct *d)
{
	if (!d)
		return;
	free(d->buf);
	free(d);
}

long long sm_direct_bytes(const struct sm_direct *d)
{
	return d->direct_bytes;
}

/* Sets or clears O_DIRECT on d's descriptor alone. */
static int set_direct(struct sm_direct *d, int on)
{
#ifdef O_DIRECT
	int fl = fcntl(d->fd, F_GETFL);
	if (fl < 0)
		return -1;
	int want = on ? fl | O_DIRECT : fl & ~O_DIRECT;
	if (want != fl && fcntl(d->fd, F_SETFL, want) != 0)
		return -1;
#else
	if (on) {
		errno = EINVAL;
		return -1;
	}
#endif
	d->on = on;
	return 0;
}

int sm_direct_settle(struct sm_direct *d)
{
	return d->on ? set_direct(d, 0) : 0;
}

/* n bytes the ordinary way; n, or -1 with errno. */
static ssize_t put_buffered(struct sm_direct *d, const char *p, size_t n)
{
	if (sm_direct_settle(d) != 0)
		return -1;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(d->fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) { /* a regular file that takes nothing is full */
			errno = ENOSPC;
			return -1;
		}
		done += (size_t)w;
		d->pos += w;
	}
	return (ssize_t)n;
}

/* Stops going direct (the file system refused it): the caller writes the
 * same bytes buffered instead. */
static ssize_t refuse(struct sm_direct *d)
{
	d->refused = 1;
	return sm_direct_settle(d) != 0 ? -1 : 0;
}

/* Up to n bytes (a multiple of align, at most PIECE) at an aligned offset
 * with O_DIRECT: how many went (perhaps fewer: the caller goes on with the
 * rest), 0 when O_DIRECT was refused, -1 with errno. */
static ssize_t put_direct(struct sm_direct *d, const char *p, size_t n)
{
	if (!d->buf) {
		void *b = NULL;
		if (posix_memalign(&b, d->align, PIECE) != 0)
			return refuse(d); /* no memory for it: the plain way needs none */
		d->buf = b;
	}
	if (!d->on && set_direct(d, 1) != 0)
		return errno == EINVAL ? refuse(d) : -1;
	const char *src = p;
	if ((uintptr_t)p % d->align) {
		memcpy(d->buf, p, n);
		src = d->buf;
	}
	for (;;) {
		ssize_t w = write(d->fd, src, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EINVAL) /* an alignment the device wants larger */
			return refuse(d);
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		d->pos += w;
		d->direct_bytes += w;
		return w;
	}
}

int sm_direct_write(struct sm_direct *d, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		size_t k = n;
		ssize_t w;
		if (d->refused || d->pos < d->after) {
			if (!d->refused && (unsigned long long)(d->after - d->pos) < k)
				k = (size_t)(d->after - d->pos);
			w = put_buffered(d, p, k);
		} else if ((size_t)d->pos % d->align) { /* the head up to a block boundary */
			size_t to = d->align - (size_t)d->pos % d->align;
			w = put_buffered(d, p, k < to ? k : to);
		} else if (k >= d->align) {
			k -= k % d->align;
			w = put_direct(d, p, k < PIECE ? k : PIECE);
		} else { /* the tail */
			w = put_buffered(d, p, k);
		}
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* On a failure the bytes that did go, fewer than size, and never -1:
 * glibc (2.36) counts a -1 from a cookie as bytes written, so that fwrite
 * would report success with the error flag set, and its caller would go
 * on writing after a full disk; a short count makes fwrite short, as a
 * failing write(2) under an ordinary stream does.  errno stays the
 * write's. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	struct sm_direct *d = cookie;
	if (size > (size_t)SSIZE_MAX)
		size = (size_t)SSIZE_MAX;
	long long before = d->pos;
	if (sm_direct_write(d, buf, size) == 0)
		return (ssize_t)size;
	long long went = d->pos - before;
	return went > 0 && (unsigned long long)went < size ? (ssize_t)went : 0;
}

static int cookie_seek(void *cookie, off64_t *offset, int whence)
{
	struct sm_direct *d = cookie;
	if (sm_direct_settle(d) != 0)
		return -1;
	off_t at = lseek(d->fd, (off_t)*offset, whence);
	if (at < 0)
		return -1;
	*offset = (off64_t)at;
	d->pos = (long long)at;
	return 0;
}

/* The descriptor is the caller's, closed by it. */
static int cookie_close(void *cookie)
{
	return sm_direct_settle(cookie);
}

FILE *sm_direct_stream(struct sm_direct *d)
{
	cookie_io_functions_t io = {
		.read = NULL,
		.write = cookie_write,
		.seek = cookie_seek,
		.close = cookie_close,
	};
	return fopencookie(d, "w", io);
}
