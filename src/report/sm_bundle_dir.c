#define _GNU_SOURCE /* renameat2 */
#include "sm_bundle_dir.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_strmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Most entries one folder may hold for sm_remove_tree and the walk of DIR:
 * a guard against a folder that another process keeps filling. */
#define MAX_ENTRIES 1000000
/* Largest old MANIFEST.sha256 read to tell the old bundle's files. */
#define MAX_MANIFEST_BYTES (16u << 20)
/* Foreign entries a warning names before "and N more". */
#define FOREIGN_NAMED 8
/* In the temporary folder while DIR's foreign entries are held there: their
 * names, NUL-terminated, so the next run can put them back if this one is
 * killed before the swap.  Never in a MANIFEST; removed after the swap. */
#define FOREIGN_JOURNAL ".safemeta-foreign"

struct sm_bundle_dir {
	char *target; /* DIR, as given, without trailing slashes */
	char *parent;
	char *name;
	char *tmp;    /* PARENT/.NAME.tmp.XXXXXX, or NULL once gone */
	int keep_tmp; /* it still holds entries of DIR (journalled): never removed */
	int lock_fd;
};

/* ---- bounded removal ---- */

static int remove_entries(int fd, int depth);

int sm_remove_tree(int dirfd, const char *name, int max_depth)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (max_depth <= 0) {
		close(fd);
		errno = ELOOP;
		return -1;
	}
	int rc = remove_entries(fd, max_depth - 1); /* closes fd */
	int saved = errno;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
		if (rc == 0)
			saved = errno;
		rc = -1;
	}
	errno = saved;
	return rc;
}

/* One pass over the folder fd (closed here): every entry removed, at most
 * MAX_ENTRIES.  The first failure is returned, the others still tried. */
static int remove_entries(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	int rc = 0, first = 0;
	struct dirent *e;
	for (long seen = 0; (e = readdir(d)) != NULL; seen++) {
		if (seen >= MAX_ENTRIES) {
			rc = -1;
			first = first ? first : E2BIG;
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (sm_remove_tree(dirfd(d), e->d_name, depth) != 0) {
			rc = -1;
			first = first ? first : errno;
		}
	}
	closedir(d);
	errno = first;
	return rc;
}

/* ---- opening ---- */

static void strip_slashes(char *s)
{
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* PARENT and NAME of a target; "." and ".." resolved first (the folder
 * must exist then). */
static sm_status split(struct sm_ctx *ctx, struct sm_bundle_dir *bd)
{
	const char *slash = strrchr(bd->target, '/');
	const char *base = slash ? slash + 1 : bd->target;
	char *path = NULL;
	if (!strcmp(base, ".") || !strcmp(base, "..") || !*base) {
		if (!(path = realpath(bd->target, NULL)))
			return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
					   "cannot resolve the output folder: %s; expected a "
					   "folder name", strerror(errno));
		slash = strrchr(path, '/');
		base = slash + 1;
	} else if (!(path = strdup(bd->target))) {
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base) {
		free(path);
		return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				   "the root folder cannot be replaced; expected a folder "
				   "below it");
	}
	bd->name = strdup(base);
	bd->parent = !slash ? strdup(".") : slash == path ? strdup("/")
			   : sm_asprintf("%.*s", (int)(slash - path), path);
	free(path);
	return bd->name && bd->parent ? SM_OK : SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
}

static sm_status take_lock(struct sm_ctx *ctx, struct sm_bundle_dir *bd)
{
	char *lock = sm_asprintf("%s/.%s.lock", bd->parent, bd->name);
	if (!lock)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	bd->lock_fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
	sm_status s = SM_OK;
	if (bd->lock_fd < 0)
		s = SM_FAIL_POS(ctx, SM_EOUTPUT, lock, 0, 0, NULL,
				"cannot create the lock file: %s; expected a writable folder",
				strerror(errno));
	else if (flock(bd->lock_fd, LOCK_EX | LOCK_NB) != 0)
		s = errno == EWOULDBLOCK
			    ? SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
					  "another safemeta is writing %s; expected one run at a "
					  "time per output folder", bd->target)
			    : SM_FAIL_POS(ctx, SM_EOUTPUT, lock, 0, 0, NULL,
					  "cannot lock: %s", strerror(errno));
	free(lock);
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


