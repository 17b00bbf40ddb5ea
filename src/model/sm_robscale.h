/*
 * sm_robscale.h -- the vocabulary of risk of bias: the tools (RoB 1, RoB 2,
 * ROBINS-I), the domains a tool assesses by default, the words of its
 * judgement scale, the level each word stands for across tools, and the
 * words a legend uses for them.
 *
 * The review reader checks judgements against these scales (exactly, as
 * the review format spells them) and the figures (the risk-of-bias plots,
 * the forest's risk-of-bias columns) turn words into levels with
 * sm_rob_level_of(), so a word the reader accepts is a word the figures
 * know.  How a level is drawn (colour, symbol) is the drawing's business
 * (src/figures/rob/sm_rob_int.h).
 *
 * Ownership: static strings and tables; nothing here allocates.
 */
#ifndef SM_ROBSCALE_H
#define SM_ROBSCALE_H

/* Judgement levels across the three tools, worst last (no information
 * after them); SM_ROB_NONE: not assessed (a null judgement). */
enum sm_rob_level { SM_ROB_NONE = -1, SM_ROB_LOW, SM_ROB_UNCLEAR, SM_ROB_SOME, SM_ROB_HIGH,
		    SM_ROB_CRITICAL, SM_ROB_NOINFO, SM_ROB_NLEVELS };

/* sm_rob_level_of() for a word the tool does not use. */
#define SM_ROB_NOT_ON_SCALE (-2)

struct sm_rob_tool {
	const char *name;                /* "RoB1", "RoB2", "ROBINS-I" */
	const char *const *domains;      /* assessed by default; NULL-terminated */
	const char *const *words;        /* the scale, best first; NULL-terminated */
	const enum sm_rob_level *levels; /* the level of each word */
	const char *const *labels;       /* the legend's words for each word */
};

/* The tools' names, NULL-terminated (for "expected one of" messages). */
extern const char *const sm_rob_tool_names[];

/* The tool of that name (exact), or NULL. */
const struct sm_rob_tool *sm_rob_tool_named(const char *name);

/* 1 when `word` is exactly a word of the tool's scale. */
int sm_rob_tool_has_word(const struct sm_rob_tool *tool, const char *word);

/* The level of a judgement word of tool `tool` (the word's case does not
 * matter): SM_ROB_NONE for NULL (not assessed), SM_ROB_NOT_ON_SCALE for a
 * word the tool does not use or an unknown tool. */
int sm_rob_level_of(const char *tool, const char *word);

/* The legend's words for a level in a tool ("Low risk of bias",
 * "Moderate"); "Not assessed" for SM_ROB_NONE; NULL when the tool has no
 * word for the level. */
const char *sm_rob_label(const char *tool, enum sm_rob_level level);

#endif
