/*
 * The streaming CSV reader.  libcsv does the parsing; this file feeds it
 * one physical line at a time, which is what lets every record carry the
 * line it started on, and keeps one record's fields in a reusable arena.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "case/csvin.h"
#include "i18n.h"

#define MAX_FIELDS 4096

struct reader {
	const struct case_csv_cb *cb;
	struct case_err *err;
	size_t max_record;

	char *arena; /* the current record's fields, NUL-terminated */
	size_t alen, acap;
	size_t *off, *len;
	char **f;
	size_t n, cap;

	long line;	 /* the physical line being fed */
	long row_line;	 /* the line the current record started on */
	int need_start;	 /* the next non-blank line starts a record */
	size_t fed;	 /* bytes fed since the current record started */
	size_t header_n; /* 0 until the header has been read */
	long records, reported;
	int stop;	 /* a callback failed, or the record is too long */
	int too_many;
};

static void
on_field(void *data, size_t n, void *arg)
{
	struct reader *r = arg;

	if (r->stop)
		return;
	if (r->n == MAX_FIELDS) {
		r->too_many = 1;
		return;
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		size_t *no = realloc(r->off, nc * sizeof *no);
		size_t *nl = no ? realloc(r->len, nc * sizeof *nl) : NULL;

		if (no != NULL)
			r->off = no;
		if (nl == NULL)
			goto oom;
		r->len = nl;
		r->cap = nc;
	}
	if (r->alen + n + 1 > r->acap) {
		size_t nc = r->acap ? r->acap : 4096;
		char *na;

		while (nc < r->alen + n + 1)
			nc *= 2;
		if ((na = realloc(r->arena, nc)) == NULL)
			goto oom;
		r->arena = na;
		r->acap = nc;
	}
	if (n > 0)
		memcpy(r->arena + r->alen, data, n);
	r->arena[r->alen + n] = '\0';
	r->off[r->n] = r->alen;
	r->len[r->n] = n;
	r->alen += n + 1;
	r->n++;
	return;
oom:
	case_err_set(r->err, CASE_E_NOMEM, _("out of memory"));
	r->stop = 1;
}

static void __attribute__((format(printf, 2, 3)))
bad(struct reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->cb->bad != NULL)
		r->cb->bad(r->cb->arg, r->row_line, msg);
}

static void
on_record(int c, void *arg)
{
	struct reader *r = arg;
	struct case_csv_row row;
	char **nf;
	size_t i;

	(void)c;
	if (r->stop)
		return;
	r->need_start = 1;
	r->fed = 0;
	if ((nf = realloc(r->f, (r->n ? r->n : 1) * sizeof *nf)) == NULL) {
		case_err_set(r->err, CASE_E_NOMEM, _("out of memory"));
		r->stop = 1;
		return;
	}
	r->f = nf;
	for (i = 0; i < r->n; i++)
		r->f[i] = r->arena + r->off[i];
	row.n = r->n;
	row.f = r->f;
	row.len = r->len;
	row.line = r->row_line;
	r->n = 0;
	r->alen = 0;

	if (r->too_many) {
		case_err_set(r->err, CASE_E_INPUT, _("more than %d fields"),
			     MAX_FIELDS);
		r->err->line = row.line;
		r->stop = 1;
		return;
	}
	for (i = 0; i < row.n; i++)
		if (memchr(row.f[i], '\0', row.len[i]) != NULL) {
			if (r->header_n == 0) {
				case_err_set(r->err, CASE_E_INPUT,
					     _("the header contains a NUL byte"));
				r->err->line = row.line;
				r->stop = 1;
			} else
				bad(r, _("field %zu contains a NUL byte"), i + 1);
			return;
		}
	if (r->header_n == 0) {
		r->header_n = row.n;
		if (r->cb->header(r->cb->arg, &row, r->err) < 0) {
			r->err->line = row.line;
			r->stop = 1;
		}
		return;
	}
	r->records++;
	if (row.n != r->header_n) {
		bad(r, _("%zu fields, but the header has %zu"), row.n, r->header_n);
		return;
	}
	if (r->cb->row(r->cb->arg, &row, r->err) < 0)
		r->stop = 1;
}

/* RFC 4180: spaces are part of a field.  libcsv would trim them from
 * unquoted fields, and a round trip would lose them. */
static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

