/*
 * The output writer.  Cells are formatted into a row buffer as they come;
 * CSV, TSV and JSON rows are written as soon as they end, while text rows
 * are kept until the end so that columns can be aligned to their widest
 * cell, wide characters counting two columns.  xlsx cells go to the
 * workbook of lib/xlsx.c as they come, with their types.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "case/geo.h"
#include "case/out.h"
#include "case/text.h"
#include "case/time.h"
#include "case/words.h"
#include "i18n.h"
#include "internal.h"
#include "xlsx.h"

enum cellkind { CELL_NULL, CELL_STR, CELL_RAW };

struct cell {
	size_t off, len;
	enum cellkind kind;
	int neutral; /* shown with a leading ' (CASE_OUT_SPREADSHEET) */
};

/* A kept text cell: its bytes in tbuf and the columns it takes, in 32
 * bits (keep_text_cell refuses a cell that would not fit). */
struct tcell {
	uint32_t len, width;
};

struct case_out {
	FILE *fp;
	enum case_fmt fmt;
	unsigned flags;
	struct case_col *cols;
	size_t ncols;

	struct cell *cells; /* the current row */
	size_t cur;
	char *buf; /* the current row's cell values */
	size_t len, cap;

	size_t rows;
	int header_done;
	int begun; /* something was written (the byte-order mark goes first) */
	int oom;

	size_t fit; /* text: the width to fit lines in, or 0 */
	size_t cut; /* text: the column cut to fit, or ncols for none */

	struct case_xlsx *xw; /* xlsx: the workbook, from the first cell on */
	int xfailed;	      /* xlsx: it could not be started, as xerr says */
	struct case_err xerr;

	char *tbuf; /* text mode: every cell of every row, NUL-terminated */
	size_t tlen, tcap;
	struct tcell *tw; /* text mode: each cell in tbuf */
	size_t ntw, twcap;
	size_t *width;
	/* text with Chinese messages: each column's enum words, or NULL
	 * (the columns' names are then their Chinese titles) */
	const char *const **words;
};

int
case_fmt_parse(const char *s, enum case_fmt *fmt, struct case_err *err)
{
	static const char *const names[] = {"text", "csv", "tsv", "json",
					    "xlsx", NULL};
	char q[CASE_QUOTE_MAX];
	int i = case_text_index(names, s);

	if (i < 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("unknown format '%s' (expected text, csv, "
				    "tsv, json or xlsx)"),
				    case_quote(q, sizeof q, s));
	*fmt = (enum case_fmt)i;
	return 0;
}

/* Text for a person who reads Chinese: the columns' Chinese titles, and
 * the enum words of each column.  0 when out of memory. */
static int
zh_words(struct case_out *o)
{
	size_t i;

	if ((o->words = calloc(o->ncols, sizeof *o->words)) == NULL)
		return 0;
	for (i = 0; i < o->ncols; i++) {
		o->words[i] = case_col_words(o->cols[i].name);
		o->cols[i].name = case_col_title(o->cols[i].name);
	}
	return 1;
}

/* The Chinese word of a text cell of an enum column, or s itself. */
static const char *
zh_word(const struct case_out *o, const char *s, size_t *n)
{
	const char *const *list = o->words[o->cur];
	size_t i;

	if (list == NULL)
		return s;
	if (list == case_col_names) {
		/* The names of the columns are short and NUL-terminated. */
		s = case_col_title(s);
		*n = strlen(s);
		return s;
	}
	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == *n && memcmp(list[i], s, *n) == 0) {
			s = case_word_show(list, (int)i);
			*n = strlen(s);
			break;
		}
	return s;
}

