/*
 * Copying a whole database into a new one, on either engine: an SQLite
 * file into an empty PostgreSQL database, or the other way round.
 */
#ifndef CASE_COPY_H
#define CASE_COPY_H

#include "case/err.h"

struct case_db;

/* Copy everything src holds (units, supervisors, policy, cases, their
 * assignments and visits, and the whole journal, with their ids and
 * times) into dest: a file that does not exist yet, or a PostgreSQL URI of
 * a database without a case schema.  src is best opened read-only, so
 * that the copy is one snapshot.  *rows counts the rows copied.  On
 * failure dest is left as it was. */
int case_db_copy(struct case_db *src, const char *dest, long *rows,
		 struct case_err *err);

#endif
