/*
 * Cases and their lifecycle.  Opening a case and every transition of SPEC
 * section 4 live here, so that case-open (which replays history on import),
 * case-assign and case-followup all move cases the same way.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/cases.h"
#include "case/geo.h"
#include "case/roles.h"
#include "case/text.h"
#include "case/time.h"
#include "case/units.h"
#include "case/words.h"
#include "i18n.h"
#include "internal.h"

const char *const case_field_names[CASE_F_COUNT + 1] = {
	"ref", "kind", "category", "summary", "description", "priority",
	"place", "address", "reporter", "contact", "source", "opened_at",
	"due_at", "status", "lead", "resolved_at", "closed_at", "visited_at",
	"visit_outcome", "visit_method", "lat", "lon", NULL,
};

const char *const case_kinds[] = {"dispute", "hazard", "request", NULL};
const char *const case_statuses[] = {"open", "assigned", "resolved",
				     "closed", "cancelled", NULL};
const char *const case_methods[] = {"visit", "phone", "sms", "other", NULL};
const char *const case_outcomes[] = {"satisfied", "unsatisfied",
				     "unreachable", NULL};

enum { ST_OPEN, ST_ASSIGNED, ST_RESOLVED, ST_CLOSED, ST_CANCELLED };

#define SHORT 1024
#define LONG 65536

/* Limits and line rules per field; multi-line text is allowed only where
 * people write prose. */
static const struct {
	size_t max;
	int flags;
} rules[CASE_F_COUNT] = {
	[CASE_F_REF] = {256, CASE_TEXT_ONELINE},
	[CASE_F_KIND] = {32, CASE_TEXT_ONELINE},
	[CASE_F_CATEGORY] = {256, CASE_TEXT_ONELINE},
	[CASE_F_SUMMARY] = {SHORT, CASE_TEXT_ONELINE},
	[CASE_F_DESCRIPTION] = {LONG, 0},
	[CASE_F_PRIORITY] = {32, CASE_TEXT_ONELINE},
	[CASE_F_PLACE] = {SHORT, CASE_TEXT_ONELINE},
	[CASE_F_ADDRESS] = {SHORT, 0},
	[CASE_F_REPORTER] = {256, CASE_TEXT_ONELINE},
	[CASE_F_CONTACT] = {256, CASE_TEXT_ONELINE},
	[CASE_F_SOURCE] = {64, CASE_TEXT_ONELINE},
	[CASE_F_OPENED_AT] = {64, CASE_TEXT_ONELINE},
	[CASE_F_DUE_AT] = {64, CASE_TEXT_ONELINE},
	[CASE_F_STATUS] = {32, CASE_TEXT_ONELINE},
	[CASE_F_LEAD] = {64, CASE_TEXT_ONELINE},
	[CASE_F_RESOLVED_AT] = {64, CASE_TEXT_ONELINE},
	[CASE_F_CLOSED_AT] = {64, CASE_TEXT_ONELINE},
	[CASE_F_VISITED_AT] = {64, CASE_TEXT_ONELINE},
	[CASE_F_VISIT_OUTCOME] = {32, CASE_TEXT_ONELINE},
	[CASE_F_VISIT_METHOD] = {32, CASE_TEXT_ONELINE},
	[CASE_F_LAT] = {CASE_COORD_MAX - 1, CASE_TEXT_ONELINE},
	[CASE_F_LON] = {CASE_COORD_MAX - 1, CASE_TEXT_ONELINE},
};

int
case_field_index(const char *name)
{
	int i;

	for (i = 0; i < CASE_F_COUNT; i++)
		if (strcasecmp(case_field_names[i], name) == 0)
			return i;
	return -1;
}

static int
present(const char *s)
{
	return s != NULL && *s != '\0';
}

int
case_place_check(const char *place, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *p;

	if (case_text_check(N_("the place"), place, strlen(place), SHORT,
			    CASE_TEXT_ONELINE | CASE_TEXT_NONEMPTY, err) < 0)
		return -1;
	if (place[0] == '/' || place[strlen(place) - 1] == '/' ||
	    strstr(place, "//") != NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("bad place '%s' (expected segments joined by "
				    "'/', such as chaoyang/qianjin/huayu/g07)"),
				    case_quote(q, sizeof q, place));
	for (p = place; *p != '\0'; p++)
		if (*p == ' ' && (p == place || p[-1] == '/' || p[1] == '/' ||
				  p[1] == '\0'))
			return case_err_set(err, CASE_E_INPUT,
					    _("bad place '%s': a segment begins "
					    "or ends with a space"),
					    case_quote(q, sizeof q, place));
	return 0;
}

/* The parts of a case row that transitions look at. */
struct row {
	int64_t id;
	int status;
	int priority;
	int level;
	char lead[72];
	int64_t due_at, opened_at;
};

static int
load(struct case_db *db, int64_t id, struct row *r, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT status, priority, level, lead, due_at, opened_at"
		" FROM cases WHERE id = ?1",
		err);
	int rc;

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	rc = case_step(st);
	if (rc == CASE_DONE) {
		case_reset(st);
		return case_not_found(db, id, err);
	}
	if (rc != CASE_ROW) {
		case_reset(st);
		return case_db_fail(db, err, _("cannot read the case"));
	}
	memset(r, 0, sizeof *r);
	r->id = id;
	r->status = case_text_index(case_statuses,
				    case_col_text(st, 0));
	r->priority = case_text_index(case_priorities,
				      case_col_text(st, 1));
	r->level = case_col_int(st, 2);
	if (!case_col_null(st, 3))
		snprintf(r->lead, sizeof r->lead, "%s",
			 case_col_text(st, 3));
	r->due_at = case_col_int64(st, 4);
	r->opened_at = case_col_int64(st, 5);
	case_reset(st);
	if (r->status < 0 || r->priority < 0)
		return case_err_set(err, CASE_E_DB, _("the case row is damaged"));
	return 0;
}

int
case_status(struct case_db *db, int64_t id, const char **status,
	    struct case_err *err)
{
	struct row r;

	if (load(db, id, &r, err) < 0)
		return -1;
	*status = case_statuses[r.status];
	return 0;
}

/* The error of a transition the status forbids: msg, a whole sentence
 * whose one %s is the case's status, in the reader's language. */
static int
illegal(struct case_err *err, const char *msg, const struct row *r)
{
	return case_err_set(err, CASE_E_STATE, msg,
			    case_word_show(case_statuses, r->status));
}

/* Write status, level, lead and the given timestamps back, with one
 * statement for every transition. */
static int
store(struct case_db *db, const struct row *r, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"UPDATE cases SET status = ?2, level = ?3, lead = ?4,"
		" due_at = ?5 WHERE id = ?1",
		err);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, r->id);
	case_bind_str(st, 2, case_statuses[r->status]);
	case_bind_int64(st, 3, r->level);
	case_bind_text(st, 4, r->lead);
	case_bind_int64(st, 5, r->due_at);
	return case_db_done(db, st, err);
}