struct case_out *
case_out_new(FILE *fp, enum case_fmt fmt, unsigned flags,
	     const struct case_col *cols, size_t ncols)
{
	struct case_out *o = calloc(1, sizeof *o);

	if (o == NULL)
		return NULL;
	o->fp = fp;
	o->fmt = fmt;
	o->flags = flags;
	o->ncols = ncols;
	o->cut = ncols;
	o->cols = calloc(ncols, sizeof *o->cols);
	o->cells = calloc(ncols, sizeof *o->cells);
	o->width = calloc(ncols, sizeof *o->width);
	if (o->cols == NULL || o->cells == NULL || o->width == NULL)
		goto fail;
	memcpy(o->cols, cols, ncols * sizeof *cols);
	if (fmt == CASE_FMT_TEXT && case_words_zh() && !zh_words(o))
		goto fail;
	return o;
fail:
	free(o->cols);
	free(o->cells);
	free(o->width);
	free(o);
	return NULL;
}

void
case_out_fit(struct case_out *o, size_t width)
{
	o->fit = width;
}

static int
grow(char **b, size_t *cap, size_t need)
{
	char *nb;
	size_t nc;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 256;
	while (nc < need)
		nc *= 2;
	if ((nb = realloc(*b, nc)) == NULL)
		return -1;
	*b = nb;
	*cap = nc;
	return 0;
}

static void keep_text_cell(struct case_out *o, const char *s, size_t n,
			   int neutral);

/* A cell a spreadsheet would evaluate as a formula. */
static int
formula_like(const struct case_out *o, enum cellkind kind, const char *s,
	     size_t n)
{
	return (o->flags & CASE_OUT_SPREADSHEET) && kind == CELL_STR &&
	       o->cols[o->cur].type == CASE_COL_TEXT && n > 0 &&
	       strchr("=+-@\t\r", s[0]) != NULL;
}

/* Text cells are kept for alignment as they come; the other formats
 * collect the row's cells and write them when it ends. */
static void
add_cell(struct case_out *o, enum cellkind kind, const char *s, size_t n)
{
	struct cell *c;

	if (o->cur >= o->ncols) {
		o->oom = 1; /* more cells than columns: a caller's bug */
		return;
	}
	if (o->fmt == CASE_FMT_TEXT) {
		if (kind == CELL_NULL)
			keep_text_cell(o, "-", 1, 0);
		else {
			if (o->words != NULL && kind == CELL_STR)
				s = zh_word(o, s, &n);
			keep_text_cell(o, s, n, formula_like(o, kind, s, n));
		}
		o->cur++;
		return;
	}
	if (grow(&o->buf, &o->cap, o->len + n + 1) < 0) {
		o->oom = 1;
		return;
	}
	c = &o->cells[o->cur];
	c->off = o->len;
	c->len = n;
	c->kind = kind;
	c->neutral = formula_like(o, kind, s, n);
	o->cur++;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len++] = '\0';
}

/* xlsx: start the workbook when the first cell or the end comes. */
static int
xlsx_start(struct case_out *o)
{
	if (o->xw != NULL)
		return 0;
	if (o->xfailed)
		return -1;
	o->xw = case_xlsx_new(o->cols, o->ncols,
			      !(o->flags & CASE_OUT_NOHEADER), &o->xerr);
	o->xfailed = o->xw == NULL;
	return o->xfailed ? -1 : 0;
}

/* xlsx: the workbook to put the next cell in, whose column is *col, or
 * NULL when there is none to put it in (the failure is reported when the
 * row ends). */
static struct case_xlsx *
xlsx_cell(struct case_out *o, size_t *col)
{
	if (o->cur >= o->ncols) {
		o->oom = 1; /* more cells than columns: a caller's bug */
		return NULL;
	}
	*col = o->cur++;
	return xlsx_start(o) < 0 ? NULL : o->xw;
}

void
case_out_null(struct case_out *o)
{
	size_t col;

	if (o->fmt == CASE_FMT_XLSX)
		xlsx_cell(o, &col); /* an empty cell is no cell */
	else
		add_cell(o, CELL_NULL, "", 0);
}

/* Where times are local (text and xlsx), the UTC times inside a
 * CASE_COL_STAMPS cell are rewritten as local ones, in the row buffer,
 * which neither format uses while cells come. */
