/*
 * Text helpers: strict UTF-8, display width through the C library's
 * wcwidth() in the C.UTF-8 locale, field checks and suggestions.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "case/text.h"
#include "i18n.h"

/*
 * Strict UTF-8 per RFC 3629: the second byte's range depends on the first,
 * which is what rules out overlong forms and surrogates.
 */
size_t
case_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static uint32_t
utf8_decode(const unsigned char *s, size_t len)
{
	switch (len) {
	case 1:
		return s[0];
	case 2:
		return ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	case 3:
		return ((uint32_t)(s[0] & 0x0f) << 12) |
		       ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	default:
		return ((uint32_t)(s[0] & 0x07) << 18) |
		       ((uint32_t)(s[1] & 0x3f) << 12) |
		       ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	}
}

/* CJK punctuation (U+3000 to U+3029; U+302A on are combining marks), the
 * CJK Unified Ideographs and the fullwidth forms: two columns each. */
int
case_wide_fast(uint32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x3029) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) ||
	       (cp >= 0xff01 && cp <= 0xff60);
}

/*
 * The width tables belong to the C library; this borrows them through the
 * built-in C.UTF-8 locale for the calling thread only, so the program's
 * own locale (usually "C" for predictable output) is left alone.  ASCII
 * and what makes up most of a district's Chinese text are counted without
 * asking (case_wide_fast says which, and the tests hold it to the C
 * library's tables); the locale is switched to only for anything else.
 */
static int
library_width(uint32_t cp)
{
	static locale_t utf8;
	locale_t old;
	int cw;

	if (utf8 == (locale_t)0 &&
	    (utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0)) ==
		    (locale_t)0)
		return 1;
	old = uselocale(utf8);
	cw = wcwidth((wchar_t)cp);
	uselocale(old);
	return cw < 0 ? 1 : cw;
}

size_t
case_char_width(const char *text, size_t *len)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;

	if (*s < 0x80) {
		*len = 1;
		return 1;
	}
	/* Most of a district's text is three bytes long and begins with E3
	 * to EF but not ED, where any continuation bytes make a valid
	 * character: those skip the full check. */
	if (s[0] >= 0xe3 && s[0] <= 0xef && s[0] != 0xed &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80)
		*len = 3;
	else if ((*len = case_utf8_len(s)) == 0) {
		*len = 1;
		return 4; /* shown as \xNN by the writers */
	}
	cp = utf8_decode(s, *len);
	return case_wide_fast(cp) ? 2 : (size_t)library_width(cp);
}

size_t
case_text_width(const char *s)
{
	size_t w = 0, len;

	while (*s != '\0') {
		w += case_char_width(s, &len);
		s += len;
	}
	return w;
}

/* A field named in words is named in the reader's language; an option or a
 * column keeps the name it has.  Only a message needs it: an import checks
 * millions of fields, and a catalog look-up each cost it more than the
 * check itself. */
static const char *
said(const char *name)
{
	return strncmp(name, "the ", 4) == 0 ? _(name) : name;
}

int
case_text_check(const char *name, const char *s, size_t len, size_t max,
		int flags, struct case_err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;

	if (memchr(s, '\0', len) != NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s contains a NUL byte"), said(name));
	if (len > max)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s is %zu bytes long (at most %zu)"),
				    said(name), len, max);
	if ((flags & CASE_TEXT_NONEMPTY) && len == 0)
		return case_err_set(err, CASE_E_INPUT, _("%s is empty"),
				    said(name));
	while (p < end) {
		size_t n;

		/* Most bytes are printable ASCII or begin a character of
		 * three bytes (the Chinese ones) that needs no special
		 * range for its second byte: those pass here at once. */
		if (*p >= 0x20 && *p < 0x7f) {
			p++;
			continue;
		}
		if (*p >= 0xe1 && *p <= 0xef && *p != 0xed && end - p >= 3 &&
		    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			p += 3;
			continue;
		}
		if (*p < 0x80) {
			int brk = *p == '\n' || *p == '\r' || *p == '\t';

			size_t at = (size_t)(p - (const unsigned char *)s) + 1;

			if (brk && (flags & CASE_TEXT_ONELINE))
				return case_err_set(
					err, CASE_E_INPUT,
					_("%s contains control character 0x%02x "
					"at byte %zu (it must be one line)"),
					said(name), *p, at);
			if (!brk)
				return case_err_set(
					err, CASE_E_INPUT,
					_("%s contains control character 0x%02x "
					"at byte %zu"),
					said(name), *p, at);
			p++;
			continue;
		}
		n = case_utf8_len(p);
		if (n == 0 || p + n > end)
			return case_err_set(err, CASE_E_INPUT,
					    _("%s is not valid UTF-8 at byte %zu"),
					    said(name),
					    (size_t)(p - (const unsigned char *)s) + 1);
		p += n;
	}
	return 0;
}

