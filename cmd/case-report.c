/*
 * case-report: the read-only window on the loop: lists, timelines, the
 * journal as a stream, and statistics.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/i18n.h"

enum {
	OPT_AFTER = CLI_OPT_FIRST_FREE,
	OPT_BARS,
	OPT_BRIEF,
	OPT_CATEGORY,
	OPT_COARSE,
	OPT_DEPTH,
	OPT_EVENTS,
	OPT_EXIT_STATUS,
	OPT_FIGURE,
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
	fputs(_("usage: case-report [-Hq] [-F format] [-c figures]"
	      " [-g field[,field]] [--bars]\n"
	      "                   [--figure name] [--spreadsheet] [filters]\n"
	      "       case-report --brief [-q] [--depth n] [--pii] [filters]\n"
	      "       case-report -l [-Hq] [-F format] [-c columns]"
	      " [--coarse] [--exit-status]\n"
	      "                   [--pii] [--spreadsheet] [filters]\n"
	      "       case-report --show [-Hq] [-F format] [--pii] [id ...]\n"
	      "       case-report --events [-Hq] [-F format] [--after id]"
	      " [--exit-status]\n"
	      "                   [--spreadsheet] [filters]\n"
	      "filters: [-k kind] [-p priority] [-s status] [-u unit]"
	      " [--category text]\n"
	      "         [--level n] [--overdue] [--place prefix]"
	      " [--search text]\n"
	      "         [--since time] [--until time]\n"
	      "All forms also take --db file and -h, -V.\n"),
	      fp);
}

static const struct option longopts[] = {
	{"after", required_argument, NULL, OPT_AFTER},
	{"bars", no_argument, NULL, OPT_BARS},
	{"brief", no_argument, NULL, OPT_BRIEF},
	{"category", required_argument, NULL, OPT_CATEGORY},
	{"coarse", no_argument, NULL, OPT_COARSE},
	{"columns", required_argument, NULL, 'c'},
	{"depth", required_argument, NULL, OPT_DEPTH},
	{"events", no_argument, NULL, OPT_EVENTS},
	{"exit-status", no_argument, NULL, OPT_EXIT_STATUS},
	{"figure", required_argument, NULL, OPT_FIGURE},
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
	int open311, geojson, exit_status, spreadsheet, filtered;
	int brief, svg;
	const char *since, *until, *after, *level, *depth;
};

static void
set_mode(struct cli *c, struct opts *o, enum mode m)
{
	if (o->modes++ > 0 && o->mode != m)
		cli_usage_error(c, _("--list, --show and --events exclude each "
				   "other"));
	o->mode = m;
}

/* The briefing and the charts: --brief, --depth, --figure and
 * --format svg. */
static void
check_charts(struct cli *c, const struct opts *o, const struct case_report *r)
{
	if (o->brief && o->modes > 0)
		cli_usage_error(c, _("--brief does not go with --list, --show or "
				   "--events"));
	if (o->brief && (r->group || r->bars || r->columns))
		cli_usage_error(c, _("--brief does not go with --group, --bars or "
				   "--columns; it chooses its own"));
	if (o->brief && (c->fmt_given || o->spreadsheet))
		cli_usage_error(c, _("--brief writes an HTML page, and takes no "
				   "--format or --spreadsheet"));
	if (o->depth && !o->brief)
		cli_usage_error(c, _("--depth goes with --brief"));
	if (o->svg && (o->mode != SUMMARY || r->group == NULL))
		cli_usage_error(c, _("--format svg goes with --group, and draws "
				   "the groups as a chart"));
	if (o->svg && r->bars)
		cli_usage_error(c, _("--bars draws in text only"));
	if (o->svg && r->columns)
		cli_usage_error(c, _("--format svg draws one figure: choose it "
				   "with --figure, not --columns"));
	if (r->figure && !(r->bars || o->svg))
		cli_usage_error(c, _("--figure goes with --bars and --format svg"));
	if (r->figure && r->group == NULL)
		cli_usage_error(c, _("--figure goes with --group; without one, "
				   "--bars draws the counts of where the cases "
				   "stand"));
}