static const char *
local_stamps(struct case_out *o, const char *s, size_t *n)
{
	if (o->cur >= o->ncols || !(o->cols[o->cur].flags & CASE_COL_STAMPS) ||
	    (o->fmt != CASE_FMT_TEXT && o->fmt != CASE_FMT_XLSX))
		return s;
	if (grow(&o->buf, &o->cap, *n + 1) < 0) {
		o->oom = 1;
		return s;
	}
	memcpy(o->buf, s, *n + 1);
	*n = case_time_localise(o->buf);
	return o->buf;
}

void
case_out_text(struct case_out *o, const char *s)
{
	struct case_xlsx *x;
	size_t n, col;

	if (s == NULL) {
		case_out_null(o);
		return;
	}
	n = strlen(s);
	s = local_stamps(o, s, &n);
	if (o->fmt != CASE_FMT_XLSX)
		add_cell(o, CELL_STR, s, n);
	else if ((x = xlsx_cell(o, &col)) != NULL)
		case_xlsx_text(x, col, s);
}

/* Integers are written by hand: ids go out on every row. */
void
case_out_int(struct case_out *o, int64_t v)
{
	char b[24], *p = b + sizeof b;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	struct case_xlsx *x;
	size_t col;

	if (o->fmt == CASE_FMT_XLSX) {
		if ((x = xlsx_cell(o, &col)) != NULL)
			case_xlsx_number(x, col, (double)v);
		return;
	}
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	add_cell(o, CELL_RAW, p, (size_t)(b + sizeof b - p));
}

void
case_out_real(struct case_out *o, double v)
{
	struct case_xlsx *x;
	char b[64];
	size_t col;
	int n;

	if (o->fmt == CASE_FMT_XLSX) {
		if ((x = xlsx_cell(o, &col)) != NULL)
			case_xlsx_number(x, col, v);
		return;
	}
	n = snprintf(b, sizeof b, "%.1f", v);
	add_cell(o, CELL_RAW, b, (size_t)n);
}

void
case_out_time(struct case_out *o, int64_t t)
{
	char b[CASE_TIME_BUF];
	enum case_coltype type =
		o->cur < o->ncols ? o->cols[o->cur].type : CASE_COL_TIME;
	struct case_xlsx *x;
	size_t col;

	if (o->fmt == CASE_FMT_XLSX && type == CASE_COL_TIME) {
		if ((x = xlsx_cell(o, &col)) != NULL)
			case_xlsx_time(x, col, t);
		return;
	}
	if (type == CASE_COL_DUR) {
		if (o->fmt == CASE_FMT_TEXT) {
			case_dur_fmt(t, b);
			add_cell(o, CELL_STR, b, strlen(b));
		} else
			case_out_int(o, t);
		return;
	}
	if (o->fmt == CASE_FMT_TEXT)
		case_time_local(t, b);
	else
		case_time_utc(t, b);
	add_cell(o, CELL_STR, b, strlen(b));
}

/* A coordinate is written as its digits: a JSON number when it is in the
 * canonical form that case_coord_parse writes, and a string otherwise
 * (a value some other program put in the database); text in a workbook,
 * whose numbers are binary. */
void
case_out_dec(struct case_out *o, const char *s)
{
	char coarse[CASE_COORD_MAX];
	struct case_xlsx *x;
	size_t col;

	if (s == NULL) {
		case_out_null(o);
		return;
	}
	if (o->cur < o->ncols && (o->cols[o->cur].flags & CASE_COL_COARSE) &&
	    case_coord_canonical(s)) {
		case_coord_coarse(s, coarse);
		s = coarse;
	}
	if (o->fmt == CASE_FMT_XLSX) {
		if ((x = xlsx_cell(o, &col)) != NULL)
			case_xlsx_text(x, col, s);
		return;
	}
	add_cell(o, case_coord_canonical(s) ? CELL_RAW : CELL_STR, s,
		 strlen(s));
}

