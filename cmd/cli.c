/*
 * The common front end of the five binaries.
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "lib/i18n.h"

const char *cli_prog = "case";

/* stdout's buffer when it is not a terminal: glibc takes a size for the
 * buffer only along with the buffer itself. */
static char stdout_buf[1 << 16];

/* The first error met writing stdout, and whether it has been reported.
 * glibc drops what it could not write, so a later flush succeeds and
 * errno no longer tells what went wrong; ferror() still does. */
static int out_errno;
static int out_reported;

/* Flush stdout.  Returns -1 when anything written to it was lost, now or
 * before. */
static int
out_flush(void)
{
	if (fflush(stdout) != 0 && out_errno == 0)
		out_errno = errno;
	if (!ferror(stdout))
		return 0;
	if (out_errno == 0)
		out_errno = EIO;
	return -1;
}

/* The width of the terminal that stdout is: COLUMNS when it is a number,
 * else what the terminal says; 0 when stdout is not a terminal, so that
 * output to a pipe or a file is never cut. */
static size_t
terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long n;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (env != NULL && *env != '\0') {
		n = strtol(env, &end, 10);
		if (*end == '\0' && n > 0 && n < 100000)
			return (size_t)n;
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

void
cli_init(struct cli *c, char **argv, const char *prog, void (*usage)(FILE *fp))
{
	const char *env;
	struct case_err err;

	memset(c, 0, sizeof *c);
	/* Messages and text output follow LANG, LC_ALL and LC_MESSAGES;
	 * numbers keep their dot in every locale, so that scripts read
	 * them the same everywhere.  Only the two categories the tools use
	 * are loaded (the character set and the messages): the other ten,
	 * which nothing here reads, took 40 of the 90 microseconds that
	 * setlocale(LC_ALL, "") cost each command under C.UTF-8.
	 * CASE_LOCALEDIR (the tests' build tree) stands for the installed
	 * catalogue. */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	env = getenv("CASE_LOCALEDIR");
	bindtextdomain(CASE_TEXTDOMAIN,
		       env != NULL && *env != '\0' ? env : LOCALEDIR);
	bind_textdomain_codeset(CASE_TEXTDOMAIN, "UTF-8");
	env = getenv("CASE_FORMAT");
	cli_prog = prog;
	argv[0] = (char *)prog;
	c->usage = usage;
	c->fmt = CASE_FMT_TEXT;
	c->width = terminal_width();
	/* Output to a pipe or a file goes out in large writes; a terminal
	 * keeps its line buffering. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
	if (env != NULL && *env != '\0' &&
	    case_fmt_parse(env, &c->fmt, &err) < 0)
		cli_usage_error(c, "CASE_FORMAT: %s", err.msg);
}

void
cli_common(struct cli *c, int opt, char *arg)
{
	struct case_err err;

	switch (opt) {
	case CLI_OPT_DB:
		/* A password in a URI is kept for connecting and blotted out
		 * of the command line that ps shows. */
		if ((c->db = strdup(arg)) == NULL) {
			cli_warn(_("out of memory"));
			exit(1);
		}
		case_db_hide_password(arg);
		return;
	case CLI_OPT_ACTOR:
		c->actor = arg;
		return;
	case 'F':
		if (case_fmt_parse(arg, &c->fmt, &err) < 0)
			cli_usage_error(c, "--format: %s", err.msg);
		c->fmt_given = 1;
		return;
	case 'H':
		c->out_flags |= CASE_OUT_NOHEADER;
		return;
	case 'q':
		c->quiet = 1;
		return;
	case 'h':
		c->usage(stdout);
		cli_exit(0);
	case 'V':
		printf("%s %s\n", cli_prog, CASE_VERSION);
		cli_exit(0);
	}
	/* getopt has said what was wrong with the option. */
	c->usage(stderr);
	exit(2);
}

/* "prog: message" and a newline on standard error.  Standard error is
 * unbuffered: the line goes out in one write, not three, when it fits
 * (an import may note hundreds of thousands). */
static void
vwarn(const char *fmt, va_list ap)
{
	char line[1024];
	va_list again;
	int n, m;

	va_copy(again, ap);
	n = snprintf(line, sizeof line, "%s: ", cli_prog);
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (n > 0 && m >= 0 && (size_t)(n + m) + 1 < sizeof line) {
		line[n + m] = '\n';
		fwrite(line, 1, (size_t)(n + m) + 1, stderr);
	} else {
		fprintf(stderr, "%s: ", cli_prog);
		vfprintf(stderr, fmt, again);
		fputc('\n', stderr);
	}
	va_end(again);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	out_flush();
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
cli_usage_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	c->usage(stderr);
	exit(2);
}

