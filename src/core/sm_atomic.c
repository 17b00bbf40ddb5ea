#include "sm_atomic.h"

#include "sm_buf.h"
#include "sm_direct.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sm_atomic {
	FILE *stream;
	char *path;
	char *tmp_path;
	/* a large output's temporary: the stream writes through direct to
	 * fd (both ours); NULL: the stream is a plain fdopen() of it */
	struct sm_direct *direct;
	int fd;
};

/* Ends the stream, and the descriptor under a direct one: 0, or EOF with
 * errno. */
static int close_stream(struct sm_atomic *af)
{
	int rc = fclose(af->stream);
	af->stream = NULL;
	if (af->direct) {
		int saved = errno;
		if (close(af->fd) != 0 && rc == 0)
			rc = EOF;
		else
			errno = saved;
		sm_direct_free(af->direct);
		af->direct = NULL;
	}
	return rc;
}

static void atomic_free(struct sm_atomic *af)
{
	free(af->path);
	free(af->tmp_path);
	free(af);
}

/* A device or pipe (e.g. -o /dev/stdout) cannot be replaced by a rename,
 * and must not be: it is written in place, with nothing to roll back. */
static struct sm_atomic *open_special(struct sm_ctx *ctx, const char *path)
{
	struct sm_atomic *af = calloc(1, sizeof *af);
	if (!af || !(af->path = strdup(path))) {
		free(af);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	if (!(af->stream = fopen(path, "wb"))) {
		SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
			    "cannot open output: %s; expected a writable file", strerror(errno));
		atomic_free(af);
		return NULL;
	}
	return af;
}

/* A temporary name next to `path` that no other file has: path.tmp.XXXXXX
 * with six random characters, created with O_EXCL (retried on a clash).
 * The mode is that of the file it replaces, or 0666 less the umask like any
 * new file: nothing here reads or changes the process's umask, which other
 * threads (the bundle's workers) rely on. */
static int create_tmp(const char *path, mode_t mode, int keep_mode, char **out)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		char suffix[7];
		if (sm_tmp_suffix(suffix) != 0)
			return -1;
		char *tmp = sm_asprintf("%s.tmp.%s", path, suffix);
		if (!tmp) {
			errno = ENOMEM;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (fd >= 0) {
			if (keep_mode && fchmod(fd, mode & 07777) != 0) {
				int saved = errno;
				close(fd);
				unlink(tmp);
				free(tmp);
				errno = saved;
				return -1;
			}
			*out = tmp;
			return fd;
		}
		free(tmp);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* The stream onto af's new temporary fd: past direct_after bytes
 * written direct (SIZE_MAX: never, a plain stdio stream); NULL with errno. */
static FILE *tmp_stream(struct sm_atomic *af, int fd, size_t direct_after)
{
	if (direct_after == SIZE_MAX)
		return fdopen(fd, "wb");
	if (!(af->direct = sm_direct_new(fd, direct_after))) {
		errno = ENOMEM;
		return NULL;
	}
	FILE *f = sm_direct_stream(af->direct);
	if (!f) {
		sm_direct_free(af->direct);
		af->direct = NULL;
		return NULL;
	}
	af->fd = fd;
	return f;
}

/* The temporary file goes next to `path` (a regular file or none yet);
 * `st` is the file it replaces, or NULL. */
static struct sm_atomic *open_tmp(struct sm_ctx *ctx, const char *path, const struct stat *st,
				  size_t direct_after)
{
	struct sm_atomic *af = calloc(1, sizeof *af);
	if (!af) {
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	char *tmp = NULL;
	int fd = create_tmp(path, st ? st->st_mode : 0, st != NULL, &tmp);
	if (fd < 0) {
		SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
			    "cannot create output file: %s; expected a writable folder",
			    strerror(errno));
		free(af);
		return NULL;
	}
	af->stream = tmp_stream(af, fd, direct_after);
	if (!af->stream) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		free(af);
		SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
			    "cannot open output stream: %s; expected a writable folder",
			    strerror(saved));
		return NULL;
	}
	af->path = strdup(path);
	af->tmp_path = tmp;
	if (!af->path) {
		sm_atomic_abort(af);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	return af;
}

static struct sm_atomic *atomic_open(struct sm_ctx *ctx, const char *path, size_t direct_after)
{
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		/* rename() would fail only after all the work; say it now */
		SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
			    "output is a folder; expected a file name");
		return NULL;
	}
	if (exists && !S_ISREG(st.st_mode))
		return open_special(ctx, path);
	/* A rename would replace a symbolic link itself (/dev/stdout when
	 * stdout is a file, or a user's link to a shared folder): write to the
	 * file it names instead. */
	if (exists && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (!real)
			return open_special(ctx, path);
		struct stat target;
		struct sm_atomic *af = open_tmp(ctx, real, stat(real, &target) == 0 ? &target : NULL,
						direct_after);
		free(real);
		return af;
	}
	return open_tmp(ctx, path, exists ? &st : NULL, direct_after);
}

struct sm_atomic *sm_atomic_open(struct sm_ctx *ctx, const char *path)
{
	return atomic_open(ctx, path, SIZE_MAX);
}

struct sm_atomic *sm_atomic_open_large(struct sm_ctx *ctx, const char *path,
				       size_t direct_after)
{
	return atomic_open(ctx, path, direct_after);
}

