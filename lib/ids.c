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
					    "case id '%s' is too large",
					    case_quote(q, sizeof q, s));
		v = v * 10 + (*p - '0');
	}
	if (v == 0)
		goto bad;
	*id = v;
	return 0;
bad:
	return case_err_set(err, CASE_E_INPUT,
			    "bad case id '%s' (expected a positive whole number)",
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

/* Whether a CSV record is still inside a quoted field at the end of this
 * line, given whether it was at its start.  Quotes count only where a
 * field begins, as RFC 4180 has it. */
static int
quote_open_after(const char *s, int in_quote)
{
	int field_start = !in_quote;

	for (; *s != '\0'; s++) {
		if (in_quote) {
			if (*s == '"') {
				if (s[1] == '"')
					s++;
				else
					in_quote = 0;
			}
			continue;
		}
		if (*s == '"' && field_start)
			in_quote = 1;
		field_start = *s == ',';
	}
	return in_quote;
}

int
case_ids_next(struct case_ids *r, int64_t *id, struct case_err *err)
{
	ssize_t n;

	while ((n = getline(&r->line, &r->cap, r->fp)) >= 0) {
		char *f = r->line, *end;
		int first = !r->seen_data;

		r->lineno++;
		if (r->in_quote) {
			r->in_quote = quote_open_after(r->line, 1);
			continue;
		}
		if ((size_t)n != strlen(r->line)) {
			r->seen_data = 1;
			case_err_set(err, CASE_E_INPUT, "contains a NUL byte");
			case_err_prefix(err, "line %ld: ", r->lineno);
			return -1;
		}
		while (*f == ' ' || *f == '\t')
			f++;
		if (*f == '\0' || *f == '\n' || *f == '\r' || *f == '#')
			continue;
		r->seen_data = 1;
		end = f + strcspn(f, "\t, \r\n");
		if (first && end - f == 2 && strncasecmp(f, "id", 2) == 0) {
			r->csv = *end == ',';
			continue;
		}
		if (r->csv)
			r->in_quote = quote_open_after(f, 0);
		*end = '\0';
		if (case_id_parse(f, id, err) < 0) {
			case_err_prefix(err, "line %ld: ", r->lineno);
			return -1;
		}
		return 1;
	}
	if (ferror(r->fp)) {
		int e = errno;

		clearerr(r->fp);
		return case_err_set(err, CASE_E_IO, "cannot read ids: %s",
				    strerror(e)) - 1;
	}
	return 0;
}
