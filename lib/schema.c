/*
 * The schema and its migrations, in both dialects.
 *
 * SQLite: migrations[i] takes a file from version i to version i + 1;
 * PRAGMA user_version records where a file stands, and application_id
 * marks the file as ours.
 *
 * PostgreSQL: the tables live in a schema of their own, case_tools, whose
 * meta table records the version and marks it as ours.  A new database
 * gets pg_base, which is version PG_BASE at once; pg_migrations[i] takes
 * one from version PG_BASE + i to PG_BASE + i + 1.
 *
 * A migration is only ever appended, never edited, once it has shipped.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "case/roles.h"
#include "case/words.h"
#include "internal.h"

#define APPLICATION_ID 0x43415345 /* "CASE" */

/* The index of places as version 1 made it; version 3 adds the status. */
/* The journal's guard against an insert that would replace an event.  A
 * bulk import drops it while its own statement (which gives no ids)
 * writes the open events, and puts it back in the same transaction. */
#define EVENTS_NO_REPLACE \
	"CREATE TRIGGER events_no_replace BEFORE INSERT ON events" \
	" WHEN EXISTS (SELECT 1 FROM events WHERE id = new.id) BEGIN" \
	" SELECT RAISE(ABORT, 'the event journal is append-only');" \
	" END;"
const char case_events_no_replace[] = EVENTS_NO_REPLACE;

#define PLACE_INDEX_V1 \
	"CREATE INDEX cases_place ON cases(place, category, opened_at)"
#define PLACE_INDEX \
	"CREATE INDEX cases_place ON cases(place, category, opened_at, status)"

const char case_place_index[] = PLACE_INDEX;

/* The index of active cases, by deadline, with what the overdue agenda
 * and the escalation print (version 3). */
#define ACTIVE_DUE_INDEX \
	"CREATE INDEX cases_active_due ON cases(due_at, id, status, level," \
	" lead, place, summary) WHERE status IN ('open','assigned')"

const char case_active_due_index[] = ACTIVE_DUE_INDEX;

/* The columns of cases before its outcome and after it, as version 1
 * made them; version 4 makes the table again with the same columns. */
#define CASES_COLUMNS_FIRST \
	" id INTEGER PRIMARY KEY," \
	" ref TEXT UNIQUE," \
	" kind TEXT NOT NULL CHECK (kind = 'dispute' OR kind = 'hazard'" \
	"  OR kind = 'request')," \
	" category TEXT," \
	" summary TEXT NOT NULL CHECK (summary <> '')," \
	" description TEXT," \
	" priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority = 'urgent'" \
	"  OR priority = 'high' OR priority = 'normal' OR priority = 'low')," \
	" place TEXT," \
	" address TEXT," \
	" reporter TEXT," \
	" contact TEXT," \
	" source TEXT," \
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open'" \
	"  OR status = 'assigned' OR status = 'resolved' OR status = 'closed'" \
	"  OR status = 'cancelled'),"
#define CASES_COLUMNS_LAST \
	" opened_at INTEGER NOT NULL," \
	" due_at INTEGER NOT NULL," \
	" resolved_at INTEGER," \
	" closed_at INTEGER," \
	" level INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 3)," \
	" lead TEXT REFERENCES units(code)," \
	" reopened INTEGER NOT NULL DEFAULT 0"

/*
 * The CHECK constraints spell out their words with OR: a constant IN list
 * makes SQLite build a temporary index every time the statement runs,
 * which is once per row for the INSERT of a bulk import.
 */
static const char v1[] =
	"CREATE TABLE units ("
	" code TEXT PRIMARY KEY NOT NULL,"
	" name TEXT NOT NULL,"
	" type TEXT NOT NULL DEFAULT 'other' CHECK (type = 'police'"
	"  OR type = 'judicial' OR type = 'lawfirm' OR type = 'department'"
	"  OR type = 'grid' OR type = 'community' OR type = 'other'),"
	" parent TEXT REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,"
	" place TEXT,"
	" chief TEXT,"
	" contact TEXT);"
	"CREATE INDEX units_place ON units(place) WHERE place IS NOT NULL;"

	"CREATE TABLE cases ("
	CASES_COLUMNS_FIRST
	" outcome TEXT CHECK (outcome = 'satisfied' OR outcome = 'unreachable'),"
	CASES_COLUMNS_LAST ");"
	/* Reports by period and --since/--until. */
	"CREATE INDEX cases_opened ON cases(opened_at);"
	/* --place PREFIX is a range scan on this index, and the duplicate
	 * hint looks up one place, category and week in it. */
	PLACE_INDEX_V1 ";"
	"CREATE INDEX cases_lead ON cases(lead);"
	/* Overdue and escalation: only open and assigned cases, by deadline. */
	"CREATE INDEX cases_active_due ON cases(due_at)"
	" WHERE status IN ('open','assigned');"

	"CREATE TABLE assignments ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" unit TEXT NOT NULL REFERENCES units(code),"
	" role TEXT NOT NULL CHECK (role = 'lead' OR role = 'support'),"
	" assigned_at INTEGER NOT NULL,"
	" released_at INTEGER);"
	"CREATE INDEX assignments_case ON assignments(case_id);"
	/* --unit CODE and a unit's agenda: its current cases. */
	"CREATE INDEX assignments_unit ON assignments(unit, case_id)"
	" WHERE released_at IS NULL;"
	"CREATE UNIQUE INDEX assignments_one ON assignments(case_id, unit)"
	" WHERE released_at IS NULL;"

	"CREATE TABLE visits ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" due_at INTEGER NOT NULL,"
	" done_at INTEGER,"
	" method TEXT CHECK (method = 'visit' OR method = 'phone'"
	"  OR method = 'sms' OR method = 'other'),"
	" outcome TEXT CHECK (outcome = 'satisfied' OR outcome = 'unsatisfied'"
	"  OR outcome = 'unreachable'),"
	" note TEXT,"
	" actor TEXT,"
	" attempt INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX visits_case ON visits(case_id);"
	/* The agenda: open visits by due time. */
	"CREATE INDEX visits_open_due ON visits(due_at) WHERE done_at IS NULL;"

	"CREATE TABLE events ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" at INTEGER NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" level INTEGER NOT NULL DEFAULT 0,"
	" detail TEXT);"
	"CREATE INDEX events_case ON events(case_id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN"
	" SELECT RAISE(ABORT, 'the event journal is append-only');"
	" END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN"
	" SELECT RAISE(ABORT, 'the event journal is append-only');"
	" END;"
	/* INSERT OR REPLACE deletes the row it replaces without firing the
	 * delete trigger, so an insert may not reuse an id either. */
	EVENTS_NO_REPLACE

	"CREATE TABLE supervisors ("
	" level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 3),"
	" name TEXT NOT NULL,"
	" contact TEXT);"

	"CREATE TABLE policy ("
	" key TEXT PRIMARY KEY NOT NULL,"
	" value TEXT NOT NULL);";

/* Version 2: substring search that works for Chinese, through a trigram
 * index over summary, description and address, kept by triggers. */
#define FTS_INSERT \
	" INSERT INTO cases_fts(rowid, summary, description, address)" \
	" VALUES (new.id, new.summary, new.description, new.address);"
#define FTS_DELETE \
	" INSERT INTO cases_fts(cases_fts, rowid, summary, description," \
	" address) VALUES ('delete', old.id, old.summary, old.description," \
	" old.address);"
/* The triggers that keep the index; version 10 keeps it only for the
 * cases up to its mark (WHEN). */
#define FTS_KEEPERS(WHEN) \
	"CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases" WHEN \
	" BEGIN" FTS_DELETE " END;" \
	"CREATE TRIGGER cases_fts_update AFTER UPDATE OF summary, description," \
	" address ON cases" WHEN " BEGIN" FTS_DELETE FTS_INSERT " END;"
#define FTS_TRIGGERS \
	"CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN" \
	FTS_INSERT " END;" FTS_KEEPERS("")

static const char v2[] =
	"CREATE VIRTUAL TABLE cases_fts USING fts5(summary, description,"
	" address, content='cases', content_rowid='id', tokenize='trigram');"
	FTS_TRIGGERS
	"INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');";

/*
 * Version 3: indexes that answer their queries alone.  The overdue agenda
 * and the escalation read every column they need from the index of active
 * cases, in the order they print, so that a cron run costs one walk of
 * that small index rather than a lookup in the table for every overdue
 * case.  The index of places carries the status, so that the duplicate
 * hint never leaves the index either.
 */
