/*
 * Cases: their fields, opening one, and the lifecycle transitions of SPEC
 * section 4.  Every transition checks the case's status, changes the row
 * and writes one event, inside the caller's transaction; an illegal one
 * changes nothing and names the case and its status.
 */
#ifndef CASE_CASES_H
#define CASE_CASES_H

#include <stdint.h>

#include "case/err.h"

struct case_db;

/* The fields a case can be opened with, from options or CSV columns. */
enum case_field {
	CASE_F_REF,
	CASE_F_KIND,
	CASE_F_CATEGORY,
	CASE_F_SUMMARY,
	CASE_F_DESCRIPTION,
	CASE_F_PRIORITY,
	CASE_F_PLACE,
	CASE_F_ADDRESS,
	CASE_F_REPORTER,
	CASE_F_CONTACT,
	CASE_F_SOURCE,
	CASE_F_OPENED_AT,
	CASE_F_DUE_AT,
	/* History, for migrating from another system. */
	CASE_F_STATUS,
	CASE_F_LEAD,
	CASE_F_RESOLVED_AT,
	CASE_F_CLOSED_AT,
	/* The return visit that closed or reopened an imported case. */
	CASE_F_VISITED_AT,
	CASE_F_VISIT_OUTCOME,
	CASE_F_VISIT_METHOD,
	/* Where the problem is: WGS-84 decimal degrees, personal data. */
	CASE_F_LAT,
	CASE_F_LON,
	CASE_F_COUNT
};

/* Field names as CSV headers and output columns use them. */
extern const char *const case_field_names[CASE_F_COUNT + 1];

/* The index of a field name (case-insensitive), or -1. */
int case_field_index(const char *name);

extern const char *const case_kinds[];    /* dispute, hazard, request */
extern const char *const case_statuses[]; /* open ... cancelled */
extern const char *const case_methods[];  /* visit, phone, sms, other */
extern const char *const case_outcomes[]; /* satisfied, unsatisfied, unreachable */


/* Check one field's value on its own, as case_open would: its text, its
 * word (kind, priority, status), place, unit or time (and that an opening,
 * resolution or closing time is not in the future).  db may be NULL:
 * times are then read against case_time_now() and a unit's code is only
 * checked for its form.  For checking options before any file is read;
 * the message does not name the field, so the caller names the option. */
int case_field_check(struct case_db *db, enum case_field f, const char *s,
		     struct case_err *err);

/* Check the values of one case as case_open would, without a database:
 * each field, the fields a case needs, and the order of its times (opened,
 * then due; opened, then resolved, then closed; none of them after now).
 * names gives each field's name for messages, such as an option's "--at"
 * (NULL, or a NULL entry: the field's own name).  With
 * CASE_CHECK_DEFAULTS the values are defaults for the rows of an import:
 * a missing summary or kind is no error, and the deadline is compared
 * with the opening only when both are given. */
#define CASE_CHECK_DEFAULTS 0x1
int case_open_check(const char *const v[CASE_F_COUNT],
		    const char *const names[CASE_F_COUNT], int flags,
		    struct case_err *err);

/* Check a place path: segments joined by '/', none empty. */
int case_place_check(const char *place, struct case_err *err);

/* What case_open did. */
struct case_opened {
	int64_t id;
	int existed;	/* the ref was already present: id is that case */
	int64_t dup_of; /* a likely duplicate: an open or assigned case at
			   the same place and category opened in the 7 days
			   before, or 0 */
	const char *dup_status; /* its status, "open" or "assigned" (static) */
};

/* Open one case from field values (NULL, "" or white space only means
 * absent; the white space around the value of a one-line field, that is
 * of every field but the description and the address, is dropped).
 * Times are parsed against the handle's now; opened_at defaults to now and
 * due_at to opened_at plus the priority's policy.  History fields leave the states
 * and events that doing those steps by hand would leave.  Needs a write
 * transaction; a failure changes nothing. */
int case_open(struct case_db *db, const char *const v[CASE_F_COUNT],
	      struct case_opened *res, struct case_err *err);

/* Check a note, message or reason as every transition does: UTF-8 text
 * of at most 65536 bytes, lines allowed; NULL passes.  The message names
 * it as name ("the note", "--message"), so that a binary can check an
 * option once before it touches any case. */
int case_message_check(const char *name, const char *msg,
		       struct case_err *err);

/* Transitions.  at is the time of the step (0: the handle's now).  Each
 * returns 0 when it changed the case, 1 when there was nothing to change
 * (the unit was already the lead, say) and -1 on error. */
int case_set_lead(struct case_db *db, int64_t id, const char *unit, int64_t at,
		  struct case_err *err);
int case_add_support(struct case_db *db, int64_t id, const char *unit,
		     int64_t at, struct case_err *err);
int case_release(struct case_db *db, int64_t id, const char *unit, int64_t at,
		 struct case_err *err);
int case_set_due(struct case_db *db, int64_t id, int64_t due,
		 struct case_err *err);
int case_note(struct case_db *db, int64_t id, const char *text,
	      struct case_err *err);
/* visit_after < 0: followup.after from the policy. */
int case_resolve(struct case_db *db, int64_t id, const char *message,
		 int64_t visit_after, int64_t at, struct case_err *err);
/* outcome: satisfied, unsatisfied or unreachable; method and message may
 * be NULL. */
int case_visit(struct case_db *db, int64_t id, const char *outcome,
	       const char *method, const char *message, int64_t at,
	       struct case_err *err);
int case_schedule(struct case_db *db, int64_t id, int64_t when,
		  struct case_err *err);
int case_cancel(struct case_db *db, int64_t id, const char *reason,
		int64_t at, struct case_err *err);

/* Check that a case exists and say its status; *status is static. */
int case_status(struct case_db *db, int64_t id, const char **status,
		struct case_err *err);

#endif
