/*
 * One invocation, one transaction, over many cases: the loop that every
 * binary acting on case ids shares.  Each id gets a savepoint of its own;
 * every failure is reported; by default one failure undoes everything, and
 * with skip_bad the good ids are kept (and the caller still exits 1).
 */
#ifndef CASE_BATCH_H
#define CASE_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"

struct case_db;

/* The step applied to one case: 0 changed, 1 nothing to change, -1 error
 * (err set, without the case id: the batch adds "case N: "). */
typedef int (*case_batch_fn)(struct case_db *db, int64_t id, void *arg,
			     struct case_err *err);

struct case_batch {
	/* Ids as operands, or when nids is 0, one per line from in. */
	char *const *ids;
	int nids;
	FILE *in;

	case_batch_fn fn;
	void *arg;
	int skip_bad;
	int dry_run; /* run everything, then roll back */

	/* A failing id ("case N: ...") or input line ("line N: ..."). */
	void (*on_error)(void *ctx, const char *msg);
	/* Each case changed (or, on a dry run, that would have changed), in
	 * order, once every id has been tried and before the commit. */
	void (*on_changed)(void *ctx, int64_t id);
	/* After the last on_changed, just before the commit (or a dry run's
	 * rollback): -1, with err set, rolls everything back, so that a
	 * caller that could not write out the ids changes nothing.  May be
	 * NULL. */
	int (*before_commit)(void *ctx, struct case_err *err);
	void *ctx;
};

struct case_batch_stats {
	long seen, changed, unchanged, bad;
};

/* Every id is read first, and only then is the write transaction begun.
 * No ids at all is not an error: nothing is done (and neither on_changed
 * nor before_commit is called).  Returns -1 with err set when nothing was
 * applied: an unreadable stream, a database error, a failure without
 * skip_bad, or a failing before_commit. */
int case_batch_run(struct case_db *db, const struct case_batch *b,
		   struct case_batch_stats *stats, struct case_err *err);

#endif