static const char v3[] =
	"DROP INDEX cases_active_due;"
	ACTIVE_DUE_INDEX ";"
	"DROP INDEX cases_place;"
	PLACE_INDEX ";";

/*
 * Version 4: history brought across honestly, and coordinates.  A closed
 * case may have the outcome unknown (imported without a return visit on
 * record), and a case has optional lat and lon, WGS-84 decimal degrees
 * kept as the text case_coord_parse checked, both or neither.  SQLite
 * cannot change a CHECK constraint in place, so the cases table is built
 * again with the same rows, ids and indexes, and the search index's
 * triggers; the rows of the search index itself are keyed by id and stay
 * as they are.  case_db_migrate turns foreign keys off around it (the
 * rows that refer to cases would otherwise stop the old table's DROP).
 * v4_correct then corrects the closures that earlier imports recorded as
 * satisfied visits.
 */
static const char v4[] =
	"CREATE TABLE cases_v4 ("
	CASES_COLUMNS_FIRST
	" outcome TEXT CHECK (outcome = 'satisfied' OR outcome = 'unreachable'"
	"  OR outcome = 'unknown'),"
	CASES_COLUMNS_LAST ","
	" lat TEXT,"
	" lon TEXT,"
	" CHECK ((lat IS NULL) = (lon IS NULL)));"
	"INSERT INTO cases_v4(id, ref, kind, category, summary, description,"
	" priority, place, address, reporter, contact, source, status, outcome,"
	" opened_at, due_at, resolved_at, closed_at, level, lead, reopened)"
	" SELECT id, ref, kind, category, summary, description, priority,"
	" place, address, reporter, contact, source, status, outcome,"
	" opened_at, due_at, resolved_at, closed_at, level, lead, reopened"
	" FROM cases ORDER BY id;"
	"DROP TABLE cases;"
	"ALTER TABLE cases_v4 RENAME TO cases;"
	"CREATE INDEX cases_opened ON cases(opened_at);"
	PLACE_INDEX ";"
	"CREATE INDEX cases_lead ON cases(lead);"
	ACTIVE_DUE_INDEX ";"
	FTS_TRIGGERS;

/* Version 5 adds a server's roles (pg_v5 below); on SQLite it changes
 * nothing but the number, since a file's permissions are its only
 * boundary. */
static const char v5[] = "";

/* Version 6 keeps a server's exact coordinates to the roles that may read
 * personal data (pg_v6 below); on SQLite it changes nothing but the
 * number. */
static const char v6[] = "";

/* Version 7 gives a server's row-level security the indexes it reads
 * (pg_v7 below); on SQLite, which has none, it changes nothing but the
 * number. */
static const char v7[] = "";

/* Version 8: SQLite's trigram index keeps no sizes of its columns
 * (columnsize=0).  Only bm25() and the other ranking functions read them,
 * and searches here rank nothing: they only keep the cases whose ids the
 * index gives.  Writing them cost every case a row of their own table:
 * 200,000 rows an import of 200,000 cases (85 ms of its 2.3 s), and a page
 * each case-open.  v8_index below makes the index again; the triggers that
 * keep it, on the cases, stay as they are. */
static const char v8[] = "";

/* Version 9: the index of leads holds only the cases that have one
 * (v9_lead below).  Every question asked of it names a lead (lead = ? or
 * IN, which SQLite knows is not null), but it held every case: an import
 * of cases without a lead wrote an entry for each (60 to 80 ms of a
 * 200,000-row import's 2.4 s), and each case-open wrote one more page. */
static const char v9[] = "";

/*
 * Version 10: the trigram index takes new cases a batch at a time, not
 * each one as it comes (lib/fts.c).  A trigger indexed every case as it
 * was inserted, and for a single case-open that was a fifth of its time
 * (200 microseconds of 3,000 on a million cases: the index's connection,
 * its statements and three pages of its own, a new segment each).  The
 * cases up to search_upto's id are in the index; searches read the ones
 * after it from the table itself, every 64th case-open indexes them, and
 * an import indexes them with its own.  A case after the mark whose text
 * changes has nothing in the index to change.
 */
static const char v10[] =
	"DROP TRIGGER cases_fts_insert;"
	"DROP TRIGGER cases_fts_delete;"
	"DROP TRIGGER cases_fts_update;"
	"CREATE TABLE search_upto (id INTEGER NOT NULL);"
	"INSERT INTO search_upto SELECT coalesce(max(id), 0) FROM cases;"
	FTS_KEEPERS(" WHEN old.id <= (SELECT id FROM search_upto)");

static const char *const migrations[CASE_SCHEMA_VERSION] = {
	v1, v2, v3, v4, v5, v6, v7, v8, v9, v10};

/*
 * The PostgreSQL schema, as version 3 of the SQLite one stands.  Text
 * columns sort and compare by bytes (COLLATE "C"), as SQLite's do, so that
 * orders and place ranges are the same on both engines.  Ids come from
 * identity sequences, which every write transaction first sets to one
 * past the largest id (see case_db_ids_sync): writers take turns, so ids
 * are dense and in commit order, as SQLite's are, even after a rollback.
 * Substring search is a trigram GIN index over the three searched
 * columns.  The journal refuses UPDATE, DELETE and TRUNCATE by trigger,
 * and its owner gives up the privileges too.
 */
#define T "text COLLATE \"C\""
#define ID "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

#define PG_BASE 3

static const char pg_base[] =
	"CREATE TABLE meta (key " T " PRIMARY KEY, value " T " NOT NULL);"
	"CREATE TABLE units ("
	" code " T " PRIMARY KEY,"
	" name " T " NOT NULL,"
	" type " T " NOT NULL DEFAULT 'other' CHECK (type IN ('police',"
	"  'judicial', 'lawfirm', 'department', 'grid', 'community', 'other')),"
	" parent " T " REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,"
	" place " T ","
	" chief " T ","
	" contact " T ");"
	"CREATE INDEX units_place ON units(place) WHERE place IS NOT NULL;"

	"CREATE TABLE cases ("
	" id " ID ","
	" ref " T " UNIQUE,"
	" kind " T " NOT NULL CHECK (kind IN ('dispute', 'hazard', 'request')),"
	" category " T ","
	" summary " T " NOT NULL CHECK (summary <> ''),"
	" description " T ","
	" priority " T " NOT NULL DEFAULT 'normal' CHECK (priority IN"
	"  ('urgent', 'high', 'normal', 'low')),"
	" place " T ","
	" address " T ","
	" reporter " T ","
	" contact " T ","
	" source " T ","
	" status " T " NOT NULL DEFAULT 'open' CHECK (status IN ('open',"
	"  'assigned', 'resolved', 'closed', 'cancelled')),"
	" outcome " T " CHECK (outcome IN ('satisfied', 'unreachable')),"
	" opened_at bigint NOT NULL,"
	" due_at bigint NOT NULL,"
	" resolved_at bigint,"
	" closed_at bigint,"
	" level integer NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 3),"
	" lead " T " REFERENCES units(code),"
	" reopened integer NOT NULL DEFAULT 0);"
	"CREATE INDEX cases_opened ON cases(opened_at);"
	PLACE_INDEX ";"
	"CREATE INDEX cases_lead ON cases(lead);"
	ACTIVE_DUE_INDEX ";"

	"CREATE TABLE assignments ("
	" id " ID ","
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" unit " T " NOT NULL REFERENCES units(code),"
	" role " T " NOT NULL CHECK (role IN ('lead', 'support')),"
	" assigned_at bigint NOT NULL,"
	" released_at bigint);"
	"CREATE INDEX assignments_case ON assignments(case_id);"
	"CREATE INDEX assignments_unit ON assignments(unit, case_id)"
	" WHERE released_at IS NULL;"
	"CREATE UNIQUE INDEX assignments_one ON assignments(case_id, unit)"
	" WHERE released_at IS NULL;"

	"CREATE TABLE visits ("
	" id " ID ","
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" due_at bigint NOT NULL,"
	" done_at bigint,"
	" method " T " CHECK (method IN ('visit', 'phone', 'sms', 'other')),"
	" outcome " T " CHECK (outcome IN ('satisfied', 'unsatisfied',"
	"  'unreachable')),"
	" note " T ","
	" actor " T ","
	" attempt integer NOT NULL DEFAULT 1);"
	"CREATE INDEX visits_case ON visits(case_id);"
	"CREATE INDEX visits_open_due ON visits(due_at) WHERE done_at IS NULL;"

	"CREATE TABLE events ("
	" id " ID ","
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" at bigint NOT NULL,"
	" actor " T " NOT NULL,"
	" action " T " NOT NULL,"
	" status " T " NOT NULL,"
	" level integer NOT NULL DEFAULT 0,"
	" detail " T ");"
	"CREATE INDEX events_case ON events(case_id);"
	"CREATE FUNCTION journal_append_only() RETURNS trigger"
	" LANGUAGE plpgsql AS $$BEGIN"
	" RAISE EXCEPTION 'the event journal is append-only'"
	"  USING ERRCODE = 'insufficient_privilege';"
	" END$$;"
	"CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events"
	" FOR EACH ROW EXECUTE FUNCTION journal_append_only();"
	"CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
	" FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();"
	"REVOKE UPDATE, DELETE, TRUNCATE ON events FROM CURRENT_USER;"

	"CREATE TABLE supervisors ("
	" level integer PRIMARY KEY CHECK (level BETWEEN 1 AND 3),"
	" name " T " NOT NULL,"
	" contact " T ");"

	"CREATE TABLE policy ("
	" key " T " PRIMARY KEY,"
	" value " T " NOT NULL);";

