/*
 * The xlsx writer.  libxlsxwriter writes a workbook to a file name, and
 * the output may be a pipe, so the workbook goes to a temporary file that
 * is copied out once it is closed.  Its constant-memory mode writes each
 * row as it ends, so a long listing costs no more memory than a short
 * one; rows come in order, which is all that mode asks.
 *
 * Text is written as text cells, so that refs, phone numbers and
 * 18-digit identity numbers keep every digit; numbers as numbers; times
 * as dates in local time, the spreadsheet's own kind of value.
 *
 * libxlsxwriter, and the zip and crypto libraries it links, are loaded
 * when a workbook is first made: a program that writes none does not pay
 * for relocating them at every start (two thirds of what case-open did).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "case/text.h"
#include "case/time.h"
#include "dl.h"
#include "xlsx.h"
#include "i18n.h"

#define XW_FUNCTIONS(X) \
	X(workbook_new_opt) \
	X(workbook_add_worksheet) \
	X(workbook_add_format) \
	X(workbook_close) \
	X(format_set_num_format) \
	X(format_set_bold) \
	X(worksheet_freeze_panes) \
	X(worksheet_write_string) \
	X(worksheet_write_number) \
	X(worksheet_write_datetime) \
	X(worksheet_set_column) \
	X(worksheet_autofilter) \
	X(lxw_strerror)

#define X(f) __typeof__(f) *f;
static struct {
	XW_FUNCTIONS(X)
} xw;
#undef X

/* Load libxlsxwriter once; 0, or -1 with err set. */
static int
xw_load(struct case_err *err)
{
#define X(f) {#f, (void **)&xw.f},
	static const struct case_dl_sym syms[] = {XW_FUNCTIONS(X)};
#undef X
	static void *lib;
	const char *why;
	int missing;

	if (case_dl_load(&lib, "libxlsxwriter.so.4", syms,
			 sizeof syms / sizeof *syms, &why, &missing) == 0)
		return 0;
	if (missing)
		return case_err_set(err, CASE_E_IO,
				    _("cannot write a workbook: "
				    "libxlsxwriter.so.4 lacks %s"),
				    why);
	return case_err_set(err, CASE_E_IO,
			    _("cannot write a workbook: %s (Debian: "
			    "apt-get install libxlsxwriter4)"),
			    why);
}

/* The widest a column is made, in characters: a long summary or
 * description wraps in its cell rather than stretch the sheet. */
#define WIDTH_MAX 80

struct case_xlsx {
	char path[4096];
	int fd;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *text, *integer, *real, *date;
	const struct case_col *cols;
	size_t ncols;
	size_t *width;
	int header;
	lxw_row_t row;
	lxw_error failed; /* the first failure of a cell, or LXW_NO_ERROR */
	size_t failed_col;
};

static lxw_format *
number_format(lxw_workbook *wb, const char *fmt)
{
	lxw_format *f = xw.workbook_add_format(wb);

	if (f != NULL)
		xw.format_set_num_format(f, fmt);
	return f;
}

static void
widen(struct case_xlsx *x, size_t col, size_t w)
{
	if (w > WIDTH_MAX)
		w = WIDTH_MAX;
	if (w > x->width[col])
		x->width[col] = w;
}

/* Free what x holds; the workbook, when there is one, is closed (which
 * frees it) by the caller. */
static void
release(struct case_xlsx *x)
{
	if (x->fd >= 0) {
		close(x->fd);
		unlink(x->path);
	}
	free(x->width);
	free(x);
}

struct case_xlsx *
case_xlsx_new(const struct case_col *cols, size_t ncols, int header,
	      struct case_err *err)
{
	const char *dir = getenv("TMPDIR");
	lxw_workbook_options opt = {0};
	struct case_xlsx *x = calloc(1, sizeof *x);
	size_t i;

	if (xw_load(err) < 0) {
		free(x);
		return NULL;
	}
	if (x == NULL || (x->width = calloc(ncols, sizeof *x->width)) == NULL) {
		free(x);
		case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		return NULL;
	}
	x->cols = cols;
	x->ncols = ncols;
	x->header = header;
	if (dir == NULL || *dir != '/')
		dir = "/tmp";
	if ((size_t)snprintf(x->path, sizeof x->path, "%s/case-xlsx.XXXXXX",
			     dir) >= sizeof x->path ||
	    (x->fd = mkstemp(x->path)) < 0) {
		case_err_set(err, CASE_E_IO,
			     _("cannot make a temporary file for the workbook in "
			     "%s: %s"),
			     dir, strerror(errno));
		x->fd = -1;
		release(x);
		return NULL;
	}
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = (char *)dir;
	if ((x->wb = xw.workbook_new_opt(x->path, &opt)) == NULL ||
	    (x->ws = xw.workbook_add_worksheet(x->wb, NULL)) == NULL ||
	    (x->head = xw.workbook_add_format(x->wb)) == NULL ||
	    (x->text = number_format(x->wb, "@")) == NULL ||
	    (x->integer = number_format(x->wb, "0")) == NULL ||
	    (x->real = number_format(x->wb, "0.0")) == NULL ||
	    (x->date = number_format(x->wb, "yyyy-mm-dd hh:mm")) == NULL) {
		if (x->wb != NULL)
			xw.workbook_close(x->wb);
		release(x);
		case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		return NULL;
	}
	xw.format_set_bold(x->head);
	if (header) {
		for (i = 0; i < ncols; i++) {
			/* Room for the autofilter's button. */
			widen(x, i, case_text_width(cols[i].name) + 3);
			case_xlsx_text(x, i, cols[i].name);
		}
		x->row = 1;
		xw.worksheet_freeze_panes(x->ws, 1, 0);
	}
	return x;
}