static int restore_foreign(struct sm_ctx *ctx, const struct sm_bundle_dir *bd, const char *stale);

/* Under the lock, no other run owns PARENT/.NAME.tmp.* or .NAME.old.*:
 * they are what a killed run left (with DIR's foreign entries, when it was
 * killed while holding them: those go back first). */
static sm_status remove_stale(struct sm_ctx *ctx, const struct sm_bundle_dir *bd)
{
	char *tmp_prefix = sm_asprintf(".%s.tmp.", bd->name);
	char *old_prefix = sm_asprintf(".%s.old.", bd->name);
	DIR *d = tmp_prefix && old_prefix ? opendir(bd->parent) : NULL;
	sm_status s = SM_OK;
	if (!tmp_prefix || !old_prefix)
		s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	else if (!d)
		s = SM_FAIL_POS(ctx, SM_EOUTPUT, bd->parent, 0, 0, NULL,
				"cannot read the folder: %s", strerror(errno));
	char **stale = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	for (long seen = 0; d && s == SM_OK && seen < MAX_ENTRIES && (e = readdir(d)); seen++) {
		if (!sm_tmp_name_is(e->d_name, tmp_prefix) &&
		    !sm_tmp_name_is(e->d_name, old_prefix))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			char **g = sm_realloc_array(stale, cap, sizeof *g);
			if (!g) {
				s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
				break;
			}
			stale = g;
		}
		if (!(stale[n] = strdup(e->d_name))) {
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
			break;
		}
		n++;
	}
	if (stale)
		qsort(stale, n, sizeof *stale, by_name); /* warnings in a fixed order */
	/* DIR missing beside a .NAME.old.*: a run was killed (or failed) between
	 * moving the previous bundle aside and moving the new one in; the
	 * previous one goes back first, so that what its temporary folder holds
	 * of DIR can go back into it too */
	struct stat st;
	for (size_t i = 0; s == SM_OK && i < n && lstat(bd->target, &st) != 0 && errno == ENOENT;
	     i++) {
		if (!sm_tmp_name_is(stale[i], old_prefix))
			continue;
		char *old = sm_asprintf("%s/%s", bd->parent, stale[i]);
		if (old && rename(old, bd->target) == 0) {
			sm_ctx_warn(ctx, "%s: put back the previous bundle, which an interrupted "
				    "run had moved to %s", bd->target, old);
			stale[i][0] = '\0'; /* gone */
		}
		free(old);
	}
	for (size_t i = 0; i < n; i++) {
		if (!stale[i][0]) {
			free(stale[i]);
			continue;
		}
		if (s == SM_OK && restore_foreign(ctx, bd, stale[i]) != 0)
			sm_ctx_warn(ctx, "%s/%s: kept the temporary folder of an earlier run that "
				    "did not finish: it holds entries of %s that could not be put "
				    "back", bd->parent, stale[i], bd->target);
		else if (s == SM_OK &&
			 sm_remove_tree(dirfd(d), stale[i], SM_BUNDLE_DIR_MAX_DEPTH) == 0)
			sm_ctx_warn(ctx, "%s/%s: removed the temporary folder of an earlier run "
				    "that did not finish", bd->parent, stale[i]);
		else if (s == SM_OK)
			sm_ctx_warn(ctx, "%s/%s: cannot remove the temporary folder of an earlier "
				    "run: %s", bd->parent, stale[i], strerror(errno));
		free(stale[i]);
	}
	free(stale);
	if (d)
		closedir(d);
	free(tmp_prefix);
	free(old_prefix);
	return s;
}

/* PARENT/.NAME.KIND.XXXXXX, created as a folder (mode 0777 less the umask,
 * like any new folder, without touching the umask). */