void
case_out_stmt(struct case_out *o, struct case_stmt *st)
{
	int i, n = case_col_count(st);

	for (i = 0; i < n && o->cur < o->ncols; i++) {
		enum case_coltype t = o->cols[o->cur].type;

		/* A text that is NULL is a null cell: one call to the engine
		 * for the commonest cell, not two. */
		if (t == CASE_COL_TEXT) {
			case_out_text(o, case_col_text(st, i));
			continue;
		}
		if (case_col_null(st, i))
			case_out_null(o);
		else if (t == CASE_COL_INT)
			case_out_int(o, case_col_int64(st, i));
		else if (t == CASE_COL_REAL)
			case_out_real(o, case_col_double(st, i));
		else if (t == CASE_COL_DEC)
			case_out_dec(o, case_col_text(st, i));
		else
			case_out_time(o, case_col_int64(st, i));
	}
}

static void
put_csv(FILE *fp, const char *s, size_t n, int neutral)
{
	int quote = neutral || strpbrk(s, ",\"\r\n") != NULL;

	if (!quote) {
		fwrite(s, 1, n, fp);
		return;
	}
	putc('"', fp);
	if (neutral)
		putc('\'', fp);
	for (;;) {
		size_t run = strcspn(s, "\"");

		fwrite(s, 1, run, fp);
		s += run;
		if (*s == '\0')
			break;
		fputs("\"\"", fp);
		s++;
	}
	putc('"', fp);
}

/* Runs without a character to escape go out in one write. */
static void
put_tsv(FILE *fp, const char *s, int neutral)
{
	if (neutral)
		putc('\'', fp);
	for (;;) {
		size_t run = strcspn(s, "\t\n\r\\");

		fwrite(s, 1, run, fp);
		s += run;
		switch (*s) {
		case '\0': return;
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		default: fputs("\\\\", fp); break;
		}
		s++;
	}
}

/* A byte that goes into a JSON string as it is. */
static int
json_plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != '"' && c != '\\';
}

static void
json_string(FILE *fp, const char *s, int neutral)
{
	putc('"', fp);
	if (neutral)
		putc('\'', fp);
	while (*s != '\0') {
		const char *run = s;
		unsigned char c;

		while (*s != '\0' && json_plain((unsigned char)*s))
			s++;
		fwrite(run, 1, (size_t)(s - run), fp);
		if ((c = (unsigned char)*s) == '\0')
			break;
		switch (c) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default: fprintf(fp, "\\u%04x", c);
		}
		s++;
	}
	putc('"', fp);
}

void
case_json_string(FILE *fp, const char *s)
{
	json_string(fp, s, 0);
}

/* Before the first byte of CSV or TSV for a spreadsheet: a UTF-8
 * byte-order mark, without which Excel and WPS on a Chinese desktop read
 * the file as GBK. */
static void
begin(struct case_out *o)
{
	if (!o->begun && (o->flags & CASE_OUT_SPREADSHEET) &&
	    (o->fmt == CASE_FMT_CSV || o->fmt == CASE_FMT_TSV))
		fputs("\xef\xbb\xbf", o->fp);
	o->begun = 1;
}

static void
write_header(struct case_out *o)
{
	size_t i;

	o->header_done = 1;
	if (o->flags & CASE_OUT_NOHEADER)
		return;
	if (o->fmt != CASE_FMT_CSV && o->fmt != CASE_FMT_TSV)
		return;
	begin(o);
	for (i = 0; i < o->ncols; i++) {
		if (i > 0)
			putc(o->fmt == CASE_FMT_CSV ? ',' : '\t', o->fp);
		if (o->fmt == CASE_FMT_CSV)
			put_csv(o->fp, o->cols[i].name, strlen(o->cols[i].name), 0);
		else
			put_tsv(o->fp, o->cols[i].name, 0);
	}
	putc('\n', o->fp);
}

static int
grow_widths(struct case_out *o)
{
	struct tcell *nw;
	size_t nc;

	if (o->ntw < o->twcap)
		return 0;
	nc = o->twcap ? o->twcap * 2 : 256;
	if ((nw = realloc(o->tw, nc * sizeof *nw)) == NULL) {
		o->oom = 1;
		return -1;
	}
	o->tw = nw;
	o->twcap = nc;
	return 0;
}

