/*
 * sm_buf.h -- a growable, always NUL-terminated byte buffer, plus the
 * allocation helpers the rest of safemeta uses.
 *
 * Ownership: sm_buf_init() on an embedded struct, sm_buf_release() frees the
 * contents; sm_buf_take() hands the string to the caller (free() it) and
 * leaves the buffer empty.  Allocation failure is sticky: once a write fails,
 * `failed` is set and further writes are ignored, so callers check once.
 */
#ifndef SM_BUF_H
#define SM_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sm_buf {
	char *data; /* NUL-terminated when len > 0 or after any write */
	size_t len;
	size_t cap;
	int failed;
};

void sm_buf_init(struct sm_buf *b);
void sm_buf_release(struct sm_buf *b);
void sm_buf_reset(struct sm_buf *b); /* length 0, keeps the allocation */
/* Removes the first n bytes (all when n >= len), keeps the allocation. */
void sm_buf_drop_front(struct sm_buf *b, size_t n);
void sm_buf_append(struct sm_buf *b, const void *data, size_t len);
void sm_buf_puts(struct sm_buf *b, const char *s);
void sm_buf_putc(struct sm_buf *b, char c);
void sm_buf_printf(struct sm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sm_buf_vprintf(struct sm_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Returns the string (never NULL unless allocation failed) and empties b. */
char *sm_buf_take(struct sm_buf *b);

/* Newly allocated formatted string, NULL on allocation failure. */
char *sm_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sm_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Overflow-checked array allocation: NULL when n * size overflows or on
 * failure.  Zero-filled. */
void *sm_alloc_array(size_t n, size_t size);
void *sm_realloc_array(void *p, size_t n, size_t size);

/* Read a whole file into a NUL-terminated buffer.  Returns 0 on success,
 * -1 with errno set otherwise.  max_bytes bounds the size (0 = no bound);
 * a larger file fails with errno = EFBIG.  Reads regular files and pipes
 * (opened without waiting for a writer); a directory fails with EISDIR, a
 * device or socket with EINVAL. */
int sm_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len);

#endif