/* Options that belong to one mode only. */
static void
check_modes(struct cli *c, const struct opts *o, const struct case_report *r)
{
	if (r->columns && o->mode != LIST && o->mode != SUMMARY)
		cli_usage_error(c, _("--columns goes with --list and the "
				   "statistics, not with --show or --events"));
	if (r->columns && r->bars)
		cli_usage_error(c, _("--columns does not go with --bars, which "
				   "draws one figure; choose it with --figure"));
	if (o->open311 && o->mode != LIST)
		cli_usage_error(c, _("--format open311 goes with --list"));
	if (o->geojson && o->mode != LIST)
		cli_usage_error(c, _("--format geojson goes with --list"));
	if (r->coarse && !o->geojson)
		cli_usage_error(c, _("--coarse goes with --format geojson"));
	if (o->geojson && !r->pii && !r->coarse)
		cli_usage_error(c, _("--format geojson shows where residents are: "
				   "add --pii for exact coordinates, or "
				   "--coarse for ones rounded to about 100 m"));
	if (o->spreadsheet && o->mode == SHOW)
		cli_usage_error(c, _("--spreadsheet does not go with --show"));
	if ((r->group || r->bars) && o->mode != SUMMARY)
		cli_usage_error(c, _("--group and --bars go with the summary, "
				   "not with --list, --show or --events"));
	/* CASE_FORMAT is only a default: --bars draws in text whatever it
	 * says, and only --format can contradict it. */
	if (r->bars && c->fmt != CASE_FMT_TEXT && c->fmt_given)
		cli_usage_error(c, _("--bars draws in text only"));
	if (r->bars)
		c->fmt = CASE_FMT_TEXT;
	if (o->after && o->mode != EVENTS)
		cli_usage_error(c, _("--after goes with --events"));
	if (o->exit_status && o->mode != LIST && o->mode != EVENTS)
		cli_usage_error(c, _("--exit-status goes with --list and --events"));
	if (o->mode == SHOW && o->filtered)
		cli_usage_error(c, _("--show takes case ids, not filters"));
	if (r->pii && o->mode != LIST && o->mode != SHOW && !o->brief)
		cli_usage_error(c, _("--pii goes with --list, --show and --brief; "
				   "statistics never include personal data"));
	check_charts(c, o, r);
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
			cli_usage_error(c, _("--after: bad event id '%s' (expected "
					   "0 or a positive whole number)"),
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
	int64_t placeless = 0;
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
		case OPT_BRIEF: o.brief = 1; break;
		case OPT_DEPTH: o.depth = optarg; break;
		case OPT_FIGURE: r.figure = optarg; break;
		case OPT_CATEGORY: r.filter.category = optarg; o.filtered = 1; break;
		case OPT_COARSE: r.coarse = 1; break;
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
			if (strcmp(optarg, "svg") == 0) {
				o.svg = 1;
				c.fmt = CASE_FMT_TEXT;
				c.fmt_given = 1;
				break;
			}
			if (strcmp(optarg, "geojson") == 0) {
				o.geojson = 1;
				c.fmt = CASE_FMT_GEOJSON;
				c.fmt_given = 1;
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
			cli_usage_error(&c, _("--level: expected 0, 1, 2 or 3"));
		r.filter.level = o.level[0] - '0';
	}
	if (o.depth != NULL) {
		char *end;
		long d = strtol(o.depth, &end, 10);

		if (*o.depth < '1' || *o.depth > '9' || *end != '\0' || d > 32)
			cli_usage_error(&c, _("--depth: expected a number of "
					    "place segments from 1 to 32"));
		r.depth = (int)d;
	}
	check_modes(&c, &o, &r);
	if (o.mode == SUMMARY) { /* statistics: --columns names figures */
		r.figures = r.columns;
		r.columns = NULL;
	}
	if (argc > 0 && o.mode != SHOW)
		cli_usage_error(&c, _("case ids go with --show"));
	if (o.mode == SHOW)
		cli_ids_or_pipe(&c, argc);
	if (case_report_check(&r, &err) < 0)
		cli_usage_error(&c, "%s", err.msg);
	if (r.bars)
		r.width = c.width > 0 ? (int)c.width : 80;

	parse_filters(&c, &o, &r);
	if (o.brief) {
		int64_t now;

		if (case_time_now(&now, &err) < 0)
			cli_fail(&err);
		if (case_brief_period(&r.filter, now, &r.filter.since,
				      &r.filter.until, &err) < 0)
			cli_usage_error(&c, "%s", err.msg);
		r.filter.has_since = r.filter.has_until = 1;
	}
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
		if (o.geojson) {
			rc = case_report_geojson(db, &r, &sink, &rows,
						 &placeless, &err);
			if (rc == 0 && placeless > 0 && !c.quiet)
				cli_warn(placeless == 1
						 ? "%lld case without coordinates "
						   "is left out of the map"
						 : "%lld cases without coordinates "
						   "are left out of the map",
					 (long long)placeless);
		} else if (o.open311)
			rc = case_report_open311(db, &r, stdout, &rows, &err);
		else
			rc = case_report_list(db, &r, &sink, &rows, &err);
		break;
	case EVENTS:
		rc = case_report_events(db, &r, &sink, &rows, &err);
		break;
	case SHOW:
		rc = show(db, &r, &sink, argc, argv);
		case_db_close(db);
		cli_exit(rc);
	default:
		rc = o.brief ? case_report_brief(db, &r, stdout, &err)
		     : o.svg ? case_report_svg(db, &r, stdout, &err)
			     : case_report_stats(db, &r, &sink, &err);
		rows = 1;
	}
	if (rc < 0)
		cli_fail(&err);
	case_db_close(db);
	cli_exit(o.exit_status && rows == 0);
}