/* Text mode: a cell is copied into tbuf with its control characters
 * escaped, so that it stays on one line, and its width is counted in the
 * same pass. */
static void
keep_text_cell(struct case_out *o, const char *s, size_t n, int neutral)
{
	const char *end = s + n;
	size_t start = o->tlen, w = 0, len;
	struct tcell *t;
	char *d;

	if (n > (UINT32_MAX - 1) / 4 ||
	    grow(&o->tbuf, &o->tcap, o->tlen + n * 4 + 2) < 0 ||
	    grow_widths(o) < 0) {
		o->oom = 1;
		return;
	}
	d = o->tbuf + o->tlen;
	if (neutral) {
		*d++ = '\'';
		w++;
	}
	while (s < end) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f) {
			*d++ = (char)c;
			w++;
			s++;
		} else if (c >= 0x80) {
			w += case_char_width(s, &len);
			if (len == 3) { /* Chinese: not worth a memcpy */
				d[0] = s[0];
				d[1] = s[1];
				d[2] = s[2];
			} else
				memcpy(d, s, len);
			d += len;
			s += len;
		} else {
			const char *e = d;

			if (c == '\n' || c == '\t' || c == '\r') {
				*d++ = '\\';
				*d++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			} else
				d += sprintf(d, "\\x%02x", c);
			w += (size_t)(d - e);
			s++;
		}
	}
	o->tlen = (size_t)(d - o->tbuf);
	o->tbuf[o->tlen] = '\0';
	t = &o->tw[o->ntw++];
	t->len = (uint32_t)(o->tlen - start);
	t->width = (uint32_t)w;
	o->tlen++;
	if (w > o->width[o->cur])
		o->width[o->cur] = w;
}

/* Cell i of the row as a JSON member, after a comma unless first. */
static void
json_member(struct case_out *o, size_t i, int first)
{
	const struct cell *c = &o->cells[i];
	const char *s = o->buf + c->off;

	if (!first)
		putc(',', o->fp);
	json_string(o->fp, o->cols[i].name, 0);
	putc(':', o->fp);
	if (c->kind == CELL_NULL)
		fputs("null", o->fp);
	else if (c->kind == CELL_RAW)
		fputs(s, o->fp);
	else
		json_string(o->fp, s, c->neutral);
}

/* A GeoJSON row: a Point feature, longitude first (RFC 7946, 3.1.1), or
 * one without a place when a coordinate is missing. */
static void
write_feature(struct case_out *o)
{
	const struct cell *lat = NULL, *lon = NULL;
	size_t i;
	int first = 1;

	fputs(o->rows == 0 ? "{\"type\":\"FeatureCollection\",\"features\":[\n"
			   : ",\n",
	      o->fp);
	for (i = 0; i < o->ncols; i++)
		if (o->cols[i].flags & CASE_COL_LAT)
			lat = &o->cells[i];
		else if (o->cols[i].flags & CASE_COL_LON)
			lon = &o->cells[i];
	fputs("{\"type\":\"Feature\",\"geometry\":", o->fp);
	if (lat != NULL && lon != NULL && lat->kind == CELL_RAW &&
	    lon->kind == CELL_RAW)
		fprintf(o->fp, "{\"type\":\"Point\",\"coordinates\":[%s,%s]}",
			o->buf + lon->off, o->buf + lat->off);
	else
		fputs("null", o->fp);
	fputs(",\"properties\":{", o->fp);
	for (i = 0; i < o->ncols; i++)
		if (!(o->cols[i].flags & (CASE_COL_LAT | CASE_COL_LON))) {
			json_member(o, i, first);
			first = 0;
		}
	fputs("}}", o->fp);
}

