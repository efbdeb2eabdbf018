/*
 * Text helpers shared by every module: UTF-8 validation, display width,
 * field checks and "did you mean" suggestions.
 */
#ifndef CASE_TEXT_H
#define CASE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "case/err.h"

/* Length in bytes of the well-formed UTF-8 sequence at s (1-4), or 0 when
 * the bytes at s are not well-formed: overlong forms, surrogates and code
 * points above U+10FFFF are rejected.  s must be NUL-terminated. */
size_t case_utf8_len(const unsigned char *s);

/* Display width of a NUL-terminated UTF-8 string in terminal columns:
 * East Asian wide and fullwidth characters count two, combining marks
 * zero. */
size_t case_text_width(const char *s);
/* The width of the character that text (NUL-terminated) begins with; *len
 * is set to its length in bytes, 1 for a byte that does not begin valid
 * UTF-8 (which counts four columns, as writers show it as \xNN). */
size_t case_char_width(const char *text, size_t *len);
/* Whether code point cp is one that case_text_width knows to be two
 * columns wide without asking the C library. */
int case_wide_fast(uint32_t cp);

/* Flags for case_text_check. */
#define CASE_TEXT_ONELINE 0x1 /* no line breaks or tabs */
#define CASE_TEXT_NONEMPTY 0x2

/* Check that a field value of len bytes is well-formed UTF-8 with no NUL
 * and no control characters other than tab and line breaks (and not those
 * either when CASE_TEXT_ONELINE is set), and at most max bytes long.  The
 * message names the field: a name in words (N_("the summary")) in the
 * reader's language, an option or a column as it is. */
int case_text_check(const char *name, const char *s, size_t len, size_t max,
		    int flags, struct case_err *err);

/* The candidate closest to s by edit distance, or NULL when none is close
 * enough to be a plausible misspelling. */
const char *case_suggest(const char *s, const char *const *cands, size_t n);

/* Format "a, b or c" from a NULL-terminated list into buf. */
const char *case_text_alternatives(char *buf, size_t n,
				   const char *const *list);
/* Format the count strings of list into buf (size n) as "a, b" followed
 * by last and "c": "a, b and c" with last " and ".  Returns buf. */
const char *case_text_join(char *buf, size_t n, const char *const *list,
			   size_t count, const char *last);

/* White space, for trimming, is ASCII space, tab and line breaks, and the
 * ideographic space U+3000. */

/* The part of s without the white space around it: returns where it
 * starts, in s, and sets *len to its length in bytes (it is not
 * NUL-terminated when white space follows it). */
const char *case_text_span(const char *s, size_t *len);
/* Cut the white space around s in place: returns the first character
 * kept, in s, and ends the string after the last. */
char *case_text_trim(char *s);
/* Whether s is empty or white space only. */
int case_text_blank(const char *s);

/* Find s in a NULL-terminated list; returns its index or -1. */
int case_text_index(const char *const *list, const char *s);

#endif
