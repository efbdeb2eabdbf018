/*
 * The integrity check.  Each invariant is one query that returns the
 * offending case ids with a message, so a finding always names the case it
 * is about, and the whole check is a handful of scans however large the
 * file.
 */
#include <string.h>

#include "case/check.h"
#include "case/out.h"
#include "internal.h"

/* A query that both dialects read alike. */
#define BOTH(sql) {sql, sql}
/* Each case's last event, as l(case_id, last). */
#define LAST_EVENTS \
	"(SELECT case_id, max(id) AS last FROM events GROUP BY case_id) AS l"

/* The future events' query, with each dialect's words for the first
 * one's time as an ISO 8601 UTC time. */
#define FUTURE(first_at) \
	"SELECT case_id, 'has ' || count(*) || ' journal event'" \
	" || CASE WHEN count(*) = 1 THEN '' ELSE 's' END" \
	" || ' dated after now, the first at ' || " first_at \
	" FROM events WHERE at > ?1 GROUP BY case_id ORDER BY 1"

/* The journal is the record; the row must agree with its last event.
 * Each invariant in SQLite's words and in PostgreSQL's, its findings in
 * the order of the case ids on both. */
static const struct {
	const char *sqlite, *pg;
} invariants[] = {
	/* A case row gone from under its journal, visits or units. */
	BOTH("SELECT case_id, 'is missing, but its ' || what || ' remain'"
	     " FROM (SELECT DISTINCT case_id, 'journal events' AS what"
	     "  FROM events UNION SELECT DISTINCT case_id, 'visits' FROM visits"
	     "  UNION SELECT DISTINCT case_id, 'assignments' FROM assignments)"
	     " AS r WHERE case_id NOT IN (SELECT id FROM cases) ORDER BY 1, 2"),

	BOTH("SELECT c.id, 'has no open event in its journal' FROM cases c"
	     " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id"
	     " AND e.action = 'open') ORDER BY 1"),

	/* Each case's last event, found in one pass over the journal: a
	 * server that has not yet counted the rows of a fresh import would
	 * otherwise compare every case with every event. */
	BOTH("SELECT c.id, 'status is ' || c.status"
	     " || ' but its journal ends in ' || e.status FROM cases c"
	     " JOIN " LAST_EVENTS " ON l.case_id = c.id JOIN events e"
	     " ON e.id = l.last WHERE e.status <> c.status ORDER BY 1"),

	BOTH("SELECT c.id, 'level is ' || c.level || ' but its journal says '"
	     " || e.level FROM cases c JOIN " LAST_EVENTS " ON l.case_id = c.id"
	     " JOIN events e ON e.id = l.last WHERE e.level <> c.level"
	     " ORDER BY 1"),

	BOTH("SELECT c.id, 'reopened count is ' || c.reopened"
	     " || ' but its journal has ' || (SELECT count(*) FROM events e"
	     " WHERE e.case_id = c.id AND e.action = 'reopen')"
	     " || ' reopen events' FROM cases c WHERE c.reopened <>"
	     " (SELECT count(*) FROM events e WHERE e.case_id = c.id"
	     " AND e.action = 'reopen') ORDER BY 1"),

	BOTH("SELECT id, 'is ' || status || ' without a lead unit' FROM cases"
	     " WHERE lead IS NULL"
	     " AND status IN ('assigned','resolved','closed') ORDER BY 1"),

	BOTH("SELECT id, 'is open but has lead unit ' || lead FROM cases"
	     " WHERE lead IS NOT NULL AND status = 'open' ORDER BY 1"),

	BOTH("SELECT c.id, 'lead unit ' || c.lead || ' has no current lead"
	     " assignment' FROM cases c WHERE c.lead IS NOT NULL AND NOT EXISTS"
	     " (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.unit ="
	     " c.lead AND a.role = 'lead' AND a.released_at IS NULL)"
	     " ORDER BY 1"),

	BOTH("SELECT case_id, 'has ' || count(*) || ' current lead assignments'"
	     " FROM assignments WHERE role = 'lead' AND released_at IS NULL"
	     " GROUP BY case_id HAVING count(*) > 1 ORDER BY 1"),

	BOTH("SELECT id, 'is ' || status || ' without resolved_at' FROM cases"
	     " WHERE resolved_at IS NULL AND status IN ('resolved','closed')"
	     " ORDER BY 1"),

	BOTH("SELECT id, 'is ' || status || ' but has resolved_at' FROM cases"
	     " WHERE resolved_at IS NOT NULL AND status IN ('open','assigned')"
	     " ORDER BY 1"),

	BOTH("SELECT id, 'is ' || status || ' but closed_at is '"
	     " || CASE WHEN closed_at IS NULL THEN 'missing' ELSE 'set' END"
	     " FROM cases"
	     " WHERE (closed_at IS NULL) = (status IN ('closed','cancelled'))"
	     " ORDER BY 1"),

	BOTH("SELECT id, 'is ' || status || ' but outcome is '"
	     " || coalesce(outcome, 'missing') FROM cases"
	     " WHERE (outcome IS NULL) = (status = 'closed') ORDER BY 1"),

	BOTH("SELECT id, 'times are out of order (opened, resolved, closed)'"
	     " FROM cases WHERE resolved_at < opened_at"
	     " OR closed_at < opened_at OR closed_at < resolved_at ORDER BY 1"),

	/* Nothing can have happened after now (?1): a journal dated in the
	 * future was written with a wrong clock or CASE_NOW, or imported. */
	{FUTURE("strftime('%Y-%m-%dT%H:%M:%SZ', min(at), 'unixepoch')"),
	 FUTURE("to_char(to_timestamp(min(at)) AT TIME ZONE 'UTC',"
		" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")},

	/* Only resolved cases wait for visits. */
	BOTH("SELECT DISTINCT v.case_id, 'is ' || c.status || ' but has an open"
	     " visit' FROM visits v JOIN cases c ON c.id = v.case_id"
	     " WHERE v.done_at IS NULL AND c.status <> 'resolved' ORDER BY 1"),

	BOTH("SELECT c.id, 'is resolved but has no open visit' FROM cases c"
	     " WHERE c.status = 'resolved' AND NOT EXISTS (SELECT 1 FROM visits"
	     " v WHERE v.case_id = c.id AND v.done_at IS NULL) ORDER BY 1"),
	{NULL, NULL},
};

