/*
 * The SQLite driver: one file on a local disk, in WAL mode, with foreign
 * keys, a busy timeout and write transactions that begin IMMEDIATE.  This
 * file is the only one that knows SQLite's API.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "case/time.h"
#include "i18n.h"
#include "internal.h"

struct lite_stmt {
	struct case_stmt base;
	sqlite3_stmt *s;
};

static sqlite3 *
conn(struct case_db *db)
{
	return db->conn;
}

static sqlite3_stmt *
lite(struct case_stmt *st)
{
	return ((struct lite_stmt *)st)->s;
}

/* mkdir -p for the folders above file, each new one 0700.  The topmost
 * folder it made is left in made (empty when it made none), so that a
 * failed init can take them away again. */
static int
make_parents(const char *file, char *made, size_t n, struct case_err *err)
{
	char dir[PATH_MAX], *p;

	made[0] = '\0';
	snprintf(dir, sizeof dir, "%s", file);
	if ((p = strrchr(dir, '/')) == NULL)
		return 0;
	*p = '\0';
	for (p = dir + 1;; p++) {
		int last = *p == '\0';

		if (!last && *p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0) {
			if (made[0] == '\0')
				snprintf(made, n, "%s", dir);
		} else if (errno != EEXIST)
			return case_err_set(err, CASE_E_IO, _("cannot create %s: %s"),
					    dir, strerror(errno));
		if (last)
			return 0;
		*p = '/';
	}
}

/* The folder of a file path, in dir (size n): "." for a bare name. */
static void
folder_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

int
case_db_share_folder(const char *path, const char *group, char *dir,
		     size_t n, struct case_err *err)
{
	char file[PATH_MAX], q[CASE_QUOTE_MAX], *end;
	struct group *gr;
	struct stat sb;
	gid_t gid;
	long v;
	int dflt;

	if (case_db_path(path, file, sizeof file, &dflt, err) < 0)
		return -1;
	folder_of(file, dir, n);
	if (*group != '\0' && (gr = getgrnam(group)) != NULL)
		gid = gr->gr_gid;
	else if ((v = strtol(group, &end, 10)) >= 0 && *group != '\0' &&
		 *end == '\0' && (gr = getgrgid((gid_t)v)) != NULL)
		gid = gr->gr_gid;
	else
		return case_err_set(err, CASE_E_INPUT,
				    _("--group: no group '%s' on this machine "
				    "(see getent group)"),
				    case_quote(q, sizeof q, group));
	if (stat(dir, &sb) < 0) {
		if (errno != ENOENT)
			return case_err_set(err, CASE_E_IO, "%s: %s", dir,
					    strerror(errno));
		/* The mode is set again after chown, which may clear the
		 * setgid bit, and past the umask. */
		if (mkdir(dir, 0700) < 0)
			return case_err_set(err, CASE_E_IO,
					    _("cannot create %s: %s"), dir,
					    strerror(errno));
		if (chown(dir, (uid_t)-1, gid) < 0 || chmod(dir, 02770) < 0) {
			case_err_set(err, CASE_E_IO,
				     _("cannot give %s to group %s: %s"), dir,
				     gr->gr_name, strerror(errno));
			rmdir(dir);
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(sb.st_mode) || sb.st_gid != gid ||
	    (sb.st_mode & 07777) != 02770)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s exists but is not a folder of group %s "
				    "with mode 2770 and setgid; give a new "
				    "folder, or run: chgrp %s %s && chmod 2770 "
				    "%s"),
				    dir, gr->gr_name, gr->gr_name, dir, dir);
	return 0;
}

/*
 * A database for a shared folder's group: 0660, and in that group, as the
 * setgid folder makes new files; SQLite gives its -wal and -shm files the
 * database's mode, and they take the folder's group as well.  An existing
 * database, and its -wal and -shm files, are given that mode and group.
 */