/* Version 4, as SQLite's: the outcome unknown, and lat and lon. */
static const char pg_v4[] =
	"ALTER TABLE cases ADD COLUMN lat " T ", ADD COLUMN lon " T ","
	" DROP CONSTRAINT cases_outcome_check,"
	" ADD CONSTRAINT cases_outcome_check CHECK (outcome IN ('satisfied',"
	"  'unreachable', 'unknown')),"
	" ADD CONSTRAINT cases_coords CHECK ((lat IS NULL) = (lon IS NULL))";


/*
 * Until version 4, an import closed a case by making up a satisfied
 * return visit (method other, note "imported") at its closing time, which
 * lifted the satisfaction rate with visits that never happened.  The
 * upgrade finds those closures by everything such an import left (the
 * visit, its journal event and the resolve event's words), removes the
 * made-up visit, gives the case the outcome unknown, and says so in each
 * case's journal, which is only ever added to.
 */
static int
v4_correct(struct case_db *db, struct case_err *err)
{
	static const char find[] =
		"CREATE TEMPORARY TABLE v4_fix AS"
		" SELECT c.id AS case_id, v.id AS visit_id, c.level AS level"
		" FROM cases c JOIN visits v ON v.case_id = c.id"
		" WHERE c.status = 'closed' AND c.outcome = 'satisfied'"
		" AND v.outcome = 'satisfied' AND v.method = 'other'"
		" AND v.note = 'imported' AND v.attempt = 1"
		" AND v.done_at = c.closed_at"
		" AND EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id"
		"  AND e.action = 'visit' AND e.at = c.closed_at"
		"  AND e.detail = 'satisfied by other, attempt 1: imported')"
		" AND EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id"
		"  AND e.action = 'resolve'"
		"  AND e.detail LIKE 'imported; first visit due %')";
	static const char journal[] =
		"INSERT INTO events(case_id, at, actor, action, status, level,"
		" detail) SELECT case_id, ?1, ?2, 'correct', 'closed', level,"
		" 'the upgrade to schema version 4 corrected this imported"
		" closure: no return visit happened, so the satisfied visit"
		" the import recorded is removed and the outcome is unknown'"
		" FROM v4_fix ORDER BY case_id";
	struct case_stmt *st;
	int rc;

	if (case_db_exec(db, find, err) < 0 ||
	    (st = case_db_prepare(db, journal, "cannot correct the journal",
				  err)) == NULL)
		return -1;
	case_bind_int64(st, 1, case_db_now(db));
	case_bind_str(st, 2, case_db_actor(db));
	rc = case_db_done(db, st, err);
	case_stmt_free(st);
	if (rc < 0)
		return -1;
	return case_db_exec(db,
			    "DELETE FROM visits WHERE id IN"
			    " (SELECT visit_id FROM v4_fix);"
			    "UPDATE cases SET outcome = 'unknown' WHERE id IN"
			    " (SELECT case_id FROM v4_fix);"
			    "DROP TABLE v4_fix",
			    err);
}

/*
 * SQL that drops something large and makes it again, run with SQLite's
 * secure deletion at FAST, and the connection's own setting put back
 * after.  Debian's SQLite deletes securely, zeroing every page a DROP
 * frees, and keeps all of them in memory until the commit: the old
 * trigram index of version 8 took 50 MB for 200,000 cases, 220 MB for a
 * million.  FAST leaves freed pages as they are (what they held, the new
 * index holds again at once), and that drop takes 9 MB.
 */
static int
remake(struct case_db *db, const char *sql, struct case_err *err)
{
	static const char *const secure[] = {"PRAGMA secure_delete = OFF",
					     "PRAGMA secure_delete = ON",
					     "PRAGMA secure_delete = FAST"};
	int64_t was;

	if (case_db_int(db, "PRAGMA secure_delete", &was,
			"cannot read a setting", err) < 0 ||
	    case_db_exec(db, secure[2], err) < 0 ||
	    case_db_exec(db, sql, err) < 0)
		return -1;
	return case_db_exec(db, secure[was >= 0 && was <= 2 ? was : 1], err);
}

/*
 * Version 8 on SQLite: the trigram index dropped, made again without the
 * sizes of its columns and filled from every case in bulk (lib/fts.c): a
 * second for each 200,000 cases, once.
 */
static int
v8_index(struct case_db *db, struct case_err *err)
{
	int64_t last;

	if (case_db_dialect(db) != CASE_SQLITE)
		return 0;
	if (remake(db,
		   "DROP TABLE cases_fts;"
		   "CREATE VIRTUAL TABLE cases_fts USING fts5(summary,"
		   " description, address, content='cases',"
		   " content_rowid='id', tokenize='trigram', columnsize=0)",
		   err) < 0 ||
	    case_db_int(db, "SELECT coalesce(max(id), 0) FROM cases", &last,
			"cannot read cases", err) < 0)
		return -1;
	return case_fts_fill(db, 1, last, NULL, NULL, err);
}

/* Version 9 on SQLite: the index of leads made again over the cases that
 * have one (v9 above); half a second for a million cases, once. */
static int
v9_lead(struct case_db *db, struct case_err *err)
{
	if (case_db_dialect(db) != CASE_SQLITE)
		return 0;
	return remake(db,
		      "DROP INDEX cases_lead;"
		      "CREATE INDEX cases_lead ON cases(lead)"
		      " WHERE lead IS NOT NULL",
		      err);
}

/* What a version needs besides its SQL, on either engine, run after it:
 * fixes[i] goes with the step to version i + 1. */
static int (*const fixes[CASE_SCHEMA_VERSION])(struct case_db *,
					       struct case_err *) = {
	NULL, NULL, NULL, v4_correct, NULL, NULL, NULL, v8_index, v9_lead, NULL};

/*
 * Version 5 on a server: roles.  Five group roles (NOLOGIN, and
 * cluster-wide: every database of a cluster shares them) for the five
 * roles of members, and case_owner, which owns the schema and everything
 * in it so that no login does; whoever upgrades becomes a member of
 * case_owner, for later upgrades.  Members and their units are recorded
 * in the database, and the helpers below read them for session_user:
 * SECURITY DEFINER, so that a member need not read those tables, and used
 * in the policies as scalar subqueries, evaluated once per statement.
 * Row-level security on the cases and every table that reveals a case;
 * reporter and contact only through the view case_pii; the journal's
 * actor checked by trigger; members made and removed through functions
 * that hold CREATEROLE for an admin who does not.  On SQLite, version 5
 * changes nothing but the number: a file's permissions are its boundary.
 */
/* Who opened each case, from its journal's open event: the login, without
 * what an admin's backfill adds to it ("zhang (by admin wang)"). */
#define OPENED_BY \
	"UPDATE cases c SET opened_by = regexp_replace(e.actor," \
	" ' \\(by admin [^()]*\\)$', '') FROM events e" \
	" WHERE e.case_id = c.id AND e.action = 'open'"

const char case_opened_by[] = OPENED_BY;

