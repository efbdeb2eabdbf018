/*
 * case-report: the read-only window on the loop: lists, timelines, the
 * journal as a stream, and statistics.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_AFTER = CLI_OPT_FIRST_FREE,
	OPT_BARS,
	OPT_CATEGORY,
	OPT_EVENTS,
	OPT_EXIT_STATUS,
	OPT_LEVEL,
	OPT_OVERDUE,
	OPT_PII,
	OPT_PLACE,
	OPT_SEARCH,
	OPT_SHOW,
	OPT_SINCE,
	OPT_SPREADSHEET,
	OPT_UNTIL,
};

static void
usage(FILE *fp)
{
	fputs("usage: case-report [-Hq] [-F format] [-c figures]"
	      " [-g field[,field]] [--bars]\n"
	      "                   [--spreadsheet] [filters]\n"
	      "       case-report -l [-Hq] [-F format] [-c columns]"
	      " [--exit-status] [--pii]\n"
	      "                   [--spreadsheet] [filters]\n"
	      "       case-report --show [-Hq] [-F format] [--pii] [id ...]\n"
	      "       case-report --events [-Hq] [-F format] [--after id]"
	      " [--exit-status]\n"
	      "                   [--spreadsheet] [filters]\n"
	      "filters: [-k kind] [-p priority] [-s status] [-u unit]"
	      " [--category text]\n"
	      "         [--level n] [--overdue] [--place prefix]"
	      " [--search text]\n"
	      "         [--since time] [--until time]\n"
	      "All forms also take --db file and -h, -V.\n",
	      fp);
}

static const struct option longopts[] = {
	{"after", required_argument, NULL, OPT_AFTER},
	{"bars", no_argument, NULL, OPT_BARS},
	{"category", required_argument, NULL, OPT_CATEGORY},
	{"columns", required_argument, NULL, 'c'},
	{"events", no_argument, NULL, OPT_EVENTS},
	{"exit-status", no_argument, NULL, OPT_EXIT_STATUS},
	{"group", required_argument, NULL, 'g'},
	{"kind", required_argument, NULL, 'k'},
	{"level", required_argument, NULL, OPT_LEVEL},
	{"list", no_argument, NULL, 'l'},
	{"overdue", no_argument, NULL, OPT_OVERDUE},
	{"pii", no_argument, NULL, OPT_PII},
	{"place", required_argument, NULL, OPT_PLACE},
	{"priority", required_argument, NULL, 'p'},
	{"search", required_argument, NULL, OPT_SEARCH},
	{"show", no_argument, NULL, OPT_SHOW},
	{"since", required_argument, NULL, OPT_SINCE},
	{"spreadsheet", no_argument, NULL, OPT_SPREADSHEET},
	{"status", required_argument, NULL, 's'},
	{"unit", required_argument, NULL, 'u'},
	{"until", required_argument, NULL, OPT_UNTIL},
	CLI_COMMON_OPTIONS,
	{NULL, 0, NULL, 0},
};

enum mode { SUMMARY, LIST, SHOW, EVENTS };

struct opts {
	enum mode mode;
	int modes;
	int open311, exit_status, spreadsheet, filtered;
	const char *since, *until, *after, *level;
};

static void
set_mode(struct cli *c, struct opts *o, enum mode m)
{
	if (o->modes++ > 0 && o->mode != m)
		cli_usage_error(c, "--list, --show and --events exclude each "
				   "other");
	o->mode = m;
}

/* Options that belong to one mode only. */
static void
check_modes(struct cli *c, const struct opts *o, const struct case_report *r)
{
	if (r->columns && o->mode != LIST && o->mode != SUMMARY)
		cli_usage_error(c, "--columns goes with --list and the "
				   "statistics, not with --show or --events");
	if (r->columns && r->bars)
		cli_usage_error(c, "--columns does not go with --bars, which "
				   "draws the counts of cases");
	if (o->open311 && o->mode != LIST)
		cli_usage_error(c, "--format open311 goes with --list");
	if (o->spreadsheet && o->mode == SHOW)
		cli_usage_error(c, "--spreadsheet does not go with --show");
	if ((r->group || r->bars) && o->mode != SUMMARY)
		cli_usage_error(c, "--group and --bars go with the summary, "
				   "not with --list, --show or --events");
	/* CASE_FORMAT is only a default: --bars draws in text whatever it
	 * says, and only --format can contradict it. */
	if (r->bars && c->fmt != CASE_FMT_TEXT && c->fmt_given)
		cli_usage_error(c, "--bars draws in text only");
	if (r->bars)
		c->fmt = CASE_FMT_TEXT;
	if (o->after && o->mode != EVENTS)
		cli_usage_error(c, "--after goes with --events");
	if (o->exit_status && o->mode != LIST && o->mode != EVENTS)
		cli_usage_error(c, "--exit-status goes with --list and --events");
	if (o->mode == SHOW && o->filtered)
		cli_usage_error(c, "--show takes case ids, not filters");
	if (r->pii && o->mode != LIST && o->mode != SHOW)
		cli_usage_error(c, "--pii goes with --list and --show; "
				   "statistics never include personal data");
}