static int
share_file(struct case_db *db, struct case_err *err)
{
	static const char *const sfx[] = {"", "-wal", "-shm"};
	char dir[PATH_MAX], f[PATH_MAX + 8];
	struct stat sb;
	size_t i;
	int fd;

	folder_of(db->path, dir, sizeof dir);
	if (stat(dir, &sb) < 0)
		return case_err_set(err, CASE_E_IO, "%s: %s", dir,
				    strerror(errno));
	fd = open(db->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd >= 0) {
		db->created = 1;
		close(fd);
	} else if (errno != EEXIST)
		return case_err_set(err, CASE_E_IO, _("cannot create %s: %s"),
				    db->path, strerror(errno));
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(f, sizeof f, "%s%s", db->path, sfx[i]);
		if (i > 0 && access(f, F_OK) < 0)
			continue;
		if (chown(f, (uid_t)-1, sb.st_gid) < 0 || chmod(f, 0660) < 0)
			return case_err_set(err, CASE_E_IO,
					    _("cannot share %s with its folder's "
					    "group: %s"),
					    f, strerror(errno));
	}
	return 0;
}

/*
 * SQLite creates files with the process umask; a database of residents'
 * names and telephone numbers must be 0600 whatever the umask, so the file
 * is created here first.  SQLite gives its -wal and -shm files the same
 * mode as the database.  Only case-admin init creates a database: any
 * other command that found none would fill a file nobody reads (a typo in
 * a crontab's CASE_DB), so it is refused instead.
 */
static int
create_file(struct case_db *db, int shared, struct case_err *err)
{
	mode_t mode = shared ? 0660 : 0600;
	int fd;

	if (db->is_default &&
	    make_parents(db->path, db->made_dir, sizeof db->made_dir, err) < 0)
		return -1;
	if (shared)
		return share_file(db, err);
	fd = open(db->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 && errno != EEXIST) {
		if (errno == ENOENT)
			return case_err_set(err, CASE_E_IO,
					    _("cannot create %s: its folder does "
					    "not exist"),
					    db->path);
		return case_err_set(err, CASE_E_IO, _("cannot create %s: %s"),
				    db->path, strerror(errno));
	}
	if (fd >= 0) {
		db->created = 1;
		fchmod(fd, mode);
		close(fd);
	}
	return 0;
}

/* Take away what a failed init created: the file, SQLite's files beside
 * it, and the folders made for it, so that a failure leaves nothing. */
static void
remove_created(struct case_db *db)
{
	static const char *const sfx[] = {"-wal", "-shm", "-journal"};
	char f[PATH_MAX + 16], *p;
	size_t i, top;

	if (!db->created)
		return;
	unlink(db->path);
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(f, sizeof f, "%s%s", db->path, sfx[i]);
		unlink(f);
	}
	db->created = 0;
	if (db->made_dir[0] == '\0')
		return;
	snprintf(f, sizeof f, "%s", db->path);
	top = strlen(db->made_dir);
	while ((p = strrchr(f, '/')) != NULL && (size_t)(p - f) >= top) {
		*p = '\0';
		if (rmdir(f) < 0)
			break;
	}
}

/*
 * A reader of a WAL database must create its -shm file, which it cannot
 * do in a folder it may not write (another account's database, a mounted
 * backup).  When no -wal file is there either, no writer can be at work,
 * and SQLite may read the file as immutable instead; but not beside the
 * -journal of a write that never finished, which only a writer can undo.
 */
