/*
 * SQL functions that reports group by, registered on every connection:
 *
 *   place_prefix(place, n)  the first n segments of a place path
 *   period(t, unit)         the local day, ISO week, month or year of an
 *                           epoch time: 2026-05-01, 2026-W18, 2026-05, 2026
 *
 * Both are deterministic for a given TZ, so SQLite may factor them.
 *
 * On SQLite they are C functions registered on every connection; on a
 * server they are SQL functions in the case_tools schema, created with it,
 * that give the same text for the same input: the server formats times in
 * the session's TimeZone, which lib/pg.c sets to this process's zone.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "case/time.h"
#include "i18n.h"
#include "internal.h"

static void
place_prefix(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *p = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_int(argv[1]), i = 0, seg = 0;

	(void)argc;
	if (p == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	for (; p[i] != '\0'; i++)
		if (p[i] == '/' && ++seg == n)
			break;
	sqlite3_result_text(ctx, (const char *)p, i, SQLITE_TRANSIENT);
}

static void
period(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *unit = (const char *)sqlite3_value_text(argv[1]);
	char buf[32];
	int64_t t, days, y;
	unsigned m, d;
	long off;
	int n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || unit == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	t = sqlite3_value_int64(argv[0]);
	if (case_time_offset(t, &off) == 0)
		t += off;
	days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	case_civil_from_days(days, &y, &m, &d);
	if (strcmp(unit, "day") == 0)
		n = snprintf(buf, sizeof buf, "%04lld-%02u-%02u", (long long)y,
			     m, d);
	else if (strcmp(unit, "month") == 0)
		n = snprintf(buf, sizeof buf, "%04lld-%02u", (long long)y, m);
	else if (strcmp(unit, "year") == 0)
		n = snprintf(buf, sizeof buf, "%04lld", (long long)y);
	else if (strcmp(unit, "week") == 0) {
		/* ISO 8601: weeks start on Monday, and week 1 holds the
		 * year's first Thursday.  1970-01-01 was a Thursday. */
		int64_t wday = ((days % 7) + 7 + 3) % 7; /* Monday 0 */
		int64_t thursday = days - wday + 3, wy, jan1;
		unsigned tm_, td;

		case_civil_from_days(thursday, &wy, &tm_, &td);
		jan1 = case_days_from_civil(wy, 1, 1);
		n = snprintf(buf, sizeof buf, "%04lld-W%02lld", (long long)wy,
			     (long long)((thursday - jan1) / 7 + 1));
	} else {
		sqlite3_result_error(ctx, "period: unit must be day, week, "
					  "month or year", -1);
		return;
	}
	sqlite3_result_text(ctx, buf, n, SQLITE_TRANSIENT);
}

/* ISO 8601 weeks are to_char's IYYY and IW, as period() counts them. */
static const char pg_functions[] =
	"CREATE FUNCTION place_prefix(p text, n integer) RETURNS text"
	" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS"
	" $$SELECT array_to_string((string_to_array(p, '/'))[1:n], '/')$$;"
	"CREATE FUNCTION period(t bigint, unit text) RETURNS text"
	" LANGUAGE sql STABLE PARALLEL SAFE AS"
	" $$SELECT CASE unit"
	" WHEN 'day' THEN to_char(to_timestamp(t), 'YYYY-MM-DD')"
	" WHEN 'week' THEN to_char(to_timestamp(t), 'IYYY-\"W\"IW')"
	" WHEN 'month' THEN to_char(to_timestamp(t), 'YYYY-MM')"
	" WHEN 'year' THEN to_char(to_timestamp(t), 'YYYY') END$$;";

int
case_sql_functions(struct case_db *db, struct case_err *err)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

	if (case_db_dialect(db) == CASE_PG)
		return case_db_exec(db, pg_functions, err);

	if (sqlite3_create_function(db->conn, "place_prefix", 2, flags, NULL,
				    place_prefix, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db->conn, "period", 2, flags, NULL, period,
				    NULL, NULL) != SQLITE_OK)
		return case_db_fail(db, err, _("cannot register SQL functions"));
	return 0;
}
