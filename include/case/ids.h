/*
 * Case ids in (SPEC section 5): from operands, or one per line on a stream
 * where the first field (up to a tab, comma or space) is the id.  Blank
 * lines and # comments are skipped, and so is a first line whose first
 * field is "id" (any case), so that every listing pipes straight in.
 * After a CSV header ("id,..."), a quoted field that spans lines is
 * followed to its end, so that a multi-line description is not taken for
 * ids.
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
	long lineno;
	int seen_data;
	int csv;      /* the header was CSV's: "id,..." */
	int in_quote; /* inside a quoted CSV field that spans lines */
};

void case_ids_init(struct case_ids *r, FILE *fp);
void case_ids_free(struct case_ids *r);

/* Next id from the stream.  Returns 1 with *id set, 0 at the end, -1 for a
 * bad line (err says "line N: ..."; reading may go on), and -2 when the
 * stream cannot be read (err says why; stop). */
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

#endif
