/* The bundle's folder (sm_bundle_dir.h, issue 18.1-18.2): the swap of a
 * whole folder, the lock, stale temporaries, foreign entries, links, and
 * the bounded tree removal. */
#include "sm_test.h"

#include "sm_buf.h"
#include "sm_bundle_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
	char dir[64];
	struct sm_ctx *ctx;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sm_bundle_dir_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->ctx = sm_ctx_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = sm_asprintf("chmod -R u+rwx %s; rm -rf %s", f->dir, f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	sm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static char *at(const struct fx *f, const char *rel)
{
	return sm_asprintf("%s/%s", f->dir, rel);
}

/* rel with len bytes of data (a journal's names hold NULs). */
static void put_bytes(const struct fx *f, const char *rel, const char *data, size_t len)
{
	char *p = at(f, rel);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
	free(p);
}

static void put(const struct fx *f, const char *rel, const char *text)
{
	put_bytes(f, rel, text, strlen(text));
}

static char *get(const struct fx *f, const char *rel)
{
	char *p = at(f, rel);
	char *s = sm_test_slurp(p);
	free(p);
	return s;
}

static int exists(const struct fx *f, const char *rel)
{
	char *p = at(f, rel);
	struct stat st;
	int r = lstat(p, &st) == 0;
	free(p);
	return r;
}

static void mk(const struct fx *f, const char *rel)
{
	char *p = at(f, rel);
	assert_int_equal(mkdir(p, 0777), 0);
	free(p);
}

/* Entries of f->dir whose name starts with `prefix`. */
static int count_prefixed(const struct fx *f, const char *prefix)
{
	char *cmd = sm_asprintf("ls -a %s | grep -c '^%s' || true", f->dir, prefix);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(cmd);
	return n;
}

/* A bundle of `files` (relative) with content "NEW name" written into the
 * temporary folder, MANIFEST.sha256 listing them. */
static void fill(struct sm_bundle_dir *bd, const char *const *files, size_t n)
{
	struct sm_buf m;
	sm_buf_init(&m);
	for (size_t i = 0; i < n; i++) {
		char *p = sm_asprintf("%s/%s", sm_bundle_dir_tmp(bd), files[i]);
		char *slash = strrchr(p, '/');
		*slash = '\0';
		mkdir(p, 0777);
		*slash = '/';
		FILE *fp = fopen(p, "w");
		assert_non_null(fp);
		fprintf(fp, "NEW %s", files[i]);
		fclose(fp);
		free(p);
		sm_buf_printf(&m, "%064d  %s\n", 0, files[i]);
	}
	char *p = sm_asprintf("%s/MANIFEST.sha256", sm_bundle_dir_tmp(bd));
	FILE *fp = fopen(p, "w");
	fputs(m.data, fp);
	fclose(fp);
	free(p);
	sm_buf_release(&m);
}

static const char *const new_files[] = { "results.json", "figures/a.pdf", "MANIFEST.sha256" };

static sm_status write_bundle(struct fx *f, const char *name)
{
	char *dir = at(f, name);
	struct sm_bundle_dir *bd = sm_bundle_dir_open(f->ctx, dir);
	free(dir);
	if (!bd)
		return sm_ctx_error(f->ctx)->code;
	fill(bd, new_files, 2);
	sm_status s = sm_bundle_dir_commit(f->ctx, bd, new_files, 3);
	sm_bundle_dir_close(bd);
	return s;
}

/* An old bundle (its MANIFEST lists results.json, figures/old.pdf) is
 * replaced whole: the old-only file goes, nothing temporary stays, the
 * folder keeps its mode. */
static void swap_whole(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	mk(f, "b/figures");
	put(f, "b/results.json", "OLD");
	put(f, "b/figures/old.pdf", "OLD");
	put(f, "b/MANIFEST.sha256", ZEROS "  results.json\n" ZEROS "  figures/old.pdf\n");
	char *b = at(f, "b");
	assert_int_equal(chmod(b, 0750), 0);
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	char *r = get(f, "b/results.json");
	assert_string_equal(r, "NEW results.json");
	free(r);
	assert_false(exists(f, "b/figures/old.pdf"));
	assert_true(exists(f, "b/figures/a.pdf"));
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp"), 0);
	assert_int_equal(count_prefixed(f, "\\.b\\.old"), 0);
	struct stat st;
	assert_int_equal(stat(b, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0750);
	assert_int_equal(sm_ctx_warning_count(f->ctx), 0);
	free(b);
}

/* A folder that does not exist yet is made, its parents too. */
static void fresh_target(void **state)
{
	struct fx *f = *state;
	assert_int_equal(write_bundle(f, "x/y/b"), SM_OK);
	char *r = get(f, "x/y/b/figures/a.pdf");
	assert_string_equal(r, "NEW figures/a.pdf");
	free(r);
	assert_int_equal(count_prefixed(f, "x"), 1);
}

/* A failed run (closed without commit) leaves the old bundle as it was and
 * no temporary. */
static void abort_keeps_old(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	put(f, "b/results.json", "OLD");
	char *dir = at(f, "b");
	struct sm_bundle_dir *bd = sm_bundle_dir_open(f->ctx, dir);
	assert_non_null(bd);
	fill(bd, new_files, 2);
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp\\."), 1);
	sm_bundle_dir_close(bd);
	char *r = get(f, "b/results.json");
	assert_string_equal(r, "OLD");
	free(r);
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp"), 0);
	free(dir);
}

/* A second writer of one folder is refused at once while the first holds
 * the lock, and gets it once the first is done. */
static void lock_refuses_second(void **state)
{
	struct fx *f = *state;
	char *dir = at(f, "b");
	struct sm_bundle_dir *one = sm_bundle_dir_open(f->ctx, dir);
	assert_non_null(one);
	struct sm_bundle_dir *two = sm_bundle_dir_open(f->ctx, dir);
	assert_null(two);
	char *msg = sm_diag_format(sm_ctx_error(f->ctx));
	assert_non_null(strstr(msg, "another safemeta is writing"));
	assert_int_equal(sm_ctx_error(f->ctx)->code, SM_EOUTPUT);
	free(msg);
	sm_ctx_clear_error(f->ctx);
	/* the refused run did not remove the first one's temporary */
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp\\."), 1);
	sm_bundle_dir_close(one);
	two = sm_bundle_dir_open(f->ctx, dir);
	assert_non_null(two);
	sm_bundle_dir_close(two);
	free(dir);
}

/* Temporaries a killed run left are removed (with a warning) by the next
 * run, links inside them removed and not followed; another folder's are
 * not touched. */
static void stale_removed(void **state)
{
	struct fx *f = *state;
	mk(f, ".b.tmp.dead01");
	mk(f, ".b.tmp.dead01/figures");
	put(f, ".b.tmp.dead01/figures/x.pdf", "x");
	mk(f, "outside");
	put(f, "outside/keep", "keep");
	char *outside = at(f, "outside");
	char *link = at(f, ".b.tmp.dead01/link");
	assert_int_equal(symlink(outside, link), 0);
	mk(f, ".b.old.dead02");
	mk(f, "b"); /* DIR is there: the old folder is a leftover, not the bundle */
	mk(f, ".bb.tmp.other1");
	mk(f, ".b.tmp.tmp.other2"); /* a temporary of "b.tmp" */
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	assert_false(exists(f, ".b.tmp.dead01"));
	assert_false(exists(f, ".b.old.dead02"));
	assert_true(exists(f, ".bb.tmp.other1"));
	assert_true(exists(f, ".b.tmp.tmp.other2"));
	char *k = get(f, "outside/keep");
	assert_string_equal(k, "keep");
	free(k);
	assert_int_equal(sm_ctx_warning_count(f->ctx), 2);
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), ".b.old.dead02: removed"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 1), ".b.tmp.dead01: removed"));
	free(outside);
	free(link);
}

