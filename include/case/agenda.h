/*
 * The agenda: return visits due (and cases past their deadline), as a
 * listing for cron and people, and as an iCalendar feed for calendars.
 */
#ifndef CASE_AGENDA_H
#define CASE_AGENDA_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"
#include "case/out.h"

struct case_db;

struct case_agenda {
	int overdue;	  /* also cases past their deadline */
	int64_t within;	  /* visits due up to now + within (seconds) */
	const char *unit; /* only cases this unit leads or supports */
	const char *place; /* only cases at this place or below it */
};

/* The agenda's columns: id, item (visit or deadline), due, attempt, lead,
 * place, summary. */
extern const struct case_col case_agenda_cols[];
#define CASE_AGENDA_NCOLS 7

/* One row per open visit of a resolved case due by now + within, and with
 * overdue one per open or assigned case past its deadline, ordered by due
 * time. */
int case_agenda_list(struct case_db *db, const struct case_agenda *a,
		     struct case_out *out, struct case_err *err);

/* Every open visit of a resolved case (with within > 0, only those due by
 * now + within) as an RFC 5545 calendar on fp: CRLF line ends, lines
 * folded at 75 octets, one VEVENT per visit with a stable UID.  Reporter
 * names and contacts appear only with pii. */
int case_agenda_ics(struct case_db *db, int64_t within, int pii, FILE *fp,
		    struct case_err *err);

#endif
