/*
 * Translation (issue 16): every user-visible string of the library and
 * the binaries goes through _(), or is marked N_() where it sits in a
 * table and is translated where it is printed.  A message that counts
 * goes through P_(singular, plural, n), so that each language chooses its
 * own form for n (English adds an s, Chinese has one form); NP_() marks
 * such a pair in a table, as two initialisers.  The library uses its own
 * text domain, so that a program that embeds it under another domain
 * still gets these messages; it never calls setlocale(), which is the
 * program's to call (cmd/cli.c does).
 */
#ifndef CASE_I18N_H
#define CASE_I18N_H

#include <libintl.h>

#define CASE_TEXTDOMAIN "case"

#define _(s) dgettext(CASE_TEXTDOMAIN, s)
#define N_(s) s
#define P_(s, p, n) dngettext(CASE_TEXTDOMAIN, s, p, n)
#define NP_(s, p) s, p

#endif
