/*
 * The PostgreSQL driver: a district's server, reached through libpq with
 * the connection URI handed over unchanged, so that everything libpq
 * documents (PGPASSFILE, service files, sslmode, Unix sockets) works.
 * This file alone knows libpq.
 *
 * The tables live in a schema of their own (case_tools), so that they can
 * share a database with other applications.  Writers take one advisory
 * lock at the start of their transaction and then work at READ COMMITTED:
 * like SQLite's BEGIN IMMEDIATE, one invocation writes at a time and the
 * others wait for it, up to CASE_BUSY_TIMEOUT; no transaction can then
 * fail for a serialization conflict or a deadlock with another of ours,
 * and ids are handed out densely, in commit order, as SQLite does.
 * Readers see one snapshot (REPEATABLE READ, READ ONLY) for as long as the
 * handle lives.
 *
 * libpq is loaded when the first server is opened, not when a program
 * starts: it brings twenty libraries of its own (TLS, Kerberos, LDAP),
 * whose loading would cost every command on an SQLite file a few
 * milliseconds.
 *
 * Results stream one row at a time (libpq's single-row mode), so that a
 * report of a million rows does not sit in memory.  A connection carries
 * one query at a time; when a statement is run while another's rows are
 * still coming, the rest of those rows are read into memory first.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "dl.h"
#include "i18n.h"
#include "internal.h"

#define INT8OID 20
#define TEXTOID 25
#define FLOAT8OID 701

/* The functions of libpq this driver calls, found in it at run time. */
#define PQ_FUNCTIONS(X) \
	X(PQclear) \
	X(PQcmdStatus) \
	X(PQcmdTuples) \
	X(PQconnectdbParams) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQerrorMessage) \
	X(PQescapeLiteral) \
	X(PQexec) \
	X(PQfinish) \
	X(PQfreemem) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQprepare) \
	X(PQputCopyData) \
	X(PQputCopyEnd) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQsendQueryParams) \
	X(PQsendQueryPrepared) \
	X(PQsetNoticeProcessor) \
	X(PQsetSingleRowMode) \
	X(PQstatus)

#define X(f) __typeof__(f) *f;
static struct {
	PQ_FUNCTIONS(X)
} pq;
#undef X

/* Load libpq once; 0, or -1 with err set. */
static int
pq_load(struct case_err *err)
{
#define X(f) {#f, (void **)&pq.f},
	static const struct case_dl_sym syms[] = {PQ_FUNCTIONS(X)};
#undef X
	static void *lib;
	const char *why;
	int missing;

	if (case_dl_load(&lib, "libpq.so.5", syms, sizeof syms / sizeof *syms,
			 &why, &missing) == 0)
		return 0;
	if (missing)
		return case_err_set(err, CASE_E_DB,
				    _("cannot use a PostgreSQL server: libpq.so.5 "
				    "lacks %s"),
				    why);
	return case_err_set(err, CASE_E_DB,
			    _("cannot use a PostgreSQL server: %s "
			    "(Debian: apt-get install libpq5)"),
			    why);
}

/* The advisory lock every writer of a database takes: "CASE", 0. */
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(1128354629, 0)"

struct pg_stmt;

struct pg {
	PGconn *c;
	struct pg_stmt *active; /* whose rows are coming in */
	int64_t changes;
	int tx;
	int nprepared;
	char state[6]; /* the last error's SQLSTATE */
	char msg[768];
	char copybuf[1 << 16];
	size_t copylen;
	int ncopy;
	int copying; /* a COPY FROM STDIN is under way */
	char password[256]; /* scrubbed from any message */
};

enum { IDLE, STREAMING, BUFFERED, FINISHED };

struct pg_stmt {
	struct case_stmt base;
	char *sql;     /* with $N for ?N */
	int nparams;
	int cached;
	int runs;
	char name[16]; /* the prepared statement's name, once prepared */
	char **vals;
	unsigned char *owned;
	Oid *types;
	int status;
	PGresult *row;	/* the current row */
	PGresult **buf; /* rows read ahead */
	size_t nbuf, ibuf, capbuf;
	int failed;	/* the rows read ahead ended in an error */
	char state[6];
	char *msg;
};

static struct pg *
pgc(struct case_db *db)
{
	return db->conn;
}