/*
 * Say what libcsv stopped at, in our words.  In strict mode it stops at a
 * quote inside a field that does not begin with one, or at anything but
 * a comma or the end of the line after the quote that closes a quoted
 * field; which of the two it was is whether the field was quoted.  The
 * field's number counts the fields of the record read so far.
 */
static void
malformed(struct csv_parser *p, struct reader *r)
{
	size_t field = r->n + 1;

	if (csv_error(p) != CSV_EPARSE)
		case_err_set(r->err, CASE_E_NOMEM, _("out of memory"));
	else if (p->quoted)
		case_err_set(r->err, CASE_E_INPUT,
			     _("field %zu: text after the quote that closes it "
			     "(a quote inside a quoted field is written twice: "
			     "\"say \"\"hi\"\"\")"),
			     field);
	else
		case_err_set(r->err, CASE_E_INPUT,
			     _("field %zu: a stray quote in a field that does "
			     "not begin with one (quote the whole field and "
			     "write the quote twice: \"say \"\"hi\"\"\")"),
			     field);
	r->err->line = r->line;
}

static int
feed(struct csv_parser *p, struct reader *r, const char *s, size_t n)
{
	if (r->need_start && !(n == 1 && s[0] == '\n') &&
	    !(n == 2 && s[0] == '\r' && s[1] == '\n')) {
		r->row_line = r->line;
		r->need_start = 0;
	}
	r->fed += n;
	if (r->fed > r->max_record && !r->stop) {
		r->stop = 1;
		case_err_set(r->err, CASE_E_INPUT,
			     _("a record longer than %zu bytes (a quote left "
			     "open?)"),
			     r->max_record);
		r->err->line = r->row_line;
		return -1;
	}
	if (csv_parse(p, s, n, on_field, on_record, r) != n) {
		malformed(p, r);
		return -1;
	}
	return r->stop ? -1 : 0;
}

int
case_csv_read(FILE *in, size_t max_record, const struct case_csv_cb *cb,
	      struct case_err *err)
{
	struct csv_parser p;
	struct reader r;
	char buf[65536];
	size_t got, carry = 0;
	int rc = -1, first = 1;

	memset(&r, 0, sizeof r);
	r.cb = cb;
	r.err = err;
	r.max_record = max_record;
	r.line = 1;
	r.need_start = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	csv_set_space_func(&p, never_space);
	/* libcsv grows a field's buffer by this much at a time; a small step
	 * makes a megabyte-long field cost a quadratic number of copies. */
	csv_set_blk_size(&p, 256 * 1024);

	while ((got = fread(buf + carry, 1, sizeof buf - carry, in)) > 0 ||
	       carry > 0) {
		size_t len = carry + got, start = 0;
		char *nl;

		if (first && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			start = 3; /* a byte order mark from a spreadsheet */
		first = 0;
		while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
			size_t n = (size_t)(nl - (buf + start)) + 1;

			if (feed(&p, &r, buf + start, n) < 0)
				goto done;
			start += n;
			r.line++;
			if (r.cb->progress != NULL &&
			    r.records - r.reported >= 8192) {
				r.reported = r.records;
				r.cb->progress(r.cb->arg, r.records);
			}
		}
		/* A partial line: keep it for the next read unless the buffer
		 * is full of one long line, which is fed as it is. */
		carry = len - start;
		if (got == 0 || carry == sizeof buf) {
			if (feed(&p, &r, buf + start, carry) < 0)
				goto done;
			carry = 0;
			if (got == 0)
				break;
		} else
			memmove(buf, buf + start, carry);
	}
	if (ferror(in)) {
		case_err_set(err, CASE_E_IO, _("cannot read: %s"), strerror(errno));
		goto done;
	}
	if (csv_fini(&p, on_field, on_record, &r) != 0) {
		case_err_set(err, CASE_E_INPUT,
			     _("field %zu: a quoted field opens here and is "
			     "never closed"),
			     r.n + 1);
		err->line = r.row_line;
		goto done;
	}
	if (r.stop)
		goto done;
	if (r.header_n == 0) {
		case_err_set(err, CASE_E_INPUT, _("no header line (the file is empty)"));
		goto done;
	}
	rc = 0;
done:
	csv_free(&p);
	free(r.arena);
	free(r.off);
	free(r.len);
	free(r.f);
	return rc;
}
