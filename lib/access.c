/*
 * The journal of personal data read.  Residents' data protection expects
 * a record of who looked at a reporter's name and telephone number, and
 * when: before a listing, a case's page or a calendar shows them, one
 * "access" event per case whose personal data it is about to show is
 * written, in a write transaction of its own, and committed.  Only then
 * is anything shown, and only for the cases those events name: a record
 * that cannot be written shows nothing personal, and a case that came
 * into a listing after its record was written shows none of its own.
 *
 * An access event carries the case's status and level as they are, so
 * the journal still ends in the case's state, as case-admin check wants.
 */
#include <stdio.h>

#include "case/roles.h"
#include "i18n.h"
#include "internal.h"

static int
cannot(struct case_err *err)
{
	return case_err_prefix(err, _("cannot record who reads personal data, "
				    "so none is shown: "));
}

int
case_access_begin(struct case_db *db, struct case_access *a,
		  struct case_err *err)
{
	int64_t next_case;

	a->first = 1;
	a->last = 0;
	if (case_role_allows(db, CASE_ACT_PII, err) < 0)
		return -1;
	if (case_db_begin(db, err) < 0)
		return cannot(err);
	/* Writers take turns, so the events of this transaction are the
	 * next ids, one after another. */
	if (case_db_next_ids(db, &next_case, &a->first, err) < 0) {
		case_db_rollback(db);
		return cannot(err);
	}
	a->last = a->first - 1;
	return 0;
}

int
case_access_add(struct case_db *db, struct case_stmt *st,
		struct case_access *a, struct case_err *err)
{
	if (case_db_done(db, st, err) < 0) {
		case_db_rollback(db);
		a->last = a->first - 1;
		return cannot(err);
	}
	a->last += case_db_changes(db);
	return 0;
}

int
case_access_end(struct case_db *db, struct case_access *a,
		struct case_err *err)
{
	if (case_db_commit(db, err) < 0) {
		a->last = a->first - 1;
		return cannot(err);
	}
	return 0;
}

const char *
case_access_detail(struct case_db *db, const char *command, char *buf,
		   size_t n)
{
	snprintf(buf, n, "personal data read by %s with %s",
		 case_db_actor(db), command);
	return buf;
}
