/*
 * The storage seam's calls that are more than a jump through the driver:
 * choosing the engine by name, hiding a password from messages, one-use
 * statements, inserted ids and bulk loads.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

int
case_store_is_uri(const char *name)
{
	return strncmp(name, "postgresql://", 13) == 0 ||
	       strncmp(name, "postgres://", 11) == 0;
}

/*
 * The name of a database for messages: a path as it is, and a URI with
 * the password of its user part and any password parameter taken out, so
 * that no message, log or mail carries it.
 */
void
case_db_redact(const char *name, char *buf, size_t n)
{
	const char *p, *at, *colon, *slash;
	size_t o = 0;

	if (n == 0)
		return;
	if (!case_store_is_uri(name)) {
		snprintf(buf, n, "%s", name);
		return;
	}
	p = strstr(name, "://") + 3;
	/* The authority ends at the first '/', '?' or '#'. */
	slash = p + strcspn(p, "/?#");
	at = NULL;
	for (colon = p; colon < slash; colon++)
		if (*colon == '@')
			at = colon;
	o = (size_t)snprintf(buf, n, "%.*s", (int)(p - name), name);
	if (at != NULL) {
		const char *c = memchr(p, ':', (size_t)(at - p));

		if (c == NULL)
			c = at;
		o += (size_t)snprintf(buf + (o < n ? o : n - 1),
				      o < n ? n - o : 1, "%.*s", (int)(c - p),
				      p);
		p = at;
	}
	o += (size_t)snprintf(buf + (o < n ? o : n - 1), o < n ? n - o : 1,
			      "%.*s", (int)(slash - p), p);
	/* The rest, without password=... among the parameters. */
	for (p = slash; *p != '\0';) {
		size_t len = strcspn(p + 1, "&#") + 1;

		if ((*p == '?' || *p == '&') &&
		    strncasecmp(p + 1, "password=", 9) == 0) {
			/* Keep the separator for what follows. */
			if (*p == '?' && p[len] == '&') {
				o += (size_t)snprintf(buf + (o < n ? o : n - 1),
						      o < n ? n - o : 1, "?");
				p += len + 1;
				continue;
			}
			p += len;
			continue;
		}
		o += (size_t)snprintf(buf + (o < n ? o : n - 1),
				      o < n ? n - o : 1, "%.*s", (int)len, p);
		p += len;
	}
}

/*
 * Overwrite the password parts of a URI in place with 'x', so that the
 * copy of a command line that ps shows does not carry it; the program
 * keeps its own copy to connect with.
 */
void
case_db_hide_password(char *name)
{
	char *p, *end, *at = NULL, *c;

	if (!case_store_is_uri(name))
		return;
	p = strstr(name, "://") + 3;
	end = p + strcspn(p, "/?#");
	for (c = p; c < end; c++)
		if (*c == '@')
			at = c;
	if (at != NULL && (c = memchr(p, ':', (size_t)(at - p))) != NULL)
		memset(c + 1, 'x', (size_t)(at - c - 1));
	for (p = end; *p != '\0'; p++)
		if ((*p == '?' || *p == '&') &&
		    strncasecmp(p + 1, "password=", 9) == 0) {
			p += 10;
			memset(p, 'x', strcspn(p, "&#"));
		}
}

enum case_dialect
case_db_dialect(const struct case_db *db)
{
	return db->drv->dialect;
}

struct case_stmt *
case_db_prepare(struct case_db *db, const char *sql, const char *what,
		struct case_err *err)
{
	struct case_stmt *st = db->drv->prepare(db, sql, 0);

	if (st == NULL)
		case_db_fail(db, err, what);
	return st;
}

void
case_stmt_free(struct case_stmt *st)
{
	if (st != NULL)
		st->drv->finalize(st);
}

int
case_stmt_params(struct case_stmt *st)
{
	return st->drv->params(st);
}

int64_t
case_db_changes(struct case_db *db)
{
	return db->drv->changes(db);
}

int
case_db_insert_id(struct case_db *db, struct case_stmt *st, int64_t *id,
		  struct case_err *err)
{
	int rc = case_step(st);

	*id = 0;
	if (rc == CASE_ROW) {
		*id = case_col_int64(st, 0);
		rc = case_step(st);
	} else if (rc == CASE_DONE && db->drv->changes(db) > 0)
		*id = db->drv->last_id(db);
	if (rc != CASE_DONE) {
		case_db_fail(db, err, "database error");
		case_reset(st);
		return -1;
	}
	case_reset(st);
	return 0;
}

int
case_db_load_begin(struct case_db *db, const char *table,
		   const char *const *cols, int ncols, struct case_err *err)
{
	if (db->drv->load_begin(db, table, cols, ncols) < 0)
		return case_db_fail(db, err, "cannot begin a bulk load");
	return 0;
}

int
case_db_load_row(struct case_db *db, const char *const *vals,
		 struct case_err *err)
{
	if (db->drv->load_row(db, vals) < 0)
		return case_db_fail(db, err, "cannot load a row");
	return 0;
}

int
case_db_load_end(struct case_db *db, struct case_err *err)
{
	if (db->drv->load_end(db) < 0)
		return case_db_fail(db, err, "cannot finish a bulk load");
	return 0;
}