static int
reopen_immutable(struct case_db *db)
{
	char dir[PATH_MAX], wal[PATH_MAX + 8], journal[PATH_MAX + 8];
	char uri[3 * PATH_MAX + 32], *p;
	const unsigned char *s;
	sqlite3 *sql = NULL;
	size_t o;

	snprintf(dir, sizeof dir, "%s", db->path);
	if ((p = strrchr(dir, '/')) != NULL)
		*p = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	snprintf(wal, sizeof wal, "%s-wal", db->path);
	snprintf(journal, sizeof journal, "%s-journal", db->path);
	if (access(dir, W_OK) == 0 || access(wal, F_OK) == 0 ||
	    access(journal, F_OK) == 0)
		return -1;
	o = (size_t)snprintf(uri, sizeof uri, "file:");
	for (s = (const unsigned char *)db->path; *s != '\0'; s++)
		o += (size_t)(isalnum(*s) || strchr("/-_.~", *s)
				      ? snprintf(uri + o, sizeof uri - o, "%c", *s)
				      : snprintf(uri + o, sizeof uri - o, "%%%02X",
						 *s));
	snprintf(uri + o, sizeof uri - o, "?immutable=1");
	sqlite3_close(conn(db));
	db->conn = NULL;
	if (sqlite3_open_v2(uri, &sql,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		sqlite3_close(sql);
		return -1;
	}
	db->conn = sql;
	return 0;
}

/*
 * SQL functions that reports group by, registered on every connection
 * (a server has the same two in its schema, lib/schema.c):
 *
 *   place_prefix(place, n)  the first n segments of a place path
 *   period(t, unit)         the local day, ISO week, month or year of an
 *                           epoch time: 2026-05-01, 2026-W18, 2026-05, 2026
 *
 * Both are deterministic for a given TZ, so SQLite may factor them.
 */
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

static int
lite_functions(struct case_db *db, struct case_err *err)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

	if (sqlite3_create_function(conn(db), "place_prefix", 2, flags, NULL,
				    place_prefix, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(conn(db), "period", 2, flags, NULL, period,
				    NULL, NULL) != SQLITE_OK)
		return case_db_fail(db, err, _("cannot register SQL functions"));
	return 0;
}

static int
lite_exec(struct case_db *db, const char *sql)
{
	return sqlite3_exec(conn(db), sql, NULL, NULL, NULL) == SQLITE_OK ? 0
									   : -1;
}

static void lite_close(struct case_db *db);

static int
schema_readable(sqlite3 *sql)
{
	return sqlite3_exec(sql, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL,
			    NULL, NULL) == SQLITE_OK;
}

/*
 * Whether a reader can read the file.  A write that never finished under
 * a rollback journal (an import killed half way, see lite_alone) leaves
 * the journal, which SQLite does not play back on a read-only connection;
 * where this process may write the file, a connection of its own that may
 * plays it back first, as any writer's would on opening.
 */
static int
reader_can_read(struct case_db *db)
{
	sqlite3 *rw = NULL;
	int ok;

	if (schema_readable(conn(db)))
		return 1;
	if (sqlite3_extended_errcode(conn(db)) != SQLITE_READONLY_ROLLBACK ||
	    access(db->path, W_OK) < 0)
		return 0;
	ok = sqlite3_open_v2(db->path, &rw,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
				     SQLITE_OPEN_NOMUTEX,
			     NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_busy_timeout(rw, db->busy_ms);
		ok = schema_readable(rw);
	}
	sqlite3_close(rw);
	return ok && schema_readable(conn(db));
}

/*
 * SQLite counts what it allocates, under a mutex, for
 * sqlite3_memory_used(), which nothing here reads.  Debian's build has no
 * lookaside, so each of the thousands of allocations that reading the
 * schema and compiling a few statements make took that mutex and kept
 * the count: a tenth of the instructions of one case-open (4.04 million
 * against 3.61 million, by callgrind).  The setting is the process's and
 * holds only if made before SQLite starts, hence once, before the first
 * connection of the first thread that opens one.
 */
static pthread_once_t uncounted = PTHREAD_ONCE_INIT;

static void
stop_counting(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
lite_open(struct case_db *db, int flags, struct case_err *err)
{
	sqlite3 *sql = NULL;
	struct stat sb;
	int oflags, rc;

	if (stat(db->path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return case_err_set(err, CASE_E_IO,
				    _("%s is a folder, not a database"), db->path);
	if (!(flags & CASE_DB_CREATE) && access(db->path, F_OK) < 0)
		return case_err_set(err, CASE_E_IO,
				    _("no database at %s (create it with "
				    "'case-admin init')"),
				    db->path);
	if (db->readonly)
		oflags = SQLITE_OPEN_READONLY;
	else {
		if ((flags & CASE_DB_CREATE) &&
		    create_file(db, (flags & CASE_DB_SHARED) != 0, err) < 0)
			return -1;
		oflags = SQLITE_OPEN_READWRITE;
	}
	pthread_once(&uncounted, stop_counting);
	/* A handle is used by one thread at a time (case/db.h says so), so
	 * SQLite need not lock a mutex around every call on it. */
	rc = sqlite3_open_v2(db->path, &sql,
			     oflags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
			     NULL);
	db->conn = sql;
	if (rc != SQLITE_OK) {
		case_err_set(err, CASE_E_DB, _("cannot open %s: %s"), db->path,
			     sql ? sqlite3_errmsg(sql) : sqlite3_errstr(rc));
		goto fail;
	}
	if (db->readonly && !reader_can_read(db) &&
	    reopen_immutable(db) < 0 && db->conn == NULL) {
		case_err_set(err, CASE_E_DB, _("cannot open %s"), db->path);
		goto fail;
	}
	sql = conn(db);
	sqlite3_extended_result_codes(sql, 1);
	sqlite3_busy_timeout(sql, db->busy_ms);
	if (!db->readonly && access(db->path, W_OK) < 0) {
		case_err_set(err, CASE_E_DB, _("%s is read-only"), db->path);
		goto fail;
	}
	if (lite_exec(db, "PRAGMA foreign_keys = ON") < 0) {
		case_err_set(err, CASE_E_DB, _("cannot open %s: %s"), db->path,
			     sqlite3_errmsg(sql));
		goto fail;
	}
	if (lite_functions(db, err) < 0)
		goto fail;
	return 0;
fail:
	lite_close(db);
	return -1;
}

static int lite_in_tx(struct case_db *db);

/*
 * What happens once the file is known to be a case database of a version
 * this program reads, and before it is upgraded.
 *
 * Writers keep statement journals in memory: each of their statements
 * changes a few rows, and a file-backed journal costs a large allocation
 * per statement, which a bulk import repeats a million times.
 *
 * A reader walks its indexes and tables once, in order, and seldom needs
 * a page again once it has read it.  A page cache of 64 pages keeps
 * reusing a few warm buffers where the default 2 MB would fill fresh
 * memory page by page: the overdue agenda on a million cases took 15 ms
 * instead of 17, and the reports were no slower.  (Sorts still keep 1 MB
 * in memory, SQLite's least, before using files.)  A reader sees one
 * state of the database, however many statements its report takes: its
 * read transaction lasts as long as the handle.
 */
static int
lite_ready(struct case_db *db)
{
	if (db->readonly)
		return lite_exec(db, "PRAGMA cache_size = 64") < 0 ||
			       lite_exec(db, "BEGIN") < 0
			       ? -1
			       : 0;
	return lite_exec(db, "PRAGMA journal_mode = WAL") < 0 ||
		       lite_exec(db, "PRAGMA synchronous = FULL") < 0 ||
		       lite_exec(db, "PRAGMA temp_store = MEMORY") < 0
		       ? -1
		       : 0;
}

/*
 * The file kept to one writer (store.h's alone()).  Under the write-ahead
 * log, every page an import writes goes to the log and then again into
 * the file at the checkpoint: for a million cases, 800 MB written twice,
 * each time into memory the machine has to find afresh.  sqlite3's shell
 * writes them once, under a rollback journal that holds only the few
 * pages that were there before; so does this, for the transaction that
 * follows (a million-row import into a database with no cases took 13.4
 * to 13.9 s instead of 16.8 to 19.0 s).
 *
 * SQLite leaves WAL mode only when no other connection has the file open:
 * otherwise it refuses at once, and the transaction keeps the log.  While
 * the file is out of WAL mode, connections that come wait for the
 * transaction, up to their busy timeout.  Going back to WAL waits for the
 * readers that came in after the commit; if one holds on past the busy
 * timeout, the file stays as it is, whole, and the next writer's
 * lite_ready puts the log back.
 */
static int
lite_alone(struct case_db *db, int on)
{
	sqlite3_stmt *st;
	int rc, kept = 0;

	if (sqlite3_prepare_v2(conn(db),
			       on ? "PRAGMA journal_mode = DELETE"
				  : "PRAGMA journal_mode = WAL",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		kept = strcmp((const char *)sqlite3_column_text(st, 0),
			      "delete") == 0;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || (rc & 0xff) == SQLITE_BUSY)
		return kept;
	return -1;
}

static void
lite_close(struct case_db *db)
{
	if (db->conn != NULL && db->readonly && lite_in_tx(db))
		lite_exec(db, "ROLLBACK");
	sqlite3_close(conn(db));
	db->conn = NULL;
	remove_created(db);
}

static struct case_stmt *
lite_prepare(struct case_db *db, const char *sql, int cached)
{
	struct lite_stmt *st = malloc(sizeof *st);

	if (st == NULL)
		return NULL;
	if (sqlite3_prepare_v3(conn(db), sql, -1,
			       cached ? SQLITE_PREPARE_PERSISTENT : 0, &st->s,
			       NULL) != SQLITE_OK) {
		free(st);
		return NULL;
	}
	st->base.drv = &case_sqlite_driver;
	st->base.db = db;
	return &st->base;
}

static void
lite_finalize(struct case_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(lite(st));
	free(st);
}

static void
lite_reset(struct case_stmt *st)
{
	sqlite3_reset(lite(st));
	sqlite3_clear_bindings(lite(st));
}

static void
lite_bind_int64(struct case_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(lite(st), i, v);
}

static void
lite_bind_double(struct case_stmt *st, int i, double v)
{
	sqlite3_bind_double(lite(st), i, v);
}

static void
lite_bind_text(struct case_stmt *st, int i, const char *s, int copy)
{
	sqlite3_bind_text(lite(st), i, s, -1,
			  copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void
lite_bind_null(struct case_stmt *st, int i)
{
	sqlite3_bind_null(lite(st), i);
}

static int
lite_params(struct case_stmt *st)
{
	return sqlite3_bind_parameter_count(lite(st));
}

static int
lite_step(struct case_stmt *st)
{
	int rc = sqlite3_step(lite(st));

	return rc == SQLITE_ROW ? CASE_ROW : rc == SQLITE_DONE ? CASE_DONE : -1;
}

static int
lite_columns(struct case_stmt *st)
{
	return sqlite3_column_count(lite(st));
}

static int
lite_is_null(struct case_stmt *st, int i)
{
	return sqlite3_column_type(lite(st), i) == SQLITE_NULL;
}

static int64_t
lite_int64(struct case_stmt *st, int i)
{
	return sqlite3_column_int64(lite(st), i);
}

static double
lite_dbl(struct case_stmt *st, int i)
{
	return sqlite3_column_double(lite(st), i);
}

static const char *
lite_text(struct case_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(lite(st), i);
}

static int64_t
lite_changes(struct case_db *db)
{
	return sqlite3_changes64(conn(db));
}

static int64_t
lite_last_id(struct case_db *db)
{
	return sqlite3_last_insert_rowid(conn(db));
}

static int
lite_begin(struct case_db *db)
{
	return lite_exec(db, "BEGIN IMMEDIATE");
}

static int
lite_commit(struct case_db *db)
{
	return lite_exec(db, "COMMIT");
}

static int
lite_in_tx(struct case_db *db)
{
	return !sqlite3_get_autocommit(conn(db));
}

static void
lite_rollback(struct case_db *db)
{
	if (lite_in_tx(db))
		lite_exec(db, "ROLLBACK");
}

/* The bulk load of SQLite is a prepared INSERT run once per row: inside
 * the transaction that is as fast as SQLite's own .import. */
static int
lite_load_begin(struct case_db *db, const char *table, const char *const *cols,
		int ncols)
{
	char sql[4096];
	size_t o;
	int i;

	o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s(", table);
	for (i = 0; i < ncols && o < sizeof sql; i++)
		o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s",
				      i ? ", " : "", cols[i]);
	for (i = 0; i < ncols && o < sizeof sql; i++)
		o += (size_t)snprintf(sql + o, sizeof sql - o, "%s?%d",
				      i ? ", " : ") VALUES (", i + 1);
	if (o + 2 >= sizeof sql)
		return -1;
	snprintf(sql + o, sizeof sql - o, ")");
	db->load = lite_prepare(db, sql, 1);
	db->load_cols = ncols;
	return db->load == NULL ? -1 : 0;
}

static int
lite_load_row(struct case_db *db, const char *const *vals)
{
	int i, rc;

	for (i = 0; i < db->load_cols; i++)
		if (vals[i] == NULL)
			lite_bind_null(db->load, i + 1);
		else
			lite_bind_text(db->load, i + 1, vals[i], 0);
	rc = lite_step(db->load);
	lite_reset(db->load);
	return rc == CASE_DONE ? 0 : -1;
}

static int
lite_load_end(struct case_db *db)
{
	lite_finalize(db->load);
	db->load = NULL;
	return 0;
}

static enum case_fault
lite_fault(struct case_db *db)
{
	if (conn(db) == NULL)
		return CASE_FAULT_OTHER;
	switch (sqlite3_extended_errcode(conn(db)) & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return CASE_FAULT_BUSY;
	case SQLITE_FULL:
		return CASE_FAULT_FULL;
	case SQLITE_READONLY:
		return CASE_FAULT_READONLY;
	case SQLITE_NOTADB:
		return CASE_FAULT_NOTADB;
	case SQLITE_CORRUPT:
		return CASE_FAULT_CORRUPT;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return CASE_FAULT_IO;
	default:
		return CASE_FAULT_OTHER;
	}
}

/* The engine's words; for a refused read or write, with the operating
 * system's reason. */
static const char *
lite_message(struct case_db *db)
{
	sqlite3 *sql = conn(db);
	int e;

	if (sql == NULL)
		return "no connection";
	e = sqlite3_system_errno(sql);
	if (lite_fault(db) == CASE_FAULT_IO && e != 0) {
		snprintf(db->errbuf, sizeof db->errbuf, "%s (%s)",
			 sqlite3_errmsg(sql), strerror(e));
		return db->errbuf;
	}
	return sqlite3_errmsg(sql);
}


/*
 * The online backup copies every page in one step, which holds a single
 * read transaction: in WAL mode writers carry on meanwhile, and the copy is
 * the database as of the moment the step began.  The copy is written
 * beside dest and renamed over it, so dest is never half-written.
 */
static int
lite_backup(struct case_db *db, const char *dest, struct case_err *err)
{
	char tmp[PATH_MAX];
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int fd, rc;

	if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", dest) >= (int)sizeof tmp)
		return case_err_set(err, CASE_E_INPUT, _("backup path too long"));
	if ((fd = mkstemp(tmp)) < 0)
		return case_err_set(err, CASE_E_IO, _("cannot create %s: %s"), dest,
				    strerror(errno));
	fchmod(fd, 0600);
	close(fd);
	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		case_err_set(err, CASE_E_IO, _("cannot open %s: %s"), tmp,
			     to ? sqlite3_errmsg(to) : _("out of memory"));
		goto fail;
	}
	if ((b = sqlite3_backup_init(to, "main", conn(db), "main")) == NULL) {
		case_err_set(err, CASE_E_DB, _("cannot back up: %s"),
			     sqlite3_errmsg(to));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		case_err_set(err, CASE_E_DB, _("cannot back up: %s"),
			     sqlite3_errstr(rc));
		goto fail;
	}
	/* The copy inherits WAL mode; fold it back into one file. */
	if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		case_err_set(err, CASE_E_DB, _("cannot finish the backup: %s"),
			     sqlite3_errmsg(to));
		goto fail;
	}
	sqlite3_close(to);
	to = NULL;
	if (rename(tmp, dest) < 0) {
		case_err_set(err, CASE_E_IO, _("cannot write %s: %s"), dest,
			     strerror(errno));
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(to);
	unlink(tmp);
	return -1;
}

const struct case_driver case_sqlite_driver = {
	.name = "SQLite",
	.dialect = CASE_SQLITE,
	.open = lite_open,
	.ready = lite_ready,
	.close = lite_close,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.reset = lite_reset,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.params = lite_params,
	.step = lite_step,
	.columns = lite_columns,
	.is_null = lite_is_null,
	.int64 = lite_int64,
	.dbl = lite_dbl,
	.text = lite_text,
	.changes = lite_changes,
	.last_id = lite_last_id,
	.exec = lite_exec,
	.alone = lite_alone,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.in_tx = lite_in_tx,
	.load_begin = lite_load_begin,
	.load_row = lite_load_row,
	.load_end = lite_load_end,
	.fault = lite_fault,
	.message = lite_message,
	.backup = lite_backup,
};
