/*
 * The xlsx writer behind case_out (lib/out.c): one worksheet of typed
 * cells, written through libxlsxwriter into a temporary file and copied
 * to the output stream once it is closed, so that the output may be a
 * pipe.  Internal to the library: callers use case_out with
 * CASE_FMT_XLSX.
 */
#ifndef CASE_XLSX_H
#define CASE_XLSX_H

#include <stdint.h>
#include <stdio.h>

#include "case/err.h"
#include "case/out.h"

struct case_xlsx;

/* Start a workbook of one worksheet for the columns cols (copied by
 * reference: they must outlive the writer).  With header, row 1 holds
 * their names in bold, frozen, with an autofilter over the whole table.
 * The temporary files go in TMPDIR, or /tmp.  Returns NULL with err set
 * when the workbook cannot be started; the caller owns the writer and
 * ends it with case_xlsx_finish. */
struct case_xlsx *case_xlsx_new(const struct case_col *cols, size_t ncols,
				int header, struct case_err *err);

/* Put a cell in column col of the current row: text as a text cell
 * (digit strings stay text), a number as a number (real columns show one
 * decimal), a time (epoch seconds) as a date in local time.  A failure is
 * kept and reported by case_xlsx_end_row or case_xlsx_finish. */
void case_xlsx_text(struct case_xlsx *x, size_t col, const char *s);
void case_xlsx_number(struct case_xlsx *x, size_t col, double v);
void case_xlsx_time(struct case_xlsx *x, size_t col, int64_t t);

/* End the current row; fails when a cell of it could not be written or
 * the worksheet is full. */
int case_xlsx_end_row(struct case_xlsx *x, struct case_err *err);

/* Size the columns to their widest cells (wide characters counting
 * two), close the workbook and, unless a failure was kept or fp is NULL
 * (the caller has failed already), copy it to fp.  Removes the temporary
 * file and frees x, whatever happens. */
int case_xlsx_finish(struct case_xlsx *x, FILE *fp, struct case_err *err);

#endif
