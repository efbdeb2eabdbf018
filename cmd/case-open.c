/*
 * case-open: register cases, one from options or many from CSV.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "lib/i18n.h"

enum {
	OPT_REPORTER = CLI_OPT_FIRST_FREE,
	OPT_CONTACT,
	OPT_DUE,
	OPT_AT,
	OPT_LAT,
	OPT_LON,
	OPT_RECODE,
	OPT_SKIP_BAD,
};

/* At most this many --recode options. */
#define MAX_RECODES 256

static void
usage(FILE *fp)
{
	fputs(_("usage: case-open [-nq] [-F format] [-H] [-a address] [-c category]"
	      " [-d description]\n"
	      "                 [-k kind] [-l place] [-p priority] [-r ref]"
	      " [-s source]\n"
	      "                 [--actor name] [--at time] [--contact text]"
	      " [--db file]\n"
	      "                 [--due time] [--lat degrees --lon degrees]"
	      " [--reporter name]\n"
	      "                 summary\n"
	      "       case-open [-nq] [-F format] [-H] [-m map]"
	      " [--recode field:from=to]...\n"
	      "                 [--skip-bad] [field options] -f file | -f -\n"),
	      fp);
}

static const struct option longopts[] = {
	{"address", required_argument, NULL, 'a'},
	{"at", required_argument, NULL, OPT_AT},
	{"category", required_argument, NULL, 'c'},
	{"contact", required_argument, NULL, OPT_CONTACT},
	{"description", required_argument, NULL, 'd'},
	{"dry-run", no_argument, NULL, 'n'},
	{"due", required_argument, NULL, OPT_DUE},
	{"file", required_argument, NULL, 'f'},
	{"kind", required_argument, NULL, 'k'},
	{"lat", required_argument, NULL, OPT_LAT},
	{"lon", required_argument, NULL, OPT_LON},
	{"map", required_argument, NULL, 'm'},
	{"place", required_argument, NULL, 'l'},
	{"priority", required_argument, NULL, 'p'},
	{"recode", required_argument, NULL, OPT_RECODE},
	{"ref", required_argument, NULL, 'r'},
	{"reporter", required_argument, NULL, OPT_REPORTER},
	{"skip-bad", no_argument, NULL, OPT_SKIP_BAD},
	{"source", required_argument, NULL, 's'},
	CLI_COMMON_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* The options that set fields, for messages; the summary is the operand. */
static const char *const option_names[CASE_F_COUNT] = {
	[CASE_F_REF] = "--ref",
	[CASE_F_KIND] = "--kind",
	[CASE_F_CATEGORY] = "--category",
	[CASE_F_SUMMARY] = N_("the summary"),
	[CASE_F_DESCRIPTION] = "--description",
	[CASE_F_PRIORITY] = "--priority",
	[CASE_F_PLACE] = "--place",
	[CASE_F_ADDRESS] = "--address",
	[CASE_F_REPORTER] = "--reporter",
	[CASE_F_CONTACT] = "--contact",
	[CASE_F_SOURCE] = "--source",
	[CASE_F_OPENED_AT] = "--at",
	[CASE_F_DUE_AT] = "--due",
	[CASE_F_LAT] = "--lat",
	[CASE_F_LON] = "--lon",
};

struct import_ctx {
	struct cli *cli;
	const char *name;
	int progress;
	time_t last;
	int out_failed; /* the ids could not be written out */
};

static void
on_error(void *arg, long line, const char *msg)
{
	struct import_ctx *ic = arg;

	if (ic->progress)
		fputs("\r\033[K", stderr);
	cli_warn("%s:%ld: %s", ic->name, line, msg);
}

static void
on_note(void *arg, long line, const char *msg)
{
	struct import_ctx *ic = arg;

	if (ic->progress)
		fputs("\r\033[K", stderr);
	if (line > 0)
		cli_warn("%s:%ld: %s", ic->name, line, msg);
	else
		cli_warn("%s: %s", ic->name, msg);
}

static void
on_progress(void *arg, long rows)
{
	struct import_ctx *ic = arg;
	time_t now = time(NULL);

	if (!ic->progress || now == ic->last)
		return;
	ic->last = now;
	fprintf(stderr, "\r\033[K%s: %s: ", cli_prog, ic->name);
	fprintf(stderr, P_("%ld row", "%ld rows", (unsigned long)rows), rows);
}

/* The values that matched nothing, once every row is read: one line
 * each, with the --recode that would translate it. */
static void
on_unknown(void *arg, const struct case_unknown *u, size_t n, size_t more)
{
	struct import_ctx *ic = arg;
	char q[CASE_QUOTE_MAX];
	size_t i;

	if (ic->progress)
		fputs("\r\033[K", stderr);
	for (i = 0; i < n; i++) {
		case_quote(q, sizeof q, u[i].value);
		if (u[i].units > 1)
			cli_warn(P_("%s: %ld row has lead '%s', which "
				    "names several units (translate it "
				    "with --recode 'lead:%s=CODE')",
				    "%s: %ld rows have lead '%s', which "
				    "names several units (translate it "
				    "with --recode 'lead:%s=CODE')",
				    (unsigned long)u[i].rows),
				 ic->name, u[i].rows, q, q);
		else if (strcmp(u[i].field, "lead") == 0)
			cli_warn(P_("%s: %ld row has lead '%s', which "
				    "names no unit (translate it with "
				    "--recode 'lead:%s=CODE')",
				    "%s: %ld rows have lead '%s', which "
				    "names no unit (translate it with "
				    "--recode 'lead:%s=CODE')",
				    (unsigned long)u[i].rows),
				 ic->name, u[i].rows, q, q);
		else
			cli_warn(P_("%s: %ld row has %s '%s', which "
				    "matches nothing (translate it with "
				    "--recode '%s:%s=...')",
				    "%s: %ld rows have %s '%s', which "
				    "matches nothing (translate it with "
				    "--recode '%s:%s=...')",
				    (unsigned long)u[i].rows),
				 ic->name, u[i].rows, u[i].field, q,
				 u[i].field, q);
	}
	if (more > 0)
		cli_warn(P_("%s: and %zu more value that matches nothing",
			    "%s: and %zu more values that match nothing",
			    more),
			 ic->name, more);
}

/* Ids arrive once every row is in, and are written out before the
 * commit. */
static void
on_id(void *arg, int64_t id)
{
	struct import_ctx *ic = arg;

	cli_print_id(ic->cli, id);
}

static int
before_commit(void *arg, struct case_err *err)
{
	struct import_ctx *ic = arg;

	if (cli_before_commit(ic->cli, err) < 0) {
		ic->out_failed = 1;
		return -1;
	}
	return 0;
}

static int
import(struct cli *c, const char *file, const char *map,
       const char *const *recode, int skip_bad, int dry_run,
       const char *const *defaults)
{
	struct import_ctx ic = {c, NULL, 0, 0, 0};
	struct case_import opt;
	struct case_import_stats st;
	struct case_err err;
	struct case_db *db;
	struct stat sb;
	FILE *in;
	int rc;

	memset(&opt, 0, sizeof opt);
	if (strcmp(file, "-") == 0) {
		in = stdin;
		ic.name = "stdin";
	} else {
		if ((in = fopen(file, "r")) == NULL) {
			cli_warn("%s: %s", file, strerror(errno));
			cli_exit(1);
		}
		ic.name = file;
	}
	if (fstat(fileno(in), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		cli_warn(_("%s: is a folder, not a CSV file"), ic.name);
		cli_exit(1);
	}
	ic.progress = !c->quiet && cli_stderr_tty();
	memcpy(opt.defaults, defaults, sizeof opt.defaults);
	memcpy(opt.names, option_names, sizeof opt.names);
	opt.map = map;
	opt.recode = recode;
	opt.skip_bad = skip_bad;
	opt.dry_run = dry_run;
	opt.on_error = on_error;
	/* Quiet, there are no notes, and the import spends nothing on them
	 * (the duplicate hints above all). */
	opt.on_note = c->quiet ? NULL : on_note;
	opt.on_unknown = on_unknown;
	opt.on_progress = on_progress;
	opt.ctx = &ic;

	opt.on_id = on_id;
	opt.before_commit = before_commit;
	cli_ids_begin(c);
	db = cli_open(c, 0);
	rc = case_import(db, in, &opt, &st, &err);
	if (ic.progress)
		fputs("\r\033[K", stderr);
	if (in != stdin)
		fclose(in);
	case_db_close(db);
	if (rc < 0 && ic.out_failed)
		cli_fail(&err);
	if (rc < 0)
		cli_fail_in(ic.name, &err);
	/* The summary: always for a dry run and for bad rows skipped, and
	 * for a person at a terminal. */
	if (dry_run) {
		if (!c->quiet)
			cli_warn(_("%s: %ld rows checked, %ld would be added, %ld "
				 "already present, %ld bad; nothing written"),
				 ic.name, st.rows, st.added, st.existing,
				 st.bad);
	} else if (st.bad > 0)
		cli_warn(_("%s: %ld added, %ld already present, %ld bad (skipped)"),
			 ic.name, st.added, st.existing, st.bad);
	else if (!c->quiet && cli_stderr_tty())
		cli_warn(_("%s: %ld added, %ld already present, %ld bad"), ic.name,
			 st.added, st.existing, st.bad);
	return st.bad > 0;
}

static int
open_one(struct cli *c, const char *const *v, int dry_run)
{
	struct case_opened res;
	struct case_err err;
	struct case_db *db = cli_open(c, 0);

	if (case_db_begin(db, &err) < 0 || case_open(db, v, &res, &err) < 0) {
		case_db_rollback(db);
		case_db_close(db);
		/* Every field of one case comes from an option or the
		 * summary: bad input here is a usage error. */
		if (err.kind == CASE_E_INPUT)
			cli_usage_error(c, "%s", err.msg);
		cli_fail(&err);
	}
	if (dry_run) {
		case_db_rollback(db);
		case_db_close(db);
		return 0;
	}
	if (res.existed && !c->quiet) {
		size_t len;
		const char *ref = case_text_span(v[CASE_F_REF], &len);

		cli_warn(_("ref %.*s is already case %lld"), (int)len, ref,
			 (long long)res.id);
	}
	if (res.dup_of != 0 && !c->quiet)
		cli_warn(_("case %lld looks like a duplicate of case %lld (%s, "
			 "same place and category, opened within 7 days)"),
			 (long long)res.id, (long long)res.dup_of,
			 res.dup_status);
	cli_print_id(c, res.id);
	cli_commit(c, db, 0);
	case_db_close(db);
	return 0;
}


/* Option values are checked before any file is read or database opened:
 * a bad one is a usage error, reported once, not a failure of every row.
 * Each on its own first, then together (--due before --at; for one case,
 * the summary and kind it needs). */
static void
check_options(struct cli *c, const char *const *v, const char *map,
	      const char *const *recode, int file)
{
	struct case_recode *r;
	struct case_map m;
	struct case_err err;
	int64_t now;
	size_t n;
	int f;

	/* A bad CASE_NOW is the environment's fault, not the options'. */
	if (case_time_now(&now, &err) < 0)
		cli_fail(&err);
	for (f = 0; f < CASE_F_COUNT; f++)
		if (v[f] != NULL && f != CASE_F_SUMMARY &&
		    case_field_check(NULL, f, v[f], &err) < 0)
			cli_usage_error(c, "%s: %s", option_names[f], err.msg);
	if (case_open_check(v, option_names, file ? CASE_CHECK_DEFAULTS : 0,
			    &err) < 0)
		cli_usage_error(c, "%s", err.msg);
	if (map != NULL) {
		if (case_map_parse(map, &m, &err) < 0)
			cli_usage_error(c, "%s", err.msg);
		case_map_free(&m);
	}
	if (case_recodes_parse(recode, &r, &n, &err) < 0)
		cli_usage_error(c, "%s", err.msg);
	case_recodes_free(r, n);
}

int
main(int argc, char *argv[])
{
	const char *v[CASE_F_COUNT] = {NULL};
	const char *file = NULL, *map = NULL, *recode[MAX_RECODES + 1] = {NULL};
	int ch, skip_bad = 0, dry_run = 0, nrecode = 0;
	struct cli c;

	cli_init(&c, argv, "case-open", usage);
	while ((ch = getopt_long(argc, argv,
				 "a:c:d:f:k:l:m:np:r:s:" CLI_COMMON_SHORT,
				 longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': v[CASE_F_ADDRESS] = optarg; break;
		case 'c': v[CASE_F_CATEGORY] = optarg; break;
		case 'd': v[CASE_F_DESCRIPTION] = optarg; break;
		case 'f': file = optarg; break;
		case 'k': v[CASE_F_KIND] = optarg; break;
		case 'l': v[CASE_F_PLACE] = optarg; break;
		case 'm': map = optarg; break;
		case 'n': dry_run = 1; break;
		case 'p': v[CASE_F_PRIORITY] = optarg; break;
		case 'r': v[CASE_F_REF] = optarg; break;
		case 's': v[CASE_F_SOURCE] = optarg; break;
		case OPT_AT: v[CASE_F_OPENED_AT] = optarg; break;
		case OPT_CONTACT: v[CASE_F_CONTACT] = optarg; break;
		case OPT_DUE: v[CASE_F_DUE_AT] = optarg; break;
		case OPT_LAT: v[CASE_F_LAT] = optarg; break;
		case OPT_LON: v[CASE_F_LON] = optarg; break;
		case OPT_RECODE:
			if (nrecode == MAX_RECODES)
				cli_usage_error(&c, _("--recode: at most %d"),
						MAX_RECODES);
			recode[nrecode++] = optarg;
			break;
		case OPT_REPORTER: v[CASE_F_REPORTER] = optarg; break;
		case OPT_SKIP_BAD: skip_bad = 1; break;
		default:
			cli_common(&c, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;

	if (file != NULL) {
		if (argc > 0)
			cli_usage_error(&c, _("a summary operand and --file "
					    "exclude each other"));
		if (v[CASE_F_REF] != NULL)
			cli_usage_error(&c, _("--ref names one case; give refs "
					    "in the file's ref column"));
		check_options(&c, v, map, recode, 1);
		cli_exit(import(&c, file, map, recode, skip_bad, dry_run, v));
	}
	if (map != NULL || skip_bad || nrecode > 0)
		cli_usage_error(&c, _("--map, --recode and --skip-bad go with "
				    "--file"));
	if (argc > 1)
		cli_usage_error(&c, _("expected one summary operand (quote a "
				    "summary of several words)"));
	v[CASE_F_SUMMARY] = argc == 1 ? argv[0] : NULL;
	check_options(&c, v, map, recode, 0);
	cli_exit(open_one(&c, v, dry_run));
}
