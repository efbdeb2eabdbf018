/*
 * Reports (case-report): lists, one case's timeline, the journal as a
 * stream, and statistics, all read-only and all computed in SQL.
 */
#ifndef CASE_REPORT_H
#define CASE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"
#include "case/out.h"

struct case_db;

/* Which cases a report covers.  NULL or unset members do not filter.
 * kind, status and priority take comma-separated lists. */
struct case_filter {
	const char *kind, *status, *category, *priority;
	const char *unit;   /* lead or current supporting unit */
	const char *place;  /* this place and everything below it */
	const char *search; /* substring of summary, description or address */
	int has_since, has_until;
	int64_t since, until; /* opening time, half-open [since, until) */
	int overdue;	      /* open or assigned and past the deadline */
	int level;	      /* -1: any */
};

/* Where rows go. */
struct case_sink {
	FILE *fp;
	enum case_fmt fmt;
	unsigned flags; /* CASE_OUT_NOHEADER, CASE_OUT_SPREADSHEET */
	size_t width;	/* text: the terminal's width, to fit lines in;
			 * 0 (a pipe or a file): never cut */
};

struct case_report {
	struct case_filter filter;
	const char *columns; /* --list: "id,status,summary" or "all"; NULL:
			      * the default for the format */
	const char *figures; /* statistics: "opened,overdue" or "all"; NULL:
			      * the default for the format */
	const char *group;   /* statistics: "place:3,month"; NULL: summary */
	int pii;	     /* reporter and contact may appear */
	int bars;	     /* text: a bar chart of the counts */
	int width;	     /* the terminal's width for bars */
	int64_t after;	     /* --events: only events with a larger id */
};

/* The names --columns accepts for a list and for statistics (each with
 * "all"), and the --group fields, NULL-terminated (for messages and
 * completion). */
extern const char *const case_report_columns[];
extern const char *const case_report_figures[];
extern const char *const case_report_groups[];

/* Check a report's options before anything is read: the filter's words,
 * the columns (reporter and contact need pii), the figures and the group
 * fields. */
int case_report_check(const struct case_report *r, struct case_err *err);

/* One row per case, ordered by id.  *rows is the number written. */
int case_report_list(struct case_db *db, const struct case_report *r,
		     const struct case_sink *sink, size_t *rows,
		     struct case_err *err);

/* The same cases as Open311 GeoReport v2 service requests: one JSON
 * array. */
int case_report_open311(struct case_db *db, const struct case_report *r,
			FILE *fp, size_t *rows, struct case_err *err);

/* The statistics of the filtered cases: one row, or with a group one row
 * per group sorted by its keys (and in text a total row).  The figures
 * are r->figures; by default every one, but for a group in text the
 * seven that fit a terminal: opened, open, overdue, closed, on_time_pct,
 * median_hours and satisfied_pct. */
int case_report_stats(struct case_db *db, const struct case_report *r,
		      const struct case_sink *sink, struct case_err *err);

/* Each case of an id source with all its fields, its units past and
 * present, its visits and its journal in time order.  In text these are
 * four sections per case; in the other formats one listing of the cases'
 * journals.  A bad id or a case that does not exist goes to on_error and
 * counts in *bad; the others are shown. */
struct case_idsrc;
int case_report_show(struct case_db *db, const struct case_report *r,
		     struct case_idsrc *ids, const struct case_sink *sink,
		     void (*on_error)(void *ctx, const char *msg), void *ctx,
		     long *bad, struct case_err *err);

/* The journal of the filtered cases in event order; since and until in
 * the filter apply to the events' times, and after to their ids. */
int case_report_events(struct case_db *db, const struct case_report *r,
		       const struct case_sink *sink, size_t *rows,
		       struct case_err *err);

/* num / den to one decimal, halves rounded away from zero, in exact
 * integer arithmetic (den > 0): how every rate and hour figure is
 * rounded, so that both engines print the same. */
double case_round1(int64_t num, int64_t den);

#endif