static int
event(struct case_db *db, const struct row *r, int64_t at, const char *action,
      const char *detail, struct case_err *err)
{
	return case_event(db, r->id, at, action, case_statuses[r->status],
			  r->level, detail, err);
}

static int
set_stamp(struct case_db *db, int64_t id, const char *sql, int64_t at,
	  struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, sql, err);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	if (at != INT64_MIN)
		case_bind_int64(st, 2, at);
	return case_db_done(db, st, err);
}

/* The unit's active role on the case: 0 none, 1 lead, 2 support. */
static int
active_role(struct case_db *db, int64_t id, const char *unit, int *role,
	    struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT role FROM assignments WHERE case_id = ?1 AND unit = ?2"
		" AND released_at IS NULL",
		err);
	int rc;

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	case_bind_str(st, 2, unit);
	rc = case_step(st);
	*role = rc == CASE_ROW
			? (strcmp(case_col_text(st, 0),
				  "lead") == 0
				   ? 1
				   : 2)
			: 0;
	case_reset(st);
	if (rc != CASE_ROW && rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read assignments"));
	return 0;
}

static int
add_assignment(struct case_db *db, int64_t id, const char *unit,
	       const char *role, int64_t at, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"INSERT INTO assignments(case_id, unit, role, assigned_at)"
		" VALUES (?1, ?2, ?3, ?4)",
		err);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	case_bind_str(st, 2, unit);
	case_bind_str(st, 3, role);
	case_bind_int64(st, 4, at);
	return case_db_done(db, st, err);
}

static int
end_assignment(struct case_db *db, int64_t id, const char *unit, int64_t at,
	       struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"UPDATE assignments SET released_at = ?3 WHERE case_id = ?1"
		" AND unit = ?2 AND released_at IS NULL",
		err);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	case_bind_str(st, 2, unit);
	case_bind_int64(st, 3, at);
	return case_db_done(db, st, err);
}

static int64_t
when(struct case_db *db, int64_t at)
{
	return at != 0 ? at : case_db_now(db);
}

int
case_set_lead(struct case_db *db, int64_t id, const char *unit, int64_t at,
	      struct case_err *err)
{
	char detail[200];
	struct row r;
	int role;

	if (case_role_allows(db, CASE_ACT_ASSIGN, err) < 0)
		return -1;
	at = when(db, at);
	if (load(db, id, &r, err) < 0)
		return -1;
	if (r.status == ST_CLOSED || r.status == ST_CANCELLED)
		return illegal(err, _("cannot assign: the case is %s"), &r);
	if (strcmp(r.lead, unit) == 0)
		return 1;
	if (case_unit_require(db, unit, err) < 0 ||
	    active_role(db, id, unit, &role, err) < 0)
		return -1;
	if (r.lead[0] != '\0') {
		if (end_assignment(db, id, r.lead, at, err) < 0)
			return -1;
		snprintf(detail, sizeof detail, "lead %s", r.lead);
		if (event(db, &r, at, "release", detail, err) < 0)
			return -1;
	}
	if (role == 2) {
		if (end_assignment(db, id, unit, at, err) < 0)
			return -1;
		snprintf(detail, sizeof detail, "support %s", unit);
		if (event(db, &r, at, "release", detail, err) < 0)
			return -1;
	}
	if (add_assignment(db, id, unit, "lead", at, err) < 0)
		return -1;
	snprintf(r.lead, sizeof r.lead, "%s", unit);
	if (r.status == ST_OPEN)
		r.status = ST_ASSIGNED;
	if (store(db, &r, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "lead %s", unit);
	return event(db, &r, at, "assign", detail, err);
}

int
case_add_support(struct case_db *db, int64_t id, const char *unit, int64_t at,
		 struct case_err *err)
{
	char detail[200];
	struct row r;
	int role;

	if (case_role_allows(db, CASE_ACT_ASSIGN, err) < 0)
		return -1;
	at = when(db, at);
	if (load(db, id, &r, err) < 0)
		return -1;
	if (r.status == ST_CLOSED || r.status == ST_CANCELLED)
		return illegal(err, _("cannot assign: the case is %s"), &r);
	if (r.lead[0] == '\0')
		return case_err_set(err, CASE_E_STATE,
				    _("cannot add supporting unit %s: the case "
				    "has no lead unit (give --unit too)"),
				    unit);
	if (case_unit_require(db, unit, err) < 0 ||
	    active_role(db, id, unit, &role, err) < 0)
		return -1;
	if (role != 0)
		return 1;
	if (add_assignment(db, id, unit, "support", at, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "support %s", unit);
	return event(db, &r, at, "support", detail, err);
}

int
case_release(struct case_db *db, int64_t id, const char *unit, int64_t at,
	     struct case_err *err)
{
	char detail[200];
	struct row r;
	int role;

	if (case_role_allows(db, CASE_ACT_ASSIGN, err) < 0)
		return -1;
	at = when(db, at);
	if (load(db, id, &r, err) < 0)
		return -1;
	if (r.status == ST_CLOSED || r.status == ST_CANCELLED)
		return illegal(err, _("cannot release a unit: the case is %s"),
			       &r);
	if (case_unit_require(db, unit, err) < 0 ||
	    active_role(db, id, unit, &role, err) < 0)
		return -1;
	if (role == 0)
		return case_err_set(err, CASE_E_STATE,
				    _("cannot release %s: it is not assigned to "
				    "the case"),
				    unit);
	if (role == 1 && r.status == ST_RESOLVED)
		return illegal(err, _("cannot release the lead unit: the case "
				      "is %s; a resolved case keeps its lead"),
			       &r);
	if (end_assignment(db, id, unit, at, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%s %s", role == 1 ? "lead" : "support",
		 unit);
	if (role == 1) {
		r.lead[0] = '\0';
		r.status = ST_OPEN;
		if (store(db, &r, err) < 0)
			return -1;
	}
	return event(db, &r, at, "release", detail, err);
}

int
case_set_due(struct case_db *db, int64_t id, int64_t due,
	     struct case_err *err)
{
	char detail[CASE_TIME_BUF + 8];
	struct row r;

	if (case_role_allows(db, CASE_ACT_ASSIGN, err) < 0)
		return -1;
	if (load(db, id, &r, err) < 0)
		return -1;
	if (r.status != ST_OPEN && r.status != ST_ASSIGNED)
		return illegal(err, _("cannot change the deadline: the case is "
				      "%s; only open and assigned cases have "
				      "one"),
			       &r);
	if (r.due_at == due)
		return 1;
	if (due < r.opened_at)
		return case_err_set(err, CASE_E_INPUT,
				    _("the deadline would be before the case "
				    "was opened"));
	r.due_at = due;
	if (store(db, &r, err) < 0)
		return -1;
	case_time_utc(due, detail);
	return event(db, &r, 0, "due", detail, err);
}

int
case_message_check(const char *name, const char *msg, struct case_err *err)
{
	if (msg == NULL)
		return 0;
	return case_text_check(name, msg, strlen(msg), LONG, 0, err);
}

int
case_note(struct case_db *db, int64_t id, const char *text,
	  struct case_err *err)
{
	struct row r;

