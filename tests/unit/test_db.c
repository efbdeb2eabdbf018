/*
 * Unit tests for the database layer: where the file lives and the modes it
 * and its folder get, files that must be refused, the schema upgrade from
 * version 1, the append-only journal, policy defaults, transactions, the
 * busy timeout and the online backup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case/cases.h"
#include "case/db.h"
#include "case/policy.h"
#include "internal.h"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/test_db.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	setenv("CASE_NOW", "2026-05-01T08:00:00+08:00", 1);
	setenv("CASE_ACTOR", "tester", 1);
	unsetenv("CASE_DB");
	unsetenv("CASE_BUSY_TIMEOUT");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", dir, 1);
	umask(022);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
in_dir(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, PATH_MAX, "%s/%s", dir, name);
	return b;
}

static unsigned
mode_of(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		fail_msg("%s does not exist", path);
	return sb.st_mode & 07777;
}

static int
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static struct case_db *
open_ok(const char *path, int flags)
{
	struct case_db *db;
	struct case_err err;

	if (case_db_open(&db, path, flags, &err) < 0)
		fail_msg("cannot open %s: %s", path ? path : "(default)",
			 err.msg);
	return db;
}

/* Open must fail with a message containing want. */
static void
open_fails(const char *path, int flags, enum case_errkind kind,
	   const char *want)
{
	struct case_db *db = (struct case_db *)1;
	struct case_err err;

	if (case_db_open(&db, path, flags, &err) == 0) {
		case_db_close(db);
		fail_msg("%s opened, expected: %s", path ? path : "(default)",
			 want);
	}
	assert_null(db);
	if (strstr(err.msg, want) == NULL)
		fail_msg("the message is \"%s\", expected \"%s\"", err.msg,
			 want);
	if (kind != CASE_E_NONE)
		assert_int_equal(err.kind, kind);
}

/* Run SQL on the file with a connection of our own. */
static int
raw_exec(const char *path, const char *sql, char *msg, size_t n)
{
	sqlite3 *s;
	char *e = NULL;
	int rc;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	rc = sqlite3_exec(s, sql, NULL, NULL, &e);
	if (msg != NULL)
		snprintf(msg, n, "%s", e ? e : "");
	sqlite3_free(e);
	sqlite3_close(s);
	return rc;
}

/* One integer from the file. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(s));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

static void
test_create_modes(void **state)
{
	const char *path = in_dir("cases.db");
	struct case_db *db;

	(void)state;
	umask(0);
	db = open_ok(path, CASE_DB_CREATE);
	assert_int_equal(case_db_found_version(db), 0);
	assert_string_equal(case_db_filename(db), path);
	case_db_close(db);
	assert_int_equal(mode_of(path), 0600);
	if (exists(in_dir("cases.db-wal")))
		assert_int_equal(mode_of(in_dir("cases.db-wal")), 0600);
	if (exists(in_dir("cases.db-shm")))
		assert_int_equal(mode_of(in_dir("cases.db-shm")), 0600);
	assert_int_equal(raw_int(path, "PRAGMA user_version"),
			 CASE_SCHEMA_VERSION);
	assert_int_equal(raw_int(path, "SELECT journal_mode = 'wal' FROM "
				       "pragma_journal_mode"), 1);
	umask(022);
}

/* A reader keeps a small page cache (it reads each page about once); a
 * writer keeps SQLite's default. */
static void
test_cache_sizes(void **state)
{
	const char *path = in_dir("cases.db");
	struct case_db *db;
	struct case_err err;
	int64_t v;

	(void)state;
	db = open_ok(path, CASE_DB_CREATE);
	assert_int_equal(case_db_int(db, "PRAGMA cache_size", &v, "x", &err),
			 0);
	assert_int_equal(v, -2000);
	case_db_close(db);
	db = open_ok(path, CASE_DB_READONLY);
	assert_int_equal(case_db_int(db, "PRAGMA cache_size", &v, "x", &err),
			 0);
	assert_int_equal(v, 64);
	case_db_close(db);
}