/* Foreign entries stay and are named; the bundle's files are moved in, the
 * old bundle's other files removed. */
static void foreign_kept(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	mk(f, "b/figures");
	put(f, "b/notes.txt", "mine");
	put(f, "b/figures/mine.png", "mine");
	put(f, "b/figures/gone.pdf", "OLD");
	put(f, "b/results.json", "OLD");
	put(f, "b/MANIFEST.sha256", ZEROS "  figures/gone.pdf\n");
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	char *n = get(f, "b/notes.txt"), *m = get(f, "b/figures/mine.png");
	char *r = get(f, "b/results.json"), *man = get(f, "b/MANIFEST.sha256");
	assert_string_equal(n, "mine");
	assert_string_equal(m, "mine");
	assert_string_equal(r, "NEW results.json");
	assert_null(strstr(man, "notes"));
	assert_false(exists(f, "b/figures/gone.pdf"));
	assert_int_equal(sm_ctx_warning_count(f->ctx), 1);
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0),
			       "left alone 2 entries the bundle did not write (not in "
			       "MANIFEST.sha256): figures/mine.png, notes.txt"));
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp"), 0);
	free(n);
	free(m);
	free(r);
	free(man);
}

static ino_t inode_of(const struct fx *f, const char *rel)
{
	char *p = at(f, rel);
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	free(p);
	return st.st_ino;
}