	if (case_role_allows(db, CASE_ACT_NOTE, err) < 0)
		return -1;
	if (case_text_blank(text))
		return case_err_set(err, CASE_E_INPUT, _("the note is empty"));
	if (case_message_check(N_("the note"), text, err) < 0 ||
	    load(db, id, &r, err) < 0)
		return -1;
	if (r.status == ST_CANCELLED)
		return illegal(err, _("cannot add a note: the case is %s"), &r);
	return event(db, &r, 0, "note", text, err);
}

int
case_set_level(struct case_db *db, int64_t id, int level, const char *detail,
	       struct case_err *err)
{
	struct row r;

	if (case_role_allows(db, CASE_ACT_ASSIGN, err) < 0)
		return -1;
	if (load(db, id, &r, err) < 0)
		return -1;
	if (r.status != ST_OPEN && r.status != ST_ASSIGNED)
		return illegal(err, _("cannot escalate: the case is %s"), &r);
	if (level <= r.level)
		return 1;
	r.level = level;
	if (store(db, &r, err) < 0)
		return -1;
	return event(db, &r, 0, "escalate", detail, err);
}

static int
add_visit(struct case_db *db, int64_t id, int64_t due, int attempt,
	  int64_t *visit, struct case_err *err)
{
#define ADD_VISIT \
	"INSERT INTO visits(case_id, due_at, attempt) VALUES (?1, ?2, ?3)"
	struct case_stmt *st = case_db_stmt(
		db, CASE_SQL(db, ADD_VISIT, ADD_VISIT " RETURNING id"), err);
	int64_t v;

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	case_bind_int64(st, 2, due);
	case_bind_int64(st, 3, attempt);
	return case_db_insert_id(db, st, visit != NULL ? visit : &v, err);
}


/* An open case cannot be resolved: say whether it never had a lead or
 * lost it. */
static int
unassigned(struct case_db *db, const struct row *r, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT 1 FROM assignments WHERE case_id = ?1 AND role = 'lead'"
		" LIMIT 1",
		err);
	int rc;

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, r->id);
	rc = case_step(st);
	case_reset(st);
	if (rc == CASE_ROW)
		return illegal(err, _("cannot resolve: the case is %s; it has "
				      "no lead unit (its lead was released; "
				      "use case-assign)"),
			       r);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read assignments"));
	return illegal(err, _("cannot resolve: the case is %s; it was never "
			      "assigned (use case-assign first)"),
		       r);
}

/* Resolve a case and, when schedule is set, schedule its first return
 * visit visit_after from now (< 0: followup.after).  An imported case that
 * was closed or reopened has the visits on record, and none to wait
 * for. */
static int
resolve(struct case_db *db, int64_t id, const char *message,
	int64_t visit_after, int64_t at, int schedule, struct case_err *err)
{
	char detail[LONG + 64], due[CASE_TIME_BUF];
	struct case_policy pol;
	struct row r;

	if (case_role_allows(db, CASE_ACT_WORK, err) < 0)
		return -1;
	at = when(db, at);
	if (case_message_check(N_("the message"), message, err) < 0 ||
	    load(db, id, &r, err) < 0)
		return -1;
	if (r.status == ST_OPEN)
		return unassigned(db, &r, err);
	if (r.status != ST_ASSIGNED)
		return illegal(err, _("cannot resolve: the case is %s"), &r);
	if (schedule && visit_after < 0) {
		if (case_policy_get(db, &pol, err) < 0)
			return -1;
		visit_after = pol.followup_after;
	}
	r.status = ST_RESOLVED;
	if (store(db, &r, err) < 0 ||
	    set_stamp(db, id, "UPDATE cases SET resolved_at = ?2 WHERE id = ?1",
		      at, err) < 0 ||
	    (schedule && add_visit(db, id, at + visit_after, 1, NULL, err) < 0))
		return -1;
	if (!schedule)
		return event(db, &r, at, "resolve", message, err);
	case_time_utc(at + visit_after, due);
	snprintf(detail, sizeof detail, "%s%sfirst visit due %s",
		 present(message) ? message : "", present(message) ? "; " : "",
		 due);
	return event(db, &r, at, "resolve", detail, err);
}

int
case_resolve(struct case_db *db, int64_t id, const char *message,
	     int64_t visit_after, int64_t at, struct case_err *err)
{
	return resolve(db, id, message, visit_after, at, 1, err);
}

/* The earliest open visit of a case: its id and attempt number; 0 when
 * none is open. */
static int
due_visit(struct case_db *db, int64_t id, int64_t *visit, int *attempt,
	  int *others, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT id, attempt, count(*) OVER () FROM visits"
		" WHERE case_id = ?1 AND done_at IS NULL"
		" ORDER BY due_at, id LIMIT 1",
		err);
	int rc;

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	rc = case_step(st);
	*visit = 0;
	*attempt = 1;
	*others = 0;
	if (rc == CASE_ROW) {
		*visit = case_col_int64(st, 0);
		*attempt = case_col_int(st, 1);
		*others = case_col_int(st, 2) - 1;
	}
	case_reset(st);
	if (rc != CASE_ROW && rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read visits"));
	return 0;
}

static int
close_case(struct case_db *db, struct row *r, const char *outcome, int64_t at,
	   const char *detail, struct case_err *err)
{
	struct case_stmt *st;

	r->status = ST_CLOSED;
	if (store(db, r, err) < 0)
		return -1;
	st = case_db_stmt(db,
			  "UPDATE cases SET closed_at = ?2, outcome = ?3"
			  " WHERE id = ?1",
			  err);
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, r->id);
	case_bind_int64(st, 2, at);
	case_bind_str(st, 3, outcome);
	if (case_db_done(db, st, err) < 0)
		return -1;
	return event(db, r, at, "close", detail, err);
}

/* Append to a journal detail how many scheduled visits were dropped.  The
 * journal's detail is a record, not a message: it is stored in English
 * and shown as stored in every locale. */
static void
note_dropped(char *detail, size_t n, int dropped)
{
	size_t len = strlen(detail);

	if (dropped == 1)
		snprintf(detail + len, n - len, "; 1 scheduled visit dropped");
	else if (dropped > 1)
		snprintf(detail + len, n - len, "; %d scheduled visits dropped",
			 dropped);
}