static struct pg_stmt *
pgs(struct case_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* Replace every occurrence of the password in msg with ***. */
static void
scrub(const struct pg *p, char *msg, size_t n)
{
	size_t plen = strlen(p->password);
	char *at;

	if (plen == 0)
		return;
	while ((at = strstr(msg, p->password)) != NULL) {
		size_t rest = strlen(at + plen);

		/* "***" is longer than a password of one or two bytes. */
		if (plen < 3 && strlen(msg) + 3 - plen >= n)
			break;
		memmove(at + 3, at + plen, rest + 1);
		memcpy(at, "***", 3);
	}
}

/* Keep the first line of an error text, without libpq's "ERROR:  " or
 * "FATAL:  " prefixes. */
static void
set_msg(struct pg *p, const char *state, const char *text)
{
	const char *t = text != NULL ? text : "unknown error";
	size_t len;

	snprintf(p->state, sizeof p->state, "%s", state != NULL ? state : "");
	if (strncmp(t, "ERROR:  ", 8) == 0 || strncmp(t, "FATAL:  ", 8) == 0)
		t += 8;
	len = strcspn(t, "\n");
	/* libpq's connection errors put the server's reason after the
	 * first line's "failed: "; keep both on one line. */
	snprintf(p->msg, sizeof p->msg, "%.*s", (int)len, t);
	if (t[len] == '\n' && strstr(p->msg, "failed:") != NULL &&
	    p->msg[strlen(p->msg) - 1] == ':') {
		const char *more = t + len + 1;

		while (*more == ' ' || *more == '\t')
			more++;
		if (strncmp(more, "FATAL:  ", 8) == 0)
			more += 8;
		snprintf(p->msg + strlen(p->msg), sizeof p->msg - strlen(p->msg),
			 " %.*s", (int)strcspn(more, "\n"), more);
	}
	{
		char *c = strstr(p->msg, "failed: FATAL:  ");

		if (c != NULL)
			memmove(c + 8, c + 16, strlen(c + 16) + 1);
	}
	scrub(p, p->msg, sizeof p->msg);
}

static void
result_error(struct pg *p, const PGresult *r)
{
	const char *primary = r ? pq.PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
				: NULL;

	if (primary != NULL)
		set_msg(p, pq.PQresultErrorField(r, PG_DIAG_SQLSTATE), primary);
	else
		set_msg(p, NULL, pq.PQerrorMessage(p->c));
	if (pq.PQstatus(p->c) == CONNECTION_BAD && p->state[0] == '\0')
		snprintf(p->state, sizeof p->state, "08006");
}

static int
ok_status(ExecStatusType s)
{
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
	       s == PGRES_SINGLE_TUPLE || s == PGRES_EMPTY_QUERY;
}

/* The rows changed, from a finished command's tag. */
static void
note_changes(struct pg *p, PGresult *r)
{
	const char *n = pq.PQcmdTuples(r);

	if (n != NULL && *n != '\0')
		p->changes = strtoll(n, NULL, 10);
}

/* ---- reading results -------------------------------------------------- */

static void
clear_rows(struct pg_stmt *s)
{
	size_t i;

	pq.PQclear(s->row);
	s->row = NULL;
	for (i = s->ibuf; i < s->nbuf; i++)
		pq.PQclear(s->buf[i]);
	s->nbuf = s->ibuf = 0;
	s->failed = 0;
}

/* Take the next result of the statement whose rows are coming: a row
 * (CASE_ROW, in *row), the end (CASE_DONE), or an error (-1). */
static int
next_result(struct pg *p, struct pg_stmt *s, PGresult **row)
{
	PGresult *r, *more;
	int rc;

	*row = NULL;
	r = pq.PQgetResult(p->c);
	if (r == NULL) {
		s->status = FINISHED;
		p->active = NULL;
		return CASE_DONE;
	}
	if (pq.PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
		*row = r;
		return CASE_ROW;
	}
	if (ok_status(pq.PQresultStatus(r))) {
		note_changes(p, r);
		rc = CASE_DONE;
	} else {
		result_error(p, r);
		snprintf(s->state, sizeof s->state, "%s", p->state);
		free(s->msg);
		s->msg = strdup(p->msg);
		rc = -1;
	}
	pq.PQclear(r);
	while ((more = pq.PQgetResult(p->c)) != NULL)
		pq.PQclear(more);
	s->status = FINISHED;
	p->active = NULL;
	return rc;
}

/* End a COPY that was not finished (an import that failed half way), so
 * that the connection takes other commands: the server then fails the
 * transaction, which is rolled back. */
static void
abort_copy(struct pg *p)
{
	PGresult *r;

	if (!p->copying)
		return;
	p->copying = 0;
	pq.PQputCopyEnd(p->c, "the import stopped");
	while ((r = pq.PQgetResult(p->c)) != NULL)
		pq.PQclear(r);
}

/* Read the rest of a statement's rows into memory, so that the connection
 * is free for another query. */
static void
drain(struct pg *p)
{
	struct pg_stmt *s = p->active;
	PGresult *row;
	int rc;

	abort_copy(p);
	if (s == NULL)
		return;
	while ((rc = next_result(p, s, &row)) == CASE_ROW) {
		if (s->nbuf == s->capbuf) {
			size_t nc = s->capbuf ? s->capbuf * 2 : 64;
			PGresult **nb = realloc(s->buf, nc * sizeof *nb);

			if (nb == NULL) {
				pq.PQclear(row);
				continue;
			}
			s->buf = nb;
			s->capbuf = nc;
		}
		s->buf[s->nbuf++] = row;
	}
	s->failed = rc < 0;
	s->status = BUFFERED;
}

/* ---- statements ----------------------------------------------------- */

/* SQLite's ?N parameters as PostgreSQL's $N, outside quoted text; the
 * highest N is the number of parameters. */
static char *
translate(const char *sql, int *nparams)
{
	char *out = malloc(strlen(sql) + 1), *o = out;
	char quote = 0;
	const char *p;

	*nparams = 0;
	if (out == NULL)
		return NULL;
	for (p = sql; *p != '\0'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
			continue;
		}
		if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			int n = (int)strtol(p + 1, NULL, 10);

			if (n > *nparams)
				*nparams = n;
			*o++ = '$';
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void pg_finalize(struct case_stmt *st);

static struct case_stmt *
pg_prepare(struct case_db *db, const char *sql, int cached)
{
	struct pg_stmt *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->base.drv = &case_pg_driver;
	s->base.db = db;
	s->cached = cached;
	if ((s->sql = translate(sql, &s->nparams)) == NULL)
		goto fail;
	if (s->nparams > 0 &&
	    ((s->vals = calloc((size_t)s->nparams, sizeof *s->vals)) == NULL ||
	     (s->owned = calloc((size_t)s->nparams, 1)) == NULL ||
	     (s->types = calloc((size_t)s->nparams, sizeof *s->types)) == NULL))
		goto fail;
	return &s->base;
fail:
	set_msg(pgc(db), NULL, "out of memory");
	pg_finalize(&s->base);
	return NULL;
}

static void
unbind(struct pg_stmt *s, int i)
{
	if (s->owned[i])
		free(s->vals[i]);
	s->vals[i] = NULL;
	s->owned[i] = 0;
	s->types[i] = 0;
}

static void
pg_reset(struct case_stmt *st)
{
	struct pg_stmt *s = pgs(st);
	struct pg *p = pgc(st->db);
	int i;

	if (p != NULL && p->active == s)
		drain(p);
	clear_rows(s);
	s->status = IDLE;
	for (i = 0; s->vals != NULL && i < s->nparams; i++)
		unbind(s, i);
}

static void
pg_finalize(struct case_stmt *st)
{
	struct pg_stmt *s = pgs(st);
	struct pg *p;

	if (s == NULL)
		return;
	p = pgc(st->db);
	pg_reset(st);
	if (s->name[0] != '\0' && p != NULL && p->c != NULL &&
	    pq.PQstatus(p->c) == CONNECTION_OK) {
		char sql[32];

		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		pq.PQclear(pq.PQexec(p->c, sql));
	}
	free(s->buf);
	free(s->vals);
	free(s->owned);
	free(s->types);
	free(s->msg);
	free(s->sql);
	free(s);
}

static void
bind(struct case_stmt *st, int i, char *v, int owned, Oid type)
{
	struct pg_stmt *s = pgs(st);

	if (i < 1 || i > s->nparams) {
		if (owned)
			free(v);
		return;
	}
	unbind(s, i - 1);
	s->vals[i - 1] = v;
	s->owned[i - 1] = (unsigned char)owned;
	s->types[i - 1] = type;
}

static void
pg_bind_int64(struct case_stmt *st, int i, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	bind(st, i, strdup(buf), 1, INT8OID);
}

static void
pg_bind_double(struct case_stmt *st, int i, double v)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.17g", v);
	bind(st, i, strdup(buf), 1, FLOAT8OID);
}

static void
pg_bind_text(struct case_stmt *st, int i, const char *s, int copy)
{
	(void)copy; /* the value is always copied: it crosses a network */
	bind(st, i, strdup(s), 1, TEXTOID);
}

/* A null is bound as text: the values the domain modules leave null are
 * text, and the server cannot tell the type of "?3 IS NULL" alone. */
static void
pg_bind_null(struct case_stmt *st, int i)
{
	bind(st, i, NULL, 0, TEXTOID);
}

static int
pg_params(struct case_stmt *st)
{
	return pgs(st)->nparams;
}

/* Send the statement with its values; its rows then come one by one.  A
 * statement that runs a second time is prepared on the server, so that a
 * loop does not parse it again for every case. */
static int
send(struct pg *p, struct pg_stmt *s)
{
	int ok;

	drain(p);
	if (s->cached && s->runs >= 1 && s->name[0] == '\0') {
		char name[16];
		PGresult *r;

		snprintf(name, sizeof name, "c%d", ++p->nprepared);
		r = pq.PQprepare(p->c, name, s->sql, s->nparams, s->types);
		if (pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
			result_error(p, r);
			pq.PQclear(r);
			return -1;
		}
		pq.PQclear(r);
		snprintf(s->name, sizeof s->name, "%s", name);
	}
	if (s->name[0] != '\0')
		ok = pq.PQsendQueryPrepared(p->c, s->name, s->nparams,
					 (const char *const *)s->vals, NULL,
					 NULL, 0);
	else
		ok = pq.PQsendQueryParams(p->c, s->sql, s->nparams, s->types,
				       (const char *const *)s->vals, NULL, NULL,
				       0);
	if (!ok) {
		set_msg(p, NULL, pq.PQerrorMessage(p->c));
		if (pq.PQstatus(p->c) == CONNECTION_BAD)
			snprintf(p->state, sizeof p->state, "08006");
		return -1;
	}
	pq.PQsetSingleRowMode(p->c);
	s->runs++;
	s->status = STREAMING;
	p->active = s;
	return 0;
}

static int
pg_step(struct case_stmt *st)
{
	struct pg_stmt *s = pgs(st);
	struct pg *p = pgc(st->db);
	PGresult *row;
	int rc;

	pq.PQclear(s->row);
	s->row = NULL;
	switch (s->status) {
	case IDLE:
		if (send(p, s) < 0) {
			s->status = FINISHED;
			return -1;
		}
		/* fall through */
	case STREAMING:
		rc = next_result(p, s, &row);
		if (rc == CASE_ROW)
			s->row = row;
		else if (rc < 0)
			s->failed = 1;
		return rc;
	case BUFFERED:
		if (s->ibuf < s->nbuf) {
			s->row = s->buf[s->ibuf++];
			return CASE_ROW;
		}
		s->status = FINISHED;
		if (s->failed) {
			snprintf(p->state, sizeof p->state, "%s", s->state);
			snprintf(p->msg, sizeof p->msg, "%s",
				 s->msg ? s->msg : "error");
			return -1;
		}
		return CASE_DONE;
	default:
		return s->failed ? -1 : CASE_DONE;
	}
}

static int
pg_columns(struct case_stmt *st)
{
	return pgs(st)->row ? pq.PQnfields(pgs(st)->row) : 0;
}

static int
pg_is_null(struct case_stmt *st, int i)
{
	PGresult *r = pgs(st)->row;

	return r == NULL || i >= pq.PQnfields(r) || pq.PQgetisnull(r, 0, i);
}

static const char *
pg_text(struct case_stmt *st, int i)
{
	PGresult *r = pgs(st)->row;

	if (r == NULL || i >= pq.PQnfields(r) || pq.PQgetisnull(r, 0, i))
		return NULL;
	return pq.PQgetvalue(r, 0, i);
}

/* Numbers come as text; a boolean reads as 1 or 0, as in SQLite. */
static int64_t
pg_col_int64(struct case_stmt *st, int i)
{
	const char *v = pg_text(st, i);

	if (v == NULL)
		return 0;
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

static double
pg_col_dbl(struct case_stmt *st, int i)
{
	const char *v = pg_text(st, i);

	return v != NULL ? strtod(v, NULL) : 0.0;
}

static int64_t
pg_changes(struct case_db *db)
{
	return pgc(db)->changes;
}

/* Ids come back with RETURNING on a server. */
static int64_t
pg_last_id(struct case_db *db)
{
	(void)db;
	return 0;
}

/* ---- plain SQL and transactions ------------------------------------ */

static int
run(struct pg *p, const char *sql, const char *want_tag)
{
	PGresult *r;
	int ok;

	drain(p);
	r = pq.PQexec(p->c, sql);
	ok = r != NULL && ok_status(pq.PQresultStatus(r));
	if (ok && want_tag != NULL && strcmp(pq.PQcmdStatus(r), want_tag) != 0) {
		/* COMMIT of a failed transaction answers ROLLBACK. */
		set_msg(p, "25P02", "the transaction was rolled back");
		ok = 0;
	} else if (!ok)
		result_error(p, r);
	else
		note_changes(p, r);
	pq.PQclear(r);
	return ok ? 0 : -1;
}

static int
pg_exec(struct case_db *db, const char *sql)
{
	return run(pgc(db), sql, NULL);
}

static int
pg_begin(struct case_db *db)
{
	struct pg *p = pgc(db);
	char sql[160];

	snprintf(sql, sizeof sql,
		 "BEGIN; SET LOCAL lock_timeout = %d; " WRITE_LOCK,
		 db->busy_ms > 0 ? db->busy_ms : 1);
	if (run(p, sql, NULL) < 0) {
		run(p, "ROLLBACK", NULL);
		return -1;
	}
	p->tx = 1;
	return 0;
}

static int
pg_commit(struct case_db *db)
{
	struct pg *p = pgc(db);
	int rc = run(p, "COMMIT", "COMMIT");

	p->tx = 0;
	return rc;
}

static void
pg_rollback(struct case_db *db)
{
	struct pg *p = pgc(db);

	if (p->tx && pq.PQstatus(p->c) == CONNECTION_OK)
		run(p, "ROLLBACK", NULL); /* run() ends a COPY first */
	p->tx = 0;
}

static int
pg_in_tx(struct case_db *db)
{
	return pgc(db)->tx;
}

/* ---- bulk load ------------------------------------------------------ */

static int
flush_copy(struct pg *p)
{
	if (p->copylen > 0 &&
	    pq.PQputCopyData(p->c, p->copybuf, (int)p->copylen) != 1) {
		set_msg(p, "08006", pq.PQerrorMessage(p->c));
		return -1;
	}
	p->copylen = 0;
	return 0;
}

static int
pg_load_begin(struct case_db *db, const char *table, const char *const *cols,
	      int ncols)
{
	struct pg *p = pgc(db);
	char sql[4096];
	size_t o;
	PGresult *r;
	int i;

	drain(p);
	o = (size_t)snprintf(sql, sizeof sql, "COPY %s (", table);
	for (i = 0; i < ncols && o < sizeof sql; i++)
		o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s",
				      i ? ", " : "", cols[i]);
	if (o + 16 >= sizeof sql)
		return -1;
	snprintf(sql + o, sizeof sql - o, ") FROM STDIN");
	r = pq.PQexec(p->c, sql);
	if (pq.PQresultStatus(r) != PGRES_COPY_IN) {
		result_error(p, r);
		pq.PQclear(r);
		return -1;
	}
	pq.PQclear(r);
	p->copylen = 0;
	p->ncopy = ncols;
	p->copying = 1;
	return 0;
}

/* One row in COPY's text format: tabs between values, \N for a null, and
 * backslash escapes for what would end a value or a row. */
static int
pg_load_row(struct case_db *db, const char *const *vals)
{
	struct pg *p = pgc(db);
	int i;

	for (i = 0; i < p->ncopy; i++) {
		const char *v = vals[i];

		if (p->copylen + 8 > sizeof p->copybuf && flush_copy(p) < 0)
			return -1;
		if (i > 0)
			p->copybuf[p->copylen++] = '\t';
		if (v == NULL) {
			memcpy(p->copybuf + p->copylen, "\\N", 2);
			p->copylen += 2;
			continue;
		}
		for (; *v != '\0'; v++) {
			char e = 0;

			if (p->copylen + 4 > sizeof p->copybuf && flush_copy(p) < 0)
				return -1;
			switch (*v) {
			case '\\': e = '\\'; break;
			case '\t': e = 't'; break;
			case '\n': e = 'n'; break;
			case '\r': e = 'r'; break;
			}
			if (e) {
				p->copybuf[p->copylen++] = '\\';
				p->copybuf[p->copylen++] = e;
			} else
				p->copybuf[p->copylen++] = *v;
		}
	}
	if (p->copylen + 1 > sizeof p->copybuf && flush_copy(p) < 0)
		return -1;
	p->copybuf[p->copylen++] = '\n';
	return 0;
}

static int
pg_load_end(struct case_db *db)
{
	struct pg *p = pgc(db);
	PGresult *r;
	int ok;

	p->copying = 0;
	if (flush_copy(p) < 0 || pq.PQputCopyEnd(p->c, NULL) != 1) {
		set_msg(p, "08006", pq.PQerrorMessage(p->c));
		while ((r = pq.PQgetResult(p->c)) != NULL)
			pq.PQclear(r);
		return -1;
	}
	r = pq.PQgetResult(p->c);
	ok = pq.PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		result_error(p, r);
	else
		note_changes(p, r);
	pq.PQclear(r);
	while ((r = pq.PQgetResult(p->c)) != NULL)
		pq.PQclear(r);
	return ok ? 0 : -1;
}

/* ---- errors ------------------------------------------------------------ */

static enum case_fault
pg_fault(struct case_db *db)
{
	struct pg *p = pgc(db);
	const char *s = p->state;

	if (p->c == NULL || pq.PQstatus(p->c) == CONNECTION_BAD ||
	    strncmp(s, "08", 2) == 0 || strncmp(s, "57P0", 4) == 0)
		return CASE_FAULT_GONE;
	if (strcmp(s, "55P03") == 0)
		return CASE_FAULT_BUSY;
	if (strcmp(s, "53100") == 0)
		return CASE_FAULT_FULL;
	if (strcmp(s, "25006") == 0)
		return CASE_FAULT_READONLY;
	if (strcmp(s, "42501") == 0)
		return CASE_FAULT_DENIED;
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0)
		return CASE_FAULT_RETRY;
	if (strncmp(s, "XX00", 4) == 0)
		return CASE_FAULT_CORRUPT;
	return CASE_FAULT_OTHER;
}