/* CASE_DB names the file; --db (the path argument) wins over it. */
static void
test_case_db_env(void **state)
{
	struct case_db *db;

	(void)state;
	setenv("CASE_DB", in_dir("env.db"), 1);
	db = open_ok(NULL, CASE_DB_CREATE);
	assert_string_equal(case_db_filename(db), in_dir("env.db"));
	case_db_close(db);
	assert_int_equal(mode_of(in_dir("env.db")), 0600);
	db = open_ok(in_dir("arg.db"), CASE_DB_CREATE);
	assert_string_equal(case_db_filename(db), in_dir("arg.db"));
	case_db_close(db);
	unsetenv("CASE_DB");
}

static void
test_default_path_xdg(void **state)
{
	char want[PATH_MAX];
	struct case_db *db;

	(void)state;
	setenv("XDG_DATA_HOME", in_dir("xdg"), 1);
	unsetenv("CASE_DB");
	db = open_ok(NULL, CASE_DB_CREATE);
	snprintf(want, sizeof want, "%s/xdg/case/cases.db", dir);
	assert_string_equal(case_db_filename(db), want);
	case_db_close(db);
	assert_int_equal(mode_of(want), 0600);
	assert_int_equal(mode_of(in_dir("xdg/case")), 0700);
	assert_int_equal(mode_of(in_dir("xdg")), 0700);
	unsetenv("XDG_DATA_HOME");
	unsetenv("CASE_DB");
}

static void
test_default_path_home(void **state)
{
	char want[PATH_MAX];
	struct case_db *db;

	(void)state;
	setenv("HOME", in_dir("home"), 1);
	/* A relative XDG_DATA_HOME is ignored, as the XDG spec says. */
	setenv("XDG_DATA_HOME", "relative/xdg", 1);
	db = open_ok(NULL, CASE_DB_CREATE);
	snprintf(want, sizeof want, "%s/home/.local/share/case/cases.db", dir);
	assert_string_equal(case_db_filename(db), want);
	case_db_close(db);
	assert_int_equal(mode_of(want), 0600);
	assert_int_equal(mode_of(in_dir("home/.local/share/case")), 0700);
	assert_false(exists("relative"));
	/* Opening again leaves the folder as it is. */
	chmod(in_dir("home/.local/share/case"), 0750);
	db = open_ok(NULL, CASE_DB_CREATE);
	case_db_close(db);
	assert_int_equal(mode_of(in_dir("home/.local/share/case")), 0750);
	unsetenv("XDG_DATA_HOME");
}

static void
test_no_home(void **state)
{
	char buf[PATH_MAX];
	struct case_err err;
	int is_default;

	(void)state;
	unsetenv("HOME");
	open_fails(NULL, 0, CASE_E_INPUT,
		   "cannot find the database: set CASE_DB or HOME");
	assert_int_equal(case_db_path("", buf, sizeof buf, &is_default, &err),
			 -1);
	assert_string_equal(err.msg, "the database path is empty");
	assert_int_equal(case_db_path("x.db", buf, 4, &is_default, &err), -1);
	assert_string_equal(err.msg, "the database path is too long");
	assert_int_equal(case_db_path("x.db", buf, sizeof buf, &is_default,
				      &err), 0);
	assert_string_equal(buf, "x.db");
	assert_int_equal(is_default, 0);
	setenv("HOME", dir, 1);
}

/* A folder named by CASE_DB is not created: a typo must not scatter
 * databases around. */
static void
test_missing_folder(void **state)
{
	char want[PATH_MAX * 2];

	(void)state;
	setenv("CASE_DB", in_dir("missing/cases.db"), 1);
	snprintf(want, sizeof want,
		 "cannot create %s/missing/cases.db: its folder does not exist",
		 dir);
	open_fails(NULL, CASE_DB_CREATE, CASE_E_IO, want);
	assert_false(exists(in_dir("missing")));
	unsetenv("CASE_DB");
	open_fails(in_dir("missing/cases.db"), CASE_DB_CREATE, CASE_E_IO, want);
	assert_false(exists(in_dir("missing")));
}

/* Only init (CASE_DB_CREATE) creates a database: a writer that finds none
 * is refused, names the path and init, and leaves no file behind, so that
 * a misspelt CASE_DB in a crontab fails loudly instead of filling a file
 * nobody reads. */