/* The cases a unit member, or a supervisor of units, sees: those its
 * units or the units below them lead or support, and those it opened.
 * Row-level security on cases says it (version 5), and so does the view
 * of rounded coordinates (version 6). */
#define UNIT_SEES \
	"lead = ANY ((SELECT my_units())::text[])" \
	" OR id = ANY ((SELECT my_support())::bigint[])" \
	" OR opened_by = session_user"

static const char pg_v5[] =
	"DO $$ "
	"DECLARE r text;"
	"BEGIN "
	" FOREACH r IN ARRAY ARRAY['case_owner', 'case_admin', 'case_centre', "
	"  'case_unit', 'case_supervisor', 'case_analyst'] LOOP "
	"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN "
	"   EXECUTE format('CREATE ROLE %I NOLOGIN', r);"
	"  END IF;"
	" END LOOP;"
	"END$$;"
	"ALTER ROLE case_owner NOLOGIN CREATEROLE;"
	"DO $$BEGIN "
	" IF NOT pg_has_role(current_user, 'case_owner', 'MEMBER') THEN "
	"  GRANT case_owner TO CURRENT_USER;"
	" END IF;"
	"END$$;"
	"CREATE TABLE members ( "
	" login text COLLATE \"C\" PRIMARY KEY, "
	" role text COLLATE \"C\" NOT NULL CHECK (role IN ('admin', 'centre', 'unit', "
	"  'supervisor', 'analyst')));"
	"CREATE TABLE member_units ( "
	" login text COLLATE \"C\" NOT NULL REFERENCES members(login) ON DELETE CASCADE, "
	" unit text COLLATE \"C\" NOT NULL REFERENCES units(code), "
	" PRIMARY KEY (login, unit));"
	"ALTER TABLE cases ADD COLUMN opened_by text COLLATE \"C\";"
	OPENED_BY ";"
	"ALTER TABLE cases ALTER COLUMN opened_by SET DEFAULT session_user;"
	"CREATE INDEX cases_opened_by ON cases(opened_by);"
	"CREATE FUNCTION my_role() RETURNS text LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT role FROM members WHERE login = session_user$$;"
	"CREATE FUNCTION my_units() RETURNS text[] LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$WITH RECURSIVE mine(code) AS ( "
	"   SELECT unit FROM member_units WHERE login = session_user "
	"   UNION SELECT u.code FROM units u JOIN mine ON u.parent = mine.code) "
	"  SELECT coalesce(array_agg(code), '{}') FROM mine$$;"
	"CREATE FUNCTION my_own_units() RETURNS text[] LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT coalesce(array_agg(unit), '{}') FROM member_units "
	"  WHERE login = session_user$$;"
	"CREATE FUNCTION my_support() RETURNS bigint[] LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT coalesce(array_agg(DISTINCT case_id), '{}') FROM assignments "
	"  WHERE unit = ANY ((SELECT my_units())::text[]) AND role = 'support' "
	"  AND released_at IS NULL$$;"
	"CREATE FUNCTION sees_all() RETURNS boolean LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT coalesce((SELECT m.role IN ('admin', 'centre', 'analyst') "
	"  OR (m.role = 'supervisor' AND NOT EXISTS (SELECT 1 FROM member_units u "
	"  WHERE u.login = m.login)) FROM members m WHERE m.login = session_user), "
	"  false)$$;"
	"CREATE FUNCTION outside() RETURNS boolean LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT NOT EXISTS (SELECT 1 FROM members WHERE login = session_user) "
	"  AND ((SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
	"  OR pg_has_role(session_user, 'case_owner', 'USAGE'))$$;"
	"CREATE FUNCTION whoami(OUT login text, OUT role text, OUT units text, "
	" OUT outside boolean) LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT session_user::text, my_role(), (SELECT string_agg(unit, ', ' "
	"  ORDER BY unit) FROM member_units WHERE member_units.login = session_user), "
	"  outside()$$;"
	"CREATE FUNCTION case_exists(id bigint) RETURNS boolean LANGUAGE sql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT EXISTS (SELECT 1 FROM cases c WHERE c.id = $1)$$;"
	"CREATE FUNCTION case_of_refs(refs text[]) RETURNS TABLE (ref text, id bigint) "
	" LANGUAGE sql STABLE SECURITY DEFINER "
	" SET search_path = case_tools, pg_catalog AS "
	" $$SELECT c.ref, c.id FROM cases c WHERE c.ref = ANY (refs)$$;"
	"CREATE FUNCTION begin_write(OUT role text, OUT next_case bigint, "
	" OUT next_event bigint) LANGUAGE sql VOLATILE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS "
	" $$SELECT my_role(), "
	"  setval(pg_get_serial_sequence('cases', 'id'), "
	"   coalesce((SELECT max(id) FROM cases), 0) + 1, false), "
	"  setval(pg_get_serial_sequence('events', 'id'), "
	"   coalesce((SELECT max(id) FROM events), 0) + 1, false) "
	"  + 0 * setval(pg_get_serial_sequence('visits', 'id'), "
	"   coalesce((SELECT max(id) FROM visits), 0) + 1, false) "
	"  + 0 * setval(pg_get_serial_sequence('assignments', 'id'), "
	"   coalesce((SELECT max(id) FROM assignments), 0) + 1, false)$$;"
	"CREATE FUNCTION check_member(login text, role text, units text[]) "
	" RETURNS void LANGUAGE plpgsql STABLE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS $$ "
	"BEGIN "
	" IF NOT (coalesce(my_role() = 'admin', false) OR outside()) THEN "
	"  RAISE EXCEPTION 'only an admin of this database manages its members' "
	"   USING ERRCODE = 'insufficient_privilege';"
	" END IF;"
	" IF login IS NULL OR login !~ '^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}$' "
	"  OR login ~ '^pg_' OR login IN ('public', 'case_owner', 'case_admin', "
	"  'case_centre', 'case_unit', 'case_supervisor', 'case_analyst') THEN "
	"  RAISE EXCEPTION 'bad login %', quote_literal(login) "
	"   USING ERRCODE = 'invalid_parameter_value';"
	" END IF;"
	" IF role IS NULL THEN "
	"  RETURN;"
	" END IF;"
	" IF role NOT IN ('admin', 'centre', 'unit', 'supervisor', 'analyst') THEN "
	"  RAISE EXCEPTION 'unknown role %', quote_literal(role) "
	"   USING ERRCODE = 'invalid_parameter_value';"
	" END IF;"
	" IF role = 'unit' AND cardinality(units) = 0 THEN "
	"  RAISE EXCEPTION 'a % member needs a unit', role "
	"   USING ERRCODE = 'invalid_parameter_value';"
	" END IF;"
	" IF role NOT IN ('unit', 'supervisor') AND cardinality(units) > 0 THEN "
	"  RAISE EXCEPTION 'an % member has no units', role "
	"   USING ERRCODE = 'invalid_parameter_value';"
	" END IF;"
	" IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = login "
	"  AND (r.rolsuper OR pg_has_role(r.oid, 'case_owner', 'USAGE'))) THEN "
	"  RAISE EXCEPTION 'login % is a superuser or owns the schema, which row-level security does not bind', login "
	"   USING ERRCODE = 'invalid_parameter_value';"
	" END IF;"
	"END$$;"
	"CREATE FUNCTION member_add(login text, role text, units text[]) "
	" RETURNS boolean LANGUAGE plpgsql VOLATILE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS $$ "
	"DECLARE g text; made boolean := false;"
	"BEGIN "
	" units := coalesce(units, '{}');"
	" PERFORM check_member(login, role, units);"
	" IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN "
	"  EXECUTE format('CREATE ROLE %I NOLOGIN', login);"
	"  made := true;"
	" END IF;"
	" FOREACH g IN ARRAY ARRAY['admin', 'centre', 'unit', 'supervisor', "
	"  'analyst'] LOOP "
	"  IF g <> role AND pg_has_role(login, 'case_' || g, 'MEMBER') THEN "
	"   EXECUTE format('REVOKE %I FROM %I', 'case_' || g, login);"
	"  END IF;"
	" END LOOP;"
	" IF NOT pg_has_role(login, 'case_' || role, 'MEMBER') THEN "
	"  EXECUTE format('GRANT %I TO %I', 'case_' || role, login);"
	" END IF;"
	" INSERT INTO members AS m VALUES (login, role) "
	"  ON CONFLICT ON CONSTRAINT members_pkey DO UPDATE SET role = excluded.role;"
	" DELETE FROM member_units m WHERE m.login = member_add.login;"
	" INSERT INTO member_units SELECT login, u FROM unnest(units) AS u;"
	" RETURN made;"
	"END$$;"
	"CREATE FUNCTION member_remove(login text) RETURNS boolean "
	" LANGUAGE plpgsql VOLATILE "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS $$ "
	"DECLARE g text;"
	"BEGIN "
	" PERFORM check_member(login, NULL, NULL);"
	" DELETE FROM members m WHERE m.login = member_remove.login;"
	" IF NOT FOUND THEN "
	"  RETURN false;"
	" END IF;"
	" FOREACH g IN ARRAY ARRAY['admin', 'centre', 'unit', 'supervisor', "
	"  'analyst'] LOOP "
	"  IF pg_has_role(login, 'case_' || g, 'MEMBER') THEN "
	"   EXECUTE format('REVOKE %I FROM %I', 'case_' || g, login);"
	"  END IF;"
	" END LOOP;"
	" RETURN true;"
	"END$$;"
	"CREATE FUNCTION check_actor() RETURNS trigger LANGUAGE plpgsql "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS $$ "
	"DECLARE r text := my_role();"
	"BEGIN "
	" IF r IS NULL OR NEW.actor IS NULL OR NEW.actor = session_user "
	"  OR (r = 'admin' AND length(NEW.actor) > length(session_user) + 12 "
	"   AND right(NEW.actor, length(session_user) + 12) "
	"    = ' (by admin ' || session_user || ')') THEN "
	"  RETURN NEW;"
	" END IF;"
	" RAISE EXCEPTION 'the actor must be the login %', session_user "
	"  USING ERRCODE = 'insufficient_privilege';"
	"END$$;"
	"CREATE TRIGGER events_actor BEFORE INSERT ON events "
	" FOR EACH ROW EXECUTE FUNCTION check_actor();"
	"CREATE TRIGGER visits_actor BEFORE INSERT OR UPDATE OF actor ON visits "
	" FOR EACH ROW EXECUTE FUNCTION check_actor();"
	"CREATE FUNCTION check_lead() RETURNS trigger LANGUAGE plpgsql "
	" SECURITY DEFINER SET search_path = case_tools, pg_catalog AS $$ "
	"BEGIN "
	" IF coalesce(my_role() IN ('admin', 'centre'), true) THEN "
	"  RETURN NEW;"
	" END IF;"
	" RAISE EXCEPTION 'only the centre assigns cases' "
	"  USING ERRCODE = 'insufficient_privilege';"
	"END$$;"
	"CREATE TRIGGER cases_lead BEFORE UPDATE OF lead ON cases FOR EACH ROW "
	" WHEN (old.lead IS DISTINCT FROM new.lead) EXECUTE FUNCTION check_lead();"
	"CREATE VIEW case_pii WITH (security_barrier) AS "
	" SELECT id, reporter, contact, lat, lon FROM cases "
	" WHERE (SELECT my_role() IN ('admin', 'centre') OR outside()) "
	" OR lead = ANY ((SELECT my_own_units())::text[]);"
	"ALTER TABLE cases ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE events ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE visits ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;"
	"CREATE POLICY all_cases ON cases FOR SELECT "
	" TO case_admin, case_centre, case_analyst, case_supervisor "
	" USING ((SELECT sees_all()));"
	"CREATE POLICY unit_cases ON cases FOR SELECT TO case_unit, case_supervisor "
	" USING (" UNIT_SEES ");"
	"CREATE POLICY open_cases ON cases FOR INSERT TO case_admin, case_centre "
	" WITH CHECK ((SELECT my_role() IN ('admin', 'centre')));"
	"CREATE POLICY unit_open_cases ON cases FOR INSERT TO case_unit "
	" WITH CHECK ((SELECT my_role() = 'unit') AND opened_by = session_user);"
	"CREATE POLICY change_cases ON cases FOR UPDATE TO case_admin, case_centre "
	" USING ((SELECT my_role() IN ('admin', 'centre')));"
	"CREATE POLICY unit_change_cases ON cases FOR UPDATE TO case_unit "
	" USING ((SELECT my_role() = 'unit') AND (" UNIT_SEES "));"
	"CREATE POLICY all_events ON events FOR SELECT "
	" TO case_admin, case_centre, case_analyst, case_supervisor "
	" USING ((SELECT sees_all()));"
	"CREATE POLICY unit_events ON events FOR SELECT TO case_unit, case_supervisor "
	" USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));"
	"CREATE POLICY write_events ON events FOR INSERT TO case_admin, case_centre "
	" WITH CHECK ((SELECT my_role() IN ('admin', 'centre')));"
	"CREATE POLICY unit_write_events ON events FOR INSERT TO case_unit "
	" WITH CHECK ((SELECT my_role() = 'unit') "
	" AND EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));"
	"CREATE POLICY supervisor_write_events ON events FOR INSERT "
	" TO case_supervisor "
	" WITH CHECK ((SELECT my_role() = 'supervisor') AND action IN ('note', 'access') "
	" AND EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));"
	"CREATE POLICY all_visits ON visits FOR SELECT "
	" TO case_admin, case_centre, case_analyst, case_supervisor "
	" USING ((SELECT sees_all()));"
	"CREATE POLICY unit_visits ON visits FOR SELECT TO case_unit, case_supervisor "
	" USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));"
	"CREATE POLICY write_visits ON visits FOR ALL TO case_admin, case_centre "
	" USING ((SELECT my_role() IN ('admin', 'centre')));"
	"CREATE POLICY unit_write_visits ON visits FOR ALL TO case_unit "
	" USING ((SELECT my_role() = 'unit') "
	" AND EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));"
	"CREATE POLICY all_assignments ON assignments FOR SELECT "
	" TO case_admin, case_centre, case_analyst, case_supervisor "
	" USING ((SELECT sees_all()));"
	"CREATE POLICY unit_assignments ON assignments FOR SELECT "
	" TO case_unit, case_supervisor "
	" USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));"
	"CREATE POLICY write_assignments ON assignments FOR ALL "
	" TO case_admin, case_centre "
	" USING ((SELECT my_role() IN ('admin', 'centre')));"
	"DO $$ "
	"DECLARE o record;"
	"BEGIN "
	" FOR o IN SELECT c.oid::regclass AS name FROM pg_class c "
	"  WHERE c.relnamespace = 'case_tools'::regnamespace "
	"  AND c.relkind IN ('r', 'v') LOOP "
	"  EXECUTE format('ALTER TABLE %s OWNER TO case_owner', o.name);"
	" END LOOP;"
	" FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p "
	"  WHERE p.pronamespace = 'case_tools'::regnamespace AND NOT EXISTS "
	"  (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
	"  AND d.objid = p.oid AND d.deptype = 'e') LOOP "
	"  EXECUTE format('ALTER FUNCTION %s OWNER TO case_owner', o.name);"
	" END LOOP;"
	"END$$;"
	"ALTER SCHEMA case_tools OWNER TO case_owner;"
	"REVOKE UPDATE, DELETE, TRUNCATE ON events FROM case_owner;"
	"REVOKE EXECUTE ON FUNCTION begin_write(), case_of_refs(text[]), "
	" member_add(text, text, text[]), member_remove(text), "
	" check_member(text, text, text[]) FROM PUBLIC;"
	"GRANT EXECUTE ON FUNCTION begin_write(), case_of_refs(text[]) "
	" TO case_admin, case_centre, case_unit, case_supervisor;"
	"GRANT EXECUTE ON FUNCTION member_add(text, text, text[]), "
	" member_remove(text), check_member(text, text, text[]) TO case_admin;"
	"GRANT USAGE ON SCHEMA case_tools TO case_admin, case_centre, case_unit, "
	" case_supervisor, case_analyst;"
	"GRANT SELECT ON meta, units, supervisors, policy, assignments, visits, events "
	" TO case_admin, case_centre, case_unit, case_supervisor, case_analyst;"
	"GRANT SELECT (id, ref, kind, category, summary, description, priority, place, "
	" address, source, status, outcome, opened_at, due_at, resolved_at, closed_at, "
	" level, lead, reopened, lat, lon, opened_by) ON cases "
	" TO case_admin, case_centre, case_unit, case_supervisor, case_analyst;"
	"GRANT SELECT ON case_pii TO case_admin, case_centre, case_unit, "
	" case_supervisor;"
	"GRANT INSERT, UPDATE ON units, supervisors, policy TO case_admin;"
	"GRANT SELECT ON members, member_units TO case_admin;"
	"GRANT INSERT ON cases TO case_admin, case_centre, case_unit;"
	"GRANT UPDATE (status, level, lead, due_at, resolved_at, closed_at, outcome, "
	" reopened) ON cases TO case_admin, case_centre, case_unit;"
	"GRANT INSERT, UPDATE ON assignments TO case_admin, case_centre;"
	"GRANT INSERT, UPDATE, DELETE ON visits TO case_admin, case_centre, case_unit;"
	"GRANT INSERT ON events TO case_admin, case_centre, case_unit, "
	" case_supervisor;";

