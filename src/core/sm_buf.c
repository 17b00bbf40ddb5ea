#include "sm_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sm_buf_init(struct sm_buf *b)
{
	memset(b, 0, sizeof *b);
}

void sm_buf_release(struct sm_buf *b)
{
	free(b->data);
	sm_buf_init(b);
}

void sm_buf_reset(struct sm_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void sm_buf_drop_front(struct sm_buf *b, size_t n)
{
	if (n >= b->len) {
		sm_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n + 1); /* with the NUL */
	b->len -= n;
}

static int buf_reserve(struct sm_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra > SIZE_MAX - b->len - 1) {
		b->failed = 1;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void sm_buf_append(struct sm_buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) != 0)
		return;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void sm_buf_puts(struct sm_buf *b, const char *s)
{
	sm_buf_append(b, s, strlen(s));
}

void sm_buf_putc(struct sm_buf *b, char c)
{
	sm_buf_append(b, &c, 1);
}

void sm_buf_vprintf(struct sm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (buf_reserve(b, (size_t)n) != 0)
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sm_buf_printf(struct sm_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sm_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sm_buf_take(struct sm_buf *b)
{
	if (b->failed) {
		sm_buf_release(b);
		return NULL;
	}
	char *s = b->data ? b->data : strdup("");
	sm_buf_init(b);
	return s;
}

char *sm_vasprintf(const char *fmt, va_list ap)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_buf_vprintf(&b, fmt, ap);
	return sm_buf_take(&b);
}

char *sm_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = sm_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void *sm_alloc_array(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		return calloc(1, 1);
	if (n > SIZE_MAX / size)
		return NULL;
	return calloc(n, size);
}

void *sm_realloc_array(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	size_t bytes = n * size;
	return realloc(p, bytes ? bytes : 1);
}

int sm_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len)
{
	*out = NULL;
	if (out_len)
		*out_len = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (with none, the
	 * read below ends at once); devices are refused (/dev/zero never ends). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	int bad = fstat(fd, &sb) != 0 ? errno : S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode) ? 0 :
		  S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
	if (bad) {
		close(fd);
		errno = bad;
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *f = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ? NULL : fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return -1;
	}
	struct sm_buf b;
	sm_buf_init(&b);
	char chunk[65536];
	size_t n;
	errno = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (max_bytes && b.len + n > max_bytes) {
			fclose(f);
			sm_buf_release(&b);
			errno = EFBIG;
			return -1;
		}
		sm_buf_append(&b, chunk, n);
	}
	int err = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (err || b.failed) {
		sm_buf_release(&b);
		errno = err ? err : ENOMEM;
		return -1;
	}
	size_t len = b.len;
	*out = sm_buf_take(&b);
	if (!*out) {
		errno = ENOMEM;
		return -1;
	}
	if (out_len)
		*out_len = len;
	return 0;
}
