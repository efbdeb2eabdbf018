/*
 * case-followup: the loop after dispatch: notes, resolution, return
 * visits, cancelling, and the agenda of visits due.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/i18n.h"

enum {
	OPT_AT = CLI_OPT_FIRST_FREE,
	OPT_EXIT_STATUS,
	OPT_METHOD,
	OPT_OVERDUE,
	OPT_PII,
	OPT_PLACE,
	OPT_SKIP_BAD,
	OPT_UNIT,
	OPT_VISIT_AFTER,
	OPT_WITHIN,
};

static void
usage(FILE *fp)
{
	fputs(_("usage: case-followup note -m text [-Hnq] [-F format] [--skip-bad]"
	      " [id ...]\n"
	      "       case-followup resolve -m text [-Hnq] [-F format]"
	      " [--skip-bad]\n"
	      "                     [--visit-after duration] [id ...]\n"
	      "       case-followup visit -o outcome [-Hnq] [-F format]"
	      " [-m text]\n"
	      "                     [--method method] [--skip-bad] [id ...]\n"
	      "       case-followup schedule --at time [-Hnq] [-F format]"
	      " [--skip-bad] [id ...]\n"
	      "       case-followup cancel -m reason [-Hnq] [-F format]"
	      " [--skip-bad] [id ...]\n"
	      "       case-followup due [-H] [-F format] [--exit-status]"
	      " [--overdue]\n"
	      "                     [--place prefix] [--unit code]"
	      " [--within duration]\n"
	      "       case-followup ics [--pii] [--within duration]\n"
	      "All commands also take --actor name, --db file, -h and -V.\n"),
	      fp);
}

static const struct option longopts[] = {
	{"at", required_argument, NULL, OPT_AT},
	{"dry-run", no_argument, NULL, 'n'},
	{"exit-status", no_argument, NULL, OPT_EXIT_STATUS},
	{"message", required_argument, NULL, 'm'},
	{"method", required_argument, NULL, OPT_METHOD},
	{"outcome", required_argument, NULL, 'o'},
	{"overdue", no_argument, NULL, OPT_OVERDUE},
	{"pii", no_argument, NULL, OPT_PII},
	{"place", required_argument, NULL, OPT_PLACE},
	{"skip-bad", no_argument, NULL, OPT_SKIP_BAD},
	{"unit", required_argument, NULL, OPT_UNIT},
	{"visit-after", required_argument, NULL, OPT_VISIT_AFTER},
	{"within", required_argument, NULL, OPT_WITHIN},
	CLI_COMMON_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* Every option, whether given, and which commands take it. */
enum cmd { NOTE, RESOLVE, VISIT, SCHEDULE, CANCEL, DUE, ICS, NCMDS };

static const char *const cmd_names[] = {"note",	  "resolve", "visit", "schedule",
					"cancel", "due",     "ics",   NULL};

struct opts {
	enum cmd cmd;
	const char *message, *outcome, *method, *at, *visit_after, *within;
	const char *unit, *place;
	int dry_run, skip_bad, overdue, pii, exit_status;
	int64_t at_t, visit_after_s, within_s;
};

/* One option's name, whether it was given, and the commands that take
 * it (a bit per enum cmd). */
struct allowed {
	const char *name;
	int given;
	unsigned cmds;
};

#define ONLY(c) (1u << (c))
#define BATCH (ONLY(NOTE) | ONLY(RESOLVE) | ONLY(VISIT) | ONLY(SCHEDULE) | \
	       ONLY(CANCEL))

static void
check_options(struct cli *c, enum cmd cmd, const struct opts *o)
{
	const struct allowed a[] = {
		{"--message", o->message != NULL,
		 BATCH & ~ONLY(SCHEDULE)},
		{"--outcome", o->outcome != NULL, ONLY(VISIT)},
		{"--method", o->method != NULL, ONLY(VISIT)},
		{"--at", o->at != NULL, ONLY(SCHEDULE)},
		{"--visit-after", o->visit_after != NULL, ONLY(RESOLVE)},
		{"--within", o->within != NULL, ONLY(DUE) | ONLY(ICS)},
		{"--unit", o->unit != NULL, ONLY(DUE)},
		{"--place", o->place != NULL, ONLY(DUE)},
		{"--dry-run", o->dry_run, BATCH},
		{"--skip-bad", o->skip_bad, BATCH},
		{"--overdue", o->overdue, ONLY(DUE)},
		{"--pii", o->pii, ONLY(ICS)},
		{"--exit-status", o->exit_status, ONLY(DUE)},
	};
	struct case_err err;
	size_t i;
	int w;

	for (i = 0; i < sizeof a / sizeof a[0]; i++)
		if (a[i].given && !(a[i].cmds & ONLY(cmd)))
			cli_usage_error(c, _("%s: %s does not go with this "
					   "command"),
					cmd_names[cmd], a[i].name);
	if (cmd == CANCEL && !cli_has_text(o->message))
		cli_usage_error(c, _("cancel: --message is required (the "
				   "reason)"));
	if ((cmd == NOTE || cmd == RESOLVE) && !cli_has_text(o->message))
		cli_usage_error(c, _("%s: --message is required"),
				cmd_names[cmd]);
	if (cmd == VISIT && o->outcome == NULL)
		cli_usage_error(c, _("visit: --outcome is required (satisfied, "
				   "unsatisfied or unreachable)"));
	if (o->outcome != NULL &&
	    case_word_check(N_("outcome"), o->outcome, case_outcomes, &w,
			    &err) < 0)
		cli_usage_error(c, "--outcome: %s", err.msg);
	if (o->method != NULL &&
	    case_word_check(N_("method"), o->method, case_methods, &w,
			    &err) < 0)
		cli_usage_error(c, "--method: %s", err.msg);
	if (cmd == ICS && (c->fmt_given || (c->out_flags & CASE_OUT_NOHEADER)))
		cli_usage_error(c, _("ics: the calendar has one format; --format "
				   "and --no-header do not go with it"));
	if (o->place != NULL) {
		if (case_place_check(o->place, &err) < 0)
			cli_usage_error(c, "--place: %s", err.msg);
	}
	if (cmd == SCHEDULE && o->at == NULL)
		cli_usage_error(c, _("schedule: --at is required"));
	/* Checked here, once, rather than for every case. */
	if (o->message != NULL &&
	    case_message_check("--message", o->message, &err) < 0)
		cli_usage_error(c, "%s", err.msg);
}