static char *make_sibling(const struct sm_bundle_dir *bd, const char *kind)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		char suffix[7];
		if (sm_tmp_suffix(suffix) != 0)
			return NULL;
		char *p = sm_asprintf("%s/.%s.%s.%s", bd->parent, bd->name, kind, suffix);
		if (!p) {
			errno = ENOMEM;
			return NULL;
		}
		if (mkdir(p, 0777) == 0)
			return p;
		free(p);
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}

struct sm_bundle_dir *sm_bundle_dir_open(struct sm_ctx *ctx, const char *dir)
{
	struct sm_bundle_dir *bd = calloc(1, sizeof *bd);
	if (!bd || !(bd->target = strdup(dir))) {
		free(bd);
		SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		return NULL;
	}
	bd->lock_fd = -1;
	strip_slashes(bd->target);
	struct stat st;
	sm_status s = SM_OK;
	if (lstat(bd->target, &st) == 0 && S_ISLNK(st.st_mode))
		s = SM_FAIL_POS(ctx, SM_EINPUT, bd->target, 0, 0, NULL,
				"the output folder is a symbolic link; expected a folder (give "
				"the folder it names: a bundle replaces its folder, never "
				"what a link points to)");
	else if (lstat(bd->target, &st) == 0 && !S_ISDIR(st.st_mode))
		s = SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				"the output exists and is not a folder; expected a folder");
	if (s == SM_OK)
		s = split(ctx, bd);
	if (s == SM_OK)
		s = sm_mkdir_p(ctx, bd->parent);
	if (s == SM_OK)
		s = take_lock(ctx, bd);
	if (s == SM_OK)
		s = remove_stale(ctx, bd);
	if (s == SM_OK && !(bd->tmp = make_sibling(bd, "tmp")))
		s = SM_FAIL_POS(ctx, SM_EOUTPUT, bd->parent, 0, 0, NULL,
				"cannot create a temporary folder: %s; expected a writable folder",
				strerror(errno));
	if (s != SM_OK) {
		sm_bundle_dir_close(bd);
		return NULL;
	}
	return bd;
}

const char *sm_bundle_dir_tmp(const struct sm_bundle_dir *bd)
{
	return bd->tmp;
}

const char *sm_bundle_dir_target(const struct sm_bundle_dir *bd)
{
	return bd->target;
}

void sm_bundle_dir_close(struct sm_bundle_dir *bd)
{
	if (!bd)
		return;
	if (bd->tmp && !bd->keep_tmp)
		sm_remove_tree(AT_FDCWD, bd->tmp, SM_BUNDLE_DIR_MAX_DEPTH);
	if (bd->lock_fd >= 0)
		close(bd->lock_fd); /* releases the flock */
	free(bd->target);
	free(bd->parent);
	free(bd->name);
	free(bd->tmp);
	free(bd);
}

/* ---- what DIR holds ---- */

enum entry { E_DIR = 1, E_OWN, E_FOREIGN };

/* Owned strings with a map of them (the map borrows its keys). */
struct names {
	struct sm_strmap *map;
	char **v;
	size_t n, cap;
	int failed;
};

static void names_add(struct names *s, const char *name, size_t value)
{
	if (s->failed || sm_strmap_get(s->map, name, NULL))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		char **g = sm_realloc_array(s->v, cap, sizeof *g);
		if (!g) {
			s->failed = 1;
			return;
		}
		s->v = g;
		s->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy || sm_strmap_put(s->map, copy, value, NULL) < 0) {
		free(copy);
		s->failed = 1;
		return;
	}
	s->v[s->n++] = copy;
}

static void names_release(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	sm_strmap_free(s->map);
}

/* A manifest's name: relative, no "." or ".." component, no empty one. */
static int plain_relative(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *c = p; *c;) {
		size_t len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && !strncmp(c, "..", 2)))
			return 0;
		c += len;
		if (*c == '/')
			c++;
		if (!*c && c[-1] == '/')
			return 0;
	}
	return 1;
}

