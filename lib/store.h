/*
 * The storage seam: the one narrow interface between libcase's domain
 * modules and the engine below them.  A driver is a table of functions
 * (struct case_driver), chosen by the database name at open time: an
 * SQLite file (lib/sqlite.c) or a PostgreSQL server reached through libpq
 * (lib/pg.c).  Everything above this header is written once and never
 * learns which engine runs it; where the two SQL dialects differ, the
 * module that owns a query keeps both texts side by side and picks one
 * with CASE_SQL().
 *
 * Statements are written with SQLite's numbered parameters (?1, ?2, ...);
 * the PostgreSQL driver rewrites them to $1, $2, ... once, when it
 * prepares the statement.
 */
#ifndef CASE_STORE_H
#define CASE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "case/err.h"

struct case_db;
struct case_stmt;

enum case_dialect { CASE_SQLITE, CASE_PG };

/* What case_step returns besides -1 (an error, kept on the handle for
 * case_db_fail). */
#define CASE_DONE 0
#define CASE_ROW 1

/* The last error of a driver, in the terms the domain modules act on. */
enum case_fault {
	CASE_FAULT_OTHER,
	CASE_FAULT_BUSY,     /* another writer held the lock too long */
	CASE_FAULT_FULL,     /* the disk is full */
	CASE_FAULT_READONLY, /* the database or the server is read-only */
	CASE_FAULT_NOTADB,   /* the file is not a database */
	CASE_FAULT_CORRUPT,  /* the database is damaged */
	CASE_FAULT_IO,	     /* the operating system refused a read or write */
	CASE_FAULT_GONE,     /* the server connection was lost */
	CASE_FAULT_DENIED,   /* the server refused: no privilege */
	CASE_FAULT_RETRY     /* a serialization failure or deadlock */
};

/*
 * One engine.  Every function that can fail returns -1 (or NULL) and
 * leaves the reason on the handle, where fault() and message() read it;
 * open() alone fills err, since there may be no handle to read.
 */
struct case_driver {
	const char *name; /* "SQLite", "PostgreSQL" */
	enum case_dialect dialect;

	/* Connect to db->path (flags as case_db_open's).  On success the
	 * driver's state hangs from db->conn. */
	int (*open)(struct case_db *db, int flags, struct case_err *err);
	/* Once the database is known to be ours and of a version this
	 * program reads, before any upgrade: writers set up for writing,
	 * readers begin the snapshot they read everything in. */
	int (*ready)(struct case_db *db);
	/* Disconnect; a database that open() created for init and that
	 * failed to become one is taken away again. */
	void (*close)(struct case_db *db);

	/* Prepare sql; cached is a hint that the statement will run many
	 * times.  The statement belongs to the handle until finalize. */
	struct case_stmt *(*prepare)(struct case_db *db, const char *sql,
				     int cached);
	void (*finalize)(struct case_stmt *st);
	/* Back to before the first step, with every binding cleared. */
	void (*reset)(struct case_stmt *st);

	/* Bindings, numbered from 1.  A text is used in place until the
	 * statement is reset, unless copy is set. */
	void (*bind_int64)(struct case_stmt *st, int i, int64_t v);
	void (*bind_double)(struct case_stmt *st, int i, double v);
	void (*bind_text)(struct case_stmt *st, int i, const char *s,
			  int copy);
	void (*bind_null)(struct case_stmt *st, int i);
	int (*params)(struct case_stmt *st);

	/* The next row: CASE_ROW, CASE_DONE, or -1. */
	int (*step)(struct case_stmt *st);
	int (*columns)(struct case_stmt *st);
	int (*is_null)(struct case_stmt *st, int i);
	int64_t (*int64)(struct case_stmt *st, int i);
	double (*dbl)(struct case_stmt *st, int i);
	const char *(*text)(struct case_stmt *st, int i);

	/* Rows changed by the last statement that changed rows, and the id
	 * of the last row an INSERT without RETURNING added (SQLite's
	 * rowid; a server returns ids with RETURNING instead). */
	int64_t (*changes)(struct case_db *db);
	int64_t (*last_id)(struct case_db *db);
	/* Run SQL that returns nothing (several statements allowed). */
	int (*exec)(struct case_db *db, const char *sql);

	/* The write transaction of an invocation: begin waits for other
	 * writers up to the busy timeout. */
	int (*begin)(struct case_db *db);
	int (*commit)(struct case_db *db);
	void (*rollback)(struct case_db *db);
	int (*in_tx)(struct case_db *db);

	/* Keep the file to this handle while on, outside a transaction:
	 * the next transaction writes each page once, under a rollback
	 * journal, and other connections wait for it (up to their busy
	 * timeout) instead of reading the state before it.  on = 1 returns
	 * 1 if kept, 0 if another connection has the file open, -1 on an
	 * error; on = 0 gives it back, as far as no reader has come in
	 * meanwhile (the next writer's ready() does the rest).  NULL where
	 * the engine's writers never hold readers up (a server). */
	int (*alone)(struct case_db *db, int on);