/* A CSV, TSV, JSON or GeoJSON row goes out as soon as it ends. */
static void
write_row(struct case_out *o)
{
	size_t i;

	begin(o);
	if (o->fmt == CASE_FMT_GEOJSON) {
		write_feature(o);
		return;
	}
	if (o->fmt == CASE_FMT_JSON)
		putc('{', o->fp);
	for (i = 0; i < o->ncols; i++) {
		const struct cell *c = &o->cells[i];
		const char *s = o->buf + c->off;

		if (o->fmt == CASE_FMT_CSV) {
			if (i > 0)
				putc(',', o->fp);
			put_csv(o->fp, s, c->len, c->neutral);
		} else if (o->fmt == CASE_FMT_TSV) {
			if (i > 0)
				putc('\t', o->fp);
			put_tsv(o->fp, s, c->neutral);
		} else
			json_member(o, i, i == 0);
	}
	if (o->fmt == CASE_FMT_JSON)
		putc('}', o->fp);
	putc('\n', o->fp);
}

int
case_out_end_row(struct case_out *o, struct case_err *err)
{
	while (o->cur < o->ncols)
		case_out_null(o);
	if (o->oom) {
		o->cur = 0;
		o->len = 0;
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	}
	if (o->fmt == CASE_FMT_XLSX) {
		o->cur = 0;
		if (xlsx_start(o) < 0) {
			if (err != NULL)
				*err = o->xerr;
			return -1;
		}
		if (case_xlsx_end_row(o->xw, err) < 0)
			return -1;
		o->rows++;
		return 0;
	}
	if (!o->header_done)
		write_header(o);
	if (o->fmt != CASE_FMT_TEXT) /* text cells were kept as they came */
		write_row(o);
	o->rows++;
	o->cur = 0;
	o->len = 0;
	return 0;
}

const char *
case_out_msg(const struct case_out *o, const char *msgid)
{
	return o->fmt == CASE_FMT_TEXT ? _(msgid) : msgid;
}

const char *
case_out_nmsg(const struct case_out *o, const char *msgid,
	      const char *plural, int64_t n)
{
	if (o->fmt == CASE_FMT_TEXT)
		return P_(msgid, plural, n < 0 ? 0 : (unsigned long)n);
	return n == 1 ? msgid : plural;
}

const char *
case_out_word(const struct case_out *o, const char *column,
	      const char *value)
{
	return o->fmt == CASE_FMT_TEXT ? case_col_value(column, value) : value;
}

size_t
case_out_rows(const struct case_out *o)
{
	return o->rows;
}

static int
right_aligned(const struct case_col *c)
{
	return c->type == CASE_COL_INT || c->type == CASE_COL_REAL ||
	       c->type == CASE_COL_DEC;
}

/* Text lines are put together in the row buffer, free by then, and
 * written whole; n spaces when s is NULL. */
static void
line_add(struct case_out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (grow(&o->buf, &o->cap, o->len + n) < 0) {
		o->oom = 1;
		return;
	}
	if (s != NULL)
		memcpy(o->buf + o->len, s, n);
	else
		memset(o->buf + o->len, ' ', n);
	o->len += n;
}

/* The bytes of the cell s (NUL-terminated) that fit in width columns
 * with room for "…" after them, less the spaces they end in; *w is set
 * to their width. */
static size_t
cut_len(const char *s, size_t width, size_t *w)
{
	size_t n = 0, len, cw;

	*w = 0;
	while (s[n] != '\0') {
		cw = case_char_width(s + n, &len);
		if (*w + cw + 1 > width)
			break;
		*w += cw;
		n += len;
	}
	while (n > 0 && s[n - 1] == ' ') { /* "dancing…", not "dancing …" */
		n--;
		(*w)--;
	}
	return n;
}

/* Padding is written only once something follows it, so that no line
 * ends in spaces.  A cell of the column cut to fit that is wider than the
 * column ends in "…". */
static void
write_text_line(struct case_out *o, const char *const *cells,
		const struct tcell *tc)
{
	size_t i, pending = 0;

	for (i = 0; i < o->ncols; i++) {
		size_t w = tc[i].width, len = tc[i].len;
		int cut = i == o->cut && w > o->width[i];

		if (cut) {
			len = cut_len(cells[i], o->width[i], &w);
			w++; /* the "…" */
		}
		if (i > 0)
			pending += 2;
		if (right_aligned(&o->cols[i]))
			pending += o->width[i] - w;
		if (tc[i].len > 0) {
			line_add(o, NULL, pending);
			line_add(o, cells[i], len);
			if (cut)
				line_add(o, "…", strlen("…"));
			pending = 0;
		}
		if (!right_aligned(&o->cols[i]))
			pending += o->width[i] - w;
	}
	line_add(o, "\n", 1);
	if (!o->oom)
		fwrite(o->buf, 1, o->len, o->fp);
	o->len = 0;
}

