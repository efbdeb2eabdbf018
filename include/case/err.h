/*
 * The single error path of libcase.
 *
 * Every library function that can fail takes a struct case_err, fills it on
 * failure and returns -1.  The library never prints and never exits: the
 * binaries in cmd/ decide how a message reaches the user and which exit
 * status follows.
 */
#ifndef CASE_ERR_H
#define CASE_ERR_H

#include <stddef.h>

enum case_errkind {
	CASE_E_NONE = 0,
	CASE_E_INPUT,    /* bad input: a field, a time, an option value */
	CASE_E_NOTFOUND, /* a case, unit or key that does not exist */
	CASE_E_STATE,    /* an illegal transition for the case's status */
	CASE_E_DB,       /* the database could not be used */
	CASE_E_SCHEMA,   /* the database was written by a newer schema */
	CASE_E_IO,       /* a file could not be read or written */
	CASE_E_NOMEM,    /* out of memory */
	CASE_E_DENIED    /* the login's role on a server does not allow it */
};

#define CASE_ERR_MSG 1024

struct case_err {
	enum case_errkind kind;
	long line; /* the input line the message is about, or 0 */
	char msg[CASE_ERR_MSG];
};

/* Fill err with a formatted message; always returns -1 so that callers can
 * write "return case_err_set(...)". err may be NULL. */
int case_err_set(struct case_err *err, enum case_errkind kind,
		 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the message already in err with a formatted place, such as
 * "line 12: " or "case 7: ".  Returns -1. */
int case_err_prefix(struct case_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset err to "no error". */
void case_err_clear(struct case_err *err);

/* Quote untrusted text for a message: at most 60 characters are shown,
 * control characters and invalid bytes are escaped, and a long text ends
 * with "...".  Writes into buf (size n) and returns buf. */
const char *case_quote(char *buf, size_t n, const char *text);

/* The buffer size that case_quote needs for its longest result. */
#define CASE_QUOTE_MAX 256

#endif
