/*
 * The one id reader.  Every binary that acts on cases takes its ids through
 * here, so every listing of every binary pipes into every other.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/ids.h"
#include "i18n.h"

int
case_id_parse(const char *s, int64_t *id, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *p = s;
	int64_t v = 0;

	if (*p == '\0')
		goto bad;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return case_err_set(err, CASE_E_INPUT,
					    _("case id '%s' is too large"),
					    case_quote(q, sizeof q, s));
		v = v * 10 + (*p - '0');
	}
	if (v == 0)
		goto bad;
	*id = v;
	return 0;
bad:
	return case_err_set(err, CASE_E_INPUT,
			    _("bad case id '%s' (expected a positive whole number)"),
			    case_quote(q, sizeof q, s));
}

void
case_ids_init(struct case_ids *r, FILE *fp)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
}

void
case_ids_free(struct case_ids *r)
{
	free(r->line);
	r->line = NULL;
	r->cap = 0;
}

void
case_idsrc_init(struct case_idsrc *s, char *const *ids, int nids, FILE *in)
{
	s->ids = ids;
	s->nids = nids;
	s->next = 0;
	case_ids_init(&s->in, in);
}

void
case_idsrc_free(struct case_idsrc *s)
{
	case_ids_free(&s->in);
}

int
case_idsrc_next(struct case_idsrc *s, int64_t *id, struct case_err *err)
{
	if (s->nids == 0)
		return case_ids_next(&s->in, id, err);
	if (s->next == s->nids)
		return 0;
	return case_id_parse(s->ids[s->next++], id, err) < 0 ? -1 : 1;
}

int
case_idsrc_all(struct case_idsrc *s,
		void (*on_error)(void *ctx, const char *msg), void *ctx,
		int64_t **ids, size_t *n, long *bad, struct case_err *err)
{
	int64_t *v = NULL, id;
	size_t cap = 0;
	struct case_err e;
	int rc;

	*n = 0;
	*bad = 0;
	while ((rc = case_idsrc_next(s, &id, &e)) != 0) {
		if (rc == -2) {
			*err = e;
			goto fail;
		}
		if (rc == -1) {
			(*bad)++;
			if (on_error != NULL)
				on_error(ctx, e.msg);
			continue;
		}
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			int64_t *nv = realloc(v, nc * sizeof *nv);

			if (nv == NULL) {
				case_err_set(err, CASE_E_NOMEM, _("out of memory"));
				goto fail;
			}
			v = nv;
			cap = nc;
		}
		v[(*n)++] = id;
	}
	*ids = v;
	return 0;
fail:
	free(v);
	*ids = NULL;
	*n = 0;
	return -1;
}

/* The first field of a CSV record, as much of it as an id could need: a
 * longer one is no id, and its message shows only its start. */
struct first_field {
	char s[CASE_QUOTE_MAX];
	size_t n;
	int quoted;
};

static void
keep(struct first_field *f, char c)
{
	if (f->n + 1 < sizeof f->s)
		f->s[f->n++] = c;
}

/* Whether p, before end, ends a line: a newline, or a carriage return
 * before one or at the end of the input. */
static int
at_eol(const char *p, const char *end)
{
	return *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'));
}

/* Read the next physical line into r->line; its length, 0 at the end of
 * the input, or -1 with err set when the stream cannot be read.  The
 * byte-order mark that starts a --spreadsheet listing is passed over. */
static ssize_t
next_line(struct case_ids *r, struct case_err *err)
{
	ssize_t n = getline(&r->line, &r->cap, r->fp);
	int e = errno;

	if (n >= 0) {
		if (++r->lineno == 1 && n >= 3 &&
		    memcmp(r->line, "\xef\xbb\xbf", 3) == 0) {
			memmove(r->line, r->line + 3, (size_t)n - 2);
			n -= 3;
		}
		return n;
	}
	if (!ferror(r->fp))
		return 0;
	clearerr(r->fp);
	return case_err_set(err, CASE_E_IO, _("cannot read ids: %s"),
			    strerror(e));
}

/* Where the first field of a line ends: at a tab, comma, space or the end
 * of the line.  A NUL byte is part of the field (and reported). */
static char *
first_field_end(char *p, const char *end)
{
	while (p < end && (*p == '\0' || strchr("\t, \r\n", *p) == NULL))
		p++;
	return p;
}

enum { AT_START, UNQUOTED, QUOTED, QUOTE_SEEN };

