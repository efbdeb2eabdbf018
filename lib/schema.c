/*
 * The schema and its migrations.  migrations[i] takes a database from
 * version i to version i + 1; PRAGMA user_version records where a file
 * stands, and application_id marks the file as ours.  A migration is only
 * ever appended, never edited, once it has shipped.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define APPLICATION_ID 0x43415345 /* "CASE" */

/* The index of places as version 1 made it; version 3 adds the status. */
#define PLACE_INDEX_V1 \
	"CREATE INDEX cases_place ON cases(place, category, opened_at)"
#define PLACE_INDEX \
	"CREATE INDEX cases_place ON cases(place, category, opened_at, status)"

const char case_place_index[] = PLACE_INDEX;

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
	" id INTEGER PRIMARY KEY,"
	" ref TEXT UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind = 'dispute' OR kind = 'hazard'"
	"  OR kind = 'request'),"
	" category TEXT,"
	" summary TEXT NOT NULL CHECK (summary <> ''),"
	" description TEXT,"
	" priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority = 'urgent'"
	"  OR priority = 'high' OR priority = 'normal' OR priority = 'low'),"
	" place TEXT,"
	" address TEXT,"
	" reporter TEXT,"
	" contact TEXT,"
	" source TEXT,"
	" status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open'"
	"  OR status = 'assigned' OR status = 'resolved' OR status = 'closed'"
	"  OR status = 'cancelled'),"
	" outcome TEXT CHECK (outcome = 'satisfied' OR outcome = 'unreachable'),"
	" opened_at INTEGER NOT NULL,"
	" due_at INTEGER NOT NULL,"
	" resolved_at INTEGER,"
	" closed_at INTEGER,"
	" level INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 3),"
	" lead TEXT REFERENCES units(code),"
	" reopened INTEGER NOT NULL DEFAULT 0);"
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
	"CREATE TRIGGER events_no_replace BEFORE INSERT ON events"
	" WHEN EXISTS (SELECT 1 FROM events WHERE id = new.id) BEGIN"
	" SELECT RAISE(ABORT, 'the event journal is append-only');"
	" END;"

	"CREATE TABLE supervisors ("
	" level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 3),"
	" name TEXT NOT NULL,"
	" contact TEXT);"

	"CREATE TABLE policy ("
	" key TEXT PRIMARY KEY NOT NULL,"
	" value TEXT NOT NULL);";

/* Version 2: substring search that works for Chinese, through a trigram
 * index over summary, description and address, kept by triggers. */
#define FTS_INSERT_TRIGGER \
	"CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN" \
	" INSERT INTO cases_fts(rowid, summary, description, address)" \
	" VALUES (new.id, new.summary, new.description, new.address);" \
	" END;"

const char case_fts_insert_trigger[] = FTS_INSERT_TRIGGER;

static const char v2[] =
	"CREATE VIRTUAL TABLE cases_fts USING fts5(summary, description,"
	" address, content='cases', content_rowid='id', tokenize='trigram');"
	FTS_INSERT_TRIGGER
	"CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN"
	" INSERT INTO cases_fts(cases_fts, rowid, summary, description,"
	" address) VALUES ('delete', old.id, old.summary, old.description,"
	" old.address);"
	" END;"
	"CREATE TRIGGER cases_fts_update AFTER UPDATE OF summary, description,"
	" address ON cases BEGIN"
	" INSERT INTO cases_fts(cases_fts, rowid, summary, description,"
	" address) VALUES ('delete', old.id, old.summary, old.description,"
	" old.address);"
	" INSERT INTO cases_fts(rowid, summary, description, address)"
	" VALUES (new.id, new.summary, new.description, new.address);"
	" END;"
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
	"CREATE INDEX cases_active_due ON cases(due_at, id, status, level,"
	" lead, place, summary) WHERE status IN ('open','assigned');"
	"DROP INDEX cases_place;"
	PLACE_INDEX ";";

static const char *const migrations[CASE_SCHEMA_VERSION] = {v1, v2, v3};

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

static int
insert_policy_defaults(struct case_db *db, struct case_err *err)
{
	const struct case_policy_key *k;
	sqlite3_stmt *st;

	for (k = case_policy_keys; k->key != NULL; k++) {
		st = case_db_stmt(db,
				  "INSERT OR IGNORE INTO policy(key, value)"
				  " VALUES (?1, ?2)",
				  err);
		if (st == NULL)
			return -1;
		sqlite3_bind_text(st, 1, k->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k->def, -1, SQLITE_STATIC);
		if (case_db_done(db, st, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * Check what the file holds and bring it forward.  Readers only check:
 * they must not change the file, so an old schema is an error for them.
 * Writers upgrade inside one IMMEDIATE transaction, reading the version
 * again once they hold the lock, so that two processes opening an old file
 * at once upgrade it exactly once.
 */
/*
 * Refuse a file that is not ours, or newer than this program, before
 * anything is written to it (even a change of journal mode).
 */
int
case_db_identify(struct case_db *db, struct case_err *err)
{
	int v, appid, tables = 0;

	if (user_version(db, &v, &appid, err) < 0)
		return -1;
	db->found_version = v;
	if (v == 0 && has_tables(db, &tables, err) < 0)
		return -1;
	if ((v != 0 || tables) && appid != APPLICATION_ID)
		return case_err_set(err, CASE_E_SCHEMA,
				    "%s is an SQLite file but not a case database",
				    db->path);
	if (v > CASE_SCHEMA_VERSION)
		return case_err_set(err, CASE_E_SCHEMA,
				    "%s has schema version %d, newer than this "
				    "program's %d; use a newer case",
				    db->path, v, CASE_SCHEMA_VERSION);
	return 0;
}

int
case_db_migrate(struct case_db *db, int target, struct case_err *err)
{
	char sql[64];
	int v, appid, i;

	if (case_db_identify(db, err) < 0)
		return -1;
	v = db->found_version;
	if (v >= target)
		return 0;
	if (db->readonly) {
		if (v == 0)
			return case_err_set(err, CASE_E_SCHEMA,
					    "%s holds no case database yet "
					    "(create it with 'case-admin init')",
					    db->path);
		return case_err_set(err, CASE_E_SCHEMA,
				    "%s has schema version %d and needs an "
				    "upgrade to %d (run 'case-admin init')",
				    db->path, v, CASE_SCHEMA_VERSION);
	}
	if (case_db_begin(db, err) < 0)
		return -1;
	if (user_version(db, &v, &appid, err) < 0)
		goto fail;
	for (i = v; i < target; i++)
		if (case_db_exec(db, migrations[i], err) < 0) {
			case_err_prefix(err, "upgrading the schema to version %d: ",
					i + 1);
			goto fail;
		}
	if (v == 0 && insert_policy_defaults(db, err) < 0)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
	if (case_db_exec(db, sql, err) < 0)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
	if (case_db_exec(db, sql, err) < 0)
		goto fail;
	return case_db_commit(db, err);
fail:
	case_db_rollback(db);
	return -1;
}