/* Visits still scheduled for a case that goes back to work or stops will
 * not happen; the journal records how many were dropped. */
static int
drop_open_visits(struct case_db *db, int64_t id, int *dropped,
		 struct case_err *err)
{
	if (set_stamp(db, id,
		      "DELETE FROM visits WHERE case_id = ?1 AND done_at IS NULL",
		      INT64_MIN, err) < 0)
		return -1;
	*dropped = case_db_changes(db);
	return 0;
}

static int
reopen(struct case_db *db, struct row *r, int64_t at, struct case_err *err)
{
	char detail[CASE_TIME_BUF + 96], due[CASE_TIME_BUF];
	int dropped;

	if (case_policy_due(db, case_priorities[r->priority], at, &r->due_at,
			    err) < 0)
		return -1;
	r->status = ST_ASSIGNED;
	r->level = 0;
	if (store(db, r, err) < 0 ||
	    set_stamp(db, r->id,
		      "UPDATE cases SET resolved_at = NULL,"
		      " reopened = reopened + 1 WHERE id = ?1",
		      INT64_MIN, err) < 0 ||
	    drop_open_visits(db, r->id, &dropped, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "resident unsatisfied; new deadline %s",
		 case_time_utc(r->due_at, due));
	note_dropped(detail, sizeof detail, dropped);
	return event(db, r, at, "reopen", detail, err);
}

int
case_visit(struct case_db *db, int64_t id, const char *outcome,
	   const char *method, const char *message, int64_t at,
	   struct case_err *err)
{
	char detail[LONG + 128], next[CASE_TIME_BUF];
	struct case_policy pol;
	struct case_stmt *st;
	int64_t visit;
	int attempt, others, oi = 0, mi = 3;
	struct row r;

	if (case_role_allows(db, CASE_ACT_WORK, err) < 0)
		return -1;
	at = when(db, at);
	if (case_word_check(N_("outcome"), outcome, case_outcomes, &oi, err) < 0 ||
	    (method != NULL && case_word_check(N_("method"), method, case_methods, &mi,
				      err) < 0) ||
	    case_message_check(N_("the message"), message, err) < 0 ||
	    load(db, id, &r, err) < 0)
		return -1;
	if (r.status != ST_RESOLVED)
		return illegal(err, _("cannot record a visit: the case is %s; "
				      "only resolved cases are visited"),
			       &r);
	if (case_policy_get(db, &pol, err) < 0 ||
	    due_visit(db, id, &visit, &attempt, &others, err) < 0)
		return -1;
	if (visit == 0) {
		if (add_visit(db, id, at, 1, &visit, err) < 0)
			return -1;
	}
	st = case_db_stmt(db,
			  "UPDATE visits SET done_at = ?2, method = ?3,"
			  " outcome = ?4, note = ?5, actor = ?6 WHERE id = ?1",
			  err);
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, visit);
	case_bind_int64(st, 2, at);
	case_bind_str(st, 3, case_methods[mi]);
	case_bind_str(st, 4, case_outcomes[oi]);
	case_bind_text(st, 5, message);
	case_bind_str(st, 6, case_db_actor(db));
	if (case_db_done(db, st, err) < 0)
		return -1;

	snprintf(detail, sizeof detail, "%s by %s, attempt %d%s%s",
		 case_outcomes[oi], case_methods[mi], attempt,
		 present(message) ? ": " : "", present(message) ? message : "");
	if (oi == 2 && attempt < pol.followup_attempts) {
		if (add_visit(db, id, at + pol.followup_retry, attempt + 1, NULL, err) < 0)
			return -1;
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail),
			 "; next attempt due %s",
			 case_time_utc(at + pol.followup_retry, next));
		return event(db, &r, at, "visit", detail, err);
	}
	if (event(db, &r, at, "visit", detail, err) < 0)
		return -1;
	if (oi == 1)
		return reopen(db, &r, at, err);
	if (others > 0)
		return 0; /* another scheduled visit keeps the case open */
	if (oi == 0)
		return close_case(db, &r, "satisfied", at, "satisfied", err);
	snprintf(detail, sizeof detail, "unreachable after %d attempts", attempt);
	return close_case(db, &r, "unreachable", at, detail, err);
}

int
case_schedule(struct case_db *db, int64_t id, int64_t due,
	      struct case_err *err)
{
	char detail[CASE_TIME_BUF];
	struct row r;

	if (case_role_allows(db, CASE_ACT_WORK, err) < 0)
		return -1;
	if (load(db, id, &r, err) < 0)
		return -1;
	if (r.status != ST_RESOLVED)
		return illegal(err, _("cannot schedule a visit: the case is "
				      "%s; only resolved cases are visited"),
			       &r);
	if (add_visit(db, id, due, 1, NULL, err) < 0)
		return -1;
	return event(db, &r, 0, "schedule", case_time_utc(due, detail), err);
}

int
case_cancel(struct case_db *db, int64_t id, const char *reason, int64_t at,
	    struct case_err *err)
{
	char detail[LONG + 64];
	struct row r;
	int dropped;