/* The files the old bundle's MANIFEST.sha256 lists (a link is not read). */
static void read_old_manifest(int dfd, struct names *own)
{
	int fd = openat(dfd, "MANIFEST.sha256", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_MANIFEST_BYTES) {
		close(fd);
		return;
	}
	size_t len = (size_t)st.st_size;
	char *text = malloc(len + 1);
	ssize_t got = text ? read(fd, text, len) : -1;
	close(fd);
	if (got < 0) {
		free(text);
		return;
	}
	text[got] = '\0';
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (line[0] != '#' && strlen(line) > 66 && line[64] == ' ' && line[65] == ' ' &&
		    plain_relative(line + 66))
			names_add(own, line + 66, 0);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

struct walk {
	const struct names *own;
	struct names own_dirs; /* the folders the own files are in */
	struct names seen;    /* every entry of DIR -> enum entry */
	struct names foreign; /* in walk order */
};

static void walk_dir(struct walk *w, int fd, const char *prefix, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		w->seen.failed = 1;
		return;
	}
	struct dirent *e;
	for (long seen = 0; (e = readdir(d)) != NULL && !w->seen.failed; seen++) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *rel = seen >= MAX_ENTRIES ? NULL
			    : prefix ? sm_asprintf("%s/%s", prefix, e->d_name) : strdup(e->d_name);
		struct stat st;
		if (!rel || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			free(rel);
			w->seen.failed = 1;
			break;
		}
		int own_dir = S_ISDIR(st.st_mode) && depth > 0 &&
			      sm_strmap_get(w->own_dirs.map, rel, NULL);
		int sub = own_dir ? openat(dirfd(d), e->d_name,
					   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
				  : -1;
		int own_file = S_ISREG(st.st_mode) && sm_strmap_get(w->own->map, rel, NULL);
		enum entry k = sub >= 0 ? E_DIR : own_file ? E_OWN : E_FOREIGN;
		names_add(&w->seen, rel, k);
		if (k == E_FOREIGN)
			names_add(&w->foreign, rel, 0);
		if (sub >= 0)
			walk_dir(w, sub, rel, depth - 1);
		free(rel);
	}
	closedir(d);
}

/* The new file `rel` would replace or write below a foreign entry. */
static const char *conflict(const struct walk *w, const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s", rel);
	for (char *c = buf; (c = strchr(c, '/')) != NULL; c++) {
		*c = '\0';
		size_t k;
		if (sm_strmap_get(w->seen.map, buf, &k) && k != E_DIR)
			return buf;
		*c = '/';
	}
	size_t k;
	if (sm_strmap_get(w->seen.map, rel, &k) && k != E_OWN)
		return rel;
	return NULL;
}

/* A foreign entry where the bundle writes: nothing moves. */
static sm_status refuse_conflict(struct sm_ctx *ctx, const struct sm_bundle_dir *bd,
				 const char *entry, const char *file)
{
	char *path = sm_asprintf("%s/%s", bd->target, entry);
	struct stat st;
	/* the folders above `entry` were walked without following links */
	int got = path && lstat(path, &st) == 0;
	const char *what = !got ? "an entry" : S_ISLNK(st.st_mode) ? "a symbolic link"
			 : S_ISDIR(st.st_mode) ? "a folder" : "a file";
	sm_status s = SM_FAIL_POS(ctx, SM_EOUTPUT, path ? path : entry, 0, 0, NULL,
				  "%s the bundle did not write, where it writes %s; expected it "
				  "moved away (a bundle never writes through a link or over what "
				  "its MANIFEST.sha256 does not list)", what, file);
	free(path);
	return s;
}

static int by_manifest_last(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int mx = !strcmp(x, "MANIFEST.sha256"), my = !strcmp(y, "MANIFEST.sha256");
	return mx != my ? mx - my : strcmp(x, y);
}