static void
test_writer_missing(void **state)
{
	char want[PATH_MAX * 2];

	(void)state;
	snprintf(want, sizeof want,
		 "no database at %s/typo.db (create it with 'case-admin init')",
		 dir);
	open_fails(in_dir("typo.db"), 0, CASE_E_IO, want);
	assert_false(exists(in_dir("typo.db")));
	assert_false(exists(in_dir("typo.db-wal")));
	assert_false(exists(in_dir("typo.db-journal")));
	/* The default database, with its folder, is not made either. */
	setenv("HOME", in_dir("newhome"), 1);
	unsetenv("XDG_DATA_HOME");
	unsetenv("CASE_DB");
	open_fails(NULL, 0, CASE_E_IO, "no database at");
	open_fails(NULL, CASE_DB_READONLY, CASE_E_IO, "no database at");
	assert_false(exists(in_dir("newhome")));
	setenv("HOME", dir, 1);
}

/* CASE_DB set to nothing is a mistake, not the default database. */
static void
test_empty_case_db(void **state)
{
	(void)state;
	setenv("HOME", in_dir("home2"), 1);
	setenv("CASE_DB", "", 1);
	open_fails(NULL, CASE_DB_CREATE, CASE_E_INPUT,
		   "CASE_DB is set but empty (unset it for the default "
		   "database)");
	open_fails(NULL, CASE_DB_READONLY, CASE_E_INPUT, "CASE_DB is set but");
	assert_false(exists(in_dir("home2")));
	unsetenv("CASE_DB");
	setenv("HOME", dir, 1);
}

/* A file that init did not make a database (an empty file) is refused
 * to writers as to readers, and init makes it one. */
static void
test_writer_empty_file(void **state)
{
	FILE *fp = fopen(in_dir("blank.db"), "w");

	(void)state;
	assert_non_null(fp);
	fclose(fp);
	open_fails(in_dir("blank.db"), 0, CASE_E_SCHEMA,
		   "holds no case database yet (create it with 'case-admin "
		   "init')");
	assert_false(exists(in_dir("blank.db-wal")));
	case_db_close(open_ok(in_dir("blank.db"), CASE_DB_CREATE));
	case_db_close(open_ok(in_dir("blank.db"), 0));
}

static void
test_readonly_missing(void **state)
{
	char want[PATH_MAX * 2];

	(void)state;
	snprintf(want, sizeof want,
		 "no database at %s/none.db (create it with 'case-admin "
		 "init')",
		 dir);
	open_fails(in_dir("none.db"), CASE_DB_READONLY, CASE_E_IO, want);
	assert_false(exists(in_dir("none.db")));
}

static void
test_readonly_empty_file(void **state)
{
	FILE *fp = fopen(in_dir("empty.db"), "w");

	(void)state;
	assert_non_null(fp);
	fclose(fp);
	open_fails(in_dir("empty.db"), CASE_DB_READONLY, CASE_E_SCHEMA,
		   "holds no case database yet (create it with 'case-admin "
		   "init')");
	/* A writer makes it a database. */
	case_db_close(open_ok(in_dir("empty.db"), CASE_DB_CREATE));
	case_db_close(open_ok(in_dir("empty.db"), CASE_DB_READONLY));
}

static void
test_folder_as_file(void **state)
{
	(void)state;
	mkdir(in_dir("adir"), 0700);
	open_fails(in_dir("adir"), 0, CASE_E_IO, "is a folder, not a database");
	open_fails(in_dir("adir"), CASE_DB_READONLY, CASE_E_IO,
		   "is a folder, not a database");
}

static void
test_readonly_handle(void **state)
{
	struct case_db *db;
	struct case_err err;

	(void)state;
	case_db_close(open_ok(in_dir("ro.db"), CASE_DB_CREATE));
	db = open_ok(in_dir("ro.db"), CASE_DB_READONLY);
	assert_int_equal(case_db_begin(db, &err), -1);
	assert_non_null(strstr(err.msg, "is open read-only"));
	assert_int_equal(case_db_exec(db, "INSERT INTO supervisors VALUES "
					  "(1, 'x', NULL)", &err), -1);
	assert_non_null(strstr(err.msg, "read-only"));
	case_db_close(db);
	assert_int_equal(raw_int(in_dir("ro.db"),
				 "SELECT count(*) FROM supervisors"), 0);
}

/* Build a file at schema version 1, as an older program left it. */
static void
make_v1(const char *path)
{
	struct case_db *db = calloc(1, sizeof *db);
	struct case_err err;

	sqlite3 *s = NULL;

	assert_non_null(db);
	snprintf(db->path, sizeof db->path, "%s", path);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	db->drv = &case_sqlite_driver;
	db->conn = s;
	if (case_db_migrate(db, 1, &err) < 0)
		fail_msg("cannot build a version 1 file: %s", err.msg);
	case_db_close(db);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema"
				       " WHERE name = 'cases_fts'"), 0);
}