long long sm_atomic_direct_bytes(const struct sm_atomic *af)
{
	return af->direct ? sm_direct_bytes(af->direct) : 0;
}

FILE *sm_atomic_stream(struct sm_atomic *af)
{
	return af->stream;
}

void sm_atomic_abort(struct sm_atomic *af)
{
	if (!af)
		return;
	if (af->stream)
		close_stream(af);
	if (af->tmp_path)
		unlink(af->tmp_path);
	atomic_free(af);
}

sm_status sm_atomic_commit(struct sm_ctx *ctx, struct sm_atomic *af)
{
	/* a pipe or device (no tmp_path) cannot be fsync'ed; a direct
	 * stream's descriptor goes back to buffered first, so that fsync
	 * flushes the page-cache head and tail with the rest */
	int failed = ferror(af->stream) || fflush(af->stream) != 0 ||
		     (af->direct && sm_direct_settle(af->direct) != 0) ||
		     (af->tmp_path &&
		      fsync(af->direct ? af->fd : fileno(af->stream)) != 0);
	int saved = errno;
	if (close_stream(af) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed && af->tmp_path && rename(af->tmp_path, af->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		if (af->tmp_path)
			unlink(af->tmp_path);
		SM_FAIL_POS(ctx, SM_EOUTPUT, af->path, 0, 0, NULL,
			    "cannot write output file: %s; expected a writable folder with "
			    "free space", strerror(saved));
		atomic_free(af);
		return SM_EOUTPUT;
	}
	atomic_free(af);
	return SM_OK;
}

sm_status sm_atomic_write(struct sm_ctx *ctx, const char *path,
			  const void *data, size_t len)
{
	struct sm_atomic *af = sm_atomic_open(ctx, path);
	if (!af)
		return SM_EOUTPUT;
	if (len && fwrite(data, 1, len, af->stream) != len) {
		int saved = errno;
		sm_atomic_abort(af);
		return SM_FAIL_POS(ctx, SM_EOUTPUT, path, 0, 0, NULL,
				   "cannot write output file: %s; expected a writable folder with "
				   "free space", strerror(saved));
	}
	return sm_atomic_commit(ctx, af);
}

int sm_output_is_input(struct sm_ctx *ctx, const char *output, const char *input)
{
	struct stat so, si;
	if (stat(output, &so) != 0 || stat(input, &si) != 0 || !S_ISREG(so.st_mode) ||
	    so.st_dev != si.st_dev || so.st_ino != si.st_ino)
		return 0;
	SM_FAIL_POS(ctx, SM_EINPUT, output, 0, 0, NULL,
		    "is the input %s (the same file); expected an output other than the input",
		    input);
	return 1;
}

sm_status sm_mkdir_p(struct sm_ctx *ctx, const char *dir)
{
	char *copy = strdup(dir);
	if (!copy)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	size_t n = strlen(copy);
	for (size_t i = 1; i <= n; i++) {
		if (copy[i] != '/' && copy[i] != '\0')
			continue;
		char saved = copy[i];
		copy[i] = '\0';
		struct stat st;
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			SM_FAIL_POS(ctx, SM_EOUTPUT, copy, 0, 0, NULL,
				    "cannot create folder: %s", strerror(e));
			free(copy);
			return SM_EOUTPUT;
		}
		if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
			SM_FAIL_POS(ctx, SM_EOUTPUT, copy, 0, 0, NULL,
				    "cannot create folder: a file of that name exists; expected a folder");
			free(copy);
			return SM_EOUTPUT;
		}
		copy[i] = saved;
	}
	free(copy);
	return SM_OK;
}

char *sm_safe_filename(const char *name, size_t max_len)
{
	if (max_len < 8)
		max_len = 8;
	struct sm_buf b;
	sm_buf_init(&b);
	int last_dash = 1; /* suppresses leading and repeated separators */
	for (const unsigned char *p = (const unsigned char *)name; *p && b.len < max_len; p++) {
		unsigned char c = *p;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			   (c == '.' && b.len > 0);
		if (keep) {
			sm_buf_putc(&b, (char)c);
			last_dash = c == '-';
		} else if (!last_dash) {
			sm_buf_putc(&b, '-');
			last_dash = 1;
		}
	}
	while (b.len > 0 && (b.data[b.len - 1] == '-' || b.data[b.len - 1] == '.'))
		b.data[--b.len] = '\0';
	if (b.len == 0)
		sm_buf_puts(&b, "unnamed");
	return sm_buf_take(&b);
}

char *sm_filename_fold(const char *name)
{
	char *key = strdup(name);
	for (char *c = key; c && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return key;
}

/* The characters of a temporary's suffix; sm_tmp_name_is accepts these. */
static const char tmp_alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";

int sm_tmp_suffix(char suffix[7])
{
	unsigned char r[6];
	if (getentropy(r, sizeof r) != 0)
		return -1;
	for (int i = 0; i < 6; i++)
		suffix[i] = tmp_alphabet[r[i] % (sizeof tmp_alphabet - 1)];
	suffix[6] = '\0';
	return 0;
}

int sm_tmp_name_is(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0 || strlen(name) != n + 6)
		return 0;
	for (const char *c = name + n; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}