static void
parse_filters(struct cli *c, const struct opts *o, struct case_report *r)
{
	if (o->since) {
		r->filter.since = cli_time(c, NULL, "--since", o->since);
		r->filter.has_since = 1;
	}
	if (o->until) {
		r->filter.until = cli_time(c, NULL, "--until", o->until);
		r->filter.has_until = 1;
	}
	if (o->after) {
		char q[CASE_QUOTE_MAX];
		struct case_err err;

		/* An event id, which case ids' reader parses too; 0 is the
		 * start of the journal. */
		if (strcmp(o->after, "0") == 0)
			r->after = 0;
		else if (case_id_parse(o->after, &r->after, &err) < 0)
			cli_usage_error(c, "--after: bad event id '%s' (expected "
					   "0 or a positive whole number)",
					case_quote(q, sizeof q, o->after));
	}
}

static void
show_error(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warn("%s", msg);
}

static int
show(struct case_db *db, const struct case_report *r,
     const struct case_sink *sink, int argc, char **argv)
{
	struct case_idsrc in;
	struct case_err err;
	long bad;
	int rc;

	case_idsrc_init(&in, argv, argc, stdin);
	rc = case_report_show(db, r, &in, sink, show_error, NULL, &bad, &err);
	case_idsrc_free(&in);
	if (rc < 0)
		cli_fail(&err);
	return bad > 0;
}

int
main(int argc, char *argv[])
{
	struct case_report r;
	struct case_sink sink;
	struct case_err err;
	struct case_db *db;
	struct opts o;
	struct cli c;
	size_t rows = 0;
	int ch, rc;

	memset(&r, 0, sizeof r);
	memset(&o, 0, sizeof o);
	r.filter.level = -1;
	cli_init(&c, argv, "case-report", usage);
	while ((ch = getopt_long(argc, argv, "c:g:k:lp:s:u:" CLI_COMMON_SHORT,
				 longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': r.columns = optarg; break;
		case 'g': r.group = optarg; break;
		case 'k': r.filter.kind = optarg; o.filtered = 1; break;
		case 'l': set_mode(&c, &o, LIST); break;
		case 'p': r.filter.priority = optarg; o.filtered = 1; break;
		case 's': r.filter.status = optarg; o.filtered = 1; break;
		case 'u': r.filter.unit = optarg; o.filtered = 1; break;
		case OPT_AFTER: o.after = case_text_trim(optarg); break;
		case OPT_BARS: r.bars = 1; break;
		case OPT_CATEGORY: r.filter.category = optarg; o.filtered = 1; break;
		case OPT_EVENTS: set_mode(&c, &o, EVENTS); break;
		case OPT_EXIT_STATUS: o.exit_status = 1; break;
		case OPT_LEVEL: o.level = optarg; o.filtered = 1; break;
		case OPT_OVERDUE: r.filter.overdue = 1; o.filtered = 1; break;
		case OPT_PII: r.pii = 1; break;
		case OPT_PLACE: r.filter.place = optarg; o.filtered = 1; break;
		case OPT_SEARCH: r.filter.search = optarg; o.filtered = 1; break;
		case OPT_SHOW: set_mode(&c, &o, SHOW); break;
		case OPT_SINCE: o.since = optarg; o.filtered = 1; break;
		case OPT_SPREADSHEET: o.spreadsheet = 1; break;
		case OPT_UNTIL: o.until = optarg; o.filtered = 1; break;
		case 'F':
			if (strcmp(optarg, "open311") == 0) {
				o.open311 = 1;
				c.fmt = CASE_FMT_JSON;
				break;
			}
			/* FALLTHROUGH */
		default: cli_common(&c, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.level != NULL) {
		if (strlen(o.level) != 1 || o.level[0] < '0' || o.level[0] > '3')
			cli_usage_error(&c, "--level: expected 0, 1, 2 or 3");
		r.filter.level = o.level[0] - '0';
	}
	check_modes(&c, &o, &r);
	if (o.mode == SUMMARY) { /* statistics: --columns names figures */
		r.figures = r.columns;
		r.columns = NULL;
	}
	if (argc > 0 && o.mode != SHOW)
		cli_usage_error(&c, "case ids go with --show");
	if (o.mode == SHOW)
		cli_ids_or_pipe(&c, argc);
	if (case_report_check(&r, &err) < 0)
		cli_usage_error(&c, "%s", err.msg);
	if (r.bars)
		r.width = c.width > 0 ? (int)c.width : 80;

	parse_filters(&c, &o, &r);
	/* Personal data is shown only once its reading is journaled, which
	 * needs a database this command may write. */
	db = cli_open(&c, r.pii ? 0 : CASE_DB_READONLY);
	if (r.pii && case_role_allows(db, CASE_ACT_PII, &err) < 0) {
		cli_warn("--pii: %s", err.msg);
		cli_exit(1);
	}
	if (r.filter.unit != NULL &&
	    case_unit_require(db, r.filter.unit, &err) < 0) {
		cli_warn("--unit: %s", err.msg);
		cli_exit(1);
	}
	sink.fp = stdout;
	sink.fmt = c.fmt;
	sink.flags = c.out_flags | (o.spreadsheet ? CASE_OUT_SPREADSHEET : 0);
	sink.width = c.width;
	switch (o.mode) {
	case LIST:
		rc = o.open311 ? case_report_open311(db, &r, stdout, &rows, &err)
			       : case_report_list(db, &r, &sink, &rows, &err);
		break;
	case EVENTS:
		rc = case_report_events(db, &r, &sink, &rows, &err);
		break;
	case SHOW:
		rc = show(db, &r, &sink, argc, argv);
		case_db_close(db);
		cli_exit(rc);
	default:
		rc = case_report_stats(db, &r, &sink, &err);
		rows = 1;
	}
	if (rc < 0)
		cli_fail(&err);
	case_db_close(db);
	cli_exit(o.exit_status && rows == 0);
}