static void
test_upgrade_from_v1(void **state)
{
	const char *path = in_dir("old.db");
	struct case_db *db;
	struct case_err err;
	struct case_stmt *st;
	char msg[256];

	(void)state;
	make_v1(path);
	assert_int_equal(raw_exec(path,
				  "INSERT INTO cases(id, kind, summary, "
				  "address, opened_at, due_at) VALUES (7, "
				  "'dispute', '前进派出所门口烧烤噪音', "
				  "'华宇小区3号楼', 1777593600, 1778198400);"
				  "INSERT INTO events(case_id, at, actor, "
				  "action, status) VALUES (7, 1777593600, "
				  "'old', 'open', 'open');",
				  msg, sizeof msg),
			 SQLITE_OK);

	/* Readers do not upgrade, and say so. */
	open_fails(path, CASE_DB_READONLY, CASE_E_SCHEMA,
		   "has schema version 1 and needs an upgrade to 10 (run "
		   "'case-admin init')");
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 1);

	db = open_ok(path, CASE_DB_CREATE);
	assert_int_equal(case_db_found_version(db), 1);
	assert_int_equal(raw_int(path, "PRAGMA user_version"),
			 CASE_SCHEMA_VERSION);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM cases"), 1);
	assert_int_equal(raw_int(path, "SELECT id FROM cases WHERE summary ="
				       " '前进派出所门口烧烤噪音'"), 7);
	/* Version 3: the index of active cases covers the cron queries,
	 * the index of places the duplicate hint. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM"
				       " pragma_index_info('cases_active_due')"),
			 7);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM"
				       " pragma_index_info('cases_place')"
				       " WHERE name = 'status'"),
			 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM cases WHERE"
				       " status IN ('open','assigned')"
				       " AND due_at > 0"),
			 1);
	/* The row is in the trigram index, by summary and by address. */
	st = case_db_stmt(db,
			  "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1",
			  &err);
	assert_non_null(st);
	case_bind_str(st, 1, "派出所");
	assert_int_equal(case_step(st), CASE_ROW);
	assert_int_equal(case_col_int64(st, 0), 7);
	assert_int_equal(case_step(st), CASE_DONE);
	case_reset(st);
	case_bind_str(st, 1, "小区3");
	assert_int_equal(case_step(st), CASE_ROW);
	assert_int_equal(case_col_int64(st, 0), 7);
	case_reset(st);
	case_bind_str(st, 1, "没有的");
	assert_int_equal(case_step(st), CASE_DONE);
	case_reset(st);

	/* Cases opened after the upgrade wait for the index's next batch
	 * (the 64th id), or for whatever catches it up. */
	{
		const char *v[CASE_F_COUNT] = {NULL};
		struct case_opened res;

		v[CASE_F_KIND] = "hazard";
		v[CASE_F_SUMMARY] = "楼道里有煤气味";
		assert_int_equal(case_db_begin(db, &err), 0);
		if (case_open(db, v, &res, &err) < 0)
			fail_msg("%s", err.msg);
		assert_int_equal(case_db_commit(db, &err), 0);
		assert_int_equal(res.id, 8);
		case_bind_str(st, 1, "煤气味");
		assert_int_equal(case_step(st), CASE_DONE);
		case_reset(st);
		assert_int_equal(raw_int(path, "SELECT id FROM search_upto"), 7);
		assert_int_equal(case_db_begin(db, &err), 0);
		if (case_fts_catch_up(db, &err) < 0)
			fail_msg("%s", err.msg);
		assert_int_equal(case_db_commit(db, &err), 0);
		case_bind_str(st, 1, "煤气味");
		assert_int_equal(case_step(st), CASE_ROW);
		assert_int_equal(case_col_int64(st, 0), res.id);
		case_reset(st);
		assert_int_equal(raw_int(path, "SELECT id FROM search_upto"), 8);
	}
	case_db_close(db);

	/* Opening again finds the current version. */
	db = open_ok(path, CASE_DB_READONLY);
	assert_int_equal(case_db_found_version(db), CASE_SCHEMA_VERSION);
	case_db_close(db);
	/* The policy defaults survived the upgrade, once each. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM policy"), 9);
}

static void
test_newer_schema(void **state)
{
	const char *path = in_dir("new.db");
	char want[PATH_MAX + 128];

	(void)state;
	case_db_close(open_ok(path, CASE_DB_CREATE));
	snprintf(want, sizeof want, "PRAGMA user_version = %d",
		 CASE_SCHEMA_VERSION + 1);
	assert_int_equal(raw_exec(path, want, NULL, 0), SQLITE_OK);
	snprintf(want, sizeof want,
		 "%s has schema version %d, newer than this program's %d; use "
		 "a newer case",
		 path, CASE_SCHEMA_VERSION + 1, CASE_SCHEMA_VERSION);
	open_fails(path, 0, CASE_E_SCHEMA, want);
	open_fails(path, CASE_DB_READONLY, CASE_E_SCHEMA, want);
	assert_int_equal(raw_int(path, "PRAGMA user_version"),
			 CASE_SCHEMA_VERSION + 1);
}

static void
test_foreign_sqlite_file(void **state)
{
	const char *path = in_dir("other.db");
	char want[PATH_MAX + 64];

	(void)state;
	assert_int_equal(raw_exec(path,
				  "CREATE TABLE songs(title TEXT);"
				  "INSERT INTO songs VALUES ('x');",
				  NULL, 0),
			 SQLITE_OK);
	snprintf(want, sizeof want,
		 "%s is an SQLite file but not a case database", path);
	open_fails(path, 0, CASE_E_SCHEMA, want);
	open_fails(path, CASE_DB_READONLY, CASE_E_SCHEMA, want);
	/* Untouched: no tables of ours were added. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 0);

	/* A file with our version number but another application's id. */
	assert_int_equal(raw_exec(path, "PRAGMA user_version = 2", NULL, 0),
			 SQLITE_OK);
	open_fails(path, 0, CASE_E_SCHEMA, want);
}