	if (case_role_allows(db, CASE_ACT_WORK, err) < 0)
		return -1;
	at = when(db, at);
	if (reason == NULL || case_text_blank(reason))
		return case_err_set(err, CASE_E_INPUT,
				    _("a reason is required to cancel a case"));
	if (case_message_check(N_("the reason"), reason, err) < 0 ||
	    load(db, id, &r, err) < 0)
		return -1;
	if (r.status == ST_CLOSED || r.status == ST_CANCELLED)
		return illegal(err, _("cannot cancel: the case is %s"), &r);
	r.status = ST_CANCELLED;
	if (store(db, &r, err) < 0 ||
	    set_stamp(db, id, "UPDATE cases SET closed_at = ?2 WHERE id = ?1",
		      at, err) < 0 ||
	    drop_open_visits(db, id, &dropped, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%s", reason);
	note_dropped(detail, sizeof detail, dropped);
	return event(db, &r, at, "cancel", detail, err);
}

/* ---- opening ---------------------------------------------------------- */


/* "Now" for checks that may run without a database. */
static int
now_of(struct case_db *db, int64_t *now, struct case_err *err)
{
	if (db != NULL) {
		*now = case_db_now(db);
		return 0;
	}
	return case_time_now(now, err);
}

/* The value of field f as a case takes it, in *out: NULL when s is
 * absent or blank; a one-line field without the white space around it,
 * copied into the space from *p to end when its end is cut.  Checks its
 * text; name is the field's name for the message. */
static int
field_value(int f, const char *s, const char *name, const char **out,
	    char **p, const char *end, struct case_err *err)
{
	size_t len;

	*out = NULL;
	if (s == NULL)
		return 0;
	if (rules[f].flags & CASE_TEXT_ONELINE)
		s = case_text_span(s, &len);
	else
		len = case_text_blank(s) ? 0 : strlen(s);
	if (len == 0)
		return 0;
	if (case_text_check(name, s, len, rules[f].max, rules[f].flags, err) < 0)
		return -1;
	if (s[len] != '\0') {
		if (len + 1 > (size_t)(end - *p))
			return case_err_set(err, CASE_E_INPUT, _("%s is too long"),
					    name);
		memcpy(*p, s, len);
		(*p)[len] = '\0';
		s = *p;
		*p += len + 1;
	}
	*out = s;
	return 0;
}

/* History and the opening time cannot be in the future: a case cannot
 * have been opened, resolved, visited or closed after now.  The message names the
 * field when name is not NULL. */
static int
not_future(int f, const char *name, const char *s, int64_t t, int64_t now,
	   struct case_err *err)
{
	char q[CASE_QUOTE_MAX];

	if ((f != CASE_F_OPENED_AT && f != CASE_F_RESOLVED_AT &&
	     f != CASE_F_CLOSED_AT && f != CASE_F_VISITED_AT) ||
	    t <= now)
		return 0;
	case_quote(q, sizeof q, s);
	if (name == NULL)
		return case_err_set(err, CASE_E_INPUT, _("'%s' is in the future"),
				    q);
	return case_err_set(err, CASE_E_INPUT, _("%s: '%s' is in the future"),
			    name, q);
}

int
case_field_check(struct case_db *db, enum case_field f, const char *s,
		 struct case_err *err)
{
	const char *name = case_field_names[f];
	char buf[SHORT + 1], coord[CASE_COORD_MAX], *p = buf;
	int64_t t, now;
	int i;

	if (field_value(f, s, name, &s, &p, buf + sizeof buf, err) < 0)
		return -1;
	if (s == NULL)
		s = "";
	switch (f) {
	case CASE_F_KIND:
		return case_word_check(N_("kind"), s, case_kinds, &i, err);
	case CASE_F_PRIORITY:
		return case_word_check(N_("priority"), s, case_priorities, &i, err);
	case CASE_F_STATUS:
		return case_word_check(N_("status"), s, case_statuses, &i, err);
	case CASE_F_VISIT_OUTCOME:
		return case_word_check(N_("visit outcome"), s, case_outcomes,
				       &i, err);
	case CASE_F_VISIT_METHOD:
		return case_word_check(N_("visit method"), s, case_methods, &i,
				       err);
	case CASE_F_LAT:
	case CASE_F_LON:
		return case_coord_parse(s, f == CASE_F_LAT ? 90 : 180, coord,
					err);
	case CASE_F_PLACE:
		return case_place_check(s, err);
	case CASE_F_LEAD:
		return db != NULL ? case_unit_require(db, s, err)
				  : case_unit_code_check(s, err);
	case CASE_F_OPENED_AT:
	case CASE_F_DUE_AT:
	case CASE_F_RESOLVED_AT:
	case CASE_F_CLOSED_AT:
	case CASE_F_VISITED_AT:
		/* The caller names the option. */
		if (now_of(db, &now, err) < 0 ||
		    case_time_parse(s, now, &t, err) < 0)
			return -1;
		return not_future(f, NULL, s, t, now, err);
	default:
		return 0;
	}
}

/* Parse a time field when it is present; 1 when it was. */
static int
parse_stamp(const struct case_newcase *n, const char *const *names, int f,
	    int64_t now, int64_t *out, struct case_err *err)
{
	*out = 0;
	if (n->v[f] == NULL)
		return 0;
	if (case_time_parse(n->v[f], now, out, err) < 0)
		return case_err_prefix(err, "%s: ", names[f]);
	if (not_future(f, names[f], n->v[f], *out, now, err) < 0)
		return -1;
	return 1;
}

/* Time field f is before field g, which opened_at stands for when it was
 * not given (the case opens now). */
static int
out_of_order(const struct case_newcase *n, const char *const *names, int f, int g,
	     struct case_err *err)
{
	char q[CASE_QUOTE_MAX], q2[CASE_QUOTE_MAX];

	if (n->v[g] == NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s: '%s' is before the case is opened "
				    "(now)"),
				    names[f], case_quote(q, sizeof q, n->v[f]));
	return case_err_set(err, CASE_E_INPUT, _("%s: '%s' is before %s '%s'"),
			    names[f], case_quote(q, sizeof q, n->v[f]), names[g],
			    case_quote(q2, sizeof q2, n->v[g]));
}

/* Opened, then resolved, then visited, then closed: each time that was
 * given comes after every earlier one that was, the opening being given
 * or now; the message names the nearest one it comes before. */
static int
in_order(const struct case_newcase *n, const char *const *names,
	 int has_resolved, int has_visited, int has_closed,
	 struct case_err *err)
{
	const struct {
		int f, given;
		int64_t t;
	} o[] = {
		{CASE_F_OPENED_AT, 1, n->opened},
		{CASE_F_RESOLVED_AT, has_resolved, n->resolved},
		{CASE_F_VISITED_AT, has_visited, n->visited},
		{CASE_F_CLOSED_AT, has_closed, n->closed},
	};
	int i, j;