	/* Bulk load of many rows into one table: begin names the table and
	 * its columns, row gives one row's values (NULL for a null), end
	 * finishes.  Between begin and end nothing else runs on the handle. */
	int (*load_begin)(struct case_db *db, const char *table,
			  const char *const *cols, int ncols);
	int (*load_row)(struct case_db *db, const char *const *vals);
	int (*load_end)(struct case_db *db);

	/* The last error: its kind, and the engine's own words. */
	enum case_fault (*fault)(struct case_db *db);
	const char *(*message)(struct case_db *db);

	/* A consistent copy into a new file at dest, while others write;
	 * NULL where the engine has its own tools for it (pg_dump). */
	int (*backup)(struct case_db *db, const char *dest,
		      struct case_err *err);
};

/* Every statement starts with this, so that the wrappers below find their
 * driver. */
struct case_stmt {
	const struct case_driver *drv;
	struct case_db *db;
};

extern const struct case_driver case_sqlite_driver;
extern const struct case_driver case_pg_driver;

/* Whether name is a PostgreSQL connection URI rather than a file path. */
int case_store_is_uri(const char *name);


/* The dialect of a handle's engine, and the SQL text of it of the two. */
enum case_dialect case_db_dialect(const struct case_db *db);
#define CASE_SQL(db, sqlite_text, pg_text) \
	(case_db_dialect(db) == CASE_PG ? (pg_text) : (sqlite_text))

/* ---- statements: thin calls through the driver ---------------------- */

static inline int
case_step(struct case_stmt *st)
{
	return st->drv->step(st);
}

static inline void
case_reset(struct case_stmt *st)
{
	st->drv->reset(st);
}

static inline void
case_bind_int64(struct case_stmt *st, int i, int64_t v)
{
	st->drv->bind_int64(st, i, v);
}

static inline void
case_bind_double(struct case_stmt *st, int i, double v)
{
	st->drv->bind_double(st, i, v);
}

/* Text that stays alive until the statement has been stepped; NULL binds
 * NULL.  case_bind_text (in internal.h) also binds NULL for "". */
static inline void
case_bind_str(struct case_stmt *st, int i, const char *s)
{
	if (s == NULL)
		st->drv->bind_null(st, i);
	else
		st->drv->bind_text(st, i, s, 0);
}

/* Text the caller may free at once. */
static inline void
case_bind_copy(struct case_stmt *st, int i, const char *s)
{
	if (s == NULL)
		st->drv->bind_null(st, i);
	else
		st->drv->bind_text(st, i, s, 1);
}

static inline void
case_bind_null(struct case_stmt *st, int i)
{
	st->drv->bind_null(st, i);
}

static inline int
case_col_count(struct case_stmt *st)
{
	return st->drv->columns(st);
}

static inline int
case_col_null(struct case_stmt *st, int i)
{
	return st->drv->is_null(st, i);
}

static inline int64_t
case_col_int64(struct case_stmt *st, int i)
{
	return st->drv->int64(st, i);
}

static inline int
case_col_int(struct case_stmt *st, int i)
{
	return (int)st->drv->int64(st, i);
}

static inline double
case_col_double(struct case_stmt *st, int i)
{
	return st->drv->dbl(st, i);
}

/* NULL for a null. */
static inline const char *
case_col_text(struct case_stmt *st, int i)
{
	return st->drv->text(st, i);
}

/* A statement of one use (a report built for this invocation), freed by
 * the caller with case_stmt_free; NULL with err set on failure, its
 * message beginning with what. */
struct case_stmt *case_db_prepare(struct case_db *db, const char *sql,
				  const char *what, struct case_err *err);
void case_stmt_free(struct case_stmt *st);

/* The number of parameters the statement takes (its highest ?N). */
int case_stmt_params(struct case_stmt *st);

/* Rows changed by the last statement that changed rows. */
int64_t case_db_changes(struct case_db *db);

/* Step an INSERT and read the id of the row it added; 0 when it added
 * none (a conflict it was told to ignore).  The statement says
 * RETURNING id in PostgreSQL's text and not in SQLite's, where RETURNING
 * costs an ephemeral table per row of a bulk import: SQLite's rowid is
 * read instead. */
int case_db_insert_id(struct case_db *db, struct case_stmt *st, int64_t *id,
		      struct case_err *err);

/* Bulk load (see struct case_driver); errors are named with what. */
int case_db_load_begin(struct case_db *db, const char *table,
		       const char *const *cols, int ncols,
		       struct case_err *err);
int case_db_load_row(struct case_db *db, const char *const *vals,
		     struct case_err *err);
int case_db_load_end(struct case_db *db, struct case_err *err);

#endif