static void
test_not_sqlite(void **state)
{
	const char *path = in_dir("text.db");
	FILE *fp = fopen(path, "w");
	char buf[8192];

	(void)state;
	assert_non_null(fp);
	memset(buf, 'z', sizeof buf);
	fwrite(buf, 1, sizeof buf, fp);
	fclose(fp);
	open_fails(path, 0, CASE_E_NONE, "is not a database");
	open_fails(path, CASE_DB_READONLY, CASE_E_NONE, "is not a database");
}

static void
test_journal_append_only(void **state)
{
	const char *path = in_dir("j.db");
	const char *v[CASE_F_COUNT] = {NULL};
	struct case_opened res;
	struct case_db *db;
	struct case_err err;
	char msg[256];

	(void)state;
	db = open_ok(path, CASE_DB_CREATE);
	v[CASE_F_KIND] = "request";
	v[CASE_F_SUMMARY] = "路灯坏了";
	assert_int_equal(case_db_begin(db, &err), 0);
	assert_int_equal(case_open(db, v, &res, &err), 0);
	assert_int_equal(case_db_commit(db, &err), 0);

	assert_int_equal(case_db_exec(db, "UPDATE events SET actor = 'mallory'",
				      &err), -1);
	assert_non_null(strstr(err.msg, "the event journal is append-only"));
	assert_int_equal(case_db_exec(db, "DELETE FROM events", &err), -1);
	assert_non_null(strstr(err.msg, "the event journal is append-only"));
	case_db_close(db);

	/* Another connection, with no help from the library, is refused too. */
	assert_int_not_equal(raw_exec(path, "UPDATE events SET detail = 'x'",
				      msg, sizeof msg), SQLITE_OK);
	assert_string_equal(msg, "the event journal is append-only");
	assert_int_not_equal(raw_exec(path, "DELETE FROM events WHERE id = 1",
				      msg, sizeof msg), SQLITE_OK);
	assert_string_equal(msg, "the event journal is append-only");
	assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM events WHERE"
				       " actor = 'tester'"), 1);
	/* Appending is allowed. */
	assert_int_equal(raw_exec(path,
				  "INSERT INTO events(case_id, at, actor, "
				  "action, status) VALUES (1, 1, 'a', 'note', "
				  "'open')",
				  NULL, 0),
			 SQLITE_OK);
}

