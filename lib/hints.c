/*
 * The duplicate hints of a bulk import, for all its new cases at once.
 *
 * case_open asks, of one new case, for the open or assigned case at the
 * same place and category opened in the week before it, the latest first
 * (likely_duplicate in lib/cases.c).  A bulk import asks the same of each
 * of its new cases at its end, where "before" also means an earlier id.
 * Asked as one SQL statement, a look-up in the index of places for every
 * case, that took 200 ms of a 200,000-row import.  Here the index of
 * places is read once, in its order (place, category, opened_at, status,
 * id), keeping the cases of the current place and category opened in the
 * week up to the current one: the window.  A case's answer is the first
 * case with a smaller id found walking the window backwards, which is the
 * order in which SQLite's look-up (ORDER BY opened_at DESC LIMIT 1, on
 * that index) finds them: the latest opened first, and among cases
 * opened in the same second, open before assigned, then the higher id
 * first.  The answers come in the index's order; a temporary table gives
 * them back in the order of ids, in no more memory than its page cache
 * whatever the size of the import.  SQLite only.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "internal.h"

/* A case in the window: when it was opened, its id, and whether it is
 * assigned (else open). */
struct seen {
	int64_t opened, id;
	int assigned;
};

struct walk {
	struct case_db *db;
	struct seen *v;	  /* the window: v[start] to v[n - 1] */
	size_t start, n, cap;
	size_t group;	  /* the first of the cases opened in the last second */
	char *place, *category;
	struct case_stmt *put;
	int64_t first;	  /* the import's first id */
};

/* The hints of the new cases of the last second of the window, v[group]
 * to v[n - 1].  Each looks back from the window's end, so that a case
 * opened in the same second but after it in the index is found too. */
static int
answer_group(struct walk *w, struct case_err *err)
{
	size_t i, j;

	for (i = w->group; i < w->n; i++) {
		const struct seen *c = &w->v[i];

		if (c->id < w->first)
			continue;
		for (j = w->n; j-- > w->start;) {
			const struct seen *o = &w->v[j];

			if (o->opened < c->opened - CASE_DUP_WINDOW)
				break;
			if (o->id < c->id) {
				case_bind_int64(w->put, 1, c->id);
				case_bind_int64(w->put, 2,
						o->id * 2 + o->assigned);
				if (case_db_done(w->db, w->put, err) < 0)
					return -1;
				break;
			}
		}
	}
	return 0;
}

/* Before the first case opened at second t: the cases opened more than a
 * week before t leave the window, and once they are half of it, the rest
 * move down. */
static void
prune(struct walk *w, int64_t t)
{
	while (w->start < w->n &&
	       w->v[w->start].opened < t - CASE_DUP_WINDOW)
		w->start++;
	if (w->start > 0 && w->start >= w->n - w->start) {
		memmove(w->v, w->v + w->start,
			(w->n - w->start) * sizeof *w->v);
		w->n -= w->start;
		w->start = 0;
	}
}

static int
append(struct walk *w, const struct seen *s)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct seen *v = realloc(w->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n++] = *s;
	return 0;
}

/* Take the place and category of the next cases. */
static int
new_place(struct walk *w, const char *place, const char *category)
{
	free(w->place);
	free(w->category);
	w->place = strdup(place);
	w->category = strdup(category);
	w->start = w->n = 0;
	return w->place != NULL && w->category != NULL ? 0 : -1;
}

static int
walk_index(struct walk *w, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		w->db,
		"SELECT place, category, opened_at, status = 'assigned', id"
		" FROM cases INDEXED BY cases_place"
		" WHERE place IS NOT NULL AND category IS NOT NULL"
		" AND status IN ('open','assigned')"
		" ORDER BY place, category, opened_at, status, id",
		err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		const char *place = case_col_text(st, 0);
		const char *category = case_col_text(st, 1);
		struct seen s = {case_col_int64(st, 2), case_col_int64(st, 4),
				 case_col_int(st, 3)};
		int here = w->place != NULL && strcmp(place, w->place) == 0 &&
			   strcmp(category, w->category) == 0;

		if (!here || s.opened != w->v[w->n - 1].opened) {
			if (w->n > w->start && answer_group(w, err) < 0)
				goto fail;
			if (!here && new_place(w, place, category) < 0)
				goto nomem;
			prune(w, s.opened);
			w->group = w->n;
		}
		if (append(w, &s) < 0)
			goto nomem;
	}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(w->db, err, _("cannot look for duplicates"));
	return w->n > w->start ? answer_group(w, err) : 0;
nomem:
	case_err_set(err, CASE_E_NOMEM, _("out of memory"));
fail:
	case_reset(st);
	return -1;
}

int
case_late_hints(struct case_db *db, int64_t first,
		int (*hint)(void *, int64_t, int64_t, int, struct case_err *),
		void *arg, struct case_err *err)
{
	struct walk w;
	struct case_stmt *st = NULL;
	struct case_err ignored;
	int rc = -1;

	memset(&w, 0, sizeof w);
	w.db = db;
	w.first = first;
	if (case_db_exec(db,
			 "CREATE TEMP TABLE case_hints(id INTEGER PRIMARY KEY,"
			 " dup INTEGER NOT NULL)",
			 err) < 0)
		return -1;
	if ((w.put = case_db_prepare(db,
				     "INSERT INTO temp.case_hints(id, dup)"
				     " VALUES (?1, ?2)",
				     _("cannot look for duplicates"), err)) ==
		    NULL ||
	    walk_index(&w, err) < 0 ||
	    (st = case_db_prepare(db,
				  "SELECT id, dup FROM temp.case_hints"
				  " ORDER BY id",
				  _("cannot look for duplicates"), err)) == NULL)
		goto out;
	while ((rc = case_step(st)) == CASE_ROW) {
		int64_t dup = case_col_int64(st, 1);

		if (hint(arg, case_col_int64(st, 0), dup / 2, (int)(dup % 2),
			 err) < 0)
			break;
	}
	if (rc == CASE_DONE)
		rc = 0;
	else if (rc == CASE_ROW)
		rc = -1;
	else
		rc = case_db_fail(db, err, _("cannot look for duplicates"));
out:
	if (st != NULL)
		case_stmt_free(st);
	if (w.put != NULL)
		case_stmt_free(w.put);
	free(w.v);
	free(w.place);
	free(w.category);
	if (case_db_exec(db, "DROP TABLE temp.case_hints",
			 rc < 0 ? &ignored : err) < 0)
		rc = -1;
	return rc;
}
