/*
 * Bulk import of cases from CSV (case-open --file): headers matched to
 * fields by name, --map for foreign exports, option values as defaults,
 * idempotent refs, and all-or-nothing unless told to skip bad rows.
 */
#ifndef CASE_IMPORT_H
#define CASE_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "case/cases.h"
#include "case/err.h"

struct case_db;

/* A parsed --map: for each field, the column it comes from; NULL means
 * "by its own name", "" means "not from the file at all". */
struct case_map {
	char *col[CASE_F_COUNT];
	char *buf;
};

/* Parse "field=column,field=column"; spaces around names are dropped and
 * "field=" keeps a field out of the file.  Free with case_map_free. */
int case_map_parse(const char *spec, struct case_map *map,
		   struct case_err *err);
void case_map_free(struct case_map *map);

/* A parsed --recode FIELD:FROM=TO: cells of field whose value is from,
 * whatever the case of its letters and the white space around it, are
 * read as to ("" for a blank cell).  to is the word itself for a field of
 * words (kind, priority, status, visit_outcome, visit_method), a unit code
 * or name for lead, and any one-line text for source. */
struct case_recode {
	int field;
	const char *from, *to;
	char *buf;
};

/* Parse the --recode options of specs (NULL-terminated) into *out, *n
 * of them, checking each one's words and that no value is translated
 * twice; free with case_recodes_free.  Whether a lead's unit exists is
 * checked by the import, which has the database. */
int case_recodes_parse(const char *const *specs, struct case_recode **out,
		       size_t *n, struct case_err *err);
void case_recodes_free(struct case_recode *r, size_t n);

/* A value that matched nothing, or that named several units, in the rows
 * of an import: the field, the value, the number of rows, and for a lead
 * the number of units it names. */
struct case_unknown {
	const char *field, *value;
	long rows;
	size_t units;
};

struct case_import {
	const char *map;		     /* --map, or NULL */
	const char *const *recode; /* --recode specs, NULL-terminated, or
				      NULL */
	const char *defaults[CASE_F_COUNT]; /* option values for blank cells */
	const char *names[CASE_F_COUNT];    /* their names for messages, such
					       as "--at" (NULL: the field's) */
	int skip_bad;
	int dry_run; /* check every row and write nothing; bad rows count
			in stats but are not an error */

	/* A bad row: LINE is where it starts (may be NULL). */
	void (*on_error)(void *ctx, long line, const char *msg);
	/* Something worth saying that is not an error: ignored columns (line
	 * 0), a likely duplicate.  NULL: nothing is said, and nothing is spent
	 * on it: the import does not look for likely duplicates. */
	void (*on_note)(void *ctx, long line, const char *msg);
	/* Once every row is read, the values that matched nothing (each a
	 * bad row too), so that every --recode they need can be written at
	 * once: n of them, most rows first within each field, and how many
	 * more there were.  May be NULL. */
	void (*on_unknown)(void *ctx, const struct case_unknown *u, size_t n,
			   size_t more);
	void (*on_progress)(void *ctx, long rows);
	/* Each row's case id, in input order, once every row is in and
	 * before the commit (not on a dry run). */
	void (*on_id)(void *ctx, int64_t id);
	/* After the last on_id, just before the commit (or a dry run's
	 * rollback): -1, with err set, rolls the import back, so that a
	 * caller that could not write out the ids changes nothing.  May be
	 * NULL. */
	int (*before_commit)(void *ctx, struct case_err *err);
	void *ctx;
};

struct case_import_stats {
	long rows, added, existing, bad;
};

/* Import in as one transaction.  A row whose ref names a case already
 * there adds nothing and counts as existing; a row whose ref repeats an
 * earlier row of the file is bad.  Returns -1 with err set when nothing
 * was imported: a file-level problem (bad header, malformed CSV, a
 * database error), bad rows without skip_bad or dry_run, or a failing
 * before_commit.  With skip_bad the good rows are committed and
 * stats->bad counts the others. */
int case_import(struct case_db *db, FILE *in, const struct case_import *opt,
		struct case_import_stats *stats, struct case_err *err);

#endif