static void
test_policy_defaults(void **state)
{
	static const char *const want =
		"due.high=3d;due.low=15d;due.normal=7d;due.urgent=1d;"
		"escalate.2=3d;escalate.3=7d;followup.after=7d;"
		"followup.attempts=3;followup.retry=2d;";
	const char *path = in_dir("p.db");
	struct case_policy pol;
	struct case_db *db;
	struct case_err err;
	struct case_stmt *st;
	char got[512] = "";

	(void)state;
	db = open_ok(path, CASE_DB_CREATE);
	st = case_db_stmt(db, "SELECT key, value FROM policy ORDER BY key",
			  &err);
	assert_non_null(st);
	while (case_step(st) == CASE_ROW) {
		size_t o = strlen(got);

		snprintf(got + o, sizeof got - o, "%s=%s;",
			 case_col_text(st, 0), case_col_text(st, 1));
	}
	case_reset(st);
	assert_string_equal(got, want);

	assert_int_equal(case_policy_get(db, &pol, &err), 0);
	assert_int_equal(pol.due[0], 86400);
	assert_int_equal(pol.due[1], 3 * 86400);
	assert_int_equal(pol.due[2], 7 * 86400);
	assert_int_equal(pol.due[3], 15 * 86400);
	assert_int_equal(pol.followup_after, 7 * 86400);
	assert_int_equal(pol.followup_retry, 2 * 86400);
	assert_int_equal(pol.followup_attempts, 3);
	assert_int_equal(pol.escalate2, 3 * 86400);
	assert_int_equal(pol.escalate3, 7 * 86400);
	case_db_close(db);
}

static void
test_now_and_actor(void **state)
{
	struct case_db *db;
	struct case_err err;

	(void)state;
	db = open_ok(in_dir("n.db"), CASE_DB_CREATE);
	assert_int_equal(case_db_now(db), 1777593600LL);
	assert_string_equal(case_db_actor(db), "tester");
	assert_int_equal(case_db_set_actor(db, "王警官", &err), 0);
	assert_string_equal(case_db_actor(db), "王警官");
	assert_int_equal(case_db_set_actor(db, "a\nb", &err), -1);
	assert_int_equal(case_db_set_actor(db, "", &err), -1);
	assert_string_equal(case_db_actor(db), "王警官");
	case_db_set_now(db, 5);
	assert_int_equal(case_db_now(db), 5);
	case_db_close(db);

	setenv("CASE_NOW", "next tuesday", 1);
	open_fails(in_dir("n.db"), 0, CASE_E_INPUT,
		   "CASE_NOW: bad time 'next tuesday'");
	setenv("CASE_NOW", "2026-05-01T08:00:00+08:00", 1);
	setenv("CASE_ACTOR", "bad\x01" "actor", 1);
	open_fails(in_dir("n.db"), 0, CASE_E_INPUT,
		   "CASE_ACTOR or login name: the actor contains control "
		   "character 0x01");
	setenv("CASE_ACTOR", "tester", 1);
}

static void
test_busy_timeout(void **state)
{
	struct case_db *a, *b;
	struct case_err err;
	char want[PATH_MAX + 128];

	(void)state;
	setenv("CASE_BUSY_TIMEOUT", "abc", 1);
	open_fails(in_dir("b.db"), 0, CASE_E_INPUT,
		   "CASE_BUSY_TIMEOUT: bad value 'abc' (expected milliseconds, "
		   "0 to 86400000)");
	setenv("CASE_BUSY_TIMEOUT", "-1", 1);
	open_fails(in_dir("b.db"), 0, CASE_E_INPUT, "bad value '-1'");
	setenv("CASE_BUSY_TIMEOUT", "86400001", 1);
	open_fails(in_dir("b.db"), 0, CASE_E_INPUT, "bad value '86400001'");
	assert_false(exists(in_dir("b.db")));

	setenv("CASE_BUSY_TIMEOUT", "100", 1);
	a = open_ok(in_dir("b.db"), CASE_DB_CREATE);
	b = open_ok(in_dir("b.db"), CASE_DB_CREATE);
	assert_int_equal(case_db_begin(a, &err), 0);
	assert_int_equal(case_db_begin(b, &err), -1);
	snprintf(want, sizeof want,
		 "cannot begin a transaction: %s is locked by another writer "
		 "(gave up after CASE_BUSY_TIMEOUT)",
		 in_dir("b.db"));
	assert_string_equal(err.msg, want);
	assert_int_equal(err.kind, CASE_E_DB);
	case_db_rollback(a);
	assert_int_equal(case_db_begin(b, &err), 0);
	case_db_rollback(b);
	case_db_close(a);
	case_db_close(b);
	unsetenv("CASE_BUSY_TIMEOUT");
}