static const char *
pg_message(struct case_db *db)
{
	return pgc(db)->msg;
}

/* ---- connecting -------------------------------------------------------- */

/* The password in the URI, if any, to keep out of every message. */
static void
find_password(struct pg *p, const char *uri)
{
	PQconninfoOption *opts = pq.PQconninfoParse(uri, NULL), *o;

	p->password[0] = '\0';
	if (opts == NULL)
		return;
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
			snprintf(p->password, sizeof p->password, "%s", o->val);
	pq.PQconninfoFree(opts);
}

/*
 * The session's setup, in one round trip: its settings, then, for a
 * reader, the snapshot it reads everything in, as an SQLite reader does,
 * or, for a writer, whether the server will write in this session at all
 * (a standby, or a database its administrator set read-only, will not).
 * A writer refuses such a server at once, as it refuses a file it may not
 * write, rather than fail on its first write.
 */
static int
set_up(struct pg *p, const char *settings, int reader, int *read_only)
{
	char sql[768];
	PGresult *r;
	int ok;

	snprintf(sql, sizeof sql, "%s; %s", settings,
		 reader ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
			: "SHOW transaction_read_only");
	if (reader) {
		if (run(p, sql, NULL) < 0)
			return -1;
		p->tx = 1;
		return 0;
	}
	drain(p);
	r = pq.PQexec(p->c, sql);
	ok = r != NULL && pq.PQresultStatus(r) == PGRES_TUPLES_OK &&
	     pq.PQntuples(r) == 1;
	if (ok)
		*read_only = strcmp(pq.PQgetvalue(r, 0, 0), "on") == 0;
	else
		result_error(p, r);
	pq.PQclear(r);
	return ok ? 0 : -1;
}

