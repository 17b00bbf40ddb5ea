/*
 * sm_direct.h -- a large output file written past the kernel's page cache.
 *
 * Writing 800 MB into a new file on ext4 costs about 2.5 s of system time
 * here, nearly all of it the kernel copying the bytes into fresh page-cache
 * pages; the same bytes written with O_DIRECT from an aligned buffer cost
 * under 0.1 s (tests/bench/README.md "Seventh round: direct").  A writer
 * on a file descriptor its owner opened itself (never an inherited one: its
 * flags are shared with the parent) writes the first `after` bytes the
 * ordinary way, so that small outputs stay in the page cache, and then
 * every block-aligned stretch with O_DIRECT, set on that descriptor alone
 * with fcntl(F_SETFL), and the unaligned pieces (the head up to a block
 * boundary, the tail) buffered, with O_DIRECT cleared again.  A file
 * system that refuses O_DIRECT (EINVAL: some FUSE or network file systems,
 * or an alignment it wants larger than ours) gets buffered writes, silently,
 * with the same bytes.
 *
 * sm_direct_stream() wraps the writer in a stdio stream (fopencookie), so
 * that callers write with fwrite/fputs and read ferror as with any FILE.
 *
 * Ownership: sm_direct_new() borrows fd (the caller closes it, after
 * sm_direct_free()); the stream from sm_direct_stream() is closed with
 * fclose() before sm_direct_free() and leaves fd open.
 */
#ifndef SM_DIRECT_H
#define SM_DIRECT_H

#include <stddef.h>
#include <stdio.h>

/* What a results file writes through the page cache before it goes
 * direct: 32 MiB.  Every figure, bundle page and results file up to some
 * 40 000 studies stays below it (they are read back soon, by `report` or a
 * viewer, and cost at most about 0.1 s of system time this way), while a
 * file of hundreds of megabytes writes all but its first 4 % direct. */
#define SM_DIRECT_AFTER ((size_t)32 << 20)

struct sm_direct;

/* A writer on fd (open for writing, at offset 0, not O_APPEND) that goes
 * direct once `after` bytes are written; NULL when out of memory. */
struct sm_direct *sm_direct_new(int fd, size_t after);
void sm_direct_free(struct sm_direct *d);
/* Writes all n bytes: 0, or -1 with errno (what write(2) gave). */
int sm_direct_write(struct sm_direct *d, const void *p, size_t n);
/* Clears O_DIRECT on fd again (before fsync, or another writer of fd);
 * 0, or -1 with errno. */
int sm_direct_settle(struct sm_direct *d);
/* Bytes written with O_DIRECT so far (0: none, or refused). */
long long sm_direct_bytes(const struct sm_direct *d);
/* A write-only stdio stream onto d (NULL with errno when it cannot be
 * made), buffered as stdio buffers a file; a stream that hands over
 * large aligned pieces (the results streamer) makes it unbuffered. */
FILE *sm_direct_stream(struct sm_direct *d);

#endif