static void
keep(struct case_xlsx *x, size_t col, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->failed == LXW_NO_ERROR) {
		x->failed = e;
		x->failed_col = col;
	}
}

void
case_xlsx_text(struct case_xlsx *x, size_t col, const char *s)
{
	lxw_format *f = x->row == 0 && x->header ? x->head : x->text;

	if (x->row >= LXW_ROW_MAX)
		return;
	widen(x, col, case_text_width(s));
	keep(x, col,
	     xw.worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, f));
}

void
case_xlsx_number(struct case_xlsx *x, size_t col, double v)
{
	int real = x->cols[col].type == CASE_COL_REAL;
	char b[64];

	if (x->row >= LXW_ROW_MAX)
		return;
	widen(x, col, (size_t)snprintf(b, sizeof b, real ? "%.1f" : "%.0f", v));
	keep(x, col,
	     xw.worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v,
				    real ? x->real : x->integer));
}

void
case_xlsx_time(struct case_xlsx *x, size_t col, int64_t t)
{
	char b[CASE_TIME_BUF];
	int64_t days, rem, y;
	lxw_datetime dt;
	unsigned m, d;
	long off;

	if (x->row >= LXW_ROW_MAX)
		return;
	if (t < CASE_TIME_MIN || t > CASE_TIME_MAX ||
	    case_time_offset(t, &off) < 0) {
		case_xlsx_text(x, col, case_time_utc(t, b));
		return;
	}
	days = (t + off) / 86400;
	rem = (t + off) % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	case_civil_from_days(days, &y, &m, &d);
	/* A spreadsheet's dates begin in 1900. */
	if (y < 1900) {
		case_xlsx_text(x, col, case_time_local(t, b));
		return;
	}
	dt.year = (int)y;
	dt.month = (int)m;
	dt.day = (int)d;
	dt.hour = (int)(rem / 3600);
	dt.min = (int)(rem / 60 % 60);
	dt.sec = (double)(rem % 60);
	widen(x, col, 16);
	keep(x, col,
	     xw.worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &dt,
				      x->date));
}

/* The message for a failure kept from a cell. */
static int
cell_failed(struct case_xlsx *x, struct case_err *err)
{
	if (x->failed == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return case_err_set(err, CASE_E_INPUT,
				    _("row %lu, column %s: a worksheet cell holds "
				    "at most 32767 characters; leave the column "
				    "out or use --format csv"),
				    (unsigned long)x->row + 1,
				    x->cols[x->failed_col].name);
	return case_err_set(err, CASE_E_IO, _("cannot write the workbook: %s"),
			    xw.lxw_strerror(x->failed));
}

int
case_xlsx_end_row(struct case_xlsx *x, struct case_err *err)
{
	if (x->row >= LXW_ROW_MAX)
		return case_err_set(err, CASE_E_INPUT,
				    _("a worksheet holds at most %d rows; select "
				    "fewer or use --format csv"),
				    LXW_ROW_MAX - x->header);
	if (x->failed != LXW_NO_ERROR)
		return cell_failed(x, err);
	x->row++;
	return 0;
}

/* Copy the closed workbook from the temporary file to fp. */
static int
copy_out(struct case_xlsx *x, FILE *fp, struct case_err *err)
{
	char buf[1 << 16];
	ssize_t n;

	if (lseek(x->fd, 0, SEEK_SET) < 0)
		return case_err_set(err, CASE_E_IO, _("cannot read the workbook "
				    "back: %s"), strerror(errno));
	while ((n = read(x->fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return case_err_set(err, CASE_E_IO, _("cannot read the "
					    "workbook back: %s"),
					    strerror(errno));
		}
		if (fwrite(buf, 1, (size_t)n, fp) != (size_t)n)
			return case_err_set(err, CASE_E_IO, _("cannot write "
					    "output: %s"), strerror(errno));
	}
	return 0;
}

int
case_xlsx_finish(struct case_xlsx *x, FILE *fp, struct case_err *err)
{
	lxw_error e;
	size_t i;
	int rc = 0;

	if (x == NULL)
		return 0;
	for (i = 0; i < x->ncols; i++)
		xw.worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
				     (double)x->width[i] + 1, NULL);
	if (x->header && x->ncols > 0)
		xw.worksheet_autofilter(x->ws, 0, 0, x->row > 0 ? x->row - 1 : 0,
				     (lxw_col_t)(x->ncols - 1));
	if (x->failed != LXW_NO_ERROR)
		rc = cell_failed(x, err);
	if ((e = xw.workbook_close(x->wb)) != LXW_NO_ERROR && rc == 0)
		rc = case_err_set(err, CASE_E_IO,
				  _("cannot write the workbook: %s"),
				  xw.lxw_strerror(e));
	if (rc == 0 && fp != NULL)
		rc = copy_out(x, fp, err);
	release(x);
	return rc;
}
