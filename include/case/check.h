/*
 * The integrity check (case-admin check): SQLite's own checks, then every
 * invariant that ties a case's row to its assignments, visits and journal.
 */
#ifndef CASE_CHECK_H
#define CASE_CHECK_H

#include "case/err.h"

struct case_db;
struct case_out;

/* Write one row per finding to out (columns case, finding; case is null
 * for findings about the whole file) and set *findings to their number. */
int case_check(struct case_db *db, struct case_out *out, long *findings,
	       struct case_err *err);

#endif