/*
 * Read one CSV record (RFC 4180, as case-open --file reads it) from p in
 * the current line (len bytes long) to its end, through as many lines as
 * its quoted fields span, keeping its first field in f and the first line
 * holding a NUL byte in *nul_line.  Malformed quoting leaves no way to tell where the
 * next record begins, so it stops the reading: -2 with err naming the
 * line.  Returns 0 at the end of the record.
 */
static int
csv_record(struct case_ids *r, const char *p, ssize_t len,
	   struct first_field *f, long *nul_line, struct case_err *err)
{
	const char *end = r->line + len;
	long opened = r->lineno, at;
	size_t field = 0;
	int state = AT_START;

	for (;;) {
		for (; p < end; p++) {
			if (*p == '\0' && *nul_line == 0)
				*nul_line = r->lineno;
			if (state == QUOTED) {
				if (*p == '"')
					state = QUOTE_SEEN;
				else if (field == 0)
					keep(f, *p);
				continue;
			}
			if (state == QUOTE_SEEN && *p == '"') {
				state = QUOTED;
				if (field == 0)
					keep(f, '"');
				continue;
			}
			if (at_eol(p, end))
				return 0;
			if (*p == ',') {
				field++;
				state = AT_START;
				continue;
			}
			if (state == QUOTE_SEEN) {
				case_err_set(err, CASE_E_INPUT,
					     _("malformed CSV: text after a "
					     "closing quote (expected a comma "
					     "or the end of the line)"));
				at = r->lineno;
				goto malformed;
			}
			if (*p == '"' && state == UNQUOTED) {
				case_err_set(err, CASE_E_INPUT,
					     _("malformed CSV: a quote inside an "
					     "unquoted field (a field with a "
					     "quote is quoted whole, and its "
					     "quotes doubled)"));
				at = r->lineno;
				goto malformed;
			}
			if (*p == '"') {
				state = QUOTED;
				opened = r->lineno;
				if (field == 0)
					f->quoted = 1;
				continue;
			}
			state = UNQUOTED;
			if (field == 0)
				keep(f, *p);
		}
		if (state != QUOTED)
			return 0; /* the last line, without a newline */
		if ((len = next_line(r, err)) < 0)
			return -2;
		if (len == 0) {
			at = opened;
			case_err_set(err, CASE_E_INPUT,
				     _("malformed CSV: a quoted field opens "
				     "here and is never closed"));
			goto malformed;
		}
		p = r->line;
		end = p + len;
	}
malformed:
	return case_err_prefix(err, _("line %ld: "), at) - 1;
}

/*
 * A line whose first field ends at a comma, or begins with a quote, is a
 * CSV record, and so is every record after it: its quoted fields are
 * followed across lines, so that no line inside one is ever taken for a
 * record of its own.  Any other line is a record by itself (one id, TSV
 * or the aligned text of a listing), its first field ending at a tab,
 * comma or space.
 */
int
case_ids_next(struct case_ids *r, int64_t *id, struct case_err *err)
{
	ssize_t n;

	while ((n = next_line(r, err)) > 0) {
		const char *end = r->line + n;
		char *f = r->line, *q;
		struct first_field ff;
		long nul_line = 0;
		int first = !r->seen_data;

		r->record_line = r->lineno;
		if (memchr(r->line, '\0', (size_t)n) != NULL)
			nul_line = r->lineno;
		while (f < end && (*f == ' ' || *f == '\t'))
			f++;
		if (nul_line == 0 &&
		    (f == end || *f == '\n' || *f == '\r' || *f == '#'))
			continue;
		r->seen_data = 1;
		q = first_field_end(f, end);
		if (*f == '"' || (q < end && *q == ','))
			r->csv = 1;
		if (r->csv) {
			memset(&ff, 0, sizeof ff);
			nul_line = 0;
			if (csv_record(r, f, n, &ff, &nul_line, err) < 0)
				return -2;
			ff.s[ff.n] = '\0';
			f = ff.s;
			/* Unquoted, the id ends at a space, as on any line. */
			if (!ff.quoted)
				f[strcspn(f, "\t ")] = '\0';
		} else
			*q = '\0';
		if (nul_line != 0) {
			case_err_set(err, CASE_E_INPUT, _("contains a NUL byte"));
			return case_err_prefix(err, _("line %ld: "), nul_line);
		}
		if (first && strcasecmp(f, "id") == 0)
			continue;
		if (case_id_parse(f, id, err) < 0)
			return case_err_prefix(err, _("line %ld: "),
					       r->record_line);
		return 1;
	}
	return n < 0 ? -2 : 0;
}