/* With foreign entries the folder is still replaced whole (a new inode:
 * never half old, half new), the entries travel with it, and no journal
 * is left behind. */
static void foreign_swapped_whole(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	mk(f, "b/mine");
	put(f, "b/mine/data.csv", "mine");
	put(f, "b/results.json", "OLD");
	put(f, "b/MANIFEST.sha256", ZEROS "  results.json\n");
	ino_t before = inode_of(f, "b");
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	assert_true(inode_of(f, "b") != before);
	char *d = get(f, "b/mine/data.csv"), *r = get(f, "b/results.json");
	assert_string_equal(d, "mine");
	assert_string_equal(r, "NEW results.json");
	assert_false(exists(f, "b/.safemeta-foreign"));
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp"), 0);
	assert_int_equal(count_prefixed(f, "\\.b\\.old"), 0);
	free(d);
	free(r);
}

/* A temporary folder with a journal: as a run killed after moving DIR's
 * foreign entries aside, before its swap.  The next run puts them back
 * (and the folder goes); one entry was never moved. */
static void killed_before_swap_restored(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	put(f, "b/results.json", "OLD");
	put(f, "b/MANIFEST.sha256", ZEROS "  results.json\n");
	mk(f, ".b.tmp.dead01");
	mk(f, ".b.tmp.dead01/figures");
	put(f, ".b.tmp.dead01/notes.txt", "mine");
	put(f, ".b.tmp.dead01/figures/mine.png", "mine too");
	put_bytes(f, ".b.tmp.dead01/.safemeta-foreign", "notes.txt\0figures/mine.png\0never-moved\0",
		  38);
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	char *n = get(f, "b/notes.txt"), *m = get(f, "b/figures/mine.png");
	assert_string_equal(n, "mine");
	assert_string_equal(m, "mine too");
	assert_false(exists(f, ".b.tmp.dead01"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "put back 2 entries"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 1), ".b.tmp.dead01: removed"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 2), "left alone 2 entries"));
	free(n);
	free(m);
}

/* The place of a held entry is taken again: the stale folder is kept (the
 * entry is not lost), a warning says where it is. */
static void restore_conflict_kept(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	put(f, "b/notes.txt", "newer");
	mk(f, ".b.tmp.dead01");
	put(f, ".b.tmp.dead01/notes.txt", "older");
	put_bytes(f, ".b.tmp.dead01/.safemeta-foreign", "notes.txt\0", 10);
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	char *n = get(f, "b/notes.txt"), *o = get(f, ".b.tmp.dead01/notes.txt");
	assert_string_equal(n, "newer");
	assert_string_equal(o, "older");
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "its place is taken again"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 1), "kept the temporary folder"));
	free(n);
	free(o);
}

