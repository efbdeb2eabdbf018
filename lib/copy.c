/*
 * case-admin copy: the whole of one database into a new one, on either
 * engine, with ids, times and the complete journal as they are.  This is
 * how an office moves from its SQLite file to the district's server, or
 * takes a server's database home in a file.
 *
 * The source is read in one snapshot (it is opened as a reader); the
 * destination is made with the current schema and filled in one
 * transaction through the seam's bulk load, table by table in the order
 * their references need.  A failure leaves the destination as it was: a
 * new file is taken away, a server database keeps no schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/copy.h"
#include "case/roles.h"
#include "i18n.h"
#include "internal.h"

/* Every table and column of the schema (lib/schema.c), parents before
 * children.  tests/cli/copy.sh compares whole databases after a round
 * trip, so a column left out here is caught there. */
static const struct {
	const char *table;
	const char *cols[24];
} tables[] = {
	{"units", {"code", "name", "type", "parent", "place", "chief",
		   "contact", NULL}},
	{"supervisors", {"level", "name", "contact", NULL}},
	{"policy", {"key", "value", NULL}},
	{"cases", {"id", "ref", "kind", "category", "summary", "description",
		   "priority", "place", "address", "reporter", "contact",
		   "source", "status", "outcome", "opened_at", "due_at",
		   "resolved_at", "closed_at", "level", "lead", "reopened",
		   "lat", "lon", NULL}},
	{"assignments", {"id", "case_id", "unit", "role", "assigned_at",
			 "released_at", NULL}},
	{"visits", {"id", "case_id", "due_at", "done_at", "method", "outcome",
		    "note", "actor", "attempt", NULL}},
	{"events", {"id", "case_id", "at", "actor", "action", "status",
		    "level", "detail", NULL}},
};

#define NTABLES (sizeof tables / sizeof tables[0])

static int
copy_table(struct case_db *src, struct case_db *dst, size_t t, long *rows,
	   struct case_err *err)
{
	const char *const *cols = tables[t].cols;
	const char *vals[24];
	char sql[1024];
	struct case_stmt *st;
	size_t o;
	int n, i, rc;

	for (n = 0; cols[n] != NULL; n++)
		;
	o = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s",
				      i ? ", " : "", cols[i]);
	snprintf(sql + o, sizeof sql - o, " FROM %s ORDER BY 1",
		 tables[t].table);
	if ((st = case_db_prepare(src, sql, "cannot read the source", err)) ==
	    NULL)
		return -1;
	if (case_db_load_begin(dst, tables[t].table, cols, n, err) < 0) {
		case_stmt_free(st);
		return -1;
	}
	while ((rc = case_step(st)) == CASE_ROW) {
		for (i = 0; i < n; i++)
			vals[i] = case_col_text(st, i);
		if (case_db_load_row(dst, vals, err) < 0) {
			case_err_prefix(err, "%s: ", tables[t].table);
			case_db_load_end(dst, NULL);
			case_stmt_free(st);
			return -1;
		}
		(*rows)++;
	}
	if (rc != CASE_DONE) {
		case_db_fail(src, err, _("cannot read the source"));
		case_db_load_end(dst, NULL);
		case_stmt_free(st);
		return -1;
	}
	case_stmt_free(st);
	if (case_db_load_end(dst, err) < 0)
		return case_err_prefix(err, "%s: ", tables[t].table);
	return 0;
}

int
case_db_copy(struct case_db *src, const char *dest, long *rows,
	     struct case_err *err)
{
	struct case_db *dst;
	size_t t;

	*rows = 0;
	/* A member sees part of the cases and none of their personal data
	 * but through a view: a copy is the whole database, for its owner. */
	if (case_db_role(src) != CASE_ROLE_NONE)
		return case_err_set(err, CASE_E_DENIED,
				    _("copy reads the whole database: run it as "
				    "the database's administrator, not as "
				    "member %s"),
				    case_db_login(src));
	if (!case_store_is_uri(dest) && access(dest, F_OK) == 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s exists; copy makes a new database "
				    "(remove it, or choose another name)"),
				    dest);
	if (case_db_open(&dst, dest, CASE_DB_CREATE, err) < 0)
		return -1;
	if (case_db_found_version(dst) != 0) {
		case_err_set(err, CASE_E_INPUT,
			     _("%s already holds a case database; copy fills "
			     "only an empty one"),
			     case_db_filename(dst));
		case_db_close(dst);
		return -1;
	}
	/* The new database was made with this program's schema and default
	 * policy; the source's policy replaces the defaults. */
	if (case_db_begin(dst, err) < 0 ||
	    case_db_exec(dst, "DELETE FROM policy", err) < 0)
		goto fail;
	for (t = 0; t < NTABLES; t++)
		if (copy_table(src, dst, t, rows, err) < 0)
			goto fail;
	/* A server knows who opened each case, from the journal. */
	if (case_db_dialect(dst) == CASE_PG &&
	    case_db_exec(dst, case_opened_by, err) < 0)
		goto fail;
	/* A file's trigram index takes the cases in bulk (lib/fts.c). */
	if (case_fts_catch_up(dst, err) < 0)
		goto fail;
	if (case_db_commit(dst, err) < 0)
		goto undo;
	case_db_close(dst);
	return 0;
fail:
	case_db_rollback(dst);
undo:
	case_db_undo_create(dst);
	case_db_close(dst);
	return -1;
}