/* The code points of the UTF-8 string s, at most max of them, into cp; a
 * byte that begins no valid character counts as one.  The number, or
 * max + 1 when s is longer. */
static size_t
code_points(const char *s, uint32_t *cp, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, len;

	for (; *p != '\0'; p += len, n++) {
		if (n == max)
			return max + 1;
		len = case_utf8_len(p);
		if (len == 0) {
			cp[n] = *p;
			len = 1;
		} else
			cp[n] = utf8_decode(p, len);
	}
	return n;
}

/* The edit distance of a and b in characters, not bytes, so that one
 * Chinese character off is one edit, as one letter off is. */
static size_t
edit_distance(const char *a, const char *b, size_t *longer)
{
	uint32_t ca[63], cb[63];
	size_t la = code_points(a, ca, 63), lb = code_points(b, cb, 63), i, j;
	size_t row[64];

	*longer = la > lb ? la : lb;
	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (ca[i - 1] != cb[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * A suggestion is offered when the distance is at most a third of the
 * longer word, in characters (and at least one edit is always allowed),
 * which catches transpositions and dropped letters without proposing
 * unrelated codes.
 */
const char *
case_suggest(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, i;

	for (i = 0; i < n; i++) {
		size_t l, d = edit_distance(s, cands[i], &l);
		size_t limit = l / 3 > 1 ? l / 3 : 1;

		if (d <= limit && d < bestd) {
			best = cands[i];
			bestd = d;
		}
	}
	return best;
}

const char *
case_text_join(char *buf, size_t n, const char *const *list, size_t count,
	       const char *last)
{
	size_t o = 0, i;

	buf[0] = '\0';
	for (i = 0; i < count && o < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == count ? last : ", ";

		o += (size_t)snprintf(buf + o, n - o, "%s%s", sep, list[i]);
	}
	return buf;
}

const char *
case_text_alternatives(char *buf, size_t n, const char *const *list)
{
	size_t count = 0;

	while (list[count] != NULL)
		count++;
	return case_text_join(buf, n, list, count, _(" or "));
}

/* The length of the white space character at s, or 0: ASCII space, tab
 * and line breaks, and the ideographic space U+3000 that Chinese input
 * methods type. */
static size_t
space_at(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		return 1;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* The same for the character that ends just before e, not before s. */
static size_t
space_before(const char *s, const char *e)
{
	const unsigned char *p = (const unsigned char *)e;

	if (e > s && (p[-1] == ' ' || (p[-1] >= '\t' && p[-1] <= '\r')))
		return 1;
	if (e - s >= 3 && p[-3] == 0xe3 && p[-2] == 0x80 && p[-1] == 0x80)
		return 3;
	return 0;
}

const char *
case_text_span(const char *s, size_t *len)
{
	const char *e;
	size_t k;

	while ((k = space_at(s)) > 0)
		s += k;
	e = s + strlen(s);
	while ((k = space_before(s, e)) > 0)
		e -= k;
	*len = (size_t)(e - s);
	return s;
}

char *
case_text_trim(char *s)
{
	size_t len;
	char *start = (char *)case_text_span(s, &len);

	start[len] = '\0';
	return start;
}

int
case_text_blank(const char *s)
{
	size_t k;

	while ((k = space_at(s)) > 0)
		s += k;
	return *s == '\0';
}

int
case_text_index(const char *const *list, const char *s)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}