/* In a statement trigger on the journal, whose role is r: each new
 * event's actor is the login, or an admin's backfill. */
#define NEW_ACTORS_CHECK \
	" IF r IS NOT NULL AND EXISTS (SELECT 1 FROM new_events " \
	"  WHERE NOT actor_ok(actor, r)) THEN " \
	"  RAISE EXCEPTION 'the actor must be the login %', session_user " \
	"   USING ERRCODE = 'insufficient_privilege';" \
	" END IF;"

/*
 * Version 6 on a server: coordinates are personal data there too, as in
 * an export.  No member reads lat and lon from the cases table any more:
 * the exact ones come only through case_pii, to the roles that may read a
 * reporter; and case_coarse gives every member, for exactly the cases
 * row-level security lets it see, the coordinates rounded to three
 * decimals (about 100 m) as case_coord_coarse rounds them: half away from
 * zero on the decimal text, "%ld.%03ld", no "-0.000".  PostgreSQL's
 * numeric rounds the same way, on the same digits, and has no negative
 * zero.
 *
 * And the journal's actor is checked once per statement instead of once
 * per row: the row trigger called a function that read the member's
 * role for every event, which was half of what an import's million open
 * events cost.  actor_ok is the rule, for the journal's statements and
 * the visits' rows alike.  The statements are written so that running
 * them again changes nothing.
 */
