/*
 * Case ids in (SPEC section 5): from operands, or one per line on a stream
 * where the first field (up to a tab, comma or space) is the id.  Blank
 * lines and # comments are skipped, and so is a first line whose first
 * field is "id" (any case), so that every listing pipes straight in.
 *
 * A line whose first field ends at a comma or begins with a quote is a CSV
 * record (RFC 4180), and so is every record after it, header or not: the
 * id is its first field, and quoted fields are followed across lines, so
 * that a line inside a multi-line description is never taken for an id.
 * Malformed quoting stops the reading with an error naming the line,
 * since no later line could be trusted to begin a record.
 */
#ifndef CASE_IDS_H
#define CASE_IDS_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"

/* Parse one id: a positive whole number that fits in 63 bits. */
int case_id_parse(const char *s, int64_t *id, struct case_err *err);

struct case_ids {
	FILE *fp;
	char *line;
	size_t cap;
	long lineno;	  /* the last line read */
	long record_line; /* the line the last record began on */
	int seen_data;
	int csv; /* a record was CSV: every later one is read as CSV */
};

void case_ids_init(struct case_ids *r, FILE *fp);
void case_ids_free(struct case_ids *r);

/* Next id from the stream.  Returns 1 with *id set, 0 at the end, -1 for a
 * bad record (err says "line N: ..."; reading may go on), and -2 when the
 * stream cannot be read or its CSV quoting is malformed (err says why, and
 * for bad quoting "line N: ..."; stop: no later id can be trusted). */
int case_ids_next(struct case_ids *r, int64_t *id, struct case_err *err);

/* Ids from operands when there are any, else from a stream: the one loop
 * behind every binary that acts on cases. */
struct case_idsrc {
	char *const *ids;
	int nids, next;
	struct case_ids in;
};

void case_idsrc_init(struct case_idsrc *s, char *const *ids, int nids,
		     FILE *in);
void case_idsrc_free(struct case_idsrc *s);

/* As case_ids_next; a bad operand is reported as -1 with its message. */
int case_idsrc_next(struct case_idsrc *s, int64_t *id, struct case_err *err);

/* Every id of s, read to the end before any is acted on, so that input
 * refused as a whole is refused before anything is done.  A bad id or
 * record goes to on_error (when not NULL) with its message and counts in
 * *bad.  Returns 0 with the *n good ids in *ids, which the caller frees,
 * or -1 with err set and *ids NULL when the stream cannot be read, its
 * quoting is malformed or memory runs out. */
int case_idsrc_all(struct case_idsrc *s,
		   void (*on_error)(void *ctx, const char *msg), void *ctx,
		   int64_t **ids, size_t *n, long *bad, struct case_err *err);

#endif