/* A run killed between moving the previous bundle aside and moving the
 * new one in (file systems without an exchange): DIR is missing beside
 * .NAME.old.*.  The next run puts the previous bundle back first, then the
 * entries its temporary folder held, then swaps as usual. */
static void killed_between_renames_restored(void **state)
{
	struct fx *f = *state;
	mk(f, ".b.old.dead02");
	put(f, ".b.old.dead02/results.json", "OLD");
	put(f, ".b.old.dead02/MANIFEST.sha256", ZEROS "  results.json\n");
	mk(f, ".b.tmp.dead01");
	put(f, ".b.tmp.dead01/notes.txt", "mine");
	put_bytes(f, ".b.tmp.dead01/.safemeta-foreign", "notes.txt\0", 10);
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	char *n = get(f, "b/notes.txt"), *r = get(f, "b/results.json");
	assert_string_equal(n, "mine");
	assert_string_equal(r, "NEW results.json");
	assert_false(exists(f, ".b.old.dead02"));
	assert_false(exists(f, ".b.tmp.dead01"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "put back the previous bundle"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 1), "put back 1 entry"));
	free(n);
	free(r);
}

/* A journal cut short (a run killed while writing it, before anything
 * moved): its last, unterminated name is no entry, and the folder goes. */
static void cut_journal_ignored(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	put(f, "b/results.json", "OLD");
	put(f, "b/MANIFEST.sha256", ZEROS "  results.json\n");
	mk(f, ".b.tmp.dead01");
	put(f, ".b.tmp.dead01/results.json", "half");
	put(f, ".b.tmp.dead01/.safemeta-foreign", "results.js");
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	assert_false(exists(f, ".b.tmp.dead01"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), ".b.tmp.dead01: removed"));
}

static int set_immutable(const struct fx *f, const char *rel, int on)
{
	char *cmd = sm_asprintf("chattr %si %s/%s 2>/dev/null", on ? "+" : "-", f->dir, rel);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

/* A foreign folder that cannot be moved (immutable here; a folder without
 * write permission for a user, a mount point): the run does not fail, DIR
 * is left as it was and the bundle's files are moved in one by one, with a
 * warning saying why. */
static void unmovable_entry_falls_back(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	mk(f, "b/locked");
	put(f, "b/locked/data.csv", "mine");
	put(f, "b/results.json", "OLD");
	put(f, "b/MANIFEST.sha256", ZEROS "  results.json\n");
	if (set_immutable(f, "b/locked", 1) != 0) {
		print_message("skipped: chattr +i is not available on this file system\n");
		skip();
	}
	sm_status s = write_bundle(f, "b");
	set_immutable(f, "b/locked", 0);
	assert_int_equal(s, SM_OK);
	char *d = get(f, "b/locked/data.csv"), *r = get(f, "b/results.json");
	assert_string_equal(d, "mine");
	assert_string_equal(r, "NEW results.json");
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "b/locked: cannot be moved"));
	assert_non_null(strstr(sm_ctx_warning(f->ctx, 0), "moved in one by one"));
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp"), 0);
	free(d);
	free(r);
}

/* A run killed after its swap left the journal in DIR: it is the bundle's
 * own file, removed by the next run and never named as foreign. */
static void journal_after_swap_removed(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	put(f, "b/results.json", "OLD");
	put(f, "b/.safemeta-foreign", "notes.txt");
	put(f, "b/MANIFEST.sha256", ZEROS "  results.json\n");
	assert_int_equal(write_bundle(f, "b"), SM_OK);
	assert_false(exists(f, "b/.safemeta-foreign"));
	assert_int_equal(sm_ctx_warning_count(f->ctx), 0);
}

/* A link where the bundle writes a file or a folder is refused and nothing
 * is written through it; a DIR that is a link is refused as input. */
