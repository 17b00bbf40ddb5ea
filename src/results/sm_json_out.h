/*
 * sm_json_out.h -- writing statistics into cJSON trees.
 *
 * A statistic that does not exist (NaN, e.g. the df of a z test) is written
 * as JSON null, never as a made-up number.  An infinite one (a knha
 * statistic with se = 0, Orwin's fail-safe N for a mean of 0) is null too,
 * JSON having no infinity, and a sibling "<key>_infinite" says which: 1 for
 * +Inf, -1 for -Inf (for an array: an array of 1, -1 or 0 per element);
 * the sibling is absent for finite values and NaN.  Numbers are
 * printed by cJSON with the fewest digits (15 or 17 significant) that read
 * back as the same double, so results round-trip exactly.
 */
#ifndef SM_JSON_OUT_H
#define SM_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define SM_JSON_INFINITE_SUFFIX "_infinite"

/* A number, or null when v is NaN or infinite (no flag: see the add
 * functions).  NULL on out of memory. */
cJSON *sm_json_number(double v);
/* obj[key] = number-or-null, plus obj["<key>_infinite"] for +-Inf; returns
 * the added item (NULL on failure). */
cJSON *sm_json_add_number(cJSON *obj, const char *key, double v);
/* obj[key] = [lb, ub] with nulls as above. */
cJSON *sm_json_add_pair(cJSON *obj, const char *key, double lb, double ub);
/* obj[key] = array of n numbers (nulls as above). */
cJSON *sm_json_add_array(cJSON *obj, const char *key, const double *v, size_t n);
/* The shortest decimal form of v that reads back as the same double (as
 * cJSON prints it), into buf (at least 32 bytes). */
void sm_json_shortest(char *buf, size_t size, double v);
/* The document as deterministic, pretty-printed JSON text with a final
 * newline (what results.json holds); NULL on out of memory.  Caller frees. */
char *sm_json_print(const cJSON *doc);

/* obj[key] = string, or null when s is NULL. */
cJSON *sm_json_add_string(cJSON *obj, const char *key, const char *s);

#endif
