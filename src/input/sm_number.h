/*
 * sm_number.h -- strict number parsing and the checks shared by the CSV and
 * JSON readers, so both say the same thing about the same bad value.
 */
#ifndef SM_NUMBER_H
#define SM_NUMBER_H

enum sm_num_status {
	SM_NUM_OK,
	SM_NUM_EMPTY,    /* blank text */
	SM_NUM_SYNTAX,   /* not a decimal number (hex, "nan", "inf" and words too) */
	SM_NUM_NONFINITE /* overflows a double, e.g. 1e999 */
};

/* Parses a whole decimal number (surrounding blanks allowed). */
enum sm_num_status sm_parse_number(const char *s, double *out);

/* What kind of value a field needs. */
enum sm_value_rule {
	SM_RULE_COUNT,    /* integer >= 0 */
	SM_RULE_TOTAL,    /* integer >= 1 */
	SM_RULE_POSITIVE, /* finite > 0 (variances, standard errors) */
	SM_RULE_FINITE    /* any finite number */
};

/* NULL when v satisfies rule, else the "expected ..." text for messages:
 * e.g. "expected a non-negative integer". */
const char *sm_value_check(double v, enum sm_value_rule rule);

/* "a non-negative integer" etc., for the messages of missing values. */
const char *sm_value_rule_text(enum sm_value_rule rule);

#endif