/* Run a query whose rows are (case id or NULL, message); its parameter,
 * if it has one, is now. */
static int
run(struct case_db *db, const char *sql, struct case_out *out, long *n,
    struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, sql, err);
	size_t before = case_out_rows(out);
	int rc;

	if (st == NULL)
		return -1;
	if (case_stmt_params(st) > 0)
		case_bind_int64(st, 1, case_db_now(db));
	rc = case_db_rows(db, st, out, "the database", err);
	*n += (long)(case_out_rows(out) - before);
	return rc;
}

int
case_check(struct case_db *db, struct case_out *out, long *findings,
	   struct case_err *err)
{
	size_t i;

	*findings = 0;
	/* SQLite's own check first: when the file is damaged, the rest
	 * would only repeat it.  A server checks its own pages and enforces
	 * every foreign key as it writes, so it has no such step. */
	if (case_db_dialect(db) == CASE_SQLITE && run(db,
		"SELECT NULL, 'integrity: ' || integrity_check FROM"
		" pragma_integrity_check WHERE integrity_check <> 'ok'",
		out, findings, err) < 0)
		return -1;
	if (*findings > 0)
		return 0;
	if (case_db_dialect(db) == CASE_SQLITE && run(db,
		"SELECT NULL, 'foreign key: a row of ' || \"table\" || ' (rowid '"
		" || rowid || ') refers to a missing row of ' || parent"
		" FROM pragma_foreign_key_check WHERE parent <> 'cases'",
		out, findings, err) < 0)
		return -1;
	for (i = 0; invariants[i].sqlite != NULL; i++)
		if (run(db,
			CASE_SQL(db, invariants[i].sqlite, invariants[i].pg),
			out, findings, err) < 0)
			return -1;
	return 0;
}
