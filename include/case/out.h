/*
 * The one output writer: rows of typed cells out as aligned text, CSV
 * (RFC 4180, quoting only where needed), TSV (with \t \n \\ escapes),
 * JSON Lines or an xlsx workbook.  Times are local in text and xlsx and
 * ISO 8601 UTC in CSV, TSV and JSON.
 *
 * A listing with no rows writes nothing in text and JSON, only the header
 * in CSV and TSV, and a workbook holding the header alone in xlsx.
 *
 * GeoJSON (RFC 7946) is one FeatureCollection: a Point feature per row,
 * at the row's CASE_COL_LON and CASE_COL_LAT cells, whose properties are
 * its other cells; with no rows, a collection of none.
 */
#ifndef CASE_OUT_H
#define CASE_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"

enum case_fmt {
	CASE_FMT_TEXT,
	CASE_FMT_CSV,
	CASE_FMT_TSV,
	CASE_FMT_JSON,
	CASE_FMT_XLSX,
	CASE_FMT_GEOJSON /* case-report --list only: not one of
			  * case_fmt_parse's names */
};

enum case_coltype {
	CASE_COL_TEXT,
	CASE_COL_INT,
	CASE_COL_REAL, /* shown with one decimal */
	CASE_COL_TIME, /* epoch seconds */
	CASE_COL_DUR,  /* seconds: 3d4h in text, whole seconds elsewhere */
	CASE_COL_DEC   /* a coordinate, as decimal text (case/geo.h): a
			* number in JSON, its digits as they are elsewhere */
};

/* Flags of a column. */
#define CASE_COL_CUT 0x1   /* text: cut with "…" to fit the width (the summary) */
#define CASE_COL_STAMPS 0x2 /* text: UTC times inside the text shown local */
#define CASE_COL_LAT 0x4    /* GeoJSON: the point's latitude, not a property */
#define CASE_COL_LON 0x8    /* GeoJSON: the point's longitude */
#define CASE_COL_COARSE 0x10 /* a coordinate rounded to 3 decimals */

struct case_col {
	const char *name;
	enum case_coltype type;
	unsigned flags; /* CASE_COL_CUT, CASE_COL_STAMPS */
};

#define CASE_OUT_NOHEADER 0x1	/* no header line in text, CSV or TSV */
#define CASE_OUT_SPREADSHEET 0x2 /* neutralise =, +, -, @ at a text cell's
				  * start; CSV and TSV begin with a UTF-8
				  * byte-order mark */

struct case_out;

/* Parse "text", "csv", "tsv", "json" or "xlsx". */
int case_fmt_parse(const char *s, enum case_fmt *fmt, struct case_err *err);

/* A writer to fp.  The columns are copied; the writer owns nothing else.
 * Returns NULL when out of memory. */
struct case_out *case_out_new(FILE *fp, enum case_fmt fmt, unsigned flags,
			      const struct case_col *cols, size_t ncols);

/* Text only: fit every line in width columns by cutting the cells of the
 * CASE_COL_CUT column with "…"; the column keeps at least the width of
 * its name, and 4 columns, so that lines may still be too wide when the
 * other columns alone are.  0, the default, never cuts: output to a pipe
 * or a file is whole. */
void case_out_fit(struct case_out *o, size_t width);

/* Append the next cell of the current row.  A NULL text is a null cell. */
void case_out_text(struct case_out *o, const char *s);
void case_out_int(struct case_out *o, int64_t v);
void case_out_real(struct case_out *o, double v);
void case_out_null(struct case_out *o);
/* Epoch seconds, or a duration in seconds, as the column type says. */
void case_out_time(struct case_out *o, int64_t t);
/* A coordinate's decimal text (a CASE_COL_DEC cell). */
void case_out_dec(struct case_out *o, const char *s);

/* End the current row. */
int case_out_end_row(struct case_out *o, struct case_err *err);

/* Write s as a JSON string, quoted and escaped (for writers of other JSON
 * shapes, such as Open311). */
void case_json_string(FILE *fp, const char *s);

/* The text of a cell that is a message (a check's finding): msgid
 * through gettext in text, which is for people, and msgid itself, the
 * English that scripts read, in the other formats. */
const char *case_out_msg(const struct case_out *o, const char *msgid);

/* The same of a message that counts n, with msgid its singular and
 * plural its plural: in text, the form that the reader's language takes
 * for n; in the other formats, the English form. */
const char *case_out_nmsg(const struct case_out *o, const char *msgid,
			  const char *plural, int64_t n);

/* The text of a cell that holds a word of the column named column (a
 * status, an outcome): in text, the word in the reader's language; in
 * the other formats, value itself. */
const char *case_out_word(const struct case_out *o, const char *column,
			  const char *value);

/* Rows written so far. */
size_t case_out_rows(const struct case_out *o);

/* Write what is buffered (text is aligned only once all rows are known;
 * an xlsx workbook is written whole at the end), flush, and report a
 * write error.  Frees the writer.  A NULL err says that the caller has
 * failed already: an xlsx workbook is then not written at all. */
int case_out_finish(struct case_out *o, struct case_err *err);

#endif