	for (i = 1; i < (int)(sizeof o / sizeof o[0]); i++)
		for (j = i - 1; o[i].given && j >= 0; j--)
			if (o[j].given && o[i].t < o[j].t)
				return out_of_order(n, names, o[i].f, o[j].f,
						    err);
	return 0;
}

/* The coordinates, both or neither, each in its range. */
static int
coords(struct case_newcase *n, const char *const *names, struct case_err *err)
{
	const char *lat = n->v[CASE_F_LAT], *lon = n->v[CASE_F_LON];

	if (lat == NULL && lon == NULL)
		return 0;
	if (lat == NULL || lon == NULL)
		return case_err_set(err, CASE_E_INPUT, _("%s is given without %s"),
				    names[lat ? CASE_F_LAT : CASE_F_LON],
				    names[lat ? CASE_F_LON : CASE_F_LAT]);
	if (case_coord_parse(lat, 90, n->lat, err) < 0)
		return case_err_prefix(err, "%s: ", names[CASE_F_LAT]);
	if (case_coord_parse(lon, 180, n->lon, err) < 0)
		return case_err_prefix(err, "%s: ", names[CASE_F_LON]);
	return 0;
}

/* The words of the return visit on record: its outcome, which the time
 * and method go with, and its method (other when not given). */
static int
visit_words(struct case_newcase *n, const char *const *names,
	    struct case_err *err)
{
	n->visit = -1;
	n->method = 3;
	if (n->v[CASE_F_VISIT_OUTCOME] == NULL) {
		if (n->v[CASE_F_VISITED_AT] != NULL ||
		    n->v[CASE_F_VISIT_METHOD] != NULL)
			return case_err_set(
				err, CASE_E_INPUT, _("%s is given without %s"),
				names[n->v[CASE_F_VISITED_AT] != NULL
					      ? CASE_F_VISITED_AT
					      : CASE_F_VISIT_METHOD],
				names[CASE_F_VISIT_OUTCOME]);
		return 0;
	}
	if (case_word_check(N_("visit outcome"), n->v[CASE_F_VISIT_OUTCOME],
			    case_outcomes, &n->visit, err) < 0)
		return -1;
	if (n->v[CASE_F_VISIT_METHOD] != NULL &&
	    case_word_check(N_("visit method"), n->v[CASE_F_VISIT_METHOD],
			    case_methods, &n->method, err) < 0)
		return -1;
	return 0;
}

/*
 * How the visit on record fits the case's status: a satisfied or
 * unreachable resident closes the case, and an unsatisfied one reopens
 * it, which leaves it assigned.  The visit's time and the closing time
 * stand for each other when only one is given.
 */
static int
visit_fits(struct case_newcase *n, const char *const *names, int has_visited,
	   int *has_closed, struct case_err *err)
{
	const char *word = case_outcomes[n->visit];

	if (n->visit == 1) {
		if (n->status != ST_ASSIGNED)
			return case_err_set(err, CASE_E_INPUT,
					    _("%s %s reopens the case, so it "
					    "cannot be %s"),
					    names[CASE_F_VISIT_OUTCOME], word,
					    case_statuses[n->status]);
		if (!has_visited)
			return case_err_set(err, CASE_E_INPUT, _("%s %s needs %s"),
					    names[CASE_F_VISIT_OUTCOME], word,
					    names[CASE_F_VISITED_AT]);
		return 0;
	}
	if (n->status != ST_CLOSED)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s %s closes the case, so it cannot be %s"),
				    names[CASE_F_VISIT_OUTCOME], word,
				    case_statuses[n->status]);
	if (!has_visited && !*has_closed)
		return case_err_set(err, CASE_E_INPUT, _("%s %s needs %s or %s"),
				    names[CASE_F_VISIT_OUTCOME], word,
				    names[CASE_F_VISITED_AT],
				    names[CASE_F_CLOSED_AT]);
	if (!has_visited)
		n->visited = n->closed;
	if (!*has_closed) {
		n->closed = n->visited;
		*has_closed = 1;
	}
	return 0;
}

/*
 * Check the values of a new case and work out what they leave unsaid.
 * db may be NULL: "now" is then case_time_now(), a lead unit's code is
 * checked for its form only, and a deadline left to the policy is not
 * computed (it cannot come before the opening).  names are the fields'
 * names for messages.  With CASE_CHECK_DEFAULTS a missing summary or kind
 * is no error, and the deadline is compared with the opening only when
 * both are given.
 */
static int
check_fields(struct case_db *db, const char *const *v,
	     const char *const *names, int flags, struct case_newcase *n,
	     struct case_err *err)
{
	int f, has_resolved, has_closed, has_due, has_visited, gave_closed;
	char *p;
	int64_t now;

	memset(n, 0, offsetof(struct case_newcase, buf));
	p = n->buf;
	for (f = 0; f < CASE_F_COUNT; f++)
		if (field_value(f, v[f], names[f], &n->v[f], &p,
				n->buf + sizeof n->buf, err) < 0)
			return -1;
	if (n->v[CASE_F_SUMMARY] == NULL && !(flags & CASE_CHECK_DEFAULTS))
		return case_err_set(err, CASE_E_INPUT, _("the summary is missing"));
	if (n->v[CASE_F_KIND] != NULL) {
		if (case_word_check(N_("kind"), n->v[CASE_F_KIND], case_kinds, &n->kind,
			   err) < 0)
			return -1;
	} else if (!(flags & CASE_CHECK_DEFAULTS))
		return case_err_set(err, CASE_E_INPUT,
				    _("the kind is missing (expected dispute, "
				    "hazard or request)"));
	n->priority = 2;
	if (n->v[CASE_F_PRIORITY] != NULL &&
	    case_word_check(N_("priority"), n->v[CASE_F_PRIORITY], case_priorities,
		   &n->priority, err) < 0)
		return -1;
	if (n->v[CASE_F_PLACE] != NULL &&
	    case_place_check(n->v[CASE_F_PLACE], err) < 0)
		return -1;
	if (n->v[CASE_F_SOURCE] != NULL)
		n->v[CASE_F_SOURCE] =
			case_word_english(case_sources, n->v[CASE_F_SOURCE]);
	if (n->v[CASE_F_LEAD] != NULL &&
	    (db != NULL ? case_unit_require(db, n->v[CASE_F_LEAD], err)
			: case_unit_code_check(n->v[CASE_F_LEAD], err)) < 0)
		return -1;
	if (coords(n, names, err) < 0 || visit_words(n, names, err) < 0)
		return -1;

	if (now_of(db, &now, err) < 0 ||
	    parse_stamp(n, names, CASE_F_OPENED_AT, now, &n->opened, err) < 0 ||
	    (has_due = parse_stamp(n, names, CASE_F_DUE_AT, now, &n->due,
				   err)) < 0 ||
	    (has_resolved = parse_stamp(n, names, CASE_F_RESOLVED_AT, now,
					&n->resolved, err)) < 0 ||
	    (has_closed = parse_stamp(n, names, CASE_F_CLOSED_AT, now,
				      &n->closed, err)) < 0 ||
	    (has_visited = parse_stamp(n, names, CASE_F_VISITED_AT, now,
				       &n->visited, err)) < 0)
		return -1;
	if (n->v[CASE_F_OPENED_AT] == NULL) {
		if (flags & CASE_CHECK_DEFAULTS)
			return 0; /* each row opens at its own time */
		n->opened = now;
	}
	if (!has_due && db != NULL &&
	    case_policy_due(db, case_priorities[n->priority], n->opened,
			    &n->due, err) < 0)
		return -1;
	if (has_due && n->due < n->opened)
		return out_of_order(n, names, CASE_F_DUE_AT, CASE_F_OPENED_AT,
				    err);

