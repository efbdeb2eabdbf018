/*
 * CSV in: a streaming RFC 4180 reader over libcsv that hands over one
 * record at a time with the line it started on, so that memory stays flat
 * whatever the size of the file and every message can say FILE:LINE.
 */
#ifndef CASE_CSVIN_H
#define CASE_CSVIN_H

#include <stddef.h>
#include <stdio.h>

#include "case/err.h"

struct case_csv_row {
	size_t n;	  /* fields in this record */
	char **f;	  /* NUL-terminated copies, valid during the callback */
	const size_t *len; /* their lengths in bytes */
	long line;	  /* the line the record starts on */
};

struct case_csv_cb {
	/* The first record.  Returning -1 stops the read with err set. */
	int (*header)(void *arg, const struct case_csv_row *row,
		      struct case_err *err);
	/* Each later record with as many fields as the header and no NUL
	 * byte.  Returning -1 stops the read with err set. */
	int (*row)(void *arg, const struct case_csv_row *row,
		   struct case_err *err);
	/* A record the reader refused (wrong field count, a NUL byte). */
	void (*bad)(void *arg, long line, const char *msg);
	/* Called every few thousand records. */
	void (*progress)(void *arg, long records);
	void *arg;
};

/* Read in to the end.  A record longer than max_record bytes, malformed
 * quoting and read errors stop the read, with err->line set to the line
 * the problem is on.  A file with no header is an error too.  Spaces
 * around unquoted fields are kept, as RFC 4180 says. */
int case_csv_read(FILE *in, size_t max_record, const struct case_csv_cb *cb,
		  struct case_err *err);

#endif
