/*
 * sm_words.h -- the codes of a results document in words, for the methods
 * paragraphs of reports and the method lines under figures: one table, so
 * a figure and the report it stands in never name a method differently.
 *
 * Ownership: static UTF-8 strings.
 */
#ifndef SM_WORDS_H
#define SM_WORDS_H

/* A measure, method, test, zero-cell rule or preset code in words
 * ("DL" -> "DerSimonian–Laird", "OR" -> "odds ratio"); the code itself
 * when it is not one of them. */
const char *sm_words(const char *code);

/* The model a method label pools with, as a noun phrase for a sentence:
 * "a common-effect (inverse-variance) model", "a common-effect
 * (Mantel–Haenszel) model", "a random-effects model with the
 * DerSimonian–Laird estimator of τ²". */
const char *sm_words_model_sentence(const char *label);

/* The same for a figure's method line: "common-effect model (inverse
 * variance)", "random-effects model, τ² by DerSimonian–Laird"; NULL for an
 * unknown label. */
const char *sm_words_model_line(const char *label);

/* A key of a review's "reported" results (what `check` compares) in words,
 * for tables and sentences: "ci_lb" -> "lower CI bound", "rstudent_bound"
 * -> "studentized-residual bound", "tau2" -> "τ²"; the key itself when
 * it is not one of them. */
const char *sm_words_reported(const char *key);

#endif