void
cli_fail(const struct case_err *err)
{
	cli_warn("%s", err->msg);
	cli_exit(1);
}

void
cli_fail_in(const char *file, const struct case_err *err)
{
	if (err->line > 0)
		cli_warn("%s:%ld: %s", file, err->line, err->msg);
	else
		cli_warn("%s: %s", file, err->msg);
	cli_exit(1);
}

struct case_db *
cli_open(struct cli *c, int flags)
{
	struct case_db *db;
	struct case_err err;

	/* Checked here, before anything is read or written, because every
	 * command that prints a listing opens the database first. */
	if (c->fmt == CASE_FMT_XLSX && isatty(STDOUT_FILENO))
		cli_usage_error(c, _("an xlsx workbook is not written to a "
				   "terminal; redirect standard output to a "
				   "file"));
	/* A misspelt zone is not an error (the times are still true
	 * instants), but every local time is then UTC: say so, once, where
	 * the command starts its work, so that cron mails it. */
	if (case_time_zone_check(&err) < 0)
		cli_warn("%s", err.msg);
	if (case_db_open(&db, c->db, flags, &err) < 0)
		cli_fail(&err);
	if (c->actor != NULL && case_db_set_actor(db, c->actor, &err) < 0) {
		case_db_close(db);
		/* A server's roles refuse a good name: not a usage error. */
		if (err.kind == CASE_E_DENIED) {
			cli_warn("--actor: %s", err.msg);
			cli_exit(1);
		}
		cli_usage_error(c, "--actor: %s", err.msg);
	}
	return db;
}

static struct case_out *
out_to(struct cli *c, FILE *fp, const struct case_col *cols, size_t n)
{
	struct case_out *o = NULL;

	if (fp == NULL ||
	    (o = case_out_new(fp, c->fmt, c->out_flags, cols, n)) == NULL) {
		cli_warn(_("out of memory"));
		cli_exit(1);
	}
	case_out_fit(o, c->width);
	return o;
}

struct case_out *
cli_out(struct cli *c, const struct case_col *cols, size_t n)
{
	return out_to(c, stdout, cols, n);
}

/* What a command that writes prints is held in memory until
 * cli_before_commit, so that nothing reaches stdout for work that is
 * rolled back (or, on a server, tried again). */
static FILE *held;
static char *held_buf;
static size_t held_len;
static struct case_out *held_out;

struct case_out *
cli_out_held(struct cli *c, const struct case_col *cols, size_t n)
{
	held = open_memstream(&held_buf, &held_len);
	held_out = out_to(c, held, cols, n);
	return held_out;
}

void
cli_out_finish(struct case_out *o)
{
	struct case_err err;

	if (case_out_finish(o, &err) < 0)
		cli_fail(&err);
}

int64_t
cli_time(struct cli *c, struct case_db *db, const char *opt, const char *arg)
{
	struct case_err err;
	int64_t t, now;

	if (db != NULL)
		now = case_db_now(db);
	else if (case_time_now(&now, &err) < 0)
		cli_fail(&err);
	if (case_time_parse(arg, now, &t, &err) < 0)
		cli_usage_error(c, "%s: %s", opt, err.msg);
	return t;
}

int64_t
cli_dur(struct cli *c, const char *opt, const char *arg)
{
	struct case_err err;
	int64_t d;

	if (case_dur_parse(arg, &d, &err) < 0)
		cli_usage_error(c, "%s: %s", opt, err.msg);
	return d;
}

void
cli_exit(int status)
{
	if (out_flush() < 0) {
		if (!out_reported)
			fprintf(stderr, _("%s: cannot write output: %s\n"),
				cli_prog, strerror(out_errno));
		exit(1);
	}
	exit(status);
}

static void
cli_batch_error(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warn("%s", msg);
}

/* Ids go out bare, one per line, in text; in the other formats they are a
 * one-column listing, so that a JSON consumer gets JSON. */
static const struct case_col id_col[] = {{"id", CASE_COL_INT}};
static struct case_out *id_out;

void
cli_ids_begin(struct cli *c)
{
	if (id_out == NULL && c->fmt != CASE_FMT_TEXT)
		id_out = cli_out(c, id_col, 1);
}

