/*
 * The database layer above the storage seam: which engine a name opens,
 * the invocation's clock and actor, the statement cache, transactions and
 * savepoints, the journal writer, and the plain words for an engine's
 * errors.  The engines themselves are the drivers of lib/sqlite.c and
 * lib/pg.c; nothing here knows either one's API.
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

#include "case/roles.h"
#include "case/text.h"
#include "case/time.h"
#include "i18n.h"
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
					    _("CASE_DB is set but empty (unset it "
					    "for the default database)"));
		path = env;
	}
	if (path != NULL) {
		if (*path == '\0')
			return case_err_set(err, CASE_E_INPUT,
					    _("the database path is empty"));
		/* A URI is handed to libpq unchanged; the driver checks it. */
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
					    _("cannot find the database: set "
					    "CASE_DB or HOME"));
	}
	if (len < 0 || (size_t)len >= n)
		return case_err_set(err, CASE_E_INPUT,
				    _("the database path is too long"));
	return 0;
}

int
case_db_is_uri(const char *name)
{
	return case_store_is_uri(name);
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
				    _("CASE_BUSY_TIMEOUT: bad value '%s' "
				    "(expected milliseconds, 0 to 86400000)"),
				    case_quote(q, sizeof q, s));
	*ms = (int)v;
	return 0;
}

/* The actor by default: CASE_ACTOR (returned, for a server's roles to
 * judge), else the login name. */
static const char *
default_actor(char *buf, size_t n)
{
	const char *env = getenv("CASE_ACTOR");
	struct passwd *pw;

	if (env != NULL && *env != '\0') {
		snprintf(buf, n, "%s", env);
		return env;
	}
	if ((pw = getpwuid(geteuid())) != NULL)
		snprintf(buf, n, "%s", pw->pw_name);
	else
		snprintf(buf, n, "uid%ld", (long)geteuid());
	return NULL;
}

int
case_db_open(struct case_db **out, const char *path, int flags,
	     struct case_err *err)
{
	struct case_db *db;
	const char *actor_env;

