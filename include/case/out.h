/*
 * The one output writer: rows of typed cells out as aligned text, CSV
 * (RFC 4180, quoting only where needed), TSV (with \t \n \\ escapes) or
 * JSON Lines.  Times are local in text and ISO 8601 UTC elsewhere.
 *
 * A listing with no rows writes nothing in text and JSON, and only the
 * header in CSV and TSV.
 */
#ifndef CASE_OUT_H
#define CASE_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"

enum case_fmt { CASE_FMT_TEXT, CASE_FMT_CSV, CASE_FMT_TSV, CASE_FMT_JSON };

enum case_coltype {
	CASE_COL_TEXT,
	CASE_COL_INT,
	CASE_COL_REAL, /* shown with one decimal */
	CASE_COL_TIME, /* epoch seconds */
	CASE_COL_DUR   /* seconds: 3d4h in text, whole seconds elsewhere */
};

struct case_col {
	const char *name;
	enum case_coltype type;
};

#define CASE_OUT_NOHEADER 0x1	/* no header line in text, CSV or TSV */
#define CASE_OUT_SPREADSHEET 0x2 /* neutralise =, +, -, @ at a text cell's start */

struct case_out;

/* Parse "text", "csv", "tsv" or "json". */
int case_fmt_parse(const char *s, enum case_fmt *fmt, struct case_err *err);

/* A writer to fp.  The columns are copied; the writer owns nothing else.
 * Returns NULL when out of memory. */
struct case_out *case_out_new(FILE *fp, enum case_fmt fmt, unsigned flags,
			      const struct case_col *cols, size_t ncols);

/* Append the next cell of the current row.  A NULL text is a null cell. */
void case_out_text(struct case_out *o, const char *s);
void case_out_int(struct case_out *o, int64_t v);
void case_out_real(struct case_out *o, double v);
void case_out_null(struct case_out *o);
/* Epoch seconds, or a duration in seconds, as the column type says. */
void case_out_time(struct case_out *o, int64_t t);

/* End the current row. */
int case_out_end_row(struct case_out *o, struct case_err *err);

/* Write s as a JSON string, quoted and escaped (for writers of other JSON
 * shapes, such as Open311). */
void case_json_string(FILE *fp, const char *s);

/* Rows written so far. */
size_t case_out_rows(const struct case_out *o);

/* Write what is buffered (text is aligned only once all rows are known),
 * flush, and report a write error.  Frees the writer. */
int case_out_finish(struct case_out *o, struct case_err *err);

#endif
