/*
 * The statistics and lists of lib/report.c for the library's other
 * report writers (the briefing and its charts, lib/brief.c): the same
 * statements that case-report prints, handed over row by row, so that a
 * figure on a page is the figure of the table.
 */
#ifndef CASE_STATS_H
#define CASE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "case/report.h"
#include "store.h"

#define CASE_STATS_MAX 32

/* One figure of a statistics row. */
struct case_figval {
	int none;      /* nothing to count (an empty field in CSV) */
	int rate;      /* a rate or hours: value; else a count: count */
	int64_t count;
	double value;  /* rounded once, to one decimal (case_round1) */
};

/* One row: the group's keys as text (NULL for a case without a value; no
 * keys without a group), and every figure in the order of
 * case_report_figures (fig[n] is the figure number n; one that was not
 * asked for is none). */
struct case_stats_row {
	const char *key[2];
	size_t nkeys;
	struct case_figval fig[CASE_STATS_MAX];
	size_t nfig;
};

typedef int (*case_stats_fn)(void *ctx, const struct case_stats_row *row,
			     struct case_err *err);

/* The number of a figure in case_report_figures, or -1 ("all" is not
 * one). */
int case_report_figure(const char *name);

/* Run the statistics of the cases that f selects, grouped by group
 * ("place:3", "category,kind"; NULL: one row over all of them) and sorted
 * by the keys, and hand each row to fn, which returns -1 (with err set)
 * to stop.  figures ("opened,closed"; NULL: all) are those the caller
 * reads: the statement computes only what they need.  The row's texts
 * last until fn returns. */
int case_report_stats_each(struct case_db *db, const struct case_filter *f,
			   const char *group, const char *figures,
			   case_stats_fn fn, void *ctx, struct case_err *err);

/* Run a list: head is the start of a SELECT over the cases aliased c, up
 * to and including its WHERE condition, in which ?1 is now and ?2... are
 * vals; the filter's terms follow (those of f's opening times only unless
 * on_events, for lists bounded by times of their own), then tail (ORDER
 * BY ...).  f may be NULL for no filter.  Each row goes to fn as a
 * statement to read with case_col_*; fn returns -1 to stop. */
int case_report_rows(struct case_db *db, const struct case_filter *f,
		     int on_events, const char *head, const int64_t *vals,
		     size_t nvals, const char *tail,
		     int (*fn)(void *ctx, struct case_stmt *st,
			       struct case_err *err),
		     void *ctx, struct case_err *err);

#endif