static void links_refused(void **state)
{
	struct fx *f = *state;
	mk(f, "b");
	mk(f, "elsewhere");
	char *elsewhere = at(f, "elsewhere"), *figures = at(f, "b/figures");
	assert_int_equal(symlink(elsewhere, figures), 0);
	assert_int_equal(write_bundle(f, "b"), SM_EOUTPUT);
	char *msg = sm_diag_format(sm_ctx_error(f->ctx));
	assert_non_null(strstr(msg, "b/figures: a symbolic link the bundle did not write"));
	free(msg);
	sm_ctx_clear_error(f->ctx);
	assert_false(exists(f, "elsewhere/a.pdf"));
	assert_false(exists(f, "b/results.json"));
	assert_int_equal(count_prefixed(f, "\\.b\\.tmp"), 0);

	char *real = at(f, "real"), *lnk = at(f, "l");
	mk(f, "real");
	assert_int_equal(symlink(real, lnk), 0);
	assert_int_equal(write_bundle(f, "l"), SM_EINPUT);
	sm_ctx_clear_error(f->ctx);
	assert_false(exists(f, "real/results.json"));
	struct stat st;
	assert_int_equal(lstat(lnk, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	free(elsewhere);
	free(figures);
	free(real);
	free(lnk);
}

/* Removal: a tree within the depth goes; one deeper fails with ELOOP and
 * stops there; a link to a folder is removed, its target kept. */
static void remove_tree_bounded(void **state)
{
	struct fx *f = *state;
	mk(f, "t");
	mk(f, "t/a");
	mk(f, "t/a/b");
	put(f, "t/a/b/file", "x");
	mk(f, "keep");
	put(f, "keep/file", "keep");
	char *keep = at(f, "keep"), *lnk = at(f, "t/a/link");
	assert_int_equal(symlink(keep, lnk), 0);
	char *t = at(f, "t");
	assert_int_equal(sm_remove_tree(AT_FDCWD, t, 1), -1);
	assert_int_equal(errno, ELOOP);
	assert_true(exists(f, "t/a/b"));
	assert_int_equal(sm_remove_tree(AT_FDCWD, t, 3), 0);
	assert_false(exists(f, "t"));
	char *k = get(f, "keep/file");
	assert_string_equal(k, "keep");
	free(k);
	/* a deep chain: 40 levels, removed within 40, refused at 20 */
	struct sm_buf p;
	sm_buf_init(&p);
	sm_buf_printf(&p, "%s/deep", f->dir);
	char *deep = strdup(p.data);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(mkdir(p.data, 0777), 0);
		sm_buf_puts(&p, "/d");
	}
	assert_int_equal(sm_remove_tree(AT_FDCWD, deep, 20), -1);
	assert_int_equal(sm_remove_tree(AT_FDCWD, deep, 40), 0);
	assert_false(exists(f, "deep"));
	/* absent: nothing to do; a plain file: removed */
	assert_int_equal(sm_remove_tree(AT_FDCWD, deep, 1), 0);
	put(f, "plain", "x");
	char *plain = at(f, "plain");
	assert_int_equal(sm_remove_tree(AT_FDCWD, plain, 0), 0);
	assert_false(exists(f, "plain"));
	/* a folder it cannot enter: fails, returns */
	mk(f, "locked");
	mk(f, "locked/inner");
	char *locked = at(f, "locked");
	assert_int_equal(chmod(locked, 0), 0);
	if (geteuid() != 0) {
		assert_int_equal(sm_remove_tree(AT_FDCWD, locked, 4), -1);
		assert_int_equal(chmod(locked, 0700), 0);
	} else {
		assert_int_equal(sm_remove_tree(AT_FDCWD, locked, 4), 0);
	}
	sm_buf_release(&p);
	free(locked);
	free(plain);
	free(deep);
	free(t);
	free(keep);
	free(lnk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(swap_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(fresh_target, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_refuses_second, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(foreign_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(foreign_swapped_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(killed_before_swap_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(restore_conflict_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(journal_after_swap_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(killed_between_renames_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_journal_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(unmovable_entry_falls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(links_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_tree_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
