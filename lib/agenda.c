/*
 * The agenda of return visits, as rows and as iCalendar.  Both read open
 * visits through the partial index of visits not yet done, so their cost
 * follows the agenda's length, not the database's size.
 */
#include <stdio.h>
#include <string.h>

#include "case/agenda.h"
#include "case/out.h"
#include "case/time.h"
#include "config.h"
#include "i18n.h"
#include "internal.h"

/* The summary last, where text can cut it to fit a terminal. */
const struct case_col case_agenda_cols[CASE_AGENDA_NCOLS] = {
	{"id", CASE_COL_INT},	   {"item", CASE_COL_TEXT},
	{"due", CASE_COL_TIME},	   {"attempt", CASE_COL_INT},
	{"lead", CASE_COL_TEXT},   {"place", CASE_COL_TEXT},
	{"summary", CASE_COL_TEXT, CASE_COL_CUT},
};

/*
 * ?1 until, ?2 now, ?3 unit, ?4 place, ?5 overdue.  A place matches
 * itself and everything below it: "a/b" matches "a/b/c" but not "a/bc",
 * as the range from "a/b/" up to "a/b0" ('0' follows '/').  A parameter
 * that may be NULL is cast where it is tested for NULL, so that a server
 * knows its type even then.
 */
static const char agenda_sql[] =
	"SELECT c.id, 'visit', v.due_at, v.attempt, c.lead, c.place, c.summary"
	" FROM visits v JOIN cases c ON c.id = v.case_id"
	" WHERE v.done_at IS NULL AND v.due_at <= ?1 AND c.status = 'resolved'"
	"  AND (CAST(?3 AS TEXT) IS NULL OR c.lead = ?3 OR EXISTS (SELECT 1 FROM assignments a"
	"   WHERE a.case_id = c.id AND a.unit = ?3 AND a.released_at IS NULL))"
	"  AND (CAST(?4 AS TEXT) IS NULL OR c.place = ?4 OR (c.place >= ?4 || '/'"
	"   AND c.place < ?4 || '0'))"
	" UNION ALL"
	" SELECT c.id, 'deadline', c.due_at, NULL, c.lead, c.place, c.summary"
	" FROM cases c"
	" WHERE ?5 = 1 AND c.status IN ('open','assigned') AND c.due_at < ?2"
	"  AND (CAST(?3 AS TEXT) IS NULL OR c.lead = ?3 OR EXISTS (SELECT 1 FROM assignments a"
	"   WHERE a.case_id = c.id AND a.unit = ?3 AND a.released_at IS NULL))"
	"  AND (CAST(?4 AS TEXT) IS NULL OR c.place = ?4 OR (c.place >= ?4 || '/'"
	"   AND c.place < ?4 || '0'))"
	" ORDER BY 3, 1";

int
case_agenda_list(struct case_db *db, const struct case_agenda *a,
		 struct case_out *out, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, agenda_sql, err);
	int64_t now = case_db_now(db);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, now + a->within);
	case_bind_int64(st, 2, now);
	case_bind_text(st, 3, a->unit);
	case_bind_text(st, 4, a->place);
	case_bind_int64(st, 5, a->overdue != 0);
	return case_db_rows(db, st, out, N_("the agenda"), err);
}

/* RFC 5545 content lines: at most 75 octets, continued after CRLF and one
 * space, never splitting a UTF-8 sequence. */
struct ics {
	FILE *fp;
	size_t col;
};

static void
ics_raw(struct ics *w, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];

		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		if (i + len > n)
			len = n - i;
		if (w->col + len > 75) {
			fputs("\r\n ", w->fp);
			w->col = 1;
		}
		fwrite(s + i, 1, len, w->fp);
		w->col += len;
		i += len;
	}
}

static void
ics_end(struct ics *w)
{
	fputs("\r\n", w->fp);
	w->col = 0;
}

