/*
 * The database layer.  It owns the SQLite connection and everything
 * configured on it; the other modules reach SQLite only through the
 * statement cache here.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/text.h"
#include "case/time.h"
#include "internal.h"

int
case_db_path(const char *path, char *buf, size_t n, int *is_default,
	     struct case_err *err)
{
	const char *env = getenv("CASE_DB"), *xdg, *home;
	int len;

	*is_default = 0;
	if (path == NULL && env != NULL) {
		/* A crontab line that sets CASE_DB= to nothing is a mistake
		 * to report, not a request for the default database. */
		if (*env == '\0')
			return case_err_set(err, CASE_E_INPUT,
					    "CASE_DB is set but empty (unset it "
					    "for the default database)");
		path = env;
	}
	if (path != NULL) {
		if (*path == '\0')
			return case_err_set(err, CASE_E_INPUT,
					    "the database path is empty");
		len = snprintf(buf, n, "%s", path);
	} else {
		*is_default = 1;
		xdg = getenv("XDG_DATA_HOME");
		home = getenv("HOME");
		if (xdg != NULL && *xdg == '/')
			len = snprintf(buf, n, "%s/case/cases.db", xdg);
		else if (home != NULL && *home != '\0')
			len = snprintf(buf, n, "%s/.local/share/case/cases.db",
				       home);
		else
			return case_err_set(err, CASE_E_INPUT,
					    "cannot find the database: set "
					    "CASE_DB or HOME");
	}
	if (len < 0 || (size_t)len >= n)
		return case_err_set(err, CASE_E_INPUT,
				    "the database path is too long");
	return 0;
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
			return case_err_set(err, CASE_E_IO, "cannot create %s: %s",
					    dir, strerror(errno));
		if (last)
			return 0;
		*p = '/';
	}
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
create_file(struct case_db *db, int is_default, struct case_err *err)
{
	int fd;

	if (is_default &&
	    make_parents(db->path, db->made_dir, sizeof db->made_dir, err) < 0)
		return -1;
	fd = open(db->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST) {
		if (errno == ENOENT)
			return case_err_set(err, CASE_E_IO,
					    "cannot create %s: its folder does "
					    "not exist",
					    db->path);
		return case_err_set(err, CASE_E_IO, "cannot create %s: %s",
				    db->path, strerror(errno));
	}
	if (fd >= 0) {
		db->created = 1;
		fchmod(fd, 0600);
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

static int
busy_timeout(int *ms, struct case_err *err)
{
	const char *s = getenv("CASE_BUSY_TIMEOUT");
	char q[CASE_QUOTE_MAX], *end;
	long v;

	*ms = 10000;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 86400000)
		return case_err_set(err, CASE_E_INPUT,
				    "CASE_BUSY_TIMEOUT: bad value '%s' "
				    "(expected milliseconds, 0 to 86400000)",
				    case_quote(q, sizeof q, s));
	*ms = (int)v;
	return 0;
}

static void
default_actor(char *buf, size_t n)
{
	const char *env = getenv("CASE_ACTOR");
	struct passwd *pw;

	if (env != NULL && *env != '\0')
		snprintf(buf, n, "%s", env);
	else if ((pw = getpwuid(geteuid())) != NULL)
		snprintf(buf, n, "%s", pw->pw_name);
	else
		snprintf(buf, n, "uid%ld", (long)geteuid());
}

/*
 * A reader of a WAL database must create its -shm file, which it cannot
 * do in a folder it may not write (another account's database, a mounted
 * backup).  When no -wal file is there either, no writer can be at work,
 * and SQLite may read the file as immutable instead.
 */
static int
reopen_immutable(struct case_db *db)
{
	char dir[PATH_MAX], wal[PATH_MAX + 8], uri[3 * PATH_MAX + 32], *p;
	const unsigned char *s;
	size_t o;

	snprintf(dir, sizeof dir, "%s", db->path);
	if ((p = strrchr(dir, '/')) != NULL)
		*p = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	snprintf(wal, sizeof wal, "%s-wal", db->path);
	if (access(dir, W_OK) == 0 || access(wal, F_OK) == 0)
		return -1;
	o = (size_t)snprintf(uri, sizeof uri, "file:");
	for (s = (const unsigned char *)db->path; *s != '\0'; s++)
		o += (size_t)(isalnum(*s) || strchr("/-_.~", *s)
				      ? snprintf(uri + o, sizeof uri - o, "%c", *s)
				      : snprintf(uri + o, sizeof uri - o, "%%%02X",
						 *s));
	snprintf(uri + o, sizeof uri - o, "?immutable=1");
	sqlite3_close(db->sql);
	db->sql = NULL;
	return sqlite3_open_v2(uri, &db->sql,
			       SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				       SQLITE_OPEN_NOMUTEX,
			       NULL) ==
			       SQLITE_OK
		       ? 0
		       : -1;
}

int
case_db_open(struct case_db **out, const char *path, int flags,
	     struct case_err *err)
{
	struct case_db *db;
	int is_default, ms, oflags, rc;
	struct stat sb;

	*out = NULL;
	if ((db = calloc(1, sizeof *db)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, "out of memory");
	db->readonly = (flags & CASE_DB_READONLY) != 0;
	if (case_db_path(path, db->path, sizeof db->path, &is_default, err) < 0 ||
	    busy_timeout(&ms, err) < 0 || case_time_now(&db->now, err) < 0)
		goto fail;
	default_actor(db->actor, sizeof db->actor);
	if (case_db_set_actor(db, db->actor, err) < 0) {
		case_err_prefix(err, "CASE_ACTOR or login name: ");
		goto fail;
	}

	if (stat(db->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		case_err_set(err, CASE_E_IO, "%s is a folder, not a database",
			     db->path);
		goto fail;
	}
	if (!(flags & CASE_DB_CREATE) && access(db->path, F_OK) < 0) {
		case_err_set(err, CASE_E_IO,
			     "no database at %s (create it with 'case-admin "
			     "init')",
			     db->path);
		goto fail;
	}
	if (db->readonly)
		oflags = SQLITE_OPEN_READONLY;
	else {
		if ((flags & CASE_DB_CREATE) && create_file(db, is_default, err) < 0)
			goto fail;
		oflags = SQLITE_OPEN_READWRITE;
	}
	/* A handle is used by one thread at a time (case/db.h says so), so
	 * SQLite need not lock a mutex around every call on it. */
	rc = sqlite3_open_v2(db->path, &db->sql,
			     oflags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		case_err_set(err, CASE_E_DB, "cannot open %s: %s", db->path,
			     db->sql ? sqlite3_errmsg(db->sql)
				     : sqlite3_errstr(rc));
		goto fail;
	}
	if (db->readonly &&
	    sqlite3_exec(db->sql, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL,
			 NULL, NULL) != SQLITE_OK &&
	    reopen_immutable(db) < 0 && db->sql == NULL) {
		case_err_set(err, CASE_E_DB, "cannot open %s", db->path);
		goto fail;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, ms);
	if (!db->readonly && access(db->path, W_OK) < 0) {
		case_err_set(err, CASE_E_DB, "%s is read-only", db->path);
		goto fail;
	}
	if (case_db_exec(db, "PRAGMA foreign_keys = ON", err) < 0 ||
	    case_sql_functions(db, err) < 0 || case_db_identify(db, err) < 0)
		goto fail;
	if (db->found_version == 0 && !(flags & CASE_DB_CREATE)) {
		case_err_set(err, CASE_E_SCHEMA,
			     "%s holds no case database yet (create it with "
			     "'case-admin init')",
			     db->path);
		goto fail;
	}
	/* Writers keep statement journals in memory: each of their
	 * statements changes a few rows, and a file-backed journal costs a
	 * large allocation per statement, which a bulk import repeats a
	 * million times.  Readers keep the default, so that a large report
	 * sorts on disk rather than in memory. */
	if (!db->readonly &&
	    (case_db_exec(db, "PRAGMA journal_mode = WAL", err) < 0 ||
	     case_db_exec(db, "PRAGMA synchronous = FULL", err) < 0 ||
	     case_db_exec(db, "PRAGMA temp_store = MEMORY", err) < 0))
		goto fail;
	if (case_db_migrate(db, CASE_SCHEMA_VERSION, err) < 0)
		goto fail;
	/* A reader walks its indexes and tables once, in order, and seldom
	 * needs a page again once it has read it.  A page cache of 64 pages
	 * keeps reusing a few warm buffers where the default 2 MB would fill
	 * fresh memory page by page: the overdue agenda on a million cases
	 * took 15 ms instead of 17, and the reports were no slower.  (Sorts
	 * still keep 1 MB in memory, SQLite's least, before using files.)
	 *
	 * A reader sees one state of the database, however many statements
	 * its report takes: its read transaction lasts as long as the
	 * handle. */
	if (db->readonly &&
	    (case_db_exec(db, "PRAGMA cache_size = 64", err) < 0 ||
	     case_db_exec(db, "BEGIN", err) < 0))
		goto fail;
	db->created = 0;
	*out = db;
	return 0;
fail:
	/* The connection is closed before its files are taken away. */
	{
		struct case_db keep = *db;

		case_db_close(db);
		remove_created(&keep);
	}
	return -1;
}

void
case_db_close(struct case_db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nstmts; i++)
		sqlite3_finalize(db->stmts[i].st);
	if (db->sql != NULL && db->readonly)
		case_db_rollback(db);
	sqlite3_close(db->sql);
	free(db);
}

const char *
case_db_filename(const struct case_db *db)
{
	return db->path;
}

int64_t
case_db_now(const struct case_db *db)
{
	return db->now;
}

void
case_db_set_now(struct case_db *db, int64_t now)
{
	db->now = now;
}

const char *
case_db_actor(const struct case_db *db)
{
	return db->actor;
}

int
case_db_set_actor(struct case_db *db, const char *actor, struct case_err *err)
{
	if (case_text_check("the actor", actor, strlen(actor),
			    sizeof db->actor - 1,
			    CASE_TEXT_ONELINE | CASE_TEXT_NONEMPTY, err) < 0)
		return -1;
	if (actor != db->actor)
		snprintf(db->actor, sizeof db->actor, "%s", actor);
	return 0;
}

int
case_db_found_version(const struct case_db *db)
{
	return db->found_version;
}

sqlite3_stmt *
case_db_stmt(struct case_db *db, const char *sql, struct case_err *err)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < db->nstmts; i++)
		if (db->stmts[i].sql == sql) {
			st = db->stmts[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	if (sqlite3_prepare_v3(db->sql, sql, -1,
			       db->nstmts < CASE_STMT_CACHE
				       ? SQLITE_PREPARE_PERSISTENT
				       : 0,
			       &st, NULL) != SQLITE_OK) {
		case_db_fail(db, err, "cannot prepare a statement");
		return NULL;
	}
	if (db->nstmts == CASE_STMT_CACHE) {
		/* A full cache means a caller builds SQL per call; keep
		 * working, but evict the oldest entry. */
		sqlite3_finalize(db->stmts[0].st);
		memmove(&db->stmts[0], &db->stmts[1],
			(CASE_STMT_CACHE - 1) * sizeof db->stmts[0]);
		db->nstmts--;
	}
	db->stmts[db->nstmts].sql = sql;
	db->stmts[db->nstmts].st = st;
	db->nstmts++;
	return st;
}

int
case_db_fail(struct case_db *db, struct case_err *err, const char *what)
{
	int code = db->sql ? sqlite3_extended_errcode(db->sql) : SQLITE_ERROR;
	const char *msg = db->sql ? sqlite3_errmsg(db->sql) : "no connection";

	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return case_err_set(err, CASE_E_DB,
				    "%s: %s is locked by another writer (gave "
				    "up after CASE_BUSY_TIMEOUT)",
				    what, db->path);
	case SQLITE_FULL:
		return case_err_set(err, CASE_E_DB,
				    "%s: the disk holding %s is full", what,
				    db->path);
	case SQLITE_READONLY:
		return case_err_set(err, CASE_E_DB, "%s: %s is read-only", what,
				    db->path);
	case SQLITE_NOTADB:
		return case_err_set(err, CASE_E_DB,
				    "%s: %s is not a database", what, db->path);
	case SQLITE_CORRUPT:
		return case_err_set(err, CASE_E_DB,
				    "%s: %s is damaged (%s); restore a backup",
				    what, db->path, msg);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		if (db->sql != NULL && sqlite3_system_errno(db->sql) != 0)
			return case_err_set(err, CASE_E_DB, "%s: %s: %s (%s)",
					    what, db->path, msg,
					    strerror(sqlite3_system_errno(db->sql)));
		return case_err_set(err, CASE_E_DB, "%s: %s: %s", what, db->path,
				    msg);
	default:
		return case_err_set(err, CASE_E_DB, "%s: %s", what, msg);
	}
}

int
case_db_exec(struct case_db *db, const char *sql, struct case_err *err)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return case_db_fail(db, err, "database error");
	return 0;
}

