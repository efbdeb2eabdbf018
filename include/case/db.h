/*
 * The database layer: one SQLite file, opened read-write (created only by
 * case-admin init, 0600 in a 0700 folder) or read-only, with WAL, foreign
 * keys and a busy timeout; write transactions begin IMMEDIATE.  A name
 * that begins postgresql:// or postgres:// is instead a PostgreSQL
 * connection URI, handed to libpq unchanged: the same calls then work on
 * a district's server, where writers take turns in the same way.  The
 * handle also
 * carries the invocation's "now" and actor, so that every module stamps
 * events the same way.
 *
 * The struct is opaque: only the drivers in lib/ touch SQLite or libpq.
 */
#ifndef CASE_DB_H
#define CASE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "case/err.h"

/* The schema version this build writes and understands. */
#define CASE_SCHEMA_VERSION 10

#define CASE_DB_READONLY 0x1 /* open read-only; never create or upgrade */
#define CASE_DB_CREATE 0x2   /* create a missing database (case-admin init) */
#define CASE_DB_SHARED 0x4   /* an SQLite file for its folder's group: see
				case_db_share_folder */

struct case_db;

/* Where the database lives: path when not NULL, else CASE_DB, else
 * ${XDG_DATA_HOME:-$HOME/.local/share}/case/cases.db.  *is_default says
 * whether the last was chosen (only then is a missing folder created).
 * CASE_DB set to the empty string is an error, not the default. */
int case_db_path(const char *path, char *buf, size_t n, int *is_default,
		 struct case_err *err);

/* Whether a database name is a PostgreSQL connection URI (postgresql://
 * or postgres://) rather than an SQLite file's path. */
int case_db_is_uri(const char *name);

/* Open (and for writers upgrade) the database.  Only with CASE_DB_CREATE
 * is a missing file created, with its folder when it is the default; a
 * failed open leaves nothing it created behind.  On success *db
 * is owned by the caller and freed with case_db_close.  A handle is used
 * by one thread at a time; threads that work at once open one each. */
int case_db_open(struct case_db **db, const char *path, int flags,
		 struct case_err *err);
void case_db_close(struct case_db *db);

/*
 * Make the folder of the SQLite file at path (a name as case_db_path
 * resolves it; NULL for the default) a folder that the Unix group
 * (a name or a number) shares: made setgid and 2770 for the group when it
 * is missing (its parent must exist), else it must be so already, and
 * this is refused.  A database opened afterwards with CASE_DB_CREATE |
 * CASE_DB_SHARED is then 0660, and so are the -wal and -shm files SQLite
 * makes beside it, which take the mode of the database, and the group of
 * the setgid folder; an existing one is given that mode and group.  The
 * file's permissions are the only boundary on one machine: every member
 * of the group may read and write everything.  The folder's name goes in
 * dir (size n), for messages.
 */
int case_db_share_folder(const char *path, const char *group, char *dir,
			 size_t n, struct case_err *err);

/* The database that was opened, as messages may show it. */
const char *case_db_filename(const struct case_db *db);

/* A database name (a file, or a postgresql:// URI) as messages may show
 * it: a URI loses its password, both the one in its user part and a
 * password parameter.  Writes into buf (size n). */
void case_db_redact(const char *name, char *buf, size_t n);

/* Overwrite a URI's password in place (for a program's argv, which ps
 * shows); the program connects with a copy it made first. */
void case_db_hide_password(char *name);

/* The invocation's clock and actor, stamped on every event.  case_db_open
 * sets now from case_time_now() and the actor from CASE_ACTOR or the login
 * name; binaries override them from options. */
int64_t case_db_now(const struct case_db *db);
void case_db_set_now(struct case_db *db, int64_t now);
const char *case_db_actor(const struct case_db *db);
int case_db_set_actor(struct case_db *db, const char *actor,
		      struct case_err *err);

/* One write transaction per invocation: BEGIN IMMEDIATE waits up to the
 * busy timeout for other writers.  A commit that fails is rolled back, and
 * its message says that nothing was changed. */
int case_db_begin(struct case_db *db, struct case_err *err);
int case_db_commit(struct case_db *db, struct case_err *err);
void case_db_rollback(struct case_db *db);

/* Savepoints inside the transaction, so that one failing item can be
 * undone on its own (--skip-bad). */
int case_db_savepoint(struct case_db *db, struct case_err *err);
int case_db_release(struct case_db *db, struct case_err *err);
void case_db_rollback_to(struct case_db *db);

/* The schema version found in the file when it was opened (before any
 * upgrade), for messages and tests. */
int case_db_found_version(const struct case_db *db);

/* Copy the whole database into a new file at dest (0600) with SQLite's
 * online backup, in one read transaction so that writers carry on. */
int case_db_backup(struct case_db *db, const char *dest, struct case_err *err);

#endif