	/* The status, given or inferred from the history present. */
	if (n->v[CASE_F_STATUS] != NULL) {
		if (case_word_check(N_("status"), n->v[CASE_F_STATUS], case_statuses,
			   &n->status, err) < 0)
			return -1;
	} else if (n->visit >= 0)
		n->status = n->visit == 1 ? ST_ASSIGNED : ST_CLOSED;
	else
		n->status = has_closed ? ST_CLOSED
			    : has_resolved ? ST_RESOLVED
					   : ST_OPEN;
	if (n->status == ST_OPEN && n->v[CASE_F_LEAD] != NULL)
		n->status = ST_ASSIGNED;
	if (n->status != ST_OPEN && n->status != ST_CANCELLED &&
	    n->v[CASE_F_LEAD] == NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("status %s needs a lead unit"),
				    case_statuses[n->status]);
	gave_closed = has_closed;
	if (n->visit >= 0 &&
	    visit_fits(n, names, has_visited, &has_closed, err) < 0)
		return -1;
	if (n->status == ST_CLOSED && !has_closed)
		return case_err_set(err, CASE_E_INPUT,
				    _("status closed needs closed_at"));
	if (n->status == ST_RESOLVED && !has_resolved)
		return case_err_set(err, CASE_E_INPUT,
				    _("status resolved needs resolved_at"));
	/* A reopened case was resolved before its unsatisfied visit. */
	if (has_resolved && n->status != ST_RESOLVED && n->status != ST_CLOSED &&
	    n->status != ST_CANCELLED && n->visit != 1)
		return case_err_set(err, CASE_E_INPUT,
				    _("resolved_at is given but the case is %s"),
				    case_statuses[n->status]);
	if (has_closed && n->status != ST_CLOSED && n->status != ST_CANCELLED)
		return case_err_set(err, CASE_E_INPUT,
				    _("closed_at is given but the case is %s"),
				    case_statuses[n->status]);
	if (in_order(n, names, has_resolved, has_visited, gave_closed, err) < 0)
		return -1;
	/* What the history leaves unsaid: a case with a visit on record was
	 * resolved by the time of the visit, a closed one when it closed at
	 * the latest, and a cancelled one stopped when it was resolved, or
	 * else when it was opened. */
	if (n->visit >= 0 && !has_resolved) {
		n->resolved = n->visited;
		has_resolved = 1;
	}
	if (n->status == ST_CLOSED && !has_resolved) {
		n->resolved = n->closed;
		has_resolved = 1;
	}
	if (n->status == ST_CANCELLED && !has_closed)
		n->closed = has_resolved ? n->resolved : n->opened;
	if (!has_resolved)
		n->resolved = 0;
	return 0;
}

/* The names for messages: each field's own where names gives none. */
static const char *const *
field_names(const char *const *names, const char **buf)
{
	int f;

	if (names == NULL)
		return case_field_names;
	for (f = 0; f < CASE_F_COUNT; f++)
		buf[f] = names[f] != NULL ? names[f] : case_field_names[f];
	return buf;
}

int
case_open_check(const char *const v[CASE_F_COUNT],
		const char *const names[CASE_F_COUNT], int flags,
		struct case_err *err)
{
	const char *buf[CASE_F_COUNT];
	struct case_newcase n;

	return check_fields(NULL, v, field_names(names, buf), flags, &n, err);
}

static int
existing_ref(struct case_db *db, const char *ref, int64_t *id,
	     struct case_err *err)
{
	/* On a server, a member may not see the case that holds the ref; the
	 * schema's owner looks it up. */
	struct case_stmt *st = case_db_stmt(
		db,
		CASE_SQL(db, "SELECT id FROM cases WHERE ref = ?1",
			 "SELECT id FROM case_tools.case_of_refs("
			 "ARRAY[CAST(?1 AS text)])"),
		err);
	int rc;

	if (st == NULL)
		return -1;
	case_bind_str(st, 1, ref);
	rc = case_step(st);
	*id = rc == CASE_ROW ? case_col_int64(st, 0) : 0;
	case_reset(st);
	if (rc != CASE_ROW && rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot look up the ref"));
	return 0;
}

static int
likely_duplicate(struct case_db *db, const struct case_newcase *n,
		 struct case_opened *res, struct case_err *err)
{
	struct case_stmt *st;
	int rc;

	res->dup_of = 0;
	if (n->v[CASE_F_PLACE] == NULL || n->v[CASE_F_CATEGORY] == NULL ||
	    (n->status != ST_OPEN && n->status != ST_ASSIGNED))
		return 0;
	st = case_db_stmt(db,
			  "SELECT id, status FROM cases WHERE place = ?1"
			  " AND category = ?2"
			  " AND status IN ('open','assigned')"
			  " AND opened_at BETWEEN ?3 - ?4 AND ?3"
			  " ORDER BY opened_at DESC LIMIT 1",
			  err);
	if (st == NULL)
		return -1;
	case_bind_str(st, 1, n->v[CASE_F_PLACE]);
	case_bind_str(st, 2, n->v[CASE_F_CATEGORY]);
	case_bind_int64(st, 3, n->opened);
	case_bind_int64(st, 4, CASE_DUP_WINDOW);
	rc = case_step(st);
	if (rc == CASE_ROW) {
		res->dup_of = case_col_int64(st, 0);
		res->dup_status = case_statuses[strcmp(
			case_col_text(st, 1), "open") == 0
							? ST_OPEN
							: ST_ASSIGNED];
	}
	case_reset(st);
	if (rc != CASE_ROW && rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot look for duplicates"));
	return 0;
}

/*
 * Insert a new case and read its id; 0 when its ref is taken.  A server
 * draws an id from the sequence before it finds a conflict, and would
 * leave a gap for every ref already present, so there the insert looks
 * for the ref itself (writers hold the write lock, so nobody else can
 * take it meanwhile).
 */
static int
insert_case(struct case_db *db, const struct case_newcase *n, int64_t *id,
	    struct case_err *err)
{
	static const int cols[] = {
		CASE_F_REF, CASE_F_CATEGORY, CASE_F_SUMMARY, CASE_F_DESCRIPTION,
		CASE_F_PLACE, CASE_F_ADDRESS, CASE_F_REPORTER, CASE_F_CONTACT,
		CASE_F_SOURCE,
	};
#define INSERT_CASE \
	"INSERT INTO cases(ref, category, summary, description, place," \
	" address, reporter, contact, source, kind, priority, status," \
	" opened_at, due_at, lat, lon)"
	struct case_stmt *st = case_db_stmt(
		db,
		CASE_SQL(db,
			 INSERT_CASE " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				     " ?9, ?10, ?11, 'open', ?12, ?13, ?14, ?15)"
				     " ON CONFLICT(ref) DO NOTHING",
			 INSERT_CASE " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				     " ?9, ?10, ?11, 'open', ?12, ?13, ?14, ?15"
				     " WHERE NOT EXISTS (SELECT 1 FROM cases"
				     " WHERE ref = ?1)"
				     " ON CONFLICT(ref) DO NOTHING RETURNING id"),
		err);
	size_t i;