static void
test_transactions(void **state)
{
	const char *path = in_dir("t.db");
	struct case_db *db;
	struct case_err err;

	(void)state;
	db = open_ok(path, CASE_DB_CREATE);
	assert_int_equal(case_db_begin(db, &err), 0);
	assert_int_equal(case_db_exec(db, "INSERT INTO supervisors VALUES "
					  "(1, 'a', NULL)", &err), 0);
	case_db_rollback(db);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM supervisors"), 0);

	assert_int_equal(case_db_begin(db, &err), 0);
	assert_int_equal(case_db_exec(db, "INSERT INTO supervisors VALUES "
					  "(1, 'a', NULL)", &err), 0);
	assert_int_equal(case_db_savepoint(db, &err), 0);
	assert_int_equal(case_db_exec(db, "INSERT INTO supervisors VALUES "
					  "(2, 'b', NULL)", &err), 0);
	case_db_rollback_to(db);
	assert_int_equal(case_db_savepoint(db, &err), 0);
	assert_int_equal(case_db_exec(db, "INSERT INTO supervisors VALUES "
					  "(3, 'c', NULL)", &err), 0);
	assert_int_equal(case_db_release(db, &err), 0);
	assert_int_equal(case_db_commit(db, &err), 0);
	assert_int_equal(raw_int(path, "SELECT group_concat(level, '') FROM "
				       "(SELECT level FROM supervisors ORDER BY "
				       "level)") , 13);
	/* A failed statement names what failed. */
	assert_int_equal(case_db_exec(db, "INSERT INTO supervisors VALUES "
					  "(9, 'x', NULL)", &err), -1);
	assert_non_null(strstr(err.msg, "CHECK constraint failed"));
	case_db_close(db);
}

static void
test_backup(void **state)
{
	const char *path = in_dir("live.db"), *copy = in_dir("copy.db");
	const char *v[CASE_F_COUNT] = {NULL};
	struct case_opened res;
	struct case_db *db, *c;
	struct case_err err;

	(void)state;
	umask(0);
	db = open_ok(path, CASE_DB_CREATE);
	v[CASE_F_KIND] = "dispute";
	v[CASE_F_SUMMARY] = "邻里纠纷";
	assert_int_equal(case_db_begin(db, &err), 0);
	assert_int_equal(case_open(db, v, &res, &err), 0);
	assert_int_equal(case_db_commit(db, &err), 0);
	case_db_close(db);

	db = open_ok(path, CASE_DB_READONLY);
	assert_int_equal(case_db_backup(db, copy, &err), 0);
	/* Over an existing file too. */
	assert_int_equal(case_db_backup(db, copy, &err), 0);
	assert_int_equal(case_db_backup(db, in_dir("nodir/copy.db"), &err), -1);
	assert_non_null(strstr(err.msg, "cannot create"));
	case_db_close(db);
	umask(022);

	assert_int_equal(mode_of(copy), 0600);
	assert_false(exists(in_dir("copy.db-wal")));
	assert_int_equal(raw_int(copy, "SELECT count(*) FROM cases WHERE "
				       "summary = '邻里纠纷'"), 1);
	assert_int_equal(raw_int(copy, "SELECT count(*) FROM events"), 1);
	c = open_ok(copy, CASE_DB_READONLY);
	assert_int_equal(case_db_found_version(c), CASE_SCHEMA_VERSION);
	case_db_close(c);
	/* No temporary files left beside it. */
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		assert_non_null(d);
		while ((e = readdir(d)) != NULL)
			if (strncmp(e->d_name, "copy.db.tmp", 11) == 0)
				fail_msg("%s left behind", e->d_name);
		closedir(d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_db_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_path_xdg, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_default_path_home, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_folder, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_writer_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_case_db, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_writer_empty_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_readonly_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_readonly_empty_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_folder_as_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_readonly_handle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_v1, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreign_sqlite_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_append_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_defaults, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_now_and_actor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_busy_timeout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
