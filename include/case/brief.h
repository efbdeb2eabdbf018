/*
 * The briefing (case-report --brief): one self-contained HTML page of the
 * loop over a period, beside the period before it, with inline SVG charts
 * and no script; and one grouping of the statistics as an SVG chart
 * (case-report --format svg).  Every figure is one that case-report
 * --group prints for the same filters.
 */
#ifndef CASE_BRIEF_H
#define CASE_BRIEF_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"
#include "case/report.h"

struct case_db;

/* The briefing's period [*since, *until) from the filter's --since and
 * --until: the seven days before today (local midnights) when neither is
 * given, seven days before --until when only it is, and up to the start
 * of today when only --since is.  An empty or reversed period is an
 * error. */
int case_brief_period(const struct case_filter *f, int64_t now,
		      int64_t *since, int64_t *until, struct case_err *err);

/* Write the briefing of r's filter, whose since and until must both be
 * set (see case_brief_period), to fp: the headline figures beside those
 * of the period as long just before it, the cases opened and closed per
 * day or week, the ten largest categories by kind, the places at
 * r->depth segments, the lead units, the overdue cases at escalation
 * levels 2 and 3, and the cases reopened after an unsatisfied visit in
 * the period (their reporters with r->pii only). */
int case_report_brief(struct case_db *db, const struct case_report *r,
		      FILE *fp, struct case_err *err);

/* Write r's grouping (r->group, which must be set) of r->figure (NULL:
 * opened) as one standalone SVG 1.1 chart to fp: columns over time for a
 * day, week, month or year, horizontal bars for any other grouping. */
int case_report_svg(struct case_db *db, const struct case_report *r,
		    FILE *fp, struct case_err *err);

#endif
