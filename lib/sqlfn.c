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
	int n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || unit == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	n = case_time_period(sqlite3_value_int64(argv[0]), unit, buf,
			     sizeof buf);
	if (n < 0) {
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