void
cli_print_id(void *ctx, int64_t id)
{
	struct cli *c = ctx;
	struct case_err err;

	/* An import prints a million of them: digits written here cost a
	 * third of what printf's formatting did (9.0 million instructions
	 * for 40,000 ids against 26.2, by callgrind). */
	if (c->fmt == CASE_FMT_TEXT) {
		char buf[24], *p = buf + sizeof buf;
		uint64_t v = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;

		*--p = '\n';
		do
			*--p = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		if (id < 0)
			*--p = '-';
		fwrite(p, 1, (size_t)(buf + sizeof buf - p), stdout);
		return;
	}
	cli_ids_begin(c);
	case_out_int(id_out, id);
	if (case_out_end_row(id_out, &err) < 0)
		cli_fail(&err);
}

/* End the listing of ids, if one was begun: -1 only when out of memory,
 * a write error is left to out_flush. */
static int
ids_end(struct case_err *err)
{
	int rc = 0;

	if (id_out != NULL && case_out_finish(id_out, err) < 0) {
		if (!ferror(stdout))
			rc = -1;
		else if (out_errno == 0)
			out_errno = errno; /* the flush that failed */
	}
	id_out = NULL;
	return rc;
}

/* Write out the held listing, if any: -1 only when out of memory. */
static int
held_end(struct case_err *err)
{
	int rc;

	if (held_out == NULL)
		return 0;
	rc = case_out_finish(held_out, err);
	if (fclose(held) != 0 || rc < 0)
		rc = case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	else
		fwrite(held_buf, 1, held_len, stdout);
	held_out = NULL;
	held = NULL;
	free(held_buf);
	held_buf = NULL;
	return rc;
}

int
cli_before_commit(void *ctx, struct case_err *err)
{
	(void)ctx;
	if (ids_end(err) < 0 || held_end(err) < 0)
		return -1;
	if (out_flush() < 0) {
		out_reported = 1;
		return case_err_set(err, CASE_E_IO,
				    _("cannot write output: %s; nothing was "
				    "changed"),
				    strerror(out_errno));
	}
	return 0;
}

void
cli_commit(struct cli *c, struct case_db *db, int dry_run)
{
	struct case_err err;

	if (cli_before_commit(c, &err) < 0 ||
	    (!dry_run && case_db_commit(db, &err) < 0)) {
		case_db_rollback(db);
		case_db_close(db);
		cli_fail(&err);
	}
	case_db_rollback(db);
}

void
cli_ids_or_pipe(struct cli *c, int argc)
{
	if (argc == 0 && isatty(STDIN_FILENO))
		cli_usage_error(c, _("no case ids: give them as operands, or one "
				   "per line on standard input, such as a "
				   "listing piped from case-report"));
}

int
cli_batch(struct cli *c, struct case_db *db, case_batch_fn fn, void *arg,
	  int argc, char **argv, int skip_bad, int dry_run)
{
	struct case_batch b;
	struct case_batch_stats st;
	struct case_err err;
	int rc;

	memset(&b, 0, sizeof b);
	b.ids = argv;
	b.nids = argc;
	b.in = stdin;
	b.fn = fn;
	b.arg = arg;
	b.skip_bad = skip_bad;
	b.dry_run = dry_run;
	b.on_error = cli_batch_error;
	b.on_changed = cli_print_id;
	b.before_commit = cli_before_commit;
	b.ctx = c;
	cli_ids_begin(c);
	rc = case_batch_run(db, &b, &st, &err);
	case_db_close(db);
	/* With no ids at all there was no commit; the listing still ends. */
	if (rc < 0 || cli_before_commit(c, &err) < 0)
		cli_fail(&err);
	if (st.bad > 0)
		cli_warn(P_("%ld of %ld case failed; the others were %s",
			    "%ld of %ld cases failed; the others were %s",
			    (unsigned long)st.seen),
			 st.bad, st.seen, dry_run ? _("checked") : _("applied"));
	if (dry_run && !c->quiet)
		cli_warn(P_("dry run: %ld case would change; nothing written",
			    "dry run: %ld cases would change; nothing written",
			    (unsigned long)st.changed),
			 st.changed);
	return st.bad > 0;
}

int
cli_has_text(const char *s)
{
	return s != NULL && !case_text_blank(s);
}

int
cli_stderr_tty(void)
{
	return isatty(STDERR_FILENO);
}