/* The narrowest the column cut to fit is made, unless its name is
 * wider. */
#define CUT_MIN 4

/*
 * With a width to fit, narrow the last CASE_COL_CUT column by as much as
 * the lines are too wide, keeping at least the width of its name and
 * CUT_MIN columns: when the other columns alone are too wide, the lines
 * still wrap, but the summary is not cut to nothing.
 */
static void
fit_columns(struct case_out *o)
{
	size_t i, total = 0, keep;

	for (i = 0; i < o->ncols; i++) {
		total += o->width[i] + (i > 0 ? 2 : 0);
		if (o->cols[i].flags & CASE_COL_CUT)
			o->cut = i;
	}
	if (o->fit == 0 || o->cut == o->ncols || total <= o->fit)
		return;
	keep = case_text_width(o->cols[o->cut].name);
	if (keep < CUT_MIN)
		keep = CUT_MIN;
	if (o->width[o->cut] <= keep)
		return;
	if (o->width[o->cut] - keep > total - o->fit)
		o->width[o->cut] -= total - o->fit;
	else
		o->width[o->cut] = keep;
}

static void
write_text(struct case_out *o)
{
	const char **line = calloc(o->ncols, sizeof *line);
	struct tcell *head = calloc(o->ncols, sizeof *head);
	size_t i, r, off = 0;

	if (line == NULL || head == NULL) {
		o->oom = 1;
		goto out;
	}
	for (i = 0; i < o->ncols && !(o->flags & CASE_OUT_NOHEADER); i++) {
		line[i] = o->cols[i].name;
		head[i].len = (uint32_t)strlen(line[i]);
		head[i].width = (uint32_t)case_text_width(line[i]);
		if (head[i].width > o->width[i])
			o->width[i] = head[i].width;
	}
	fit_columns(o);
	if (!(o->flags & CASE_OUT_NOHEADER))
		write_text_line(o, line, head);
	for (r = 0; r < o->rows; r++) {
		const struct tcell *tc = o->tw + r * o->ncols;

		for (i = 0; i < o->ncols; i++) {
			line[i] = o->tbuf + off;
			off += tc[i].len + 1;
		}
		write_text_line(o, line, tc);
	}
out:
	free(line);
	free(head);
}

int
case_out_finish(struct case_out *o, struct case_err *err)
{
	int rc = 0;

	if (o == NULL)
		return 0;
	if (o->fmt == CASE_FMT_XLSX) {
		/* Without err the caller has failed: nothing is written. */
		FILE *to = o->oom || err == NULL ? NULL : o->fp;

		if (xlsx_start(o) < 0) {
			if (err != NULL)
				*err = o->xerr;
			rc = -1;
		} else if (case_xlsx_finish(o->xw, to, err) < 0)
			rc = -1;
	} else if (o->fmt == CASE_FMT_TEXT && o->rows > 0 && !o->oom)
		write_text(o);
	else if (o->fmt == CASE_FMT_GEOJSON && !o->oom && err != NULL)
		fputs(o->rows == 0 ? "{\"type\":\"FeatureCollection\","
				     "\"features\":[]}\n"
				   : "\n]}\n",
		      o->fp);
	else if (!o->header_done && o->rows == 0)
		write_header(o);
	if (o->oom)
		rc = case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	if (fflush(o->fp) != 0 || ferror(o->fp))
		rc = case_err_set(err, CASE_E_IO, _("cannot write output: %s"),
				  strerror(errno));
	free(o->cols);
	free(o->cells);
	free(o->width);
	free(o->words);
	free(o->buf);
	free(o->tbuf);
	free(o->tw);
	free(o);
	return rc;
}
