/*
 * The shared per-id loop.  Changed ids are kept in memory (eight bytes
 * each) until every id has been tried, and handed out only then, just
 * before the commit: nothing is printed for work that is rolled back, and
 * a caller whose output cannot be written can still roll everything back.
 */
#include <stdlib.h>
#include <string.h>

#include "case/batch.h"
#include "case/ids.h"
#include "i18n.h"
#include "internal.h"

struct idlist {
	int64_t *v;
	size_t n, cap;
};

static int
push(struct idlist *l, int64_t id)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 256;
		int64_t *nv = realloc(l->v, nc * sizeof *nv);

		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = id;
	return 0;
}

static void
report(const struct case_batch *b, struct case_batch_stats *stats,
       const char *msg)
{
	stats->bad++;
	if (b->on_error != NULL)
		b->on_error(b->ctx, msg);
}

/* Apply the step to one case inside its own savepoint.  Returns -1 only
 * for errors that must stop the whole run. */
static int
one(struct case_db *db, const struct case_batch *b, int64_t id,
    struct idlist *changed, struct case_batch_stats *stats,
    struct case_err *err)
{
	struct case_err e;
	int rc;

	if (case_db_savepoint(db, err) < 0)
		return -1;
	rc = b->fn(db, id, b->arg, &e);
	if (rc < 0) {
		case_db_rollback_to(db);
		if (e.kind == CASE_E_DB || e.kind == CASE_E_NOMEM ||
		    e.kind == CASE_E_IO) {
			*err = e;
			return -1;
		}
		case_err_case(&e, id);
		report(b, stats, e.msg);
		return 0;
	}
	if (case_db_release(db, err) < 0)
		return -1;
	if (rc == 1) {
		stats->unchanged++;
		return 0;
	}
	stats->changed++;
	if (push(changed, id) < 0)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	return 0;
}

/*
 * Every id is read before the write lock is taken: a pipe from another
 * writer (case-open | case-assign) must let that writer commit first, and
 * it cannot while this end holds the lock waiting for its ids.
 */
static int
read_ids(const struct case_batch *b, struct idlist *todo,
	 struct case_batch_stats *stats, struct case_err *err)
{
	struct case_idsrc src;
	int rc;

	case_idsrc_init(&src, b->ids, b->nids, b->in);
	rc = case_idsrc_all(&src, b->on_error, b->ctx, &todo->v, &todo->n,
			    &stats->bad, err);
	case_idsrc_free(&src);
	todo->cap = todo->n;
	stats->seen = (long)todo->n + stats->bad;
	return rc;
}

int
case_batch_run(struct case_db *db, const struct case_batch *b,
	       struct case_batch_stats *stats, struct case_err *err)
{
	struct idlist todo = {NULL, 0, 0}, changed = {NULL, 0, 0};
	size_t i;
	int rc = -1;

	memset(stats, 0, sizeof *stats);
	if (read_ids(b, &todo, stats, err) < 0)
		goto out;
	if (stats->seen == 0) {
		rc = 0; /* nothing came down the pipe: nothing to do */
		goto out;
	}
	/* Even when a line was bad, every id is tried, so that every failure
	 * is reported; the transaction is rolled back below. */
	if (case_db_begin(db, err) < 0)
		goto out;
	for (i = 0; i < todo.n; i++)
		if (one(db, b, todo.v[i], &changed, stats, err) < 0)
			goto rollback;
	if (stats->bad > 0 && !b->skip_bad) {
		case_db_rollback(db);
		goto failed;
	}
	if (b->on_changed != NULL)
		for (i = 0; i < changed.n; i++)
			b->on_changed(b->ctx, changed.v[i]);
	if (b->before_commit != NULL && b->before_commit(b->ctx, err) < 0)
		goto rollback;
	if (b->dry_run)
		case_db_rollback(db);
	else if (case_db_commit(db, err) < 0)
		goto out;
	rc = 0;
	goto out;
failed:
	case_err_set(err, CASE_E_INPUT,
		     P_("%ld of %ld case failed; nothing changed "
			"(--skip-bad applies the rest)",
			"%ld of %ld cases failed; nothing changed "
			"(--skip-bad applies the rest)",
			(unsigned long)stats->seen),
		     stats->bad, stats->seen);
	goto out;
rollback:
	case_db_rollback(db);
out:
	free(todo.v);
	free(changed.v);
	return rc;
}