/* Folders of `rel` below DIR, made where missing (checked to be no link). */
static int make_parents(const char *target, const char *rel)
{
	char *path = sm_asprintf("%s/%s", target, rel);
	if (!path)
		return -1;
	size_t skip = strlen(target) + 1;
	int rc = 0;
	for (char *c = path + skip; rc == 0 && (c = strchr(c, '/')) != NULL; c++) {
		*c = '\0';
		struct stat st;
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			rc = -1;
		else if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			rc = -1;
		*c = '/';
	}
	free(path);
	return rc;
}

/* rename() that never replaces what is at `to` (EEXIST): an entry put
 * there meanwhile is the user's, not ours to overwrite.  Where the file
 * system has no RENAME_NOREPLACE, a check just before (a narrow window). */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	struct stat st;
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* Moves FROM_ROOT/rel to TO_ROOT/rel, making TO_ROOT's folders of rel and
 * replacing nothing; 0, or -1 with errno. */
static int move_entry(const char *from_root, const char *to_root, const char *rel)
{
	char *from = sm_asprintf("%s/%s", from_root, rel);
	char *to = sm_asprintf("%s/%s", to_root, rel);
	int rc = !from || !to ? (errno = ENOMEM, -1)
	       : make_parents(to_root, rel) != 0 ? -1 : rename_noreplace(from, to);
	free(from);
	free(to);
	return rc;
}

/* The journal of a stale temporary folder, read whole (NULL when there is
 * none); *len its size. */
static char *read_journal(const char *root, size_t *len)
{
	char *path = sm_asprintf("%s/%s", root, FOREIGN_JOURNAL);
	int fd = path ? open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	free(path);
	struct stat st;
	if (fd < 0)
		return NULL;
	char *text = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= MAX_MANIFEST_BYTES &&
	    (text = malloc((size_t)st.st_size + 1))) {
		ssize_t got = read(fd, text, (size_t)st.st_size);
		*len = got > 0 ? (size_t)got : 0;
		text[*len] = '\0';
	}
	close(fd);
	return text;
}

/* Puts back into DIR the foreign entries a run killed before its swap held
 * in the stale temporary folder `stale`.  0 when the folder may go; -1
 * when an entry is still in it (its place in DIR is taken again, or the
 * move failed), named in a warning. */
static int restore_foreign(struct sm_ctx *ctx, const struct sm_bundle_dir *bd, const char *stale)
{
	char *root = sm_asprintf("%s/%s", bd->parent, stale);
	size_t len = 0;
	char *text = root ? read_journal(root, &len) : NULL;
	int kept = 0;
	size_t back = 0;
	/* only names with their NUL: a run killed while writing the journal
	 * moved nothing yet, and a cut name is no entry of DIR */
	while (text && len > 0 && text[len - 1] != '\0')
		len--;
	for (size_t at = 0; text && at < len; at += strlen(text + at) + 1) {
		const char *rel = text + at;
		char *from = sm_asprintf("%s/%s", root, rel);
		char *to = sm_asprintf("%s/%s", bd->target, rel);
		struct stat st;
		if (!from || !to || !plain_relative(rel) || lstat(from, &st) != 0) {
			/* not moved aside before the run died, or no name of ours */
		} else if (lstat(to, &st) == 0) {
			sm_ctx_warn(ctx, "%s: an interrupted run held this entry aside and its "
				    "place is taken again; the earlier one is in %s", to, from);
			kept = 1;
		} else if (move_entry(root, bd->target, rel) != 0) {
			sm_ctx_warn(ctx, "%s: cannot put back the entry an interrupted run held "
				    "aside: %s", to, strerror(errno));
			kept = 1;
		} else {
			back++;
		}
		free(from);
		free(to);
	}
	if (back)
		sm_ctx_warn(ctx, "%s: put back %zu entr%s the bundle did not write, which an "
			    "interrupted run had held aside", bd->target, back,
			    back == 1 ? "y" : "ies");
	free(text);
	free(root);
	return kept ? -1 : 0;
}