static const char pg_v6[] =
	"CREATE OR REPLACE FUNCTION actor_ok(a text, r text) RETURNS boolean "
	" LANGUAGE sql STABLE AS $$ "
	" SELECT r IS NULL OR a IS NULL OR a = session_user "
	"  OR (r = 'admin' AND length(a) > length(session_user) + 12 "
	"   AND right(a, length(session_user) + 12) "
	"    = ' (by admin ' || session_user || ')') $$;"
	"CREATE OR REPLACE FUNCTION check_actor() RETURNS trigger "
	" LANGUAGE plpgsql SECURITY DEFINER "
	" SET search_path = case_tools, pg_catalog AS $$ "
	"BEGIN "
	" IF actor_ok(NEW.actor, my_role()) THEN "
	"  RETURN NEW;"
	" END IF;"
	" RAISE EXCEPTION 'the actor must be the login %', session_user "
	"  USING ERRCODE = 'insufficient_privilege';"
	"END$$;"
	"CREATE OR REPLACE FUNCTION check_actors() RETURNS trigger "
	" LANGUAGE plpgsql SECURITY DEFINER "
	" SET search_path = case_tools, pg_catalog AS $$ "
	"DECLARE r text := my_role();"
	"BEGIN "
	NEW_ACTORS_CHECK
	" RETURN NULL;"
	"END$$;"
	"ALTER FUNCTION actor_ok(text, text) OWNER TO case_owner;"
	"ALTER FUNCTION check_actors() OWNER TO case_owner;"
	"DROP TRIGGER IF EXISTS events_actor ON events;"
	"CREATE TRIGGER events_actor AFTER INSERT ON events "
	" REFERENCING NEW TABLE AS new_events "
	" FOR EACH STATEMENT EXECUTE FUNCTION check_actors();"
	"REVOKE SELECT (lat, lon) ON cases FROM case_admin, case_centre, "
	" case_unit, case_supervisor, case_analyst;"
	"CREATE VIEW case_coarse WITH (security_barrier) AS "
	" SELECT id, round(lat::numeric, 3)::text COLLATE \"C\" AS lat, "
	" round(lon::numeric, 3)::text COLLATE \"C\" AS lon FROM cases "
	" WHERE (SELECT sees_all() OR outside()) OR (" UNIT_SEES ");"
	"ALTER VIEW case_coarse OWNER TO case_owner;"
	"GRANT SELECT ON case_coarse TO case_admin, case_centre, case_unit, "
	" case_supervisor, case_analyst;";

/*
 * Version 7 on a server: what row-level security reads for a unit member
 * is indexed.  Its policy asks, of every case, whether its lead is one of
 * the member's units (and the units below them) or whether one of them
 * supports it.  The agenda's overdue cases were found through the index
 * of all open cases by deadline, each then tested against the member's
 * units: at a million cases, a community's agenda read the district's
 * overdue cases to print its own forty.  By lead first, it reads its own.
 * And the cases the member's units support were found among all their
 * assignments, nearly all of which are leads: the partial index holds the
 * supporting ones only, which are few.  A member's agenda at a million
 * cases went from 25 ms of statement to about 1.5 ms.
 *
 * And the journal's reference to its case is checked once per statement,
 * as its actor is, instead of by a foreign key, which checks it a row at
 * a time and locks the case's row for each: at an import's million open
 * events that was a million look-ups, and as many locks written to the
 * server's log, about two seconds in every ten of the journal's part.
 * Cases are never deleted and their ids never change, so what the key
 * also refused, a case taken from under its journal, is refused by
 * triggers on cases.  The messages are the key's own.
 */
static const char pg_v7[] =
	"CREATE INDEX IF NOT EXISTS cases_active_lead ON cases(lead, due_at)"
	" WHERE status IN ('open','assigned');"
	"CREATE INDEX IF NOT EXISTS assignments_support"
	" ON assignments(unit, case_id)"
	" WHERE role = 'support' AND released_at IS NULL;"
	"ALTER TABLE events DROP CONSTRAINT IF EXISTS events_case_id_fkey;"
	"CREATE OR REPLACE FUNCTION check_journal() RETURNS trigger "
	" LANGUAGE plpgsql SECURITY DEFINER "
	" SET search_path = case_tools, pg_catalog AS $$ "
	"DECLARE r text := my_role();"
	"BEGIN "
	" IF EXISTS (SELECT 1 FROM new_events e "
	"  WHERE (SELECT c.id FROM cases c WHERE c.id = e.case_id) IS NULL) THEN "
	"  RAISE EXCEPTION 'insert or update on table \"events\" violates "
	"foreign key constraint \"events_case_id_fkey\"' "
	"   USING ERRCODE = 'foreign_key_violation';"
	" END IF;"
	NEW_ACTORS_CHECK
	" RETURN NULL;"
	"END$$;"
	"CREATE OR REPLACE FUNCTION keep_journal() RETURNS trigger "
	" LANGUAGE plpgsql SECURITY DEFINER "
	" SET search_path = case_tools, pg_catalog AS $$ "
	"BEGIN "
	" IF TG_OP = 'DELETE' THEN "
	"  IF NOT EXISTS (SELECT 1 FROM old_cases o "
	"   WHERE EXISTS (SELECT 1 FROM events e WHERE e.case_id = o.id)) THEN "
	"   RETURN NULL;"
	"  END IF;"
	" END IF;"
	" RAISE EXCEPTION 'update or delete on table \"cases\" violates "
	"foreign key constraint \"events_case_id_fkey\" on table \"events\"' "
	"  USING ERRCODE = 'foreign_key_violation';"
	"END$$;"
	"ALTER FUNCTION check_journal() OWNER TO case_owner;"
	"ALTER FUNCTION keep_journal() OWNER TO case_owner;"
	"DROP TRIGGER IF EXISTS events_actor ON events;"
	"DROP FUNCTION IF EXISTS check_actors();"
	"DROP TRIGGER IF EXISTS events_check ON events;"
	"DROP TRIGGER IF EXISTS cases_keep_journal ON cases;"
	"DROP TRIGGER IF EXISTS cases_keep_id ON cases;"
	"CREATE TRIGGER events_check AFTER INSERT ON events "
	" REFERENCING NEW TABLE AS new_events "
	" FOR EACH STATEMENT EXECUTE FUNCTION check_journal();"
	"CREATE TRIGGER cases_keep_journal AFTER DELETE ON cases "
	" REFERENCING OLD TABLE AS old_cases "
	" FOR EACH STATEMENT EXECUTE FUNCTION keep_journal();"
	"CREATE TRIGGER cases_keep_id AFTER UPDATE OF id ON cases "
	" FOR EACH ROW WHEN (old.id IS DISTINCT FROM new.id) "
	" EXECUTE FUNCTION keep_journal();";

