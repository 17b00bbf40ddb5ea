/*
 * sm_golden.h -- access to the reference results under tests/golden/ for
 * any test: the datasets present, their input.csv columns, and the values
 * of expected.json by slash-separated path ("analyses/0/measures/OR/k").
 *
 * expected.json writes NA/NaN/Inf as null with a sibling "<key>_note"
 * (a string for scalars, {"Inf": [1-based positions]} for arrays); the
 * number getters decode that into NAN / +-INFINITY.
 *
 * Ownership: sm_golden_load() returns a document freed by
 * sm_golden_free(); cJSON nodes obtained from it are borrowed.  Lists and
 * arrays returned through out-parameters are owned by the caller (free()).
 */
#ifndef SM_GOLDEN_H
#define SM_GOLDEN_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Names of the dataset folders tests/golden/<name>/ holding an
 * expected.json, sorted; *n gets the count.  Free each and the array. */
char **sm_golden_datasets(size_t *n);

struct sm_golden;
/* Parse tests/golden/<name>/expected.json; NULL when missing or invalid. */
struct sm_golden *sm_golden_load(const char *name);
void sm_golden_free(struct sm_golden *g);
const cJSON *sm_golden_root(const struct sm_golden *g);

/* Node at path below `node` ("a/0/b"; numeric parts index arrays); NULL
 * when absent. */
const cJSON *sm_golden_get(const cJSON *node, const char *path);
/* String at path or NULL. */
const char *sm_golden_str(const cJSON *node, const char *path);
/* 1 when the path holds a number or a null (decoded via its note: NA and
 * NaN give NAN, Inf/-Inf give infinities); 0 when absent or not numeric. */
int sm_golden_num(const cJSON *node, const char *path, double *out);
/* Element i of the numeric (or boolean: 0/1) array at path, decoded the
 * same way; returns 0 when absent. */
int sm_golden_num_at(const cJSON *node, const char *path, size_t i, double *out);
/* Length of the array at path, 0 when absent. */
size_t sm_golden_len(const cJSON *node, const char *path);

/* input.csv of a dataset as columns of text. */
struct sm_golden_csv {
	size_t ncol, nrow;
	char **names;  /* ncol */
	char ***cells; /* cells[col][row] */
};
struct sm_golden_csv *sm_golden_csv_load(const char *name);
void sm_golden_csv_free(struct sm_golden_csv *c);
/* Column index by header name, -1 when absent. */
int sm_golden_csv_col(const struct sm_golden_csv *c, const char *name);

/* The 2x2 counts of one analysis: its 1-based "rows" of input.csv.  Fails
 * the test when a column or row is missing; release with
 * sm_golden_tables_release(). */
struct sm_golden_tables {
	size_t k;
	double *ai, *n1i, *ci, *n2i;
};
void sm_golden_tables_load(const struct sm_golden_csv *csv, const cJSON *analysis,
			   struct sm_golden_tables *t);
void sm_golden_tables_release(struct sm_golden_tables *t);

#endif