int
case_db_done(struct case_db *db, sqlite3_stmt *st, struct case_err *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		case_db_fail(db, err, "database error");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int
case_db_int(struct case_db *db, const char *sql, int64_t *v,
	    const char *what, struct case_err *err)
{
	sqlite3_stmt *st = case_db_stmt(db, sql, err);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		case_db_fail(db, err, what);
		sqlite3_reset(st);
		return -1;
	}
	*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
case_db_rows(struct case_db *db, sqlite3_stmt *st, struct case_out *out,
	     const char *what, struct case_err *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		case_out_stmt(out, st);
		if (case_out_end_row(out, err) < 0) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		char msg[128];

		snprintf(msg, sizeof msg, "cannot read %s", what);
		return case_db_fail(db, err, msg);
	}
	return 0;
}

/* Every caller steps the statement while s is still alive, so SQLite
 * need not copy it. */
int
case_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int
case_db_begin(struct case_db *db, struct case_err *err)
{
	if (db->readonly)
		return case_err_set(err, CASE_E_DB, "%s is open read-only",
				    db->path);
	if (sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return case_db_fail(db, err, "cannot begin a transaction");
	return 0;
}

int
case_db_commit(struct case_db *db, struct case_err *err)
{
	if (sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		case_db_fail(db, err, "cannot commit, so nothing was changed");
		case_db_rollback(db);
		return -1;
	}
	return 0;
}

void
case_db_rollback(struct case_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

/* Savepoints come once per case of a batch, so their statements are
 * prepared once like any other. */
int
case_db_savepoint(struct case_db *db, struct case_err *err)
{
	sqlite3_stmt *st = case_db_stmt(db, "SAVEPOINT item", err);

	return st == NULL ? -1 : case_db_done(db, st, err);
}

int
case_db_release(struct case_db *db, struct case_err *err)
{
	sqlite3_stmt *st = case_db_stmt(db, "RELEASE item", err);

	return st == NULL ? -1 : case_db_done(db, st, err);
}

void
case_db_rollback_to(struct case_db *db)
{
	sqlite3_stmt *st = case_db_stmt(db, "ROLLBACK TO item", NULL);

	if (st != NULL && case_db_done(db, st, NULL) == 0 &&
	    (st = case_db_stmt(db, "RELEASE item", NULL)) != NULL)
		case_db_done(db, st, NULL);
}

int
case_event(struct case_db *db, int64_t case_id, int64_t at, const char *action,
	   const char *status, int level, const char *detail,
	   struct case_err *err)
{
	sqlite3_stmt *st = case_db_stmt(
		db,
		"INSERT INTO events(case_id, at, actor, action, status, level,"
		" detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, at != 0 ? at : db->now);
	sqlite3_bind_text(st, 3, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, level);
	case_bind_text(st, 7, detail);
	return case_db_done(db, st, err);
}

/*
 * The online backup copies every page in one step, which holds a single
 * read transaction: in WAL mode writers carry on meanwhile, and the copy is
 * the database as of the moment the step began.  The copy is written
 * beside dest and renamed over it, so dest is never half-written.
 */
int
case_db_backup(struct case_db *db, const char *dest, struct case_err *err)
{
	char tmp[PATH_MAX];
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int fd, rc;

	if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", dest) >= (int)sizeof tmp)
		return case_err_set(err, CASE_E_INPUT, "backup path too long");
	if ((fd = mkstemp(tmp)) < 0)
		return case_err_set(err, CASE_E_IO, "cannot create %s: %s", dest,
				    strerror(errno));
	fchmod(fd, 0600);
	close(fd);
	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		case_err_set(err, CASE_E_IO, "cannot open %s: %s", tmp,
			     to ? sqlite3_errmsg(to) : "out of memory");
		goto fail;
	}
	if ((b = sqlite3_backup_init(to, "main", db->sql, "main")) == NULL) {
		case_err_set(err, CASE_E_DB, "cannot back up: %s",
			     sqlite3_errmsg(to));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		case_err_set(err, CASE_E_DB, "cannot back up: %s",
			     sqlite3_errstr(rc));
		goto fail;
	}
	/* The copy inherits WAL mode; fold it back into one file. */
	if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		case_err_set(err, CASE_E_DB, "cannot finish the backup: %s",
			     sqlite3_errmsg(to));
		goto fail;
	}
	sqlite3_close(to);
	to = NULL;
	if (rename(tmp, dest) < 0) {
		case_err_set(err, CASE_E_IO, "cannot write %s: %s", dest,
			     strerror(errno));
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(to);
	unlink(tmp);
	return -1;
}
