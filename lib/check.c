/*
 * The integrity check.  Each invariant is one query that returns the
 * offending case ids with a message, so a finding always names the case it
 * is about, and the whole check is a handful of scans however large the
 * file.
 */
#include <string.h>

#include "case/check.h"
#include "case/out.h"
#include "i18n.h"
#include "internal.h"

/* Each case's last event, as l(case_id, last). */
#define LAST_EVENTS \
	"(SELECT case_id, max(id) AS last FROM events GROUP BY case_id) AS l"

/*
 * The journal is the record; the row must agree with its last event.
 * Each query returns the case id (or NULL) and the values that its
 * message, a whole sentence, takes (after the choice of message, where
 * there are several, or the count, where the message has a plural); the
 * message is written in C, so that text output can show it in the
 * reader's language (issue 16), while the other formats keep the English
 * that scripts read.
 */
struct invariant {
	const char *sql;
	/* When plural is set, msg and plural are the forms of a message
	 * that counts: the query's second column is the count, which is
	 * also the message's first value. */
	const char *msg, *plural;
	/* When msg1 is set, the query's second column is 0 for msg, 1 for
	 * msg1 and 2 for msg2, and the values follow it. */
	const char *msg1, *msg2;
	/* PostgreSQL's text of the query, where it differs. */
	const char *pg;
};