/* A property with a plain value. */
static void
ics_prop(struct ics *w, const char *name, const char *value)
{
	ics_raw(w, name, strlen(name));
	ics_raw(w, ":", 1);
	ics_raw(w, value, strlen(value));
	ics_end(w);
}

/* TEXT values escape backslash, semicolon, comma and line breaks. */
static void
ics_text(struct ics *w, const char *s)
{
	while (*s != '\0') {
		size_t run = strcspn(s, "\\;,\n\r");

		/* Runs go out whole, so that folding sees whole characters. */
		ics_raw(w, s, run);
		s += run;
		switch (*s) {
		case '\\': ics_raw(w, "\\\\", 2); break;
		case ';': ics_raw(w, "\\;", 2); break;
		case ',': ics_raw(w, "\\,", 2); break;
		case '\n': ics_raw(w, "\\n", 2); break;
		case '\r': break;
		default: return;
		}
		s++;
	}
}

/* A TEXT property whose value is a, b and c joined (b and c may be
 * NULL). */
static void
ics_text_prop(struct ics *w, const char *name, const char *a, const char *b,
	      const char *c)
{
	ics_raw(w, name, strlen(name));
	ics_raw(w, ":", 1);
	ics_text(w, a);
	if (b != NULL)
		ics_text(w, b);
	if (c != NULL)
		ics_text(w, c);
	ics_end(w);
}

static const char *
col(struct case_stmt *st, int i)
{
	return case_col_text(st, i);
}

/*
 * ?1 until; with personal data, ?2 and ?3 the range of the access events
 * that name the cases whose reporter and contact may be shown (see
 * lib/access.c), which a server reads through its view case_pii.
 */
#define ICS_SQL(reporter, contact) \
	"SELECT v.id, c.id, v.due_at, v.attempt, c.summary, c.place," \
	" c.address, c.lead, u.name, " reporter ", " contact ", c.kind," \
	" c.category FROM visits v JOIN cases c ON c.id = v.case_id" \
	" LEFT JOIN units u ON u.code = c.lead" \
	" WHERE v.done_at IS NULL AND v.due_at <= ?1" \
	" AND c.status = 'resolved' ORDER BY v.due_at, v.id"
#define ICS_PII(from, col) \
	"(SELECT x." col " FROM " from " x WHERE x.id = c.id AND x.id IN" \
	" (SELECT e.case_id FROM events e WHERE e.id BETWEEN ?2 AND ?3))"

static const char ics_sql[] = ICS_SQL("NULL", "NULL");
static const char ics_pii_sqlite[] =
	ICS_SQL(ICS_PII("cases", "reporter"), ICS_PII("cases", "contact"));
static const char ics_pii_pg[] =
	ICS_SQL(ICS_PII("case_tools.case_pii", "reporter"),
		ICS_PII("case_tools.case_pii", "contact"));

/* The open visits due by until whose cases have personal data: one access
 * event each, before the calendar shows it. */
static int
ics_access(struct case_db *db, int64_t until, struct case_access *a,
	   struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		CASE_SQL(db,
			 CASE_ACCESS_INSERT
			 "SELECT c.id, ?1, ?2, 'access', c.status, c.level, ?3"
			 " FROM cases c WHERE c.status = 'resolved' AND c.id IN"
			 " (SELECT v.case_id FROM visits v WHERE v.done_at IS NULL"
			 " AND v.due_at <= ?4)" CASE_HAS_PII_SQLITE
			 " ORDER BY c.id",
			 CASE_ACCESS_INSERT
			 "SELECT c.id, ?1, ?2, 'access', c.status, c.level, ?3"
			 " FROM cases c WHERE c.status = 'resolved' AND c.id IN"
			 " (SELECT v.case_id FROM visits v WHERE v.done_at IS NULL"
			 " AND v.due_at <= ?4)" CASE_HAS_PII_PG
			 " ORDER BY c.id"),
		err);
	char detail[256];

	if (st == NULL || case_access_begin(db, a, err) < 0)
		return -1;
	case_bind_int64(st, 1, case_db_now(db));
	case_bind_str(st, 2, case_db_actor(db));
	case_bind_str(st, 3,
		      case_access_detail(db, "case-followup ics --pii", detail,
					 sizeof detail));
	case_bind_int64(st, 4, until);
	if (case_access_add(db, st, a, err) < 0)
		return -1;
	return case_access_end(db, a, err);
}

