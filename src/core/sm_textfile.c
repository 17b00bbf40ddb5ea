#include "sm_textfile.h"

#include "sm_buf.h"
#include "sm_limits.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

/* Length of the valid UTF-8 sequence starting at p, or 0 when invalid.
 * Follows the well-formed byte sequences table of Unicode 15, ch. 3. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F; /* no UTF-16 surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (avail < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

size_t sm_utf8_check(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		/* results and reviews are mostly ASCII: eight bytes at a time
		 * while no byte has its high bit set */
		uint64_t word;
		while (i + 8 <= len && (memcpy(&word, p + i, 8), !(word & 0x8080808080808080u)))
			i += 8;
		if (i < len && p[i] < 0x80) {
			i++;
			continue;
		}
		if (i >= len)
			break;
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

void sm_textfile_linecol(const char *text, size_t len, size_t offset, int *line, int *col)
{
	int l = 1, c = 1;
	if (offset > len)
		offset = len;
	/* A BOM is invisible in editors, so it takes no column. */
	for (size_t i = sm_textfile_bom(text, len); i < offset; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
			l++;
			c = 1;
		} else if (ch != '\r' && (ch & 0xC0) != 0x80) {
			c++; /* continuation bytes do not start a character */
		}
	}
	*line = l;
	*col = c;
}

size_t sm_textfile_bom(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	return len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
}

size_t sm_utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

sm_status sm_textfile_fail(struct sm_ctx *ctx, const char *file, const char *text, size_t len,
		       size_t offset, const char *field, const char *fmt, ...)
{
	if (sm_ctx_error(ctx))
		return SM_EINPUT; /* the first error wins; skip the work */
	int line = 0, col = 0;
	if (offset != (size_t)-1 && text)
		sm_textfile_linecol(text, len, offset, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	char *msg = sm_vasprintf(fmt, ap);
	va_end(ap);
	if (!msg)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	sm_status st = SM_FAIL_POS(ctx, SM_EINPUT, file, line, col, field, "%s", msg);
	free(msg);
	return st;
}

sm_status sm_textfile_too_large(struct sm_ctx *ctx, const char *path, size_t max_bytes,
				const char *hint)
{
	return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
			   "file too large; expected at most %zu MiB%s",
			   max_bytes / (1024 * 1024), hint ? hint : "");
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* A path naming a descriptor already open (a shell pipe: /dev/stdin,
 * /dev/fd/N, process substitution): its pipe has a writer, so reading it
 * ends when the writer does. */
static int is_descriptor_path(const char *path)
{
	return strcmp(path, "/dev/stdin") == 0 || strncmp(path, "/dev/fd/", 8) == 0 ||
	       strncmp(path, "/proc/self/fd/", 14) == 0;
}

sm_status sm_textfile_regular(struct sm_ctx *ctx, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || S_ISREG(sb.st_mode) ||
	    (S_ISFIFO(sb.st_mode) && is_descriptor_path(path)))
		return SM_OK;
	const char *kind = file_kind(sb.st_mode);
	return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL, "%s%s; expected a regular file",
			   strncmp(kind, "a ", 2) == 0 ? "is " : "", kind);
}

sm_status sm_textfile_check_max(struct sm_ctx *ctx, const char *path, size_t max_bytes,
				const char *hint, const char *text, size_t len)
{
	if (len > max_bytes)
		return sm_textfile_too_large(ctx, path, max_bytes, hint);
	const unsigned char *u = (const unsigned char *)text;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "is UTF-16 (byte order mark %02X %02X); expected UTF-8 text "
				   "(save the file as UTF-8)", u[0], u[1]);
	size_t bad = sm_utf8_check(text, len);
	if (bad < len)
		return sm_textfile_fail(ctx, path, text, len, bad, NULL,
					"invalid UTF-8 (byte 0x%02X); expected UTF-8 text",
					(unsigned char)text[bad]);
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return sm_textfile_fail(ctx, path, text, len, (size_t)(nul - text), NULL,
					"NUL byte in text; expected a text file");
	return SM_OK;
}

sm_status sm_textfile_load_max(struct sm_ctx *ctx, const char *path, size_t max_bytes,
			       const char *hint, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	char *buf = NULL;
	size_t n = 0;
	if (sm_textfile_regular(ctx, path) != SM_OK)
		return SM_EINPUT;
	if (sm_read_file(path, max_bytes, &buf, &n) != 0) {
		if (errno == EISDIR || errno == EINVAL)
			return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
					   "%s; expected a regular file",
					   errno == EISDIR ? "is a directory" : "not a regular file");
		if (errno == EFBIG)
			return sm_textfile_too_large(ctx, path, max_bytes, hint);
		if (errno == ENOMEM)
			return SM_FAIL(ctx, SM_EINTERNAL, "out of memory reading %s", path);
		return SM_FAIL_POS(ctx, SM_EINPUT, path, 0, 0, NULL,
				   "cannot read file: %s; expected a readable file",
				   strerror(errno));
	}
	if (sm_textfile_check_max(ctx, path, max_bytes, hint, buf, n) != SM_OK) {
		free(buf);
		return SM_EINPUT;
	}
	*data = buf;
	*len = n;
	return SM_OK;
}

sm_status sm_textfile_check(struct sm_ctx *ctx, const char *path, const char *text, size_t len)
{
	return sm_textfile_check_max(ctx, path, SM_MAX_FILE_BYTES, NULL, text, len);
}

sm_status sm_textfile_load(struct sm_ctx *ctx, const char *path, char **data, size_t *len)
{
	return sm_textfile_load_max(ctx, path, SM_MAX_FILE_BYTES, NULL, data, len);
}

void sm_textfile_excerpt(char *buf, size_t size, const char *s, size_t max_chars)
{
	size_t i = 0, chars = 0, o = 0;
	if (size < 8)
		return;
	buf[o++] = '"';
	while (s[i]) {
		size_t n = 1; /* bytes of this character */
		while ((s[i + n] & 0xC0) == 0x80)
			n++;
		if (chars == max_chars || o + n + 5 > size)
			break;
		memcpy(buf + o, s + i, n);
		o += n;
		i += n;
		chars++;
	}
	if (s[i]) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}
