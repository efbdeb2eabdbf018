/*
 * What every binary does the same way: the common options, messages as
 * "prog: message", opening the database, output writers and the exit.
 * This is the only place besides main() that prints.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "case.h"

/* Long-only option values, above any character. */
enum {
	CLI_OPT_DB = 256,
	CLI_OPT_ACTOR,
	CLI_OPT_FIRST_FREE = 300 /* binaries number their own from here */
};

/* The common options, for the end of every binary's option table. */
#define CLI_COMMON_OPTIONS                                             \
	{"db", required_argument, NULL, CLI_OPT_DB},                   \
	{"actor", required_argument, NULL, CLI_OPT_ACTOR},             \
	{"format", required_argument, NULL, 'F'},                      \
	{"no-header", no_argument, NULL, 'H'},                         \
	{"quiet", no_argument, NULL, 'q'},                             \
	{"help", no_argument, NULL, 'h'},                              \
	{"version", no_argument, NULL, 'V'}

/* Their short forms, for the getopt string. */
#define CLI_COMMON_SHORT "F:HqhV"

struct cli {
	const char *db;	   /* --db */
	const char *actor; /* --actor */
	enum case_fmt fmt; /* --format, else CASE_FORMAT, else text */
	int fmt_given;
	unsigned out_flags; /* CASE_OUT_NOHEADER ... */
	size_t width;	    /* stdout's terminal width (COLUMNS first), or 0
			     * when stdout is not a terminal */
	int quiet;
	void (*usage)(FILE *fp);
};

extern const char *cli_prog;

/* Set the program name (also as argv[0], which getopt's messages use) and
 * the defaults; reads CASE_FORMAT, and COLUMNS when stdout is a
 * terminal. */
void cli_init(struct cli *c, char **argv, const char *prog,
	      void (*usage)(FILE *fp));

/* Handle a common option, for the default branch of a binary's option
 * switch.  --help and --version exit 0 here; a bad --format, and any
 * option that is not a common one (getopt's '?'), exit 2. */
void cli_common(struct cli *c, int opt, char *arg);

/* "prog: message" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A usage error: the message, then the usage, on stderr; exit 2. */
void cli_usage_error(struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Print err's message and exit 1 (after flushing what was written). */
void cli_fail(const struct case_err *err) __attribute__((noreturn));

/* The same for an error about a file: "prog: FILE:LINE: message", or
 * "prog: FILE: message" when it is about no line in particular. */
void cli_fail_in(const char *file, const struct case_err *err)
	__attribute__((noreturn));

/* Open the database as the options say (flags: CASE_DB_READONLY); a
 * failure is reported and exits 1.  Applies --actor.  Refuses, first, to
 * write an xlsx workbook to a terminal (a usage error, exit 2), and warns
 * when TZ names no zone. */
struct case_db *cli_open(struct cli *c, int flags);

/* A writer to stdout in the chosen format, fitting text to the terminal;
 * exits 1 when out of memory. */
struct case_out *cli_out(struct cli *c, const struct case_col *cols,
			 size_t n);

/* Finish a writer; a write error is reported and exits 1. */
void cli_out_finish(struct case_out *o);

/*
 * A command that writes prints before it commits, so that exit 1 means
 * nothing changed.  Its listing is held in memory until then
 * (cli_out_held; one at a time) or is a listing of ids (cli_print_id).
 * cli_before_commit ends both, writes them out and flushes stdout: -1,
 * with err saying that nothing was changed, when that fails.  It is the
 * before_commit hook of case_batch and case_import (ctx: the struct cli).
 * cli_commit does the same for a transaction the binary began itself,
 * then commits it (or, with dry_run, rolls it back); a failure of either
 * rolls back, closes db, is reported and exits 1.
 */
struct case_out *cli_out_held(struct cli *c, const struct case_col *cols,
			      size_t n);
int cli_before_commit(void *ctx, struct case_err *err);
void cli_commit(struct cli *c, struct case_db *db, int dry_run);

/* Parse a time or duration option, or exit 2 naming the option. */
int64_t cli_time(struct cli *c, struct case_db *db, const char *opt,
		 const char *arg);
int64_t cli_dur(struct cli *c, const char *opt, const char *arg);

/* Flush stdout, report a write error, and exit with status. */
void cli_exit(int status) __attribute__((noreturn));

/* Begin a listing of case ids, which in CSV and TSV has its header even
 * when no id follows; print an id of it (ctx is the struct cli, whose
 * format applies; the first id begins the listing too).
 * cli_before_commit ends it. */
void cli_ids_begin(struct cli *c);
void cli_print_id(void *ctx, int64_t id);

/* With no id operands, ids come from stdin; when stdin is a terminal,
 * nobody is piping them in, and waiting for them would hang without a
 * word: a usage error (exit 2) that says how ids are given. */
void cli_ids_or_pipe(struct cli *c, int argc);

/* Apply fn to every case id (the operands, or with none the ids on
 * stdin) in one transaction with case_batch_run, report failures, print
 * the ids changed before the commit, and close db.  Returns the exit
 * status: 1 when any id failed (with skip_bad the rest were applied),
 * else 0. */
int cli_batch(struct cli *c, struct case_db *db, case_batch_fn fn, void *arg,
	      int argc, char **argv, int skip_bad, int dry_run);

/* Whether s holds something other than white space. */
int cli_has_text(const char *s);

/* Whether stderr is a terminal (progress is shown only then). */
int cli_stderr_tty(void);

#endif