/* The journal in the temporary folder, synced before anything moves; 0,
 * or -1 with errno. */
static int write_journal(const char *tmp, const struct names *foreign)
{
	char *path = sm_asprintf("%s/%s", tmp, FOREIGN_JOURNAL);
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
		      : -1;
	free(path);
	if (fd < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < foreign->n; i++) {
		size_t n = strlen(foreign->v[i]) + 1;
		rc = write(fd, foreign->v[i], n) == (ssize_t)n ? 0 : -1;
	}
	if (rc == 0)
		rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static void warn_foreign(struct sm_ctx *ctx, const struct sm_bundle_dir *bd, struct walk *w)
{
	struct sm_buf b;
	sm_buf_init(&b);
	/* named in byte order (the map holds the strings, not their order) */
	if (w->foreign.n)
		qsort(w->foreign.v, w->foreign.n, sizeof *w->foreign.v, by_name);
	for (size_t i = 0; i < w->foreign.n && i < FOREIGN_NAMED; i++)
		sm_buf_printf(&b, "%s%s", i ? ", " : "", w->foreign.v[i]);
	if (w->foreign.n > FOREIGN_NAMED)
		sm_buf_printf(&b, " and %zu more", w->foreign.n - FOREIGN_NAMED);
	if (w->foreign.n)
		sm_ctx_warn(ctx, "%s: left alone %zu entr%s the bundle did not write (not in "
			    "MANIFEST.sha256): %s", bd->target, w->foreign.n,
			    w->foreign.n == 1 ? "y" : "ies", b.data ? b.data : "");
	sm_buf_release(&b);
}

static sm_status swap_whole(struct sm_ctx *ctx, struct sm_bundle_dir *bd, const struct stat *st);

/* The first `moved` foreign entries back from the temporary folder into
 * DIR.  0; -1 when one stays there: the folder, with its journal, is then
 * kept (never removed with a user's entry in it), and the next run into
 * DIR puts the entry back. */
static int put_back(struct sm_ctx *ctx, struct sm_bundle_dir *bd, const struct walk *w,
		    size_t moved)
{
	int left = 0;
	while (moved-- > 0)
		if (move_entry(bd->tmp, bd->target, w->foreign.v[moved]) != 0) {
			sm_ctx_warn(ctx, "%s/%s: cannot put the entry back: %s; it is kept in "
				    "%s/%s", bd->target, w->foreign.v[moved], strerror(errno),
				    bd->tmp, w->foreign.v[moved]);
			left = 1;
		}
	if (left)
		bd->keep_tmp = 1;
	return left ? -1 : 0;
}

/* An entry the process may not move (a folder without write permission
 * for it, a mount point, another file system): no reason to fail. */
static int unmovable(int e)
{
	return e == EACCES || e == EPERM || e == EBUSY || e == EXDEV;
}

/* DIR holds foreign entries: they join the new bundle in the temporary
 * folder (their list journalled first), the folders are swapped whole, so
 * DIR is never half old and half new; on failure they go back.  An entry
 * that cannot be moved at all leaves DIR as it was and sets *one_by_one:
 * the caller moves the bundle's files in instead. */
static sm_status swap_with_foreign(struct sm_ctx *ctx, struct sm_bundle_dir *bd,
				   struct walk *w, const struct stat *st, int *one_by_one)
{
	*one_by_one = 0;
	if (write_journal(bd->tmp, &w->foreign) != 0)
		return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->tmp, 0, 0, NULL,
				   "cannot write the list of entries to keep: %s; expected a "
				   "writable folder with free space", strerror(errno));
	size_t moved = 0;
	while (moved < w->foreign.n && move_entry(bd->target, bd->tmp, w->foreign.v[moved]) == 0)
		moved++;
	int e = errno;
	if (moved < w->foreign.n) {
		const char *name = w->foreign.v[moved];
		if (put_back(ctx, bd, w, moved) == 0 && unmovable(e)) {
			sm_ctx_warn(ctx, "%s/%s: cannot be moved (%s), so the bundle's files are "
				    "moved in one by one instead of the folder being replaced whole",
				    bd->target, name, strerror(e));
			*one_by_one = 1;
			return SM_OK;
		}
		char *what = sm_asprintf("%s/%s", bd->target, name);
		sm_status s = SM_FAIL_POS(ctx, SM_EOUTPUT, what ? what : bd->target, 0, 0, NULL,
					  "cannot move the entry aside while the bundle is swapped "
					  "in: %s; expected a writable folder", strerror(e));
		free(what);
		return s;
	}
	sm_status s = swap_whole(ctx, bd, st);
	if (s != SM_OK) {
		/* the swap did not happen: the entries are still in bd->tmp */
		put_back(ctx, bd, w, moved);
		return s;
	}
	char *journal = sm_asprintf("%s/%s", bd->target, FOREIGN_JOURNAL);
	if (journal)
		unlink(journal);
	free(journal);
	warn_foreign(ctx, bd, w);
	return SM_OK;
}

