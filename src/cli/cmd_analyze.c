/*
 * cmd_analyze.c -- `safemeta analyze INPUT [options]`: review JSON or CSV in,
 * results JSON out (stdout unless -o).
 */
#include "cli.h"
#include "cli_opts.h"

#include "sm_atomic.h"
#include "sm_buf.h"
#include "sm_direct.h"
#include "sm_json_stream.h"
#include "sm_row_spool.h"
#include "sm_results.h"
#include "sm_review_read.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cmd_analyze_help(FILE *out)
{
	fputs("usage: safemeta analyze INPUT [options]\n"
	      "\n"
	      "INPUT is a review JSON file or a CSV of per-study data. Writes the\n"
	      "results JSON to standard output, or to FILE with -o.\n"
	      "\n"
	      "options (each overrides the review's settings):\n", out);
	sm_cli_analysis_options_help(out);
	fputs("  -o, --output FILE    write here (atomically) instead of stdout\n", out);
}

/* The per-study rows' temporary file failed: its cause. */
static sm_status spool_failed(struct sm_cli *cli, const struct sm_row_spool *spool)
{
	int e = sm_row_spool_errno(spool);
	return SM_FAIL(cli->ctx, SM_EOUTPUT, "cannot write the per-study rows to a temporary "
		       "file%s%s; expected free space in $TMPDIR or /tmp (and no smaller file "
		       "size limit than the results need)", e ? ": " : "", e ? strerror(e) : "");
}

/* Where the document is written while it is built (rows once, straight
 * into the output) when that output can be taken back on a failure: -o's
 * temporary file (not an existing device or pipe, which sm_atomic writes
 * in place), or a standard output that is a regular file we write at the
 * end of (truncated back to where it stood).  Anything else (a pipe, a
 * terminal) gets the document after it is built, rows through the spool. */
struct direct {
	struct sm_atomic *af; /* -o */
	int out_fd;           /* stdout: its fd, -1 none */
	off_t out_at;         /* where stdout stood */
	FILE *f;              /* NULL: not direct */
};

static void direct_open(struct sm_cli *cli, const char *output, struct direct *d)
{
	memset(d, 0, sizeof *d);
	d->out_fd = -1;
	struct stat st;
	if (output) {
		if (stat(output, &st) == 0 && !S_ISREG(st.st_mode))
			return;
		/* a failure here is reported (and exits) as without it, when the
		 * results are written.  Past SM_DIRECT_AFTER bytes the temporary
		 * is written with O_DIRECT (sm_direct.h): at k = 10^6 the page
		 * cache's copy of 812 MB was most of the run's system time. */
		d->af = sm_atomic_open_large(cli->ctx, output, SM_DIRECT_AFTER);
		if (!d->af) {
			sm_ctx_clear_error(cli->ctx);
			return;
		}
		d->f = sm_atomic_stream(d->af);
		/* unbuffered, as standard output below: the streamer hands it
		 * aligned pieces of 2 MiB, which stdio's buffer would split into
		 * its 4 KiB and the rest (no large folio in the page cache) */
		(void)setvbuf(d->f, NULL, _IONBF, 0);
		return;
	}
	int fd = fileno(stdout);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	int fl = fcntl(fd, F_GETFL);
	off_t at = lseek(fd, 0, SEEK_CUR);
	/* O_APPEND writes at the end whatever the offset; otherwise only at
	 * the end, so that a truncation takes back only what we wrote */
	if (fl < 0 || at < 0 || (!(fl & O_APPEND) && at != st.st_size))
		return;
	/* unbuffered: what the streamer writes (a mebibyte at a time) is in
	 * the file, none of it left in stdio to come out after a truncation */
	if (setvbuf(stdout, NULL, _IONBF, 0) != 0)
		return;
	d->out_fd = fd;
	d->out_at = fl & O_APPEND ? st.st_size : at;
	d->f = stdout;
}

/* Takes back whatever was written directly. */
static void direct_abort(struct direct *d)
{
	if (d->af)
		sm_atomic_abort(d->af);
	d->af = NULL;
	if (d->out_fd >= 0 && ftruncate(d->out_fd, d->out_at) == 0)
		(void)lseek(d->out_fd, d->out_at, SEEK_SET);
	d->out_fd = -1;
	d->f = NULL;
}

/* Streams results (freed) to output, atomically, or to stdout; stream:
 * the document written while it was built (d says where), else NULL. */
