/*
 * Translation (issue 16): every user-visible string of the library and
 * the binaries goes through _(), or is marked N_() where it sits in a
 * table and is translated where it is printed.  The library uses its own
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

#endif