	*out = NULL;
	if ((db = calloc(1, sizeof *db)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	db->readonly = (flags & CASE_DB_READONLY) != 0;
	if (case_db_path(path, db->path, sizeof db->path, &db->is_default,
			 err) < 0 ||
	    busy_timeout(&db->busy_ms, err) < 0 ||
	    case_time_now(&db->now, err) < 0)
		goto fail;
	db->drv = case_store_is_uri(db->path) ? &case_pg_driver
					      : &case_sqlite_driver;
	case_db_redact(db->path, db->name, sizeof db->name);
	actor_env = default_actor(db->actor, sizeof db->actor);
	if (case_db_set_actor(db, db->actor, err) < 0) {
		case_err_prefix(err, _("CASE_ACTOR or login name: "));
		goto fail;
	}
	if (db->drv->open(db, flags, err) < 0)
		goto fail;
	if (case_db_identify(db, err) < 0)
		goto fail;
	/* A server database without the case schema is, to these tools,
	 * no database, as a missing file is. */
	if (db->found_version == 0 && !(flags & CASE_DB_CREATE)) {
		case_err_set(err, CASE_E_SCHEMA,
			     case_db_dialect(db) == CASE_PG
				     ? "no database at %s (create it with "
				       "'case-admin init')"
				     : "%s holds no case database yet (create "
				       "it with 'case-admin init')",
			     db->name);
		goto fail;
	}
	if (db->drv->ready(db) < 0) {
		case_db_fail(db, err, _("database error"));
		goto fail;
	}
	/* A file is looked at again in the snapshot that ready began; a
	 * server's session began its reader's snapshot before anything was
	 * read, so what was found above stands. */
	if ((case_db_dialect(db) == CASE_PG
		     ? case_db_migrate_found(db, CASE_SCHEMA_VERSION, err)
		     : case_db_migrate(db, CASE_SCHEMA_VERSION, err)) < 0)
		goto fail;
	/* Every server schema this program reads has roles, once it is at
	 * this version. */
	db->roles = case_db_dialect(db) == CASE_PG;
	if (db->roles && case_roles_identify(db, actor_env, err) < 0)
		goto fail;
	db->made = db->found_version == 0 &&
		   (case_db_dialect(db) == CASE_PG || db->created);
	db->created = 0;
	*out = db;
	return 0;
fail:
	case_db_close(db);
	return -1;
}

void
case_db_undo_create(struct case_db *db)
{
	if (!db->made)
		return;
	if (case_db_dialect(db) == CASE_PG)
		db->drv->exec(db, "DROP SCHEMA case_tools CASCADE");
	else
		db->created = 1; /* closing removes the file */
}

void
case_db_close(struct case_db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nstmts; i++)
		db->drv->finalize(db->stmts[i].st);
	case_units_forget(db);
	if (db->drv != NULL && db->conn != NULL)
		db->drv->close(db);
	free(db->my_units);
	free(db);
}

const char *
case_db_filename(const struct case_db *db)
{
	return db->name;
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
	if (case_text_check(N_("the actor"), actor, strlen(actor),
			    sizeof db->actor - 1,
			    CASE_TEXT_ONELINE | CASE_TEXT_NONEMPTY, err) < 0)
		return -1;
	if (db->role != 0)
		return case_roles_actor(db, actor, err);
	if (actor != db->actor)
		snprintf(db->actor, sizeof db->actor, "%s", actor);
	return 0;
}

int
case_db_found_version(const struct case_db *db)
{
	return db->found_version;
}

struct case_stmt *
case_db_stmt(struct case_db *db, const char *sql, struct case_err *err)
{
	struct case_stmt *st;
	size_t i;

	for (i = 0; i < db->nstmts; i++)
		if (db->stmts[i].sql == sql) {
			st = db->stmts[i].st;
			db->drv->reset(st);
			return st;
		}
	if ((st = db->drv->prepare(db, sql, db->nstmts < CASE_STMT_CACHE)) ==
	    NULL) {
		case_db_fail(db, err, _("cannot prepare a statement"));
		return NULL;
	}
	if (db->nstmts == CASE_STMT_CACHE) {
		/* A full cache means a caller builds SQL per call; keep
		 * working, but evict the oldest entry. */
		db->drv->finalize(db->stmts[0].st);
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
	const char *msg = db->conn ? db->drv->message(db) : "no connection";

	switch (db->conn ? db->drv->fault(db) : CASE_FAULT_OTHER) {
	case CASE_FAULT_BUSY:
		return case_err_set(err, CASE_E_DB,
				    _("%s: %s is locked by another writer (gave "
				    "up after CASE_BUSY_TIMEOUT)"),
				    what, db->name);
	case CASE_FAULT_FULL:
		return case_err_set(err, CASE_E_DB,
				    _("%s: the disk holding %s is full"), what,
				    db->name);
	case CASE_FAULT_READONLY:
		return case_err_set(err, CASE_E_DB, _("%s: %s is read-only"), what,
				    db->name);
	case CASE_FAULT_NOTADB:
		return case_err_set(err, CASE_E_DB,
				    _("%s: %s is not a database"), what, db->name);
	case CASE_FAULT_CORRUPT:
		return case_err_set(err, CASE_E_DB,
				    _("%s: %s is damaged (%s); restore a backup"),
				    what, db->name, msg);
	case CASE_FAULT_IO:
		return case_err_set(err, CASE_E_DB, "%s: %s: %s", what, db->name,
				    msg);
	case CASE_FAULT_GONE:
		return case_err_set(err, CASE_E_DB,
				    _("%s: the connection to %s was lost (%s); "
				    "nothing was changed"),
				    what, db->name, msg);
	case CASE_FAULT_DENIED:
		return case_err_set(err, CASE_E_DB, _("%s: %s refused: %s"), what,
				    db->name, msg);
	default:
		return case_err_set(err, CASE_E_DB, "%s: %s", what, msg);
	}
}

int
case_db_exec(struct case_db *db, const char *sql, struct case_err *err)
{
	if (db->drv->exec(db, sql) < 0)
		return case_db_fail(db, err, _("database error"));
	return 0;
}

int
case_db_done(struct case_db *db, struct case_stmt *st, struct case_err *err)
{
	int rc;

	while ((rc = case_step(st)) == CASE_ROW)
		;
	if (rc != CASE_DONE) {
		case_db_fail(db, err, _("database error"));
		case_reset(st);
		return -1;
	}
	case_reset(st);
	return 0;
}

int
case_db_int(struct case_db *db, const char *sql, int64_t *v,
	    const char *what, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, sql, err);

	if (st == NULL)
		return -1;
	if (case_step(st) != CASE_ROW) {
		case_db_fail(db, err, what);
		case_reset(st);
		return -1;
	}
	*v = case_col_int64(st, 0);
	case_reset(st);
	return 0;
}

int
case_db_rows(struct case_db *db, struct case_stmt *st, struct case_out *out,
	     const char *what, struct case_err *err)
{
	int rc;

	while ((rc = case_step(st)) == CASE_ROW) {
		case_out_stmt(out, st);
		if (case_out_end_row(out, err) < 0) {
			case_reset(st);
			return -1;
		}
	}
	if (rc != CASE_DONE) {
		char msg[128];

		snprintf(msg, sizeof msg, _("cannot read %s"), _(what));
		case_db_fail(db, err, msg);
		case_reset(st);
		return -1;
	}
	case_reset(st);
	return 0;
}

/* Every caller steps the statement while s is still alive, so the engine
 * need not copy it. */
void
case_bind_text(struct case_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		st->drv->bind_null(st, i);
	else
		st->drv->bind_text(st, i, s, 0);
}

int
case_db_begin(struct case_db *db, struct case_err *err)
{
	if (db->readonly)
		return case_err_set(err, CASE_E_DB, _("%s is open read-only"),
				    db->name);
	/* An analyst never writes, not even the journal. */
	if (db->role == CASE_ROLE_ANALYST)
		return case_role_allows(db, CASE_ACT_WORK, err);
	if (db->drv->begin(db) < 0)
		return case_db_fail(db, err, _("cannot begin a transaction"));
	if (case_db_ids_sync(db, err) < 0) {
		case_db_rollback(db);
		return -1;
	}
	return 0;
}

int
case_db_alone(struct case_db *db, int *kept, struct case_err *err)
{
	int rc;

	*kept = 0;
	if (db->drv->alone == NULL)
		return 0;
	if ((rc = db->drv->alone(db, 1)) < 0)
		return case_db_fail(db, err, _("cannot begin a bulk load"));
	*kept = rc;
	return 0;
}

void
case_db_share(struct case_db *db)
{
	if (db->drv->alone != NULL)
		db->drv->alone(db, 0);
}

int
case_db_commit(struct case_db *db, struct case_err *err)
{
	if (db->drv->commit(db) < 0) {
		case_db_fail(db, err, _("cannot commit, so nothing was changed"));
		case_db_rollback(db);
		return -1;
	}
	return 0;
}

void
case_db_rollback(struct case_db *db)
{
	db->drv->rollback(db);
}

/* Savepoints come once per case of a batch, so their statements are
 * prepared once like any other. */
int
case_db_savepoint(struct case_db *db, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, "SAVEPOINT item", err);

