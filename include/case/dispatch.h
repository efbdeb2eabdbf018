/*
 * Dispatch beyond one case at a time: auto-routing of open cases to the
 * unit that covers their place, and escalation of overdue cases up the
 * three supervisors.
 */
#ifndef CASE_DISPATCH_H
#define CASE_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "case/err.h"

struct case_db;

/* What auto-routing decided for one case. */
struct case_route {
	int64_t id;
	const char *place; /* may be NULL */
	const char *unit;  /* the unit chosen; NULL when none was: no unit
			      matches, or several tie */
	const char *const *tied; /* a tie: the codes of the ntied units that
				    match equally, in order; the case is
				    left open */
	size_t ntied;
};

/* Route every open case without a lead to the unit whose place is the
 * longest prefix of the case's place, by whole segments.  Cases with no
 * match or a tie stay open.  Every case is reported through on_case.
 * Needs a write transaction (roll it back for a dry run). */
int case_auto_route(struct case_db *db,
		    void (*on_case)(void *ctx, const struct case_route *r),
		    void *ctx, struct case_err *err);

/* One case that rose a level. */
struct case_rise {
	int64_t id;
	int level;		 /* the new level, 1-3 */
	const char *supervisor; /* NULL when none is configured */
	const char *contact;
	const char *lead;	 /* may be NULL */
	int64_t due_at;
	int64_t overdue;	 /* seconds past the deadline */
	const char *summary;
};

/* Raise every overdue open or assigned case to the level the policy gives
 * for its time past due (level 1 past the deadline, 2 after escalate.2, 3
 * after escalate.3), straight to that level, journaling each rise.  Level
 * 1's supervisor is the lead unit's chief when it has one.  Cases already
 * at their level are left alone, so a second run changes nothing.  Needs a
 * write transaction. */
int case_escalate(struct case_db *db,
		  void (*on_rise)(void *ctx, const struct case_rise *r),
		  void *ctx, struct case_err *err);

#endif
