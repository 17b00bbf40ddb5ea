/*
 * sm_limits.h -- hard limits on what safemeta reads.
 *
 * Inputs come from users and from other programs' exports; a limit turns a
 * runaway file (a wrong file picked, a generator loop) into a clear error
 * instead of an out-of-memory crash deep inside the analysis.  The numbers
 * are far above any real systematic review.
 */
#ifndef SM_LIMITS_H
#define SM_LIMITS_H

/* Largest input file (CSV, template, ...), in bytes: 64 MiB. */
#define SM_MAX_FILE_BYTES ((size_t)64 * 1024 * 1024)

/* Largest results document a renderer reads, in bytes: 1 GiB (the results
 * of 10^6 studies with their per-study rows are about 600 MB; the typed
 * reader keeps the values, not a tree of the text). */
#define SM_MAX_RESULTS_BYTES ((size_t)1024 * 1024 * 1024)

/* Largest review JSON, in bytes: 16 MiB.  Lower than for CSV because a
 * parsed JSON tree takes about 14 times its text in memory; big outcome
 * tables belong in a CSV named by the review ("outcomes": {"csv": ...}). */
#define SM_MAX_JSON_BYTES ((size_t)16 * 1024 * 1024)

/* Most data rows in a CSV file or entries in a review's `outcomes`.  A row
 * costs about 190 bytes in the review plus its labels (about 200 MB for a
 * million rows); the analysis and its results JSON take more, so this is
 * what keeps `analyze` of a file at the limit near 1 GB. */
#define SM_MAX_ROWS ((size_t)1000000)

/* Longest label, id or other short text field, in bytes of UTF-8. */
#define SM_MAX_LABEL_BYTES ((size_t)1000)

/* Longest free text (table titles and footnotes, notes), in bytes. */
#define SM_MAX_TEXT_BYTES ((size_t)100000)

/* Deepest JSON nesting accepted (cJSON itself stops at 1000). */
#define SM_MAX_JSON_DEPTH 512

/* Largest count accepted: integers above 2^53 are not exact in a double. */
#define SM_MAX_COUNT 9007199254740992.0

#endif