/* DIR holds foreign entries: the bundle's files moved in one by one
 * (DIR is the working folder, which is never renamed away). */
static sm_status move_in(struct sm_ctx *ctx, struct sm_bundle_dir *bd, struct walk *w,
			 const struct names *own, const char *const *files, size_t n)
{
	const char **order = sm_alloc_array(n + 1, sizeof *order);
	struct names fresh = { .map = sm_strmap_new() };
	if (!order || !fresh.map) {
		free(order);
		sm_strmap_free(fresh.map);
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	}
	memcpy(order, files, n * sizeof *order);
	qsort(order, n, sizeof *order, by_manifest_last);
	sm_status s = SM_OK;
	for (size_t i = 0; i < n && s == SM_OK; i++) {
		char *from = sm_asprintf("%s/%s", bd->tmp, order[i]);
		char *to = sm_asprintf("%s/%s", bd->target, order[i]);
		names_add(&fresh, order[i], 0);
		if (!from || !to || fresh.failed)
			s = SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
		else if (make_parents(bd->target, order[i]) != 0 || rename(from, to) != 0)
			s = SM_FAIL_POS(ctx, SM_EOUTPUT, to, 0, 0, NULL,
					"cannot move the file into place: %s; the bundle in %s is "
					"incomplete, expected a writable folder", strerror(errno),
					bd->target);
		free(from);
		free(to);
	}
	/* the old bundle's files the new one does not have */
	for (size_t i = 0; i < own->n && s == SM_OK; i++) {
		size_t k;
		if (sm_strmap_get(fresh.map, own->v[i], NULL) ||
		    !sm_strmap_get(w->seen.map, own->v[i], &k) || k != E_OWN)
			continue;
		char *path = sm_asprintf("%s/%s", bd->target, own->v[i]);
		if (path && unlink(path) != 0 && errno != ENOENT)
			sm_ctx_warn(ctx, "%s: cannot remove a file of the previous bundle: %s",
				    path, strerror(errno));
		free(path);
	}
	if (s == SM_OK)
		warn_foreign(ctx, bd, w);
	names_release(&fresh);
	free(order);
	return s;
}

/* The folders swapped whole (DIR's foreign entries, if any, are in the
 * new one by now). */
static sm_status swap_whole(struct sm_ctx *ctx, struct sm_bundle_dir *bd, const struct stat *st)
{
	chmod(bd->tmp, st->st_mode & 07777); /* the folder keeps its mode */
	if (renameat2(AT_FDCWD, bd->tmp, AT_FDCWD, bd->target, RENAME_EXCHANGE) == 0) {
		/* bd->tmp now names the old bundle; close removes it */
		return SM_OK;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				   "cannot swap the new bundle in: %s; expected a writable folder",
				   strerror(errno));
	/* no exchange on this filesystem: the old aside, the new in */
	char *old = make_sibling(bd, "old");
	if (!old || rename(bd->target, old) != 0) {
		int e = errno;
		if (old)
			rmdir(old);
		free(old);
		return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				   "cannot move the previous bundle aside: %s", strerror(e));
	}
	if (rename(bd->tmp, bd->target) != 0) {
		int e = errno;
		sm_status s = rename(old, bd->target) == 0
				      ? SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
						    "cannot move the new bundle in: %s", strerror(e))
				      : SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
						    "cannot move the new bundle in: %s; the previous "
						    "bundle is in %s, which the next run into it puts "
						    "back", strerror(e), old);
		free(old);
		return s;
	}
	free(bd->tmp);
	bd->tmp = old; /* close removes it */
	return SM_OK;
}