static int
step(struct case_db *db, int64_t id, void *arg, struct case_err *err)
{
	const struct opts *o = arg;

	switch (o->cmd) {
	case NOTE:
		return case_note(db, id, o->message, err);
	case RESOLVE:
		return case_resolve(db, id, o->message,
				    o->visit_after ? o->visit_after_s : -1, 0,
				    err);
	case VISIT:
		return case_visit(db, id, o->outcome, o->method, o->message, 0,
				  err);
	case SCHEDULE:
		return case_schedule(db, id, o->at_t, err);
	case CANCEL:
		return case_cancel(db, id, o->message, 0, err);
	default:
		return case_err_set(err, CASE_E_INPUT, _("not a batch command"));
	}
}

static int
batch(struct cli *c, enum cmd cmd, struct opts *o, int argc, char **argv)
{
	struct case_db *db;

	cli_ids_or_pipe(c, argc);
	if (o->at != NULL)
		o->at_t = cli_time(c, NULL, "--at", o->at);
	db = cli_open(c, 0);
	o->cmd = cmd;
	return cli_batch(c, db, step, o, argc, argv, o->skip_bad, o->dry_run);
}

static int
due(struct cli *c, const struct opts *o, int argc)
{
	struct case_agenda a = {o->overdue, o->within_s, o->unit, o->place};
	struct case_err err;
	struct case_db *db;
	struct case_out *out;
	size_t rows;

	if (argc > 0)
		cli_usage_error(c, _("due: takes no case ids"));
	db = cli_open(c, CASE_DB_READONLY);
	if (o->unit != NULL && case_unit_require(db, o->unit, &err) < 0) {
		cli_warn("--unit: %s", err.msg);
		cli_exit(1);
	}
	out = cli_out(c, case_agenda_cols, CASE_AGENDA_NCOLS);
	if (case_agenda_list(db, &a, out, &err) < 0)
		cli_fail(&err);
	rows = case_out_rows(out);
	cli_out_finish(out);
	case_db_close(db);
	return o->exit_status && rows == 0;
}

static int
ics(struct cli *c, const struct opts *o, int argc)
{
	struct case_err err;
	struct case_db *db;

	if (argc > 0)
		cli_usage_error(c, _("ics: takes no case ids"));
	/* Personal data is shown only once its reading is journaled. */
	db = cli_open(c, o->pii ? 0 : CASE_DB_READONLY);
	if (o->pii && case_role_allows(db, CASE_ACT_PII, &err) < 0) {
		cli_warn("--pii: %s", err.msg);
		cli_exit(1);
	}
	if (case_agenda_ics(db, o->within_s, o->pii, stdout, &err) < 0)
		cli_fail(&err);
	case_db_close(db);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct cli c;
	int ch, i;

	memset(&o, 0, sizeof o);
	cli_init(&c, argv, "case-followup", usage);
	while ((ch = getopt_long(argc, argv, "m:no:" CLI_COMMON_SHORT, longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'm': o.message = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 'o': o.outcome = case_text_trim(optarg); break;
		case OPT_AT: o.at = optarg; break;
		case OPT_EXIT_STATUS: o.exit_status = 1; break;
		case OPT_METHOD: o.method = case_text_trim(optarg); break;
		case OPT_OVERDUE: o.overdue = 1; break;
		case OPT_PII: o.pii = 1; break;
		case OPT_PLACE: o.place = case_text_trim(optarg); break;
		case OPT_SKIP_BAD: o.skip_bad = 1; break;
		case OPT_UNIT: o.unit = case_text_trim(optarg); break;
		case OPT_VISIT_AFTER: o.visit_after = optarg; break;
		case OPT_WITHIN: o.within = optarg; break;
		default: cli_common(&c, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		cli_usage_error(&c, _("a command is missing (note, resolve, visit, "
				    "schedule, cancel, due or ics)"));
	for (i = 0; cmd_names[i] != NULL; i++)
		if (strcmp(argv[0], cmd_names[i]) == 0)
			break;
	if (cmd_names[i] == NULL)
		cli_usage_error(&c, _("unknown command '%s' (expected note, "
				    "resolve, visit, schedule, cancel, due "
				    "or ics)"),
				argv[0]);
	check_options(&c, (enum cmd)i, &o);
	if (o.visit_after != NULL)
		o.visit_after_s = cli_dur(&c, "--visit-after", o.visit_after);
	if (o.within != NULL)
		o.within_s = cli_dur(&c, "--within", o.within);
	if (i == DUE)
		cli_exit(due(&c, &o, argc - 1));
	if (i == ICS)
		cli_exit(ics(&c, &o, argc - 1));
	cli_exit(batch(&c, (enum cmd)i, &o, argc - 1, argv + 1));
}