/* Version 8 changes SQLite's trigram index (v8 above); a server's search
 * is pg_trgm's, and on it version 8 changes nothing but the number. */
static const char pg_v8[] = "";

/* Version 9 makes SQLite's index of leads partial (v9 above); a server's
 * stays as it is, and on it version 9 changes nothing but the number. */
static const char pg_v9[] = "";

/* Version 10 changes how SQLite's trigram index takes new cases (v10
 * above); pg_trgm keeps its own, and on a server version 10 changes
 * nothing but the number. */
static const char pg_v10[] = "";

static const char *const pg_migrations[CASE_SCHEMA_VERSION - PG_BASE] = {
	pg_v4, pg_v5, pg_v6, pg_v7, pg_v8, pg_v9, pg_v10};

static int
user_version(struct case_db *db, int *v, int *appid, struct case_err *err)
{
	int64_t n;

	if (case_db_int(db, "PRAGMA user_version", &n,
			"cannot read the schema version", err) < 0)
		return -1;
	*v = (int)n;
	if (case_db_int(db, "PRAGMA application_id", &n,
			"cannot read the schema version", err) < 0)
		return -1;
	*appid = (int)n;
	return 0;
}

static int
has_tables(struct case_db *db, int *yes, struct case_err *err)
{
	int64_t n;

	if (case_db_int(db, "SELECT count(*) FROM sqlite_schema", &n,
			"cannot read the schema", err) < 0)
		return -1;
	*yes = n > 0;
	return 0;
}

/*
 * Where a server database stands: 0 without a case_tools schema, -1 when
 * the schema is there but is not ours (no meta table, or another
 * application's marks in it), else the version in its meta table.
 */
static int
pg_version(struct case_db *db, int *v, struct case_err *err)
{
	struct case_stmt *st;
	int64_t n;
	int rc;

	if (case_db_int(db,
			"SELECT (SELECT count(*) FROM pg_namespace"
			"  WHERE nspname = 'case_tools')"
			" + (SELECT count(*) FROM pg_class c JOIN pg_namespace n"
			"  ON n.oid = c.relnamespace WHERE n.nspname = 'case_tools'"
			"  AND c.relname = 'meta')",
			&n, "cannot read the schema version", err) < 0)
		return -1;
	if (n < 2) {
		*v = n == 0 ? 0 : -1;
		return 0;
	}
	st = case_db_stmt(db,
			  "SELECT (SELECT value FROM case_tools.meta"
			  "  WHERE key = 'application'),"
			  " (SELECT value FROM case_tools.meta"
			  "  WHERE key = 'schema_version')",
			  err);
	if (st == NULL)
		return -1;
	if ((rc = case_step(st)) != CASE_ROW) {
		case_db_fail(db, err, _("cannot read the schema version"));
		case_reset(st);
		/* A login that no admin made a member may not read the
		 * schema: say so, and how to become one, asking outside the
		 * reader's snapshot, which the refusal ended. */
		if (db->drv->fault(db) == CASE_FAULT_DENIED) {
			case_db_rollback(db);
			case_roles_stranger(db, err);
		}
		return -1;
	}
	*v = case_col_text(st, 0) != NULL &&
			     strcmp(case_col_text(st, 0), "case") == 0 &&
			     !case_col_null(st, 1)
		     ? case_col_int(st, 1)
		     : -1;
	case_reset(st);
	return 0;
}