static sm_status write_results(struct sm_cli *cli, cJSON *results, struct sm_row_spool *spool,
			       const char *output, struct sm_json_stream *stream,
			       struct direct *d)
{
	if (sm_row_spool_failed(spool)) {
		cJSON_Delete(results);
		direct_abort(d);
		if (sm_row_spool_failed(spool) == SM_ROW_SPOOL_NOMEM)
			return SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
		return spool_failed(cli, spool);
	}
	if (!output) {
		errno = 0;
		int bad = stream ? sm_json_stream_finish(stream) != 0
				 : sm_json_stream_results(results, spool, stdout) != 0;
		if (bad || fflush(stdout) != 0) {
			int e = errno, wrote = ferror(stdout);
			direct_abort(d);
			if (sm_row_spool_failed(spool) == 1)
				return spool_failed(cli, spool);
			/* no write failed: memory (exit 4, as everywhere) */
			if (!wrote)
				return SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
			return SM_FAIL(cli->ctx, SM_EOUTPUT, "cannot write to standard output: %s",
				       e ? strerror(e) : "out of memory");
		}
		return SM_OK;
	}
	struct sm_atomic *af = stream ? d->af : sm_atomic_open(cli->ctx, output);
	if (!af) {
		cJSON_Delete(results);
		return SM_EOUTPUT;
	}
	errno = 0;
	int bad = stream ? sm_json_stream_finish(stream) != 0
			 : sm_json_stream_results(results, spool, sm_atomic_stream(af)) != 0;
	if (bad) {
		/* the failing write's errno (ENOSPC on a full disk), else memory */
		int wrote = ferror(sm_atomic_stream(af)), e = wrote ? errno : 0;
		sm_atomic_abort(af);
		d->af = NULL;
		if (sm_row_spool_failed(spool) == 1)
			return spool_failed(cli, spool);
		if (!wrote) /* no write failed: memory (exit 4, as everywhere) */
			return SM_FAIL(cli->ctx, SM_EINTERNAL, "out of memory");
		return SM_FAIL_POS(cli->ctx, SM_EOUTPUT, output, 0, 0, NULL,
				   "cannot write the results: %s; expected a writable output "
				   "with free space", e ? strerror(e) : "out of memory");
	}
	d->af = NULL;
	return sm_atomic_commit(cli->ctx, af);
}

int cmd_analyze(struct sm_cli *cli, int argc, char **argv)
{
	struct sm_analysis_opts opts;
	sm_analysis_opts_init(&opts);
	const char *output = NULL;
	int rc = sm_cli_parse_analysis_opts(cli, "analyze", argc, argv, &opts, &output);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return sm_cli_usage_error(cli, "analyze",
					  optind >= argc ? "missing INPUT" : "too many arguments");
	const char *input = argv[optind];
	if (output && sm_output_is_input(cli->ctx, output, input))
		return sm_cli_finish(cli, SM_EINPUT);

	struct sm_review *review = sm_cli_load_review(cli->ctx, input, &opts);
	if (!review)
		return sm_cli_finish(cli, SM_EINPUT);
	/* The per-study rows go out as they are made: straight into the output
	 * where it can be taken back (struct direct), else to a temporary file
	 * from which they are copied when the document is streamed out
	 * (sm_row_spool.h, sm_json_stream.h); memory a few bytes per row, not
	 * kilobytes. */
	struct sm_row_spool *spool = sm_row_spool_new();
	if (!spool) {
		sm_review_free(review);
		SM_FAIL(cli->ctx, SM_EOUTPUT, "cannot create a temporary file for the per-study "
			"rows; expected a writable temporary folder ($TMPDIR or /tmp)");
		return sm_cli_finish(cli, SM_EOUTPUT);
	}
	struct direct d;
	direct_open(cli, output, &d);
	struct sm_json_stream *stream = d.f ? sm_json_stream_new(d.f, spool) : NULL;
	cJSON *results = sm_results_build_streamed(cli->ctx, review, &opts, spool, stream);
	if (!results || (stream && !sm_json_stream_begun(stream))) {
		/* failed, or nothing was streamed (no rows): written after as
		 * without a stream */
		sm_json_stream_free(stream);
		stream = NULL;
	}
	if (!results || (!stream && d.f)) {
		/* a failure takes back what went out already: no half a file */
		direct_abort(&d);
		if (!results) {
			sm_review_free(review);
			sm_row_spool_free(spool);
			return sm_cli_finish(cli, SM_EINPUT);
		}
	}
	sm_cli_print_result_warnings(cli, results);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(results, "analyses")) == 0)
		sm_ctx_warn(cli->ctx, "%s has no per-study outcomes: no analysis was run (the review's "
			    "PRISMA counts, risk of bias and tables are in the results)", input);
	sm_status st = write_results(cli, results, spool, output, stream, &d);
	/* after the document: its streamed rows point to the review's labels */
	sm_review_free(review);
	sm_json_stream_free(stream);
	sm_row_spool_free(spool);
	return sm_cli_finish(cli, st);
}