	if (st == NULL)
		return -1;
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		case_bind_text(st, (int)i + 1, n->v[cols[i]]);
	case_bind_str(st, 10, case_kinds[n->kind]);
	case_bind_str(st, 11, case_priorities[n->priority]);
	case_bind_int64(st, 12, n->opened);
	case_bind_int64(st, 13, n->due);
	case_bind_text(st, 14, n->lat);
	case_bind_text(st, 15, n->lon);
	/* No row means the ref is already taken: the caller looks it up. */
	return case_db_insert_id(db, st, id, err);
}

/*
 * The return visit an import knows of, on a resolved case: done at its
 * time, journaled as case-followup visit journals one, and then, as
 * there, a satisfied or unreachable resident closes the case (at its
 * closing time, which may come after the visit) and an unsatisfied one
 * reopens it.
 */
static int
imported_visit(struct case_db *db, const struct case_newcase *n, int64_t id,
	       struct case_err *err)
{
	char detail[128];
	struct case_stmt *st = case_db_stmt(
		db,
		"INSERT INTO visits(case_id, due_at, done_at, method, outcome,"
		" note, actor, attempt) VALUES (?1, ?2, ?2, ?3, ?4, 'imported',"
		" ?5, 1)",
		err);
	struct row r;

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	case_bind_int64(st, 2, n->visited);
	case_bind_str(st, 3, case_methods[n->method]);
	case_bind_str(st, 4, case_outcomes[n->visit]);
	case_bind_str(st, 5, case_db_actor(db));
	if (case_db_done(db, st, err) < 0 || load(db, id, &r, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%s by %s, attempt 1: imported",
		 case_outcomes[n->visit], case_methods[n->method]);
	if (event(db, &r, n->visited, "visit", detail, err) < 0)
		return -1;
	if (n->visit == 1)
		return reopen(db, &r, n->visited, err);
	return close_case(db, &r, case_outcomes[n->visit], n->closed,
			  n->visit == 0 ? "satisfied"
					: "unreachable at the one visit on record",
			  err);
}

/*
 * History is replayed through the same transitions that case-assign and
 * case-followup use, at the times the file gives, so an imported case and
 * one worked by hand cannot differ.
 */
static int
replay(struct case_db *db, const struct case_newcase *n, int64_t id,
       struct case_err *err)
{
	static const char imported[] = "imported";
	struct row r;

	if (n->v[CASE_F_LEAD] != NULL &&
	    case_set_lead(db, id, n->v[CASE_F_LEAD], n->opened, err) < 0)
		return -1;
	/* A resolved case waits for its first return visit; a case that
	 * was closed or reopened is resolved with the visits on record,
	 * and a closed one without any is closed with its outcome unknown:
	 * no visit is made up, so that only visits that happened count in
	 * the satisfaction rate. */
	if ((n->status == ST_RESOLVED ||
	     (n->status == ST_CANCELLED && n->resolved != 0)) &&
	    case_resolve(db, id, imported, -1, n->resolved, err) < 0)
		return -1;
	if (n->status == ST_CLOSED || n->visit >= 0) {
		if (resolve(db, id, imported, 0, n->resolved, 0, err) < 0)
			return -1;
		if (n->visit >= 0)
			return imported_visit(db, n, id, err);
		if (load(db, id, &r, err) < 0)
			return -1;
		return close_case(db, &r, "unknown", n->closed,
				  "imported without a return visit on "
				  "record; outcome unknown",
				  err);
	}
	if (n->status == ST_CANCELLED &&
	    case_cancel(db, id, imported, n->closed, err) < 0)
		return -1;
	return 0;
}

/*
 * The "open" event of every case from first to last that has no event
 * yet, from the case's own row: one statement serves one case opened by
 * hand and a million opened by an import.  With fresh set, the caller
 * knows that none of those cases has an event, and the statement does not
 * look for one (at an import's end, a third of its cost).
 */
int
case_open_events(struct case_db *db, int64_t first, int64_t last, int fresh,
		 struct case_err *err)
{
#define OPEN_EVENTS \
	"INSERT INTO events(case_id, at, actor, action, status, level," \
	" detail) SELECT c.id, c.opened_at, ?3, 'open', 'open', 0," \
	" c.kind || ', priority ' || c.priority FROM cases c" \
	" WHERE c.id BETWEEN ?1 AND ?2"
	struct case_stmt *st = case_db_stmt(
		db,
		fresh ? OPEN_EVENTS " ORDER BY c.id"
		      : OPEN_EVENTS " AND NOT EXISTS"
				    " (SELECT 1 FROM events e"
				    " WHERE e.case_id = c.id) ORDER BY c.id",
		err);
#undef OPEN_EVENTS

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, first);
	case_bind_int64(st, 2, last);
	case_bind_str(st, 3, case_db_actor(db));
	return case_db_done(db, st, err);
}

int
case_open_as(struct case_db *db, const char *const *v,
	     const char *const *names, int flags, struct case_opened *res,
	     struct case_err *err)
{
	const char *buf[CASE_F_COUNT];
	struct case_newcase n;
	int history;

	memset(res, 0, sizeof *res);
	if (case_role_allows(db, CASE_ACT_OPEN, err) < 0 ||
	    check_fields(db, v, field_names(names, buf), 0, &n, err) < 0)
		return -1;
	/* A ref already present is found by the insert's conflict, which
	 * costs nothing for the new rows of an import. */
	if ((!(flags & CASE_OPEN_NO_DUPCHECK) &&
	     likely_duplicate(db, &n, res, err) < 0) ||
	    insert_case(db, &n, &res->id, err) < 0)
		return -1;
	if (res->id == 0) {
		res->dup_of = 0;
		res->dup_status = NULL;
		res->existed = 1;
		return existing_ref(db, n.v[CASE_F_REF], &res->id, err);
	}
	/* A case with history needs its open event before the rest.  The
	 * case was inserted just now, so it has no event for the statement
	 * to look for. */
	history = case_newcase_history(&n);
	if ((!(flags & CASE_OPEN_DEFER_EVENT) || history) &&
	    case_open_events(db, res->id, res->id, 1, err) < 0)
		return -1;
	return history ? replay(db, &n, res->id, err) : 0;
}

int
case_newcase_check(struct case_db *db, const char *const *v,
		   const char *const *names, struct case_newcase *n,
		   struct case_err *err)
{
	const char *buf[CASE_F_COUNT];

	return check_fields(db, v, field_names(names, buf), 0, n, err);
}

int
case_newcase_history(const struct case_newcase *n)
{
	return n->status != ST_OPEN || n->v[CASE_F_LEAD] != NULL;
}

int
case_newcase_replay(struct case_db *db, const struct case_newcase *n,
		    int64_t id, struct case_err *err)
{
	return replay(db, n, id, err);
}

int
case_open(struct case_db *db, const char *const v[CASE_F_COUNT],
	  struct case_opened *res, struct case_err *err)
{
	if (case_open_as(db, v, NULL, 0, res, err) < 0)
		return -1;
	/* Every CASE_FTS_BATCH-th case indexes those before it for search
	 * (lib/fts.c); the others spend nothing on the index. */
	if (!res->existed && res->id % CASE_FTS_BATCH == 0)
		return case_fts_catch_up(db, err);
	return 0;
}