static int
insert_policy_defaults(struct case_db *db, struct case_err *err)
{
	const struct case_policy_key *k;
	struct case_stmt *st;

	for (k = case_policy_keys; k->key != NULL; k++) {
		st = case_db_stmt(db,
				  "INSERT INTO policy(key, value) VALUES (?1, ?2)"
				  " ON CONFLICT DO NOTHING",
				  err);
		if (st == NULL)
			return -1;
		case_bind_str(st, 1, k->key);
		case_bind_str(st, 2, k->def);
		if (case_db_done(db, st, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * Refuse a file that is not ours, or newer than this program, before
 * anything is written to it (even a change of journal mode).
 */
int
case_db_identify(struct case_db *db, struct case_err *err)
{
	int v, appid = APPLICATION_ID, tables = 0;

	if (case_db_dialect(db) == CASE_PG) {
		if (pg_version(db, &v, err) < 0)
			return -1;
		if (v < 0)
			return case_err_set(err, CASE_E_SCHEMA,
					    _("%s has a schema case_tools that is "
					    "not a case database"),
					    db->name);
	} else if (user_version(db, &v, &appid, err) < 0)
		return -1;
	db->found_version = v;
	if (case_db_dialect(db) == CASE_SQLITE && v == 0 &&
	    has_tables(db, &tables, err) < 0)
		return -1;
	if ((v != 0 || tables) && appid != APPLICATION_ID)
		return case_err_set(err, CASE_E_SCHEMA,
				    _("%s is an SQLite file but not a case database"),
				    db->name);
	if (v > CASE_SCHEMA_VERSION)
		return case_err_set(err, CASE_E_SCHEMA,
				    _("%s has schema version %d, newer than this "
				    "program's %d; use a newer case"),
				    db->name, v, CASE_SCHEMA_VERSION);
	return 0;
}

/*
 * The trigram index needs pg_trgm.  Since PostgreSQL 13 a role that may
 * create objects in the database may create it; when this one may not,
 * the message says what a database administrator must run.
 */
static int
pg_trgm(struct case_db *db, struct case_err *err)
{
	int64_t n;

	if (case_db_int(db,
			"SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'",
			&n, "cannot read the extensions", err) < 0)
		return -1;
	if (n > 0)
		return 0;
	if (case_db_exec(db, "SAVEPOINT trgm; CREATE EXTENSION pg_trgm;"
			     " RELEASE trgm", NULL) == 0)
		return 0;
	case_db_exec(db, "ROLLBACK TO trgm", NULL);
	return case_err_set(err, CASE_E_DB,
			    _("%s lacks the pg_trgm extension, which this role "
			    "may not create; a database administrator must run "
			    "'CREATE EXTENSION pg_trgm;' in that database (from "
			    "Debian's postgresql-contrib)"),
			    db->name);
}

/*
 * The SQL functions that reports group by, as SQLite's C functions in
 * lib/sqlite.c give them: the same text for the same input, since the
 * server formats times in the session's TimeZone, which lib/pg.c sets to
 * this process's zone.
 */
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

/* The schema of a new server database: the schema itself, the tables,
 * the SQL functions, the trigram index, and the marks in meta. */
static int
pg_create(struct case_db *db, struct case_err *err)
{
	char sql[512];
	int64_t n;

	if (pg_trgm(db, err) < 0 ||
	    case_db_exec(db, "CREATE SCHEMA case_tools", err) < 0 ||
	    case_db_exec(db, pg_base, err) < 0 ||
	    case_db_exec(db, pg_functions, err) < 0)
		return -1;
	/* The operator class is found where the extension was put. */
	if (case_db_int(db,
			"SELECT count(*) FROM pg_extension e JOIN pg_namespace n"
			" ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
			" AND n.nspname = 'case_tools'",
			&n, "cannot read the extensions", err) < 0)
		return -1;
	snprintf(sql, sizeof sql,
		 "CREATE INDEX cases_search ON cases USING gin"
		 " (summary %1$s.gin_trgm_ops, description %1$s.gin_trgm_ops,"
		 " address %1$s.gin_trgm_ops)",
		 n > 0 ? "case_tools" : "public");
	if (case_db_exec(db, sql, err) < 0)
		return -1;
	return case_db_exec(db,
			    "INSERT INTO meta(key, value) VALUES"
			    " ('application', 'case'), ('schema_version', '0')",
			    err);
}

/* The version found again, under the write lock. */
static int
locked_version(struct case_db *db, int *v, struct case_err *err)
{
	int appid;

	if (case_db_dialect(db) == CASE_PG)
		return pg_version(db, v, err) < 0 ? -1 : 0;
	return user_version(db, v, &appid, err);
}

static int
set_version(struct case_db *db, int target, struct case_err *err)
{
	char sql[96];

	if (case_db_dialect(db) == CASE_PG) {
		snprintf(sql, sizeof sql,
			 "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
			 target);
		return case_db_exec(db, sql, err);
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
	if (case_db_exec(db, sql, err) < 0)
		return -1;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
	return case_db_exec(db, sql, err);
}

/* Whether this login is a superuser or what cond says of its row in
 * pg_roles, in *yes. */
static int
pg_login_is(struct case_db *db, const char *cond, int *yes,
	    struct case_err *err)
{
	char sql[192];
	int64_t n;

	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM pg_roles WHERE rolname = current_user"
		 " AND (rolsuper OR %s)",
		 cond);
	if (case_db_int(db, sql, &n, "cannot read this login's attributes",
			err) < 0)
		return -1;
	*yes = n > 0;
	return 0;
}

/*
 * The roles of version 5 are made by whoever upgrades, which takes a role
 * with CREATEROLE (or a superuser): say so before anything fails half
 * way.
 */
static int
pg_may_make_roles(struct case_db *db, struct case_err *err)
{
	int yes;

	if (pg_login_is(db, "rolcreaterole", &yes, err) < 0)
		return -1;
	if (yes)
		return 0;
	return case_err_set(err, CASE_E_DB,
			    _("%s: setting up the roles of members needs a "
			    "login with CREATEROLE: run 'case-admin init' as "
			    "the database's administrator"),
			    db->name);
}

/*
 * An upgrade of a server database that has roles changes what case_owner
 * owns, which takes a member of case_owner (whoever ran init is one) or a
 * superuser: a member's command says so before it begins, rather than
 * fail at its first step.
 */
static int
pg_may_upgrade(struct case_db *db, int target, struct case_err *err)
{
	int yes;

	if (pg_login_is(db, "pg_has_role(current_user, 'case_owner', 'MEMBER')",
			&yes, err) < 0)
		return -1;
	if (yes)
		return 0;
	return case_err_set(err, CASE_E_DB,
			    _("%s needs an upgrade of its schema to version %d, "
			    "which only the database's administrator may make: "
			    "run 'case-admin init' as the administrator"),
			    db->name, target);
}

static int
apply(struct case_db *db, int from, int target, struct case_err *err)
{
	int i;

	if (case_db_dialect(db) == CASE_PG && from == 0) {
		if (pg_create(db, err) < 0)
			return case_err_prefix(err, _("creating the schema: "));
		from = PG_BASE;
	}
	if (case_db_dialect(db) == CASE_PG && from < 5 && target >= 5 &&
	    pg_may_make_roles(db, err) < 0)
		return -1;
	for (i = from; i < target; i++)
		if (case_db_exec(db,
				 case_db_dialect(db) == CASE_PG
					 ? pg_migrations[i - PG_BASE]
					 : migrations[i],
				 err) < 0 ||
		    (fixes[i] != NULL && fixes[i](db, err) < 0))
			return case_err_prefix(err, _("upgrading the schema to "
						      "version %d: "),
					       i + 1);
	return 0;
}

/*
 * Bring the database forward.  Readers only check: they must not change
 * it, so an old schema is an error for them.  Writers upgrade inside one
 * write transaction, reading the version again once they hold the lock,
 * so that two processes opening an old database at once upgrade it
 * exactly once.
 */
int
case_db_migrate(struct case_db *db, int target, struct case_err *err)
{
	return case_db_identify(db, err) < 0
		       ? -1
		       : case_db_migrate_found(db, target, err);
}

/* The same, from the version case_db_identify last found. */
int
case_db_migrate_found(struct case_db *db, int target, struct case_err *err)
{
	int v, rebuild, rc = -1;

	v = db->found_version;
	if (v >= target)
		return 0;
	if (db->readonly) {
		if (v == 0)
			return case_err_set(err, CASE_E_SCHEMA,
					    _("%s holds no case database yet "
					    "(create it with 'case-admin init')"),
					    db->name);
		return case_err_set(err, CASE_E_SCHEMA,
				    _("%s has schema version %d and needs an "
				    "upgrade to %d (run 'case-admin init')"),
				    db->name, v, CASE_SCHEMA_VERSION);
	}
	/* Version 4 builds SQLite's cases table again, with every row and
	 * id as it was, so that no reference changes; foreign keys, which
	 * would stop the old table's DROP, can only be turned off outside a
	 * transaction. */
	rebuild = case_db_dialect(db) == CASE_SQLITE && v < 4 && target >= 4;
	if (case_db_dialect(db) == CASE_PG && v >= 5 &&
	    pg_may_upgrade(db, target, err) < 0)
		return -1;
	if (rebuild && case_db_exec(db, "PRAGMA foreign_keys = OFF", err) < 0)
		return -1;
	if (case_db_begin(db, err) < 0)
		goto out;
	if (locked_version(db, &v, err) < 0)
		goto fail;
	if (v < target && apply(db, v, target, err) < 0)
		goto fail;
	if (v == 0 && insert_policy_defaults(db, err) < 0)
		goto fail;
	if (v < target && set_version(db, target, err) < 0)
		goto fail;
	rc = case_db_commit(db, err);
	goto out;
fail:
	case_db_rollback(db);
out:
	if (rebuild && case_db_exec(db, "PRAGMA foreign_keys = ON",
				    rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/*
 * On a server, each write transaction first sets the id sequences to one
 * past the largest id in use: a sequence does not go back when a
 * transaction rolls back (a dry run, a refused batch), and ids must stay
 * dense and the same as SQLite would give.  Writers hold the write lock,
 * so nobody else draws from the sequences meanwhile.  A member sees only
 * some rows, so with roles this is a function of the schema's owner,
 * which also says the login's role now: a member removed, or given
 * another role, since this handle was opened is refused here, before it
 * writes.
 */
int
case_db_ids_sync(struct case_db *db, struct case_err *err)
{
	static const char sql[] =
		"SELECT NULL, setval(pg_get_serial_sequence('cases', 'id'),"
		" coalesce((SELECT max(id) FROM cases), 0) + 1, false),"
		" setval(pg_get_serial_sequence('events', 'id'),"
		" coalesce((SELECT max(id) FROM events), 0) + 1, false),"
		" setval(pg_get_serial_sequence('visits', 'id'),"
		" coalesce((SELECT max(id) FROM visits), 0) + 1, false),"
		" setval(pg_get_serial_sequence('assignments', 'id'),"
		" coalesce((SELECT max(id) FROM assignments), 0) + 1, false)";
	struct case_stmt *st;
	const char *role;
	int rc, same = 0;

	if (case_db_dialect(db) != CASE_PG || db->found_version == 0)
		return 0;
	st = case_db_stmt(db,
			  db->roles ? "SELECT role, next_case, next_event"
				      " FROM case_tools.begin_write()"
				    : sql,
			  err);
	if (st == NULL)
		return -1;
	if ((rc = case_step(st)) == CASE_ROW) {
		role = case_col_text(st, 0);
		same = db->role == 0 ? role == NULL
				     : role != NULL &&
					       strcmp(role,
						      case_roles[db->role - 1]) ==
						       0;
		db->next_case = case_col_int64(st, 1);
		db->next_event = case_col_int64(st, 2);
	}
	case_reset(st);
	if (rc != CASE_ROW && (db->role == 0 || db->drv->fault(db) !=
						       CASE_FAULT_DENIED))
		return case_db_fail(db, err, _("cannot begin a transaction"));
	if (rc != CASE_ROW || !same)
		return case_err_set(err, CASE_E_DENIED,
				    _("login %s is no longer a member with role %s "
				    "(an admin changed or removed it since this "
				    "command began); nothing was changed"),
				    db->login, case_roles[db->role - 1]);
	return 0;
}

int
case_db_next_ids(struct case_db *db, int64_t *next_case, int64_t *next_event,
		 struct case_err *err)
{
	if (case_db_dialect(db) == CASE_PG) {
		*next_case = db->next_case;
		*next_event = db->next_event;
		return 0;
	}
	return case_db_int(db, "SELECT coalesce(max(id), 0) + 1 FROM cases",
			   next_case, "cannot read cases", err) < 0 ||
			       case_db_int(db,
					   "SELECT coalesce(max(id), 0) + 1"
					   " FROM events",
					   next_event, "cannot read the journal",
					   err) < 0
		       ? -1
		       : 0;
}