static void
ics_event(struct ics *w, struct case_stmt *st, const char *stamp, int pii)
{
	char buf[256], t[CASE_TIME_BUF];
	const char *place = col(st, 5), *addr = col(st, 6);

	ics_prop(w, "BEGIN", "VEVENT");
	snprintf(buf, sizeof buf, "visit-%lld.case-%lld@case",
		 (long long)case_col_int64(st, 0),
		 (long long)case_col_int64(st, 1));
	ics_prop(w, "UID", buf);
	ics_prop(w, "DTSTAMP", stamp);
	ics_prop(w, "DTSTART", case_time_ics(case_col_int64(st, 2), t));
	ics_prop(w, "DURATION", "PT30M");
	snprintf(buf, sizeof buf, "Return visit, case %lld: ",
		 (long long)case_col_int64(st, 1));
	ics_text_prop(w, "SUMMARY", buf, col(st, 4), NULL);
	if (place != NULL || addr != NULL)
		ics_text_prop(w, "LOCATION", place ? place : "",
			      place && addr ? ", " : "", addr);
	ics_raw(w, "DESCRIPTION:", 12);
	snprintf(buf, sizeof buf, "Case %lld (%s%s%s), attempt %d",
		 (long long)case_col_int64(st, 1), col(st, 11),
		 col(st, 12) ? ", " : "", col(st, 12) ? col(st, 12) : "",
		 case_col_int(st, 3));
	ics_text(w, buf);
	if (col(st, 7) != NULL) {
		ics_text(w, "\nLead unit: ");
		ics_text(w, col(st, 8) ? col(st, 8) : col(st, 7));
		ics_text(w, " (");
		ics_text(w, col(st, 7));
		ics_text(w, ")");
	}
	if (pii && col(st, 9) != NULL) {
		ics_text(w, "\nReporter: ");
		ics_text(w, col(st, 9));
	}
	if (pii && col(st, 10) != NULL) {
		ics_text(w, "\nContact: ");
		ics_text(w, col(st, 10));
	}
	ics_end(w);
	ics_prop(w, "END", "VEVENT");
}

int
case_agenda_ics(struct case_db *db, int64_t within, int pii, FILE *fp,
		struct case_err *err)
{
	int64_t until = within > 0 ? case_db_now(db) + within : INT64_MAX;
	struct case_access a = {1, 0};
	struct case_stmt *st;
	struct ics w = {fp, 0};
	char stamp[CASE_TIME_BUF];
	int rc;

	if (pii && ics_access(db, until, &a, err) < 0)
		return -1;
	st = case_db_stmt(db,
			  !pii ? ics_sql
			       : CASE_SQL(db, ics_pii_sqlite, ics_pii_pg),
			  err);
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, until);
	if (pii) {
		case_bind_int64(st, 2, a.first);
		case_bind_int64(st, 3, a.last);
	}
	case_time_ics(case_db_now(db), stamp);
	ics_prop(&w, "BEGIN", "VCALENDAR");
	ics_prop(&w, "VERSION", "2.0");
	ics_prop(&w, "PRODID", "-//case//case-followup " CASE_VERSION "//EN");
	ics_prop(&w, "CALSCALE", "GREGORIAN");
	ics_prop(&w, "X-WR-CALNAME", "Return visits");
	while ((rc = case_step(st)) == CASE_ROW)
		ics_event(&w, st, stamp, pii);
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read visits"));
	ics_prop(&w, "END", "VCALENDAR");
	if (fflush(fp) != 0 || ferror(fp))
		return case_err_set(err, CASE_E_IO, _("cannot write the calendar"));
	return 0;
}