static const struct invariant invariants[] = {
	/* A case row gone from under its journal, visits or units (in
	 * the order of their English names). */
	{"SELECT case_id, what FROM"
	 " (SELECT DISTINCT case_id, 1 AS what FROM events"
	 "  UNION SELECT DISTINCT case_id, 2 FROM visits"
	 "  UNION SELECT DISTINCT case_id, 0 FROM assignments) AS r"
	 " WHERE case_id NOT IN (SELECT id FROM cases) ORDER BY 1, 2",
	 N_("is missing, but its assignments remain"), NULL,
	 N_("is missing, but its journal events remain"),
	 N_("is missing, but its visits remain")},

	{"SELECT c.id FROM cases c"
	 " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id"
	 " AND e.action = 'open') ORDER BY 1",
	 N_("has no open event in its journal")},

	/* Each case's last event, found in one pass over the journal: a
	 * server that has not yet counted the rows of a fresh import would
	 * otherwise compare every case with every event. */
	{"SELECT c.id, c.status, e.status FROM cases c"
	 " JOIN " LAST_EVENTS " ON l.case_id = c.id JOIN events e"
	 " ON e.id = l.last WHERE e.status <> c.status ORDER BY 1",
	 N_("status is %s but its journal ends in %s")},

	{"SELECT c.id, c.level, e.level FROM cases c"
	 " JOIN " LAST_EVENTS " ON l.case_id = c.id JOIN events e"
	 " ON e.id = l.last WHERE e.level <> c.level ORDER BY 1",
	 N_("level is %s but its journal says %s")},

	{"SELECT c.id, c.reopened, (SELECT count(*) FROM events e"
	 " WHERE e.case_id = c.id AND e.action = 'reopen') FROM cases c WHERE"
	 " c.reopened <> (SELECT count(*) FROM events e WHERE e.case_id = c.id"
	 " AND e.action = 'reopen') ORDER BY 1",
	 N_("reopened count is %s but its journal has %s reopen events")},

	{"SELECT id, status FROM cases"
	 " WHERE lead IS NULL AND status IN ('assigned','resolved','closed') ORDER BY 1",
	 N_("is %s without a lead unit")},

	{"SELECT id, lead FROM cases WHERE lead IS NOT NULL AND status = 'open' ORDER BY 1",
	 N_("is open but has lead unit %s")},

	{"SELECT c.id, c.lead FROM cases c WHERE c.lead IS NOT NULL AND NOT"
	 " EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND"
	 " a.unit = c.lead AND a.role = 'lead' AND a.released_at IS NULL) ORDER BY 1",
	 N_("lead unit %s has no current lead assignment")},

	{"SELECT case_id, count(*) FROM assignments"
	 " WHERE role = 'lead' AND released_at IS NULL"
	 " GROUP BY case_id HAVING count(*) > 1 ORDER BY 1",
	 N_("has %s current lead assignments")},

	{"SELECT id, status FROM cases"
	 " WHERE resolved_at IS NULL AND status IN ('resolved','closed') ORDER BY 1",
	 N_("is %s without resolved_at")},

	{"SELECT id, status FROM cases"
	 " WHERE resolved_at IS NOT NULL AND status IN ('open','assigned') ORDER BY 1",
	 N_("is %s but has resolved_at")},

	{"SELECT id, CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END, status"
	 " FROM cases"
	 " WHERE (closed_at IS NULL) = (status IN ('closed','cancelled')) ORDER BY 1",
	 N_("is %s but closed_at is missing"),
	 .msg1 = N_("is %s but closed_at is set")},

	{"SELECT id, CASE WHEN outcome IS NULL THEN 0 ELSE 1 END, status,"
	 " outcome FROM cases WHERE (outcome IS NULL) = (status = 'closed') ORDER BY 1",
	 N_("is %s but outcome is missing"),
	 .msg1 = N_("is %s but outcome is %s")},

	{"SELECT id FROM cases WHERE resolved_at < opened_at"
	 " OR closed_at < opened_at OR closed_at < resolved_at ORDER BY 1",
	 N_("times are out of order (opened, resolved, closed)")},

	/* Nothing can have happened after now (?1): a journal dated in the
	 * future was written with a wrong clock or CASE_NOW, or imported. */
	{"SELECT case_id, count(*),"
	 " strftime('%Y-%m-%dT%H:%M:%SZ', min(at), 'unixepoch')"
	 " FROM events WHERE at > ?1 GROUP BY case_id ORDER BY 1",
	 NP_("has %s journal event dated after now, the first at %s",
	     "has %s journal events dated after now, the first at %s"),
	 .pg = "SELECT case_id, count(*),"
	 " to_char(to_timestamp(min(at)) AT TIME ZONE 'UTC',"
	 " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	 " FROM events WHERE at > ?1 GROUP BY case_id ORDER BY 1"},

	/* Only resolved cases wait for visits. */
	{"SELECT DISTINCT v.case_id, c.status FROM visits v JOIN cases c"
	 " ON c.id = v.case_id WHERE v.done_at IS NULL"
	 " AND c.status <> 'resolved' ORDER BY 1",
	 N_("is %s but has an open visit")},

	{"SELECT c.id FROM cases c WHERE c.status = 'resolved' AND NOT EXISTS"
	 " (SELECT 1 FROM visits v WHERE v.case_id = c.id AND"
	 " v.done_at IS NULL) ORDER BY 1",
	 N_("is resolved but has no open visit")},
};

/* Run the query of invariant inv, whose rows are a case id (or NULL),
 * the choice of message or the count, and the values of the message, at
 * most three; its parameter, if it has one, is now.  Text shows the
 * message in the reader's language. */
static int
run(struct case_db *db, const struct invariant *inv, struct case_out *out,
    long *n, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db, CASE_SQL(db, inv->sql, inv->pg ? inv->pg : inv->sql), err);
	const char *v[3], *m, *shown;
	char line[1024];
	int rc, i, first = inv->msg1 != NULL ? 2 : 1;

	if (st == NULL)
		return -1;
	if (case_stmt_params(st) > 0)
		case_bind_int64(st, 1, case_db_now(db));
	while ((rc = case_step(st)) == CASE_ROW) {
		const char *p;

		m = inv->msg;
		if (inv->msg1 != NULL && case_col_int(st, 1) == 1)
			m = inv->msg1;
		else if (inv->msg1 != NULL && case_col_int(st, 1) == 2)
			m = inv->msg2;
		else if (inv->plural != NULL && case_col_int64(st, 1) != 1)
			m = inv->plural;
		shown = inv->plural != NULL
				? case_out_nmsg(out, inv->msg, inv->plural,
						case_col_int64(st, 1))
				: case_out_msg(out, m);
		/* The query has a column for each %s of the message. */
		for (i = 0, p = m; i < 3 && (p = strstr(p, "%s")) != NULL;
		     i++, p += 2)
			v[i] = case_col_text(st, first + i);
		for (; i < 3; i++)
			v[i] = NULL;
		/* A status or an outcome, as text prints them. */
		for (i = 0; i < 3 && v[i] != NULL; i++) {
			const char *w = case_out_word(out, "status", v[i]);

			v[i] = w != v[i] ? w : case_out_word(out, "outcome", v[i]);
		}
		if (case_col_null(st, 0))
			case_out_null(out);
		else
			case_out_int(out, case_col_int64(st, 0));
		snprintf(line, sizeof line, shown, v[0] ? v[0] : "-",
			 v[1] ? v[1] : "-", v[2] ? v[2] : "-");
		case_out_text(out, line);
		(*n)++;
		if (case_out_end_row(out, err) < 0) {
			case_reset(st);
			return -1;
		}
	}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read the database"));
	return 0;
}

int
case_check(struct case_db *db, struct case_out *out, long *findings,
	   struct case_err *err)
{
	static const struct invariant integrity = {
		"SELECT NULL, integrity_check FROM"
		" pragma_integrity_check WHERE integrity_check <> 'ok'",
		N_("integrity: %s")};
	static const struct invariant foreign = {
		"SELECT NULL, \"table\", rowid, parent"
		" FROM pragma_foreign_key_check WHERE parent <> 'cases'",
		N_("foreign key: a row of %s (rowid %s) refers to a missing row "
		   "of %s")};
	size_t i;

	*findings = 0;
	/* SQLite's own check first: when the file is damaged, the rest
	 * would only repeat it.  A server checks its own pages and enforces
	 * every foreign key as it writes, so it has no such step. */
	if (case_db_dialect(db) == CASE_SQLITE &&
	    run(db, &integrity, out, findings, err) < 0)
		return -1;
	if (*findings > 0)
		return 0;
	if (case_db_dialect(db) == CASE_SQLITE &&
	    run(db, &foreign, out, findings, err) < 0)
		return -1;
	for (i = 0; i < sizeof invariants / sizeof invariants[0]; i++)
		if (run(db, &invariants[i], out, findings, err) < 0)
			return -1;
	return 0;
}