sm_status sm_bundle_dir_commit(struct sm_ctx *ctx, struct sm_bundle_dir *bd,
			       const char *const *files, size_t n)
{
	struct stat st;
	if (lstat(bd->target, &st) != 0) {
		if (errno != ENOENT || rename(bd->tmp, bd->target) != 0)
			return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
					   "cannot move the bundle into place: %s; expected a "
					   "writable folder", strerror(errno));
		free(bd->tmp);
		bd->tmp = NULL;
		return SM_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				   "the output is no longer a folder; expected a folder");
	int dfd = open(bd->target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				   "cannot open the output folder: %s", strerror(errno));
	struct names own = { .map = sm_strmap_new() };
	struct walk w = { .own = &own, .own_dirs = { .map = sm_strmap_new() },
			  .seen = { .map = sm_strmap_new() },
			  .foreign = { .map = sm_strmap_new() } };
	if (own.map)
		read_old_manifest(dfd, &own);
	names_add(&own, "MANIFEST.sha256", 0);
	names_add(&own, "supplement.zip", 0);
	names_add(&own, FOREIGN_JOURNAL, 0); /* a run killed after its swap */
	for (size_t i = 0; i < n; i++)
		names_add(&own, files[i], 0);
	for (size_t i = 0; w.own_dirs.map && i < own.n; i++)
		for (char *c = own.v[i]; (c = strchr(c, '/')) != NULL; c++) {
			*c = '\0';
			names_add(&w.own_dirs, own.v[i], 0);
			*c = '/';
		}
	if (!own.map || own.failed || !w.seen.map || !w.foreign.map || !w.own_dirs.map ||
	    w.own_dirs.failed) {
		close(dfd);
		dfd = -1;
		own.failed = 1;
	}
	if (dfd >= 0)
		walk_dir(&w, dfd, NULL, SM_BUNDLE_DIR_MAX_DEPTH);
	sm_status s = SM_OK;
	if (own.failed || w.seen.failed || w.foreign.failed)
		s = SM_FAIL_POS(ctx, SM_EOUTPUT, bd->target, 0, 0, NULL,
				"cannot read the output folder: %s",
				strerror(errno ? errno : ENOMEM));
	char buf[PATH_MAX];
	for (size_t i = 0; s == SM_OK && w.foreign.n && i < n; i++) {
		const char *c = conflict(&w, files[i], buf, sizeof buf);
		if (c)
			s = refuse_conflict(ctx, bd, c, files[i]);
	}
	/* the working folder is never renamed away from under the process (and
	 * its shell): its files are moved in like those of a folder with others */
	struct stat cwd;
	int is_cwd = stat(".", &cwd) == 0 && cwd.st_dev == st.st_dev && cwd.st_ino == st.st_ino;
	int one_by_one = 0;
	if (s == SM_OK)
		s = is_cwd ? move_in(ctx, bd, &w, &own, files, n)
		    : w.foreign.n ? swap_with_foreign(ctx, bd, &w, &st, &one_by_one)
				  : swap_whole(ctx, bd, &st);
	if (s == SM_OK && one_by_one)
		s = move_in(ctx, bd, &w, &own, files, n);
	names_release(&own);
	names_release(&w.own_dirs);
	names_release(&w.seen);
	names_release(&w.foreign);
	return s;
}
