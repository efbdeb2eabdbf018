/*
 * case-assign: dispatch cases to units, route them by place, and escalate
 * the overdue.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/i18n.h"

enum {
	OPT_AUTO = CLI_OPT_FIRST_FREE,
	OPT_DUE,
	OPT_ESCALATE,
	OPT_EXIT_STATUS,
	OPT_SKIP_BAD,
};

static void
usage(FILE *fp)
{
	fputs(_("usage: case-assign [-nq] [-F format] [-H] [-m note] [-r code]"
	      " [-s code] [-u code]\n"
	      "                   [--actor name] [--db file] [--due time]"
	      " [--skip-bad] [id ...]\n"
	      "       case-assign --auto [-nq] [-F format] [-H] [--actor name]"
	      " [--db file]\n"
	      "       case-assign --escalate [-nq] [-F format] [-H]"
	      " [--actor name] [--db file]\n"
	      "                   [--exit-status]\n"),
	      fp);
}

static const struct option longopts[] = {
	{"auto", no_argument, NULL, OPT_AUTO},
	{"dry-run", no_argument, NULL, 'n'},
	{"due", required_argument, NULL, OPT_DUE},
	{"escalate", no_argument, NULL, OPT_ESCALATE},
	{"exit-status", no_argument, NULL, OPT_EXIT_STATUS},
	{"note", required_argument, NULL, 'm'},
	{"release", required_argument, NULL, 'r'},
	{"skip-bad", no_argument, NULL, OPT_SKIP_BAD},
	{"support", required_argument, NULL, 's'},
	{"unit", required_argument, NULL, 'u'},
	CLI_COMMON_OPTIONS,
	{NULL, 0, NULL, 0},
};

/* What to do to each case, in this order. */
struct dispatch {
	const char **release;
	size_t nrelease;
	const char *lead;
	const char **support;
	size_t nsupport;
	const char *due_arg;
	int64_t due;
	const char *note;
};

static int
dispatch_one(struct case_db *db, int64_t id, void *arg, struct case_err *err)
{
	const struct dispatch *d = arg;
	int changed = 0, rc;
	size_t i;

	for (i = 0; i < d->nrelease; i++) {
		if ((rc = case_release(db, id, d->release[i], 0, err)) < 0)
			return -1;
		changed |= rc == 0;
	}
	if (d->lead != NULL) {
		if ((rc = case_set_lead(db, id, d->lead, 0, err)) < 0)
			return -1;
		changed |= rc == 0;
	}
	for (i = 0; i < d->nsupport; i++) {
		if ((rc = case_add_support(db, id, d->support[i], 0, err)) < 0)
			return -1;
		changed |= rc == 0;
	}
	if (d->due_arg != NULL) {
		if ((rc = case_set_due(db, id, d->due, err)) < 0)
			return -1;
		changed |= rc == 0;
	}
	if (d->note != NULL) {
		if (case_note(db, id, d->note, err) < 0)
			return -1;
		changed = 1;
	}
	return changed ? 0 : 1;
}

static void
push(struct cli *c, const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof **v);

	if (nv == NULL)
		cli_usage_error(c, _("out of memory"));
	nv[(*n)++] = s;
	*v = nv;
}

/* Unknown units are refused before any case is touched. */
static void
require_units(struct case_db *db, const struct dispatch *d)
{
	struct case_err err;
	size_t i;

	if (d->lead != NULL && case_unit_require(db, d->lead, &err) < 0)
		cli_warn("--unit: %s", err.msg);
	else {
		for (i = 0; i < d->nsupport; i++)
			if (case_unit_require(db, d->support[i], &err) < 0) {
				cli_warn("--support: %s", err.msg);
				goto fail;
			}
		for (i = 0; i < d->nrelease; i++)
			if (case_unit_require(db, d->release[i], &err) < 0) {
				cli_warn("--release: %s", err.msg);
				goto fail;
			}
		return;
	}
fail:
	case_db_close(db);
	cli_exit(1);
}

static int
dispatch(struct cli *c, struct dispatch *d, int argc, char **argv,
	 int skip_bad, int dry_run)
{
	struct case_db *db;

	cli_ids_or_pipe(c, argc);
	if (d->due_arg != NULL)
		d->due = cli_time(c, NULL, "--due", d->due_arg);
	db = cli_open(c, 0);
	require_units(db, d);
	return cli_batch(c, db, dispatch_one, d, argc, argv, skip_bad, dry_run);
}

static const struct case_col route_cols[] = {
	{"id", CASE_COL_INT},
	{"lead", CASE_COL_TEXT},
	{"place", CASE_COL_TEXT},
};

struct route_ctx {
	struct cli *cli;
	struct case_out *out;
	long routed, left;
};

static void
on_route(void *arg, const struct case_route *r)
{
	struct route_ctx *rc = arg;
	struct case_err err;

	if (r->unit == NULL) {
		char codes[1024];

		rc->left++;
		if (rc->cli->quiet)
			return;
		if (r->ntied > 0)
			cli_warn(_("case %lld: left open: place %s matches %s "
				 "equally"),
				 (long long)r->id, r->place,
				 case_text_join(codes, sizeof codes, r->tied,
						r->ntied, _(" and ")));
		else if (r->place != NULL)
			cli_warn(_("case %lld: left open: no unit covers place "
				   "%s"),
				 (long long)r->id, r->place);
		else
			cli_warn(_("case %lld: left open: no unit covers its "
				   "empty place"),
				 (long long)r->id);
		return;
	}
	rc->routed++;
	case_out_int(rc->out, r->id);
	case_out_text(rc->out, r->unit);
	case_out_text(rc->out, r->place);
	if (case_out_end_row(rc->out, &err) < 0)
		cli_fail(&err);
}