	return st == NULL ? -1 : case_db_done(db, st, err);
}

int
case_db_release(struct case_db *db, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, "RELEASE item", err);

	return st == NULL ? -1 : case_db_done(db, st, err);
}

/* A server's sequences do not go back with the savepoint: they are set
 * past the largest ids again, so that the next item gets the ids SQLite
 * would give it. */
void
case_db_rollback_to(struct case_db *db)
{
	struct case_stmt *st = case_db_stmt(db, "ROLLBACK TO item", NULL);

	if (st != NULL && case_db_done(db, st, NULL) == 0 &&
	    (st = case_db_stmt(db, "RELEASE item", NULL)) != NULL &&
	    case_db_done(db, st, NULL) == 0)
		case_db_ids_sync(db, NULL);
}

int
case_event(struct case_db *db, int64_t case_id, int64_t at, const char *action,
	   const char *status, int level, const char *detail,
	   struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"INSERT INTO events(case_id, at, actor, action, status, level,"
		" detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		err);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, case_id);
	case_bind_int64(st, 2, at != 0 ? at : db->now);
	case_bind_str(st, 3, db->actor);
	case_bind_str(st, 4, action);
	case_bind_str(st, 5, status);
	case_bind_int64(st, 6, level);
	case_bind_text(st, 7, detail);
	return case_db_done(db, st, err);
}

/* A copy of the whole database into a new file, where the engine can
 * make one; a server is copied with its own tools. */
int
case_db_backup(struct case_db *db, const char *dest, struct case_err *err)
{
	if (db->drv->backup == NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("backup copies an SQLite file; back up a "
				    "PostgreSQL database with pg_dump, or copy "
				    "it into a file with 'case-admin copy'"));
	return db->drv->backup(db, dest, err);
}