static void pg_close(struct case_db *db);

static void
no_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
pg_open(struct case_db *db, int flags, struct case_err *err)
{
	static const char *const keys[] = {"connect_timeout", "dbname",
					   "fallback_application_name", NULL};
	const char *vals[4] = {"10", db->path, "case", NULL};
	char zone[256], *q, *errmsg = NULL, sql[512];
	int ro = 0;
	PQconninfoOption *opts;
	struct pg *p;

	(void)flags;
	if (pq_load(err) < 0)
		return -1;
	if ((opts = pq.PQconninfoParse(db->path, &errmsg)) == NULL) {
		struct pg tmp = {0};

		find_password(&tmp, db->path);
		set_msg(&tmp, NULL, errmsg ? errmsg : "out of memory");
		pq.PQfreemem(errmsg);
		return case_err_set(err, CASE_E_INPUT,
				    _("bad connection URI %s: %s"), db->name,
				    tmp.msg);
	}
	pq.PQconninfoFree(opts);
	if ((p = calloc(1, sizeof *p)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	db->conn = p;
	find_password(p, db->path);
	p->c = pq.PQconnectdbParams(keys, vals, 1);
	if (p->c == NULL || pq.PQstatus(p->c) != CONNECTION_OK) {
		set_msg(p, NULL, p->c ? pq.PQerrorMessage(p->c) : "out of memory");
		case_err_set(err, CASE_E_DB, _("cannot connect to %s: %s"),
			     db->name, p->msg);
		pg_close(db);
		return -1;
	}
	/* The library prints nothing: libpq would write the server's
	 * notices ("relation ... already exists, skipping") to stderr. */
	pq.PQsetNoticeProcessor(p->c, no_notice, NULL);
	/* The server formats local days, weeks and months in the zone this
	 * process formats times in, so that a report says the same on both
	 * engines. */
	case_time_zone_name(zone, sizeof zone);
	if ((q = pq.PQescapeLiteral(p->c, zone, strlen(zone))) == NULL) {
		case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		pg_close(db);
		return -1;
	}
	/* A killed writer must not keep the write lock for the rest of its
	 * statement, as a killed SQLite writer keeps none: the server looks
	 * every second for a client gone while it works. */
	snprintf(sql, sizeof sql,
		 "SET client_encoding = 'UTF8'; SET search_path = case_tools,"
		 " public; SET TimeZone = %s;"
		 " SET client_connection_check_interval = 1000",
		 q);
	pq.PQfreemem(q);
	if (set_up(p, sql, db->readonly, &ro) < 0) {
		case_err_set(err, CASE_E_DB, _("cannot set up the session on %s: %s"),
			     db->name, p->msg);
		pg_close(db);
		return -1;
	}
	if (ro) {
		case_err_set(err, CASE_E_DB, _("%s is read-only"), db->name);
		pg_close(db);
		return -1;
	}
	return 0;
}

/* A reader's snapshot began with the session (set_up). */
static int
pg_ready(struct case_db *db)
{
	(void)db;
	return 0;
}

static void
pg_close(struct case_db *db)
{
	struct pg *p = pgc(db);

	if (p == NULL)
		return;
	if (p->c != NULL) {
		if (p->tx && pq.PQstatus(p->c) == CONNECTION_OK)
			pq.PQclear(pq.PQexec(p->c, "ROLLBACK"));
		pq.PQfinish(p->c);
	}
	free(p);
	db->conn = NULL;
}

const struct case_driver case_pg_driver = {
	.name = "PostgreSQL",
	.dialect = CASE_PG,
	.open = pg_open,
	.ready = pg_ready,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.params = pg_params,
	.step = pg_step,
	.columns = pg_columns,
	.is_null = pg_is_null,
	.int64 = pg_col_int64,
	.dbl = pg_col_dbl,
	.text = pg_text,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_tx = pg_in_tx,
	.load_begin = pg_load_begin,
	.load_row = pg_load_row,
	.load_end = pg_load_end,
	.fault = pg_fault,
	.message = pg_message,
	.backup = NULL,
};