static int
auto_route(struct cli *c, int dry_run)
{
	struct route_ctx rc = {c, NULL, 0, 0};
	struct case_err err;
	struct case_db *db = cli_open(c, 0);

	rc.out = cli_out_held(c, route_cols, 3);
	if (case_db_begin(db, &err) < 0 ||
	    case_auto_route(db, on_route, &rc, &err) < 0) {
		case_db_rollback(db);
		cli_fail(&err);
	}
	cli_commit(c, db, dry_run);
	case_db_close(db);
	if (dry_run && !c->quiet)
		cli_warn(P_("dry run: %ld case would be routed; nothing "
			    "written",
			    "dry run: %ld cases would be routed; nothing "
			    "written",
			    (unsigned long)rc.routed),
			 rc.routed);
	return 0;
}

static const struct case_col rise_cols[] = {
	{"id", CASE_COL_INT},	       {"level", CASE_COL_INT},
	{"supervisor", CASE_COL_TEXT}, {"contact", CASE_COL_TEXT},
	{"lead", CASE_COL_TEXT},       {"due", CASE_COL_TIME},
	{"overdue", CASE_COL_DUR},     {"summary", CASE_COL_TEXT, CASE_COL_CUT},
};

struct rise_ctx {
	struct case_out *out;
	int unsupervised[4];
};

static void
on_rise(void *arg, const struct case_rise *r)
{
	struct rise_ctx *rc = arg;
	struct case_err err;

	if (r->supervisor == NULL)
		rc->unsupervised[r->level] = 1;
	case_out_int(rc->out, r->id);
	case_out_int(rc->out, r->level);
	case_out_text(rc->out, r->supervisor);
	case_out_text(rc->out, r->contact);
	case_out_text(rc->out, r->lead);
	case_out_time(rc->out, r->due_at);
	case_out_time(rc->out, r->overdue);
	case_out_text(rc->out, r->summary);
	if (case_out_end_row(rc->out, &err) < 0)
		cli_fail(&err);
}

static int
escalate(struct cli *c, int dry_run, int exit_status)
{
	struct rise_ctx rc;
	struct case_err err;
	struct case_db *db = cli_open(c, 0);
	size_t rows;
	int l;

	memset(&rc, 0, sizeof rc);
	rc.out = cli_out_held(c, rise_cols, 8);
	if (case_db_begin(db, &err) < 0 ||
	    case_escalate(db, on_rise, &rc, &err) < 0) {
		case_db_rollback(db);
		cli_fail(&err);
	}
	rows = case_out_rows(rc.out);
	cli_commit(c, db, dry_run);
	case_db_close(db);
	if (dry_run && !c->quiet)
		cli_warn(P_("dry run: %zu case would rise; nothing written",
			    "dry run: %zu cases would rise; nothing written",
			    rows),
			 rows);
	for (l = 1; l <= 3 && !c->quiet; l++)
		if (rc.unsupervised[l])
			cli_warn(_("no supervisor for level %d (set one with "
				 "'case-admin supervisor set %d NAME')"),
				 l, l);
	return exit_status && rows == 0;
}

int
main(int argc, char *argv[])
{
	struct dispatch d;
	struct case_err err;
	struct cli c;
	int ch, dry_run = 0, skip_bad = 0, exit_status = 0, mode = 0;

	memset(&d, 0, sizeof d);
	cli_init(&c, argv, "case-assign", usage);
	while ((ch = getopt_long(argc, argv, "m:nr:s:u:" CLI_COMMON_SHORT,
				 longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': d.note = optarg; break;
		case 'n': dry_run = 1; break;
		case 'r':
			push(&c, &d.release, &d.nrelease, case_text_trim(optarg));
			break;
		case 's':
			push(&c, &d.support, &d.nsupport, case_text_trim(optarg));
			break;
		case 'u': d.lead = case_text_trim(optarg); break;
		case OPT_AUTO: mode |= 1; break;
		case OPT_DUE: d.due_arg = optarg; break;
		case OPT_ESCALATE: mode |= 2; break;
		case OPT_EXIT_STATUS: exit_status = 1; break;
		case OPT_SKIP_BAD: skip_bad = 1; break;
		default: cli_common(&c, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (mode == 3)
		cli_usage_error(&c, _("--auto and --escalate exclude each other"));
	if (mode != 0) {
		if (d.lead || d.nsupport || d.nrelease || d.due_arg || d.note ||
		    skip_bad || argc > 0)
			cli_usage_error(&c, _("--%s takes no case ids and no "
					    "dispatch options"),
					mode == 1 ? "auto" : "escalate");
		if (mode == 1 && exit_status)
			cli_usage_error(&c, _("--exit-status goes with --escalate"));
		cli_exit(mode == 1 ? auto_route(&c, dry_run)
				   : escalate(&c, dry_run, exit_status));
	}
	if (exit_status)
		cli_usage_error(&c, _("--exit-status goes with --escalate"));
	if (d.note != NULL && !cli_has_text(d.note))
		cli_usage_error(&c, _("--note is empty"));
	if (case_message_check("--note", d.note, &err) < 0)
		cli_usage_error(&c, "%s", err.msg);
	if (!d.lead && !d.nsupport && !d.nrelease && !d.due_arg && !d.note)
		cli_usage_error(&c, _("nothing to do: give --unit, --support, "
				    "--release, --due or --note"));
	cli_exit(dispatch(&c, &d, argc, argv, skip_bad, dry_run));
}
