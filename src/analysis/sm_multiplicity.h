/*
 * sm_multiplicity.h -- many body systems at once: the review's analyses
 * (domains, i.e. body systems) and their terms (rows) adjusted for
 * multiplicity (sm_fdr.h), computed from the analyses already in the
 * results document.
 *
 *   Benjamini-Hochberg   the domains' pooled P values (each analysis' "p",
 *                        its own model), adjusted across the domains;
 *                        signal when the adjusted P <= alpha;
 *   double FDR           Mehrotra & Heyse (2004): the terms are the rows of
 *                        each domain (one adverse-event term in one study),
 *                        each with the two-sided P of Fisher's exact test of
 *                        its table ("fisher_p"); step 1 adjusts the body
 *                        systems' Simes P values across body systems, step 2
 *                        the terms within each flagged body system;
 *                        alpha1 = alpha2 = alpha, as in their paper.
 * alpha = 1 - level / 100.  The double FDR needs 2x2 rows in the document:
 * for other data, or under --no-studies, its values are null with the reason
 * in "dfdr_note".
 *
 * Ownership: returns a new object (NULL on out of memory, recorded in ctx).
 */
#ifndef SM_MULTIPLICITY_H
#define SM_MULTIPLICITY_H

#include "sm_ctx.h"

#include <cjson/cJSON.h>

cJSON *sm_multiplicity_json(struct sm_ctx *ctx, const cJSON *results);

struct sm_row_spool;
/* The same, with each "terms" row put into spool (sm_row_spool.h) as soon
 * as it is made, for a document that is streamed out; NULL: kept whole. */
cJSON *sm_multiplicity_json_spooled(struct sm_ctx *ctx, const cJSON *results,
				    struct sm_row_spool *spool);
/* The same, with the "terms" rows written to stream as they are made
 * (sm_json_stream.h): the block is opened as the next member of the
 * stream's open object (the document), left open after its terms; the
 * caller adds it there as "multiplicity" and leaves it.  NULL: as above. */
struct sm_json_stream;
cJSON *sm_multiplicity_json_streamed(struct sm_ctx *ctx, const cJSON *results,
				     struct sm_row_spool *spool, struct sm_json_stream *stream);
/* As _streamed, with the rows of a build that kept its text rows out of
 * the tree (sm_row_index.h; NULL: every row in the tree). */
struct sm_row_index;
cJSON *sm_multiplicity_json_indexed(struct sm_ctx *ctx, const cJSON *results,
				    struct sm_row_spool *spool, struct sm_json_stream *stream,
				    const struct sm_row_index *index);

#endif
