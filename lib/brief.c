/*
 * The briefing and the charts of the statistics (see case/brief.h).
 *
 * Every figure comes from the statistics statement that case-report
 * prints (case_report_stats_each), and every list from the report's
 * statement builder (case_report_rows): this file only lays them out.
 * Every word of the page is in the table of labels below, as whole
 * sentences with numbered placeholders, for a translator to reorder.
 * Every text of the data is escaped by case_xml_put.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "case/brief.h"
#include "case/cases.h"
#include "case/db.h"
#include "case/policy.h"
#include "case/text.h"
#include "case/time.h"
#include "case/words.h"
#include "stats.h"
#include "svg.h"
#include "i18n.h"

/* ---- the labels ----------------------------------------------------- */

enum label {
	L_LANG,
	L_TITLE,
	L_PERIOD_DAYS,
	L_PERIOD_TIMES,
	L_MADE,
	L_FILTERS,
	L_ALL_CASES,
	L_EMPTY,
	L_HEADLINE,
	L_H_FIGURE,
	L_H_THIS,
	L_H_PREVIOUS,
	L_H_CHANGE,
	L_TREND_DAY,
	L_TREND_WEEK,
	L_DAY,
	L_WEEK,
	L_CASES,
	L_OPENED,
	L_CLOSED,
	L_PREVIOUS_PERIOD,
	L_THIS_PERIOD,
	L_KINDS,
	L_KINDS_CHART,
	L_DISPUTES,
	L_HAZARDS,
	L_REQUESTS,
	L_CATEGORY,
	L_NO_CATEGORY,
	L_PLACES,
	L_PLACES_NOTE,
	L_PLACES_MORE,
	L_PLACE,
	L_NO_PLACE,
	L_OVERDUE_NOW,
	L_ON_TIME,
	L_UNITS,
	L_UNITS_NOTE,
	L_UNITS_MORE,
	L_UNIT,
	L_NO_UNIT,
	L_MEDIAN,
	L_SATISFIED,
	L_LADDER,
	L_LADDER_NOTE,
	L_LADDER_NONE,
	L_LADDER_MORE,
	L_CASE,
	L_LEVEL,
	L_SUPERVISOR,
	L_LEAD,
	L_DAYS_OVERDUE,
	L_SUMMARY,
	L_UNHAPPY,
	L_UNHAPPY_NOTE,
	L_UNHAPPY_NONE,
	L_UNHAPPY_MORE,
	L_VISIT,
	L_STATUS,
	L_NOTE,
	L_REPORTER,
	L_CONTACT,
	L_CHART_TITLE,
	L_NO_CASES,
	L_NONE,
	L_F_KIND,
	L_F_STATUS,
	L_F_PRIORITY,
	L_F_CATEGORY,
	L_F_UNIT,
	L_F_PLACE,
	L_F_SEARCH,
	L_F_OVERDUE,
	L_F_LEVEL,
	L_F_SINCE,
	L_F_UNTIL,
	L_F_BETWEEN,
	L_F_SEP,
	L_COUNT
};

static const char *const label_text[L_COUNT] = {
	[L_LANG] = "en",
	[L_TITLE] = N_("Case briefing"),
	[L_PERIOD_DAYS] = N_("Cases opened from %1$s to %2$s, beside the "
			    "previous period from %3$s to %4$s."),
	[L_PERIOD_TIMES] = N_("Cases opened from %1$s up to %2$s, beside the "
			     "previous period from %3$s up to %4$s."),
	[L_MADE] = N_("Made at %1$s."),
	[L_FILTERS] = N_("Only these cases: %1$s."),
	[L_ALL_CASES] = N_("All cases"),
	[L_EMPTY] = N_("No cases were opened in this period."),
	[L_HEADLINE] = N_("Headline figures"),
	[L_H_FIGURE] = N_("Figure"),
	[L_H_THIS] = N_("This period"),
	[L_H_PREVIOUS] = N_("Previous period"),
	[L_H_CHANGE] = N_("Change"),
	[L_TREND_DAY] = N_("Cases opened and closed per day"),
	[L_TREND_WEEK] = N_("Cases opened and closed per week"),
	[L_DAY] = N_("Day of opening"),
	[L_WEEK] = N_("Week of opening"),
	[L_CASES] = N_("Cases"),
	[L_OPENED] = N_("Opened"),
	[L_CLOSED] = N_("Closed since"),
	[L_PREVIOUS_PERIOD] = N_("Previous period"),
	[L_THIS_PERIOD] = N_("This period"),
	[L_KINDS] = N_("Kinds and categories"),
	[L_KINDS_CHART] = N_("The ten largest categories, by kind"),
	[L_DISPUTES] = N_("Disputes"),
	[L_HAZARDS] = N_("Hazards"),
	[L_REQUESTS] = N_("Requests"),
	[L_CATEGORY] = N_("Category"),
	[L_NO_CATEGORY] = N_("(no category)"),
	[L_PLACES] = N_("Places"),
	[L_PLACES_NOTE] = N_("By the first %1$d segments of the place, the "
			    "places with the most cases first."),
	[L_PLACES_MORE] = N_("The %1$zu places with the most cases are shown, "
			    "of %2$zu; case-report --group place:%3$d, with "
			    "the same period and filters, lists them all."),
	[L_PLACE] = N_("Place"),
	[L_NO_PLACE] = N_("(no place)"),
	[L_OVERDUE_NOW] = N_("Overdue now"),
	[L_ON_TIME] = N_("On time (%)"),
	[L_UNITS] = N_("Units"),
	[L_UNITS_NOTE] = N_("One row per lead unit, the lowest on-time "
			   "resolution rate first."),
	[L_UNITS_MORE] = N_("The %1$zu units with the lowest on-time rate are "
			   "shown, of %2$zu; case-report --group lead, with "
			   "the same period and filters, lists them all."),
	[L_UNIT] = N_("Lead unit"),
	[L_NO_UNIT] = N_("(no lead unit)"),
	[L_MEDIAN] = N_("Median hours"),
	[L_SATISFIED] = N_("Satisfied (%)"),
	[L_LADDER] = N_("The escalation ladder"),
	[L_LADDER_NOTE] = N_("Every overdue case now at escalation level 2 or "
			    "3, whenever it was opened: the highest level and "
			    "the longest overdue first."),
	[L_LADDER_NONE] = N_("No overdue case is at escalation level 2 or 3."),
	[L_LADDER_MORE] = N_("The first %1$zu of %2$zu cases are shown; "
			    "case-report --list --overdue --level 3, then "
			    "--level 2, lists them all."),
	[L_CASE] = N_("Case"),
	[L_LEVEL] = N_("Level"),
	[L_SUPERVISOR] = N_("Supervisor"),
	[L_LEAD] = N_("Lead unit"),
	[L_DAYS_OVERDUE] = N_("Days overdue"),
	[L_SUMMARY] = N_("Summary"),
	[L_UNHAPPY] = N_("Unhappy residents"),
	[L_UNHAPPY_NOTE] = N_("Cases reopened because a return visit in this "
			     "period found the resident unsatisfied."),
	[L_UNHAPPY_NONE] = N_("No return visit in this period found a resident "
			     "unsatisfied."),
	[L_UNHAPPY_MORE] = N_("The first %1$zu of %2$zu visits are shown; "
			     "case-report --events, with the same period and "
			     "filters, lists them all with the reopenings they "
			     "caused."),
	[L_VISIT] = N_("Visit"),
	[L_STATUS] = N_("Status now"),
	[L_NOTE] = N_("Note of the visit"),
	[L_REPORTER] = N_("Reporter"),
	[L_CONTACT] = N_("Contact"),
	[L_CHART_TITLE] = N_("%1$s, by %2$s"),
	[L_NO_CASES] = N_("No cases."),
	[L_NONE] = N_("-"),
	[L_F_KIND] = N_("kind %1$s"),
	[L_F_STATUS] = N_("status %1$s"),
	[L_F_PRIORITY] = N_("priority %1$s"),
	[L_F_CATEGORY] = N_("category %1$s"),
	[L_F_UNIT] = N_("unit %1$s"),
	[L_F_PLACE] = N_("place %1$s"),
	[L_F_SEARCH] = N_("mentioning \u201c%1$s\u201d"),
	[L_F_OVERDUE] = N_("overdue now"),
	[L_F_LEVEL] = N_("at escalation level %1$d"),
	[L_F_SINCE] = N_("opened from %1$s"),
	[L_F_UNTIL] = N_("opened before %1$s"),
	[L_F_BETWEEN] = N_("opened from %1$s up to %2$s"),
	/* Between two items of the filter line. */
	[L_F_SEP] = N_("; "),
};

/* The figures' names for people, for charts and the headline. */
static const struct {
	const char *name, *label;
} figure_labels[] = {
	{"opened", N_("Cases opened")},
	{"open", N_("Open now")},
	{"overdue", N_("Overdue now")},
	{"resolved", N_("Resolved")},
	{"closed", N_("Closed")},
	{"cancelled", N_("Cancelled")},
	{"on_time_pct", N_("On-time resolution rate (%)")},
	{"median_hours", N_("Median hours to resolve")},
	{"p90_hours", N_("90th percentile of hours to resolve")},
	{"visits_done", N_("Return visits done")},
	{"visits_due", N_("Return visits due")},
	{"satisfied_pct", N_("Satisfaction rate (%)")},
	{"closed_unreachable", N_("Closed with the resident unreachable")},
	{"closed_unvisited", N_("Closed without a return visit")},
	{"reopened", N_("Reopenings")},
	{"level1", N_("Now at escalation level 1")},
	{"level2", N_("Now at escalation level 2")},
	{"level3", N_("Now at escalation level 3")},
};

/* A label in the person's language; the page's lang follows the
 * catalogue's language (lib/words.c). */
static const char *
L(enum label l)
{
	if (l == L_LANG)
		return case_words_zh() ? "zh-CN" : label_text[l];
	return _(label_text[l]);
}

static const char *
figure_label(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof figure_labels / sizeof figure_labels[0]; i++)
		if (strcmp(figure_labels[i].name, name) == 0)
			return _(figure_labels[i].label);
	return name;
}

/* A label with its placeholders filled, into buf. */
static const char *
fill(char *buf, size_t n, enum label l, ...)
{
	va_list ap;

	va_start(ap, l);
	vsnprintf(buf, n, L(l), ap);
	va_end(ap);
	return buf;
}

/* Text of the page, escaped. */
static void
put(FILE *fp, const char *s)
{
	case_xml_put(fp, s, 0, 0);
}

/* Text of the data, escaped and isolated, so that right-to-left text
 * keeps to its cell. */
static void
put_data(FILE *fp, const char *s)
{
	fputs("<bdi>", fp);
	case_xml_put(fp, s, 0, 0);
	fputs("</bdi>", fp);
}

/* An element of the page holding a label. */
static void
tag(FILE *fp, const char *el, const char *attrs, const char *text)
{
	fprintf(fp, "<%s%s%s>", el, attrs ? " " : "", attrs ? attrs : "");
	put(fp, text);
	fprintf(fp, "</%s>\n", el);
}

/* ---- the rows of the statistics --------------------------------------- */

struct grow {
	char *key[2];
	struct case_figval fig[CASE_STATS_MAX];
};

struct rows {
	struct grow *r;
	size_t n, cap;
};

static int
keep_row(void *ctx, const struct case_stats_row *row, struct case_err *err)
{
	struct rows *rs = ctx;
	struct grow *g;
	size_t i;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;

		if ((g = realloc(rs->r, cap * sizeof *g)) == NULL)
			return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		rs->r = g;
		rs->cap = cap;
	}
	g = &rs->r[rs->n];
	memset(g, 0, sizeof *g);
	for (i = 0; i < row->nkeys; i++)
		if (row->key[i] != NULL &&
		    (g->key[i] = strdup(row->key[i])) == NULL)
			return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	memcpy(g->fig, row->fig, sizeof g->fig);
	rs->n++;
	return 0;
}

static void
rows_free(struct rows *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->r[i].key[0]);
		free(rs->r[i].key[1]);
	}
	free(rs->r);
	memset(rs, 0, sizeof *rs);
}

/* The figures each part of the page reads, so that its statement
 * computes no other. */
#define HEADLINE_FIGURES                                                   \
	"opened,resolved,closed,on_time_pct,median_hours,satisfied_pct,"   \
	"overdue,level2,level3"
#define UNIT_FIGURES "opened,on_time_pct,median_hours,satisfied_pct,overdue"

/* The figures (NULL: all) of the statistics of f by group, every row
 * kept. */
static int
rows_of(struct case_db *db, const struct case_filter *f, const char *group,
	const char *figures, struct rows *rs, struct case_err *err)
{
	memset(rs, 0, sizeof *rs);
	if (case_report_stats_each(db, f, group, figures, keep_row, rs,
				   err) < 0) {
		rows_free(rs);
		return -1;
	}
	return 0;
}

/* The numbers of the figures the page reads, found by name so that a
 * new figure in the table moves none of them. */
static struct {
	int opened, resolved, closed, on_time, median, satisfied, overdue,
		level2, level3;
} F;

static void
find_figures(void)
{
	F.opened = case_report_figure("opened");
	F.resolved = case_report_figure("resolved");
	F.closed = case_report_figure("closed");
	F.on_time = case_report_figure("on_time_pct");
	F.median = case_report_figure("median_hours");
	F.satisfied = case_report_figure("satisfied_pct");
	F.overdue = case_report_figure("overdue");
	F.level2 = case_report_figure("level2");
	F.level3 = case_report_figure("level3");
}

/* A figure as case-report prints it: a count, one decimal, or "-". */
static const char *
num(char *buf, size_t n, const struct case_figval *v)
{
	if (v->none)
		snprintf(buf, n, "%s", L(L_NONE));
	else if (v->rate)
		snprintf(buf, n, "%.1f", v->value);
	else
		snprintf(buf, n, "%lld", (long long)v->count);
	return buf;
}

static double
val(const struct case_figval *v)
{
	return v->none ? 0 : v->rate ? v->value : (double)v->count;
}

static int64_t
count(const struct grow *g, int f)
{
	return g->fig[f].none ? 0 : g->fig[f].count;
}

/* Sort keys: NULL after every value. */
static int
key_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

/* The most cases first. */
static int
by_opened(const void *a, const void *b)
{
	const struct grow *x = a, *y = b;
	int64_t d = count(y, F.opened) - count(x, F.opened);

	return d != 0 ? (d > 0 ? 1 : -1) : key_cmp(x->key[0], y->key[0]);
}

/* The lowest on-time rate first, a unit without one last, then the most
 * cases first. */
static int
by_late(const void *a, const void *b)
{
	const struct grow *x = a, *y = b;
	const struct case_figval *u = &x->fig[F.on_time], *v = &y->fig[F.on_time];

	if (u->none != v->none)
		return u->none - v->none;
	if (!u->none && u->value != v->value)
		return u->value > v->value ? 1 : -1;
	return by_opened(a, b);
}

/* ---- the filter in words ---------------------------------------------- */

/* A time as a local date when it is a midnight, else date and time. */
static const char *
when(int64_t t, char *buf)
{
	case_time_local(t, buf);
	if (strcmp(buf + 10, " 00:00") == 0)
		buf[10] = '\0';
	return buf;
}

/* The filter as "kind dispute; place chaoyang", or "All cases"; the
 * opening times too when times is set. */
static const char *
describe(char *buf, size_t n, const struct case_filter *f, int times)
{
	char item[1200], t1[CASE_TIME_BUF], t2[CASE_TIME_BUF], w[256];
	size_t len = 0;

#define ITEM(cond, ...)                                                    \
	do {                                                               \
		if (cond) {                                                \
			fill(item, sizeof item, __VA_ARGS__);              \
			len += (size_t)snprintf(buf + len,                 \
						len < n ? n - len : 0,     \
						"%s%s", len ? L(L_F_SEP) : "", \
						item);                     \
			if (len >= n)                                      \
				len = n - 1;                               \
		}                                                          \
	} while (0)

	buf[0] = '\0';
	/* The enum words as text shows them, in the reader's language. */
	ITEM(f->kind != NULL, L_F_KIND,
	     case_words_show(w, sizeof w, case_kinds, f->kind));
	ITEM(f->status != NULL, L_F_STATUS,
	     case_words_show(w, sizeof w, case_statuses, f->status));
	ITEM(f->priority != NULL, L_F_PRIORITY,
	     case_words_show(w, sizeof w, case_priorities, f->priority));
	ITEM(f->category != NULL, L_F_CATEGORY, f->category);
	ITEM(f->unit != NULL, L_F_UNIT, f->unit);
	ITEM(f->place != NULL, L_F_PLACE, f->place);
	ITEM(f->search != NULL, L_F_SEARCH, f->search);
	ITEM(f->overdue, L_F_OVERDUE);
	ITEM(f->level >= 0, L_F_LEVEL, f->level);
	if (times && f->has_since && f->has_until)
		ITEM(1, L_F_BETWEEN, when(f->since, t1), when(f->until, t2));
	else if (times && f->has_since)
		ITEM(1, L_F_SINCE, when(f->since, t1));
	else if (times && f->has_until)
		ITEM(1, L_F_UNTIL, when(f->until, t1));
#undef ITEM
	if (len == 0)
		snprintf(buf, n, "%s", L(L_ALL_CASES));
	return buf;
}

/* ---- the period ------------------------------------------------------- */

/* The local midnight days before the local midnight t. */
static int64_t
days_before(int64_t t, int days)
{
	int64_t u = t - (int64_t)days * 86400;
	long a, b;

	if (case_time_offset(t, &a) == 0 && case_time_offset(u, &b) == 0)
		u += a - b;
	return u;
}

int
case_brief_period(const struct case_filter *f, int64_t now, int64_t *since,
		  int64_t *until, struct case_err *err)
{
	char t1[CASE_TIME_BUF], t2[CASE_TIME_BUF];

	if (f->has_until)
		*until = f->until;
	else if (case_time_parse("today", now, until, err) < 0)
		return -1;
	*since = f->has_since ? f->since : days_before(*until, 7);
	if (*since >= *until)
		return case_err_set(err, CASE_E_INPUT,
				    _("--brief: the period from %s to %s is "
				    "empty (expected --since before --until, "
				    "and before today when --until is not "
				    "given)"),
				    case_time_local(*since, t1),
				    case_time_local(*until, t2));
	return 0;
}

/* ---- the page's parts ------------------------------------------------- */

static const char style[] =
	"@page { size: A4 portrait; margin: 14mm 15mm; }\n"
	"html { font-family: 'Noto Sans CJK SC', 'Noto Sans', 'DejaVu Sans',"
	" sans-serif; font-size: 10pt; color: #222; background: #fff;"
	" -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"body { max-width: 180mm; margin: 0 auto; padding: 4mm; }\n"
	"@media print { body { max-width: none; padding: 0; } }\n"
	"h1 { font-size: 18pt; margin: 0 0 2mm; }\n"
	"h2 { font-size: 13pt; margin: 5mm 0 1.5mm; padding-bottom: 1mm;"
	" border-bottom: 1pt solid #888; break-after: avoid; }\n"
	"p { margin: 1mm 0; }\n"
	".note { color: #555; font-size: 9pt; }\n"
	".empty { font-style: italic; }\n"
	"figure { margin: 3mm 0; }\n"
	"figure, svg, tr, .headline { break-inside: avoid; }\n"
	"section.page { break-before: page; }\n"
	"svg.chart { display: block; width: 100%; height: auto; }\n"
	"table { border-collapse: collapse; width: 100%; margin: 2mm 0; }\n"
	"thead { display: table-header-group; }\n"
	"th, td { padding: 0.8mm 1.5mm; border-bottom: 0.5pt solid #bbb;"
	" text-align: left; vertical-align: top; }\n"
	"th { font-size: 9pt; border-bottom: 1pt solid #555; }\n"
	".n { text-align: right; white-space: nowrap;"
	" font-variant-numeric: tabular-nums; }\n"
	".text { overflow-wrap: anywhere; word-break: break-word; }\n"
	".meter { display: block; width: 22mm; height: 2.5mm;"
	" margin: 0.5mm 0 0 auto; background: #e3e3e3; }\n"
	".fill { display: block; height: 100%; background: #1b3a6b; }\n"
	"td.name { width: 40%; }\n";

static void
cell_num(FILE *fp, const struct case_figval *v)
{
	char b[32];

	fprintf(fp, "<td class=\"n\">%s</td>", num(b, sizeof b, v));
}

/* A figure with a bar under it, as long as the figure is to max. */
static void
cell_bar(FILE *fp, const struct case_figval *v, double max)
{
	char b[32];

	fprintf(fp, "<td class=\"n\">%s<span class=\"meter\"><span "
		    "class=\"fill\" style=\"width:%.1f%%\"></span></span></td>",
		num(b, sizeof b, v), max > 0 ? val(v) / max * 100 : 0);
}

static void
table_head(FILE *fp, const enum label *cols, size_t n, unsigned numeric)
{
	size_t i;

	fputs("<table>\n<thead><tr>", fp);
	for (i = 0; i < n; i++) {
		fputs(numeric & (1u << i) ? "<th class=\"n\">" : "<th>", fp);
		put(fp, L(cols[i]));
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
}

/* A row of a group's table, its key (empty for none) in data-key, and
 * the cell of its name opened. */
static void
row_open(FILE *fp, const char *class, const char *key)
{
	fprintf(fp, "<tr class=\"%s\" data-key=\"", class);
	put(fp, key ? key : "");
	fputs("\"><td class=\"text name\">", fp);
}

/* The headline figures of this period beside the previous one. */
static void
headline(FILE *fp, const struct grow *now, const struct grow *before)
{
	static const enum label cols[] = {L_H_FIGURE, L_H_THIS, L_H_PREVIOUS,
					  L_H_CHANGE};
	const char *p = HEADLINE_FIGURES;
	char a[32], b[32], name[32];
	size_t len;

	tag(fp, "h2", NULL, L(L_HEADLINE));
	fputs("<div class=\"headline\">\n", fp);
	table_head(fp, cols, 4, 0xe);
	for (; *p != '\0'; p += len + (p[len] == ',')) {
		const struct case_figval *u, *v;
		int f;

		len = strcspn(p, ",");
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		f = case_report_figure(name);
		u = &now->fig[f];
		v = &before->fig[f];
		fprintf(fp, "<tr class=\"figure\" id=\"%s\"><td>", name);
		put(fp, figure_label(name));
		fputs("</td>", fp);
		cell_num(fp, u);
		cell_num(fp, v);
		if (u->none || v->none)
			snprintf(a, sizeof a, "%s", L(L_NONE));
		else if (u->rate)
			snprintf(a, sizeof a, "%+.1f", u->value - v->value);
		else
			snprintf(a, sizeof a, "%+lld",
				 (long long)(u->count - v->count));
		fprintf(fp, "<td class=\"n\">%s</td></tr>\n",
			strcmp(a, "+0") == 0 || strcmp(a, "+0.0") == 0
				? strcpy(b, a + 1)
				: a);
	}
	fputs("</tbody></table>\n</div>\n", fp);
}

/* Cases opened and closed per day (up to 31 days) or week, over the
 * previous period and this one: the figures of --group day or week over
 * both, with a column for every day or week, those without cases too. */
static int
trend(FILE *fp, struct case_db *db, const struct case_filter *f,
      int64_t before, struct case_err *err)
{
	static const struct case_series series[] = {{NULL, "#1b3a6b"},
						    {NULL, "#8db4e2"}};
	struct case_series s[2] = {series[0], series[1]};
	const char *unit = f->until - f->since <= 31 * 86400 ? "day" : "week";
	struct case_filter both = *f;
	struct case_chart c;
	struct rows rs;
	char (*keys)[16] = NULL, first[16];
	const char **lbl = NULL;
	double *v = NULL;
	size_t n = 0, cap, i, j = 0;
	int64_t t;
	int rc = -1;

	both.since = before;
	if (rows_of(db, &both, unit, "opened,closed", &rs, err) < 0)
		return -1;
	cap = (size_t)((f->until - before) / 86400) + 3;
	keys = calloc(cap, sizeof *keys);
	lbl = calloc(cap, sizeof *lbl);
	v = calloc(cap * 2, sizeof *v);
	if (keys == NULL || lbl == NULL || v == NULL) {
		case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		goto out;
	}
	for (t = before; n < cap; t += 86400) {
		char k[16];

		case_time_period(t < f->until ? t : f->until - 1, unit, k,
				 sizeof k);
		if (n == 0 || strcmp(k, keys[n - 1]) != 0)
			memcpy(keys[n++], k, sizeof k);
		if (t >= f->until - 1)
			break;
	}
	case_time_period(f->since, unit, first, sizeof first);
	memset(&c, 0, sizeof c);
	for (i = 0; i < n; i++) {
		lbl[i] = keys[i];
		if (strcmp(keys[i], first) < 0)
			c.shade = i + 1;
		/* Both lists are sorted, and every row's key is a bucket. */
		while (j < rs.n && key_cmp(rs.r[j].key[0], keys[i]) < 0)
			j++;
		if (j < rs.n && key_cmp(rs.r[j].key[0], keys[i]) == 0) {
			v[2 * i] = (double)count(&rs.r[j], F.opened);
			v[2 * i + 1] = (double)count(&rs.r[j], F.closed);
		}
	}
	s[0].name = L(L_OPENED);
	s[1].name = L(L_CLOSED);
	c.title = L(unit[0] == 'd' ? L_TREND_DAY : L_TREND_WEEK);
	c.axis = L(L_CASES);
	c.cat_axis = L(unit[0] == 'd' ? L_DAY : L_WEEK);
	c.series = s;
	c.nseries = 2;
	c.labels = lbl;
	c.none_label = L(L_NONE);
	c.n = n;
	c.v = v;
	c.shade_label = L(L_PREVIOUS_PERIOD);
	c.rest_label = L(L_THIS_PERIOD);
	fputs("<figure class=\"trend\">\n", fp);
	rc = case_svg_columns(fp, &c);
	fputs("</figure>\n", fp);
	if (rc < 0)
		case_err_set(err, CASE_E_IO, _("cannot write output"));
out:
	free(keys);
	free(lbl);
	free(v);
	rows_free(&rs);
	return rc;
}

/* The ten categories with the most cases, as bars of their kinds end to
 * end: --group category,kind. */
static int
categories(FILE *fp, struct case_db *db, const struct case_filter *f,
	   struct case_err *err)
{
	static const struct case_series series[] = {
		{NULL, "#1b3a6b"}, {NULL, "#e08a2e"}, {NULL, "#cfe0f3"}};
	struct case_series s[3] = {series[0], series[1], series[2]};
	struct rows rs, cats = {0};
	struct case_chart c;
	const char *lbl[10];
	double v[30];
	unsigned char none[30];
	size_t i, j, n;
	int rc;

	if (rows_of(db, f, "category,kind", "opened", &rs, err) < 0)
		return -1;
	/* One row per category, its opened count the sum of its kinds'. */
	for (i = 0; i < rs.n; i++) {
		for (j = 0; j < cats.n; j++)
			if (key_cmp(cats.r[j].key[0], rs.r[i].key[0]) == 0)
				break;
		if (j == cats.n) {
			struct case_stats_row row = {.nkeys = 1};

			row.key[0] = rs.r[i].key[0];
			if (keep_row(&cats, &row, err) < 0) {
				rows_free(&rs);
				rows_free(&cats);
				return -1;
			}
			cats.r[j].fig[F.opened].count = 0;
		}
		cats.r[j].fig[F.opened].count += count(&rs.r[i], F.opened);
	}
	qsort(cats.r, cats.n, sizeof *cats.r, by_opened);
	n = cats.n < 10 ? cats.n : 10;
	memset(v, 0, sizeof v);
	memset(none, 1, sizeof none);
	for (i = 0; i < n; i++) {
		lbl[i] = cats.r[i].key[0];
		for (j = 0; j < rs.n; j++) {
			int k;

			if (key_cmp(rs.r[j].key[0], cats.r[i].key[0]) != 0 ||
			    rs.r[j].key[1] == NULL ||
			    (k = case_text_index(case_kinds, rs.r[j].key[1])) <
				    0 ||
			    k > 2)
				continue;
			v[i * 3 + (size_t)k] = (double)count(&rs.r[j], F.opened);
			none[i * 3 + (size_t)k] = 0;
		}
	}
	s[0].name = L(L_DISPUTES);
	s[1].name = L(L_HAZARDS);
	s[2].name = L(L_REQUESTS);
	memset(&c, 0, sizeof c);
	c.title = L(L_KINDS_CHART);
	c.axis = L(L_CASES);
	c.cat_axis = L(L_CATEGORY);
	c.series = s;
	c.nseries = 3;
	c.labels = lbl;
	c.none_label = L(L_NO_CATEGORY);
	c.n = n;
	c.v = v;
	c.none = none;
	c.stacked = 1;
	fputs("<figure class=\"categories\">\n", fp);
	rc = case_svg_bars(fp, &c);
	fputs("</figure>\n", fp);
	rows_free(&rs);
	rows_free(&cats);
	return rc < 0 ? case_err_set(err, CASE_E_IO, _("cannot write output")) : 0;
}

/* The most rows a table of the page shows: the worst, the rest counted
 * in a line under it with the command that lists them all. */
#define MAX_ROWS 20

/* The places at depth segments: --group place:N. */
static int
places(FILE *fp, struct case_db *db, const struct case_filter *f, int depth,
       struct case_err *err)
{
	static const enum label cols[] = {L_PLACE, L_CASES, L_OVERDUE_NOW,
					  L_ON_TIME};
	char group[24], b[300];
	struct rows rs;
	size_t i, n;
	double max;

	snprintf(group, sizeof group, "place:%d", depth);
	if (rows_of(db, f, group, "opened,overdue,on_time_pct", &rs,
		    err) < 0)
		return -1;
	qsort(rs.r, rs.n, sizeof *rs.r, by_opened);
	n = rs.n < MAX_ROWS ? rs.n : MAX_ROWS;
	fprintf(fp, "<p class=\"note\">");
	put(fp, fill(b, sizeof b, L_PLACES_NOTE, depth));
	fputs("</p>\n", fp);
	table_head(fp, cols, 4, 0xe);
	max = n > 0 ? (double)count(&rs.r[0], F.opened) : 0;
	for (i = 0; i < n; i++) {
		const struct grow *g = &rs.r[i];

		row_open(fp, "place", g->key[0]);
		put_data(fp, g->key[0] ? g->key[0] : L(L_NO_PLACE));
		fputs("</td>", fp);
		cell_bar(fp, &g->fig[F.opened], max);
		cell_num(fp, &g->fig[F.overdue]);
		cell_bar(fp, &g->fig[F.on_time], 100);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table>\n", fp);
	if (rs.n > n) {
		fputs("<p class=\"note\">", fp);
		put(fp, fill(b, sizeof b, L_PLACES_MORE, n, rs.n, depth));
		fputs("</p>\n", fp);
	}
	rows_free(&rs);
	return 0;
}

/* A unit's name, kept by the list of units. */
struct names {
	char **code, **name;
	size_t n, cap;
};

static int
keep_name(void *ctx, struct case_stmt *st, struct case_err *err)
{
	struct names *u = ctx;

	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 32;
		char **a = realloc(u->code, cap * sizeof *a);

		if (a != NULL)
			u->code = a;
		if (a == NULL || (a = realloc(u->name, cap * sizeof *a)) == NULL)
			return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		u->name = a;
		u->cap = cap;
	}
	u->code[u->n] = strdup(case_col_text(st, 0));
	u->name[u->n] = strdup(case_col_null(st, 1) ? "" : case_col_text(st, 1));
	u->n++;
	if (u->code[u->n - 1] == NULL || u->name[u->n - 1] == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	return 0;
}

/* The league table of the lead units: --group lead. */
static int
units(FILE *fp, struct case_db *db, const struct case_filter *f,
      struct case_err *err)
{
	static const enum label cols[] = {L_UNIT,      L_CASES,
					  L_ON_TIME,   L_MEDIAN,
					  L_SATISFIED, L_OVERDUE_NOW};
	struct names u = {0};
	struct rows rs;
	size_t i, j, n;
	char b[300];
	int rc;

	rc = case_report_rows(db, NULL, 0,
			      "SELECT u.code, u.name FROM units u WHERE 1 = 1",
			      NULL, 0, "ORDER BY u.code", keep_name, &u, err);
	if (rc == 0 && (rc = rows_of(db, f, "lead", UNIT_FIGURES, &rs, err)) == 0) {
		qsort(rs.r, rs.n, sizeof *rs.r, by_late);
		n = rs.n < MAX_ROWS ? rs.n : MAX_ROWS;
		fputs("<p class=\"note\">", fp);
		put(fp, L(L_UNITS_NOTE));
		fputs("</p>\n", fp);
		table_head(fp, cols, 6, 0x3e);
		for (i = 0; i < n; i++) {
			const struct grow *g = &rs.r[i];

			row_open(fp, "unit", g->key[0]);
			for (j = 0; g->key[0] != NULL && j < u.n; j++)
				if (strcmp(u.code[j], g->key[0]) == 0 &&
				    u.name[j][0] != '\0') {
					put_data(fp, u.name[j]);
					fputs("<br><span class=\"note\">", fp);
					break;
				}
			put_data(fp, g->key[0] ? g->key[0] : L(L_NO_UNIT));
			if (j < u.n && g->key[0] != NULL)
				fputs("</span>", fp);
			fputs("</td>", fp);
			cell_num(fp, &g->fig[F.opened]);
			cell_bar(fp, &g->fig[F.on_time], 100);
			cell_num(fp, &g->fig[F.median]);
			cell_bar(fp, &g->fig[F.satisfied], 100);
			cell_num(fp, &g->fig[F.overdue]);
			fputs("</tr>\n", fp);
		}
		fputs("</tbody></table>\n", fp);
		if (rs.n > n)
			tag(fp, "p", "class=\"note\"",
			    fill(b, sizeof b, L_UNITS_MORE, n, rs.n));
		rows_free(&rs);
	}
	for (i = 0; i < u.n; i++) {
		free(u.code[i]);
		free(u.name[i]);
	}
	free(u.code);
	free(u.name);
	return rc;
}

/* A list of cases as a table, the first MAX_ROWS of its rows. */
struct listing {
	FILE *fp;
	size_t n;
	int pii;
	const enum label *cols;
	size_t ncols;
	unsigned numeric;
};

static void
cell_text(FILE *fp, struct case_stmt *st, int i)
{
	fputs("<td class=\"text\">", fp);
	if (case_col_null(st, i))
		put(fp, L(L_NONE));
	else
		put_data(fp, case_col_text(st, i));
	fputs("</td>", fp);
}

static void
listing_row(struct listing *l)
{
	if (l->n++ == 0)
		table_head(l->fp, l->cols, l->ncols, l->numeric);
}

static int
ladder_row(void *ctx, struct case_stmt *st, struct case_err *err)
{
	struct listing *l = ctx;
	FILE *fp = l->fp;

	(void)err;
	listing_row(l);
	if (l->n > MAX_ROWS)
		return 0;
	fprintf(fp, "<tr class=\"ladder\"><td class=\"n\">%lld</td>"
		    "<td class=\"n\">%d</td>",
		(long long)case_col_int64(st, 0), case_col_int(st, 1));
	cell_text(fp, st, 2);
	cell_text(fp, st, 3);
	fprintf(fp, "<td class=\"n\">%.1f</td>",
		case_round1(case_col_int64(st, 4), 86400));
	cell_text(fp, st, 5);
	fputs("</tr>\n", fp);
	return 0;
}

static int
unhappy_row(void *ctx, struct case_stmt *st, struct case_err *err)
{
	struct listing *l = ctx;
	FILE *fp = l->fp;
	char t[CASE_TIME_BUF];
	int i;

	(void)err;
	listing_row(l);
	if (l->n > MAX_ROWS)
		return 0;
	fprintf(fp, "<tr class=\"unhappy\"><td class=\"n\">%lld</td>"
		    "<td class=\"n\">%s</td>",
		(long long)case_col_int64(st, 0),
		case_time_local(case_col_int64(st, 1), t));
	for (i = 2; i < 6 + 2 * l->pii; i++)
		cell_text(fp, st, i);
	fputs("</tr>\n", fp);
	return 0;
}

/* The end of a list: the sentence for none, or how many were left out. */
static void
listing_end(struct listing *l, enum label none, enum label more)
{
	char b[300];

	if (l->n == 0) {
		tag(l->fp, "p", "class=\"empty\"", L(none));
		return;
	}
	fputs("</tbody></table>\n", l->fp);
	if (l->n > MAX_ROWS)
		tag(l->fp, "p", "class=\"note\"",
		    fill(b, sizeof b, more, (size_t)MAX_ROWS, l->n));
}

static int
ladder(FILE *fp, struct case_db *db, const struct case_filter *f,
       struct case_err *err)
{
	static const enum label cols[] = {L_CASE, L_LEVEL, L_SUPERVISOR,
					  L_LEAD, L_DAYS_OVERDUE, L_SUMMARY};
	struct listing l = {fp, 0, 0, cols, 6, 0x13};

	tag(fp, "p", "class=\"note\"", L(L_LADDER_NOTE));
	if (case_report_rows(
		    db, f, 1,
		    "SELECT c.id, c.level, s.name, c.lead, ?1 - c.due_at,"
		    " c.summary FROM cases c LEFT JOIN supervisors s"
		    " ON s.level = c.level WHERE c.status IN ('open','assigned')"
		    " AND c.due_at < ?1 AND c.level >= 2",
		    NULL, 0, "ORDER BY c.level DESC, c.due_at, c.id", ladder_row,
		    &l, err) < 0)
		return -1;
	listing_end(&l, L_LADDER_NONE, L_LADDER_MORE);
	return 0;
}

static int
unhappy(FILE *fp, struct case_db *db, const struct case_filter *f, int pii,
	struct case_err *err)
{
	static const enum label cols[] = {L_CASE,    L_VISIT, L_LEAD,
					  L_STATUS,  L_NOTE,  L_SUMMARY,
					  L_REPORTER, L_CONTACT};
	struct listing l = {fp, 0, pii, cols, pii ? 8 : 6, 0x3};
	int64_t t[2] = {f->since, f->until};

	tag(fp, "p", "class=\"note\"", L(L_UNHAPPY_NOTE));
	if (case_report_rows(
		    db, f, 1,
		    pii ? "SELECT c.id, x.done_at, c.lead, c.status, x.note,"
			  " c.summary, c.reporter, c.contact"
			  " FROM visits x JOIN cases c ON c.id = x.case_id"
			  " WHERE x.outcome = 'unsatisfied'"
			  " AND x.done_at >= ?2 AND x.done_at < ?3"
			: "SELECT c.id, x.done_at, c.lead, c.status, x.note,"
			  " c.summary FROM visits x JOIN cases c"
			  " ON c.id = x.case_id WHERE x.outcome = 'unsatisfied'"
			  " AND x.done_at >= ?2 AND x.done_at < ?3",
		    t, 2, "ORDER BY x.done_at, x.id", unhappy_row, &l, err) < 0)
		return -1;
	listing_end(&l, L_UNHAPPY_NONE, L_UNHAPPY_MORE);
	return 0;
}

int
case_report_brief(struct case_db *db, const struct case_report *r, FILE *fp,
		  struct case_err *err)
{
	const struct case_filter *f = &r->filter;
	struct case_filter prev = *f;
	char b[4096], t[4][CASE_TIME_BUF];
	struct rows now = {0}, before = {0};
	int64_t len = f->until - f->since;
	int empty, midnights, rc = -1;

	find_figures();
	prev.until = f->since;
	prev.since = f->since - len;
	if (rows_of(db, f, NULL, HEADLINE_FIGURES, &now, err) < 0 ||
	    rows_of(db, &prev, NULL, HEADLINE_FIGURES, &before, err) < 0)
		goto out;
	empty = count(&now.r[0], F.opened) == 0;
	midnights = strlen(when(f->since, t[0])) == 10 &&
		    strlen(when(f->until, t[1])) == 10;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" "
		    "content=\"default-src 'none'; style-src 'unsafe-inline'; "
		    "img-src data:\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">\n<title>",
		L(L_LANG));
	put(fp, L(L_TITLE));
	fputs("</title>\n<style>\n", fp);
	fputs(style, fp);
	fputs("</style>\n</head>\n<body>\n<header>\n", fp);
	tag(fp, "h1", NULL, L(L_TITLE));
	if (midnights) {
		/* Whole days: the last day of a period is the date of its
		 * last second. */
		case_time_local(f->since, t[0])[10] = '\0';
		case_time_local(f->until - 1, t[1])[10] = '\0';
		case_time_local(prev.since, t[2])[10] = '\0';
		case_time_local(prev.until - 1, t[3])[10] = '\0';
		fill(b, sizeof b, L_PERIOD_DAYS, t[0], t[1], t[2], t[3]);
	} else
		fill(b, sizeof b, L_PERIOD_TIMES, when(f->since, t[0]),
		     when(f->until, t[1]), when(prev.since, t[2]),
		     when(prev.until, t[3]));
	tag(fp, "p", "class=\"period\"", b);
	{
		char d[4096];

		tag(fp, "p", "class=\"filters\"",
		    fill(b, sizeof b, L_FILTERS,
			 describe(d, sizeof d, f, 0)));
	}
	tag(fp, "p", "class=\"note\"",
	    fill(b, sizeof b, L_MADE, case_time_local(case_db_now(db), t[0])));
	fputs("</header>\n<main>\n<section id=\"headline\">\n", fp);
	headline(fp, &now.r[0], &before.r[0]);
	if (empty)
		tag(fp, "p", "class=\"empty\"", L(L_EMPTY));
	else if (trend(fp, db, f, prev.since, err) < 0)
		goto out;
	fprintf(fp, "</section>\n<section id=\"kinds\"%s>\n",
		empty ? "" : " class=\"page\"");
	tag(fp, "h2", NULL, L(L_KINDS));
	if (empty)
		tag(fp, "p", "class=\"empty\"", L(L_EMPTY));
	else if (categories(fp, db, f, err) < 0)
		goto out;
	fputs("</section>\n<section id=\"places\">\n", fp);
	tag(fp, "h2", NULL, L(L_PLACES));
	if (empty)
		tag(fp, "p", "class=\"empty\"", L(L_EMPTY));
	else if (places(fp, db, f, r->depth > 0 ? r->depth : 3, err) < 0)
		goto out;
	fprintf(fp, "</section>\n<section id=\"units\"%s>\n",
		empty ? "" : " class=\"page\"");
	tag(fp, "h2", NULL, L(L_UNITS));
	if (empty)
		tag(fp, "p", "class=\"empty\"", L(L_EMPTY));
	else if (units(fp, db, f, err) < 0)
		goto out;
	fprintf(fp, "</section>\n<section id=\"ladder\"%s>\n",
		empty ? "" : " class=\"page\"");
	tag(fp, "h2", NULL, L(L_LADDER));
	if (ladder(fp, db, f, err) < 0)
		goto out;
	fputs("</section>\n<section id=\"unhappy\">\n", fp);
	tag(fp, "h2", NULL, L(L_UNHAPPY));
	if (unhappy(fp, db, f, r->pii, err) < 0)
		goto out;
	fputs("</section>\n</main>\n</body>\n</html>\n", fp);
	rc = 0;
	if (fflush(fp) != 0 || ferror(fp))
		rc = case_err_set(err, CASE_E_IO, _("cannot write output"));
out:
	rows_free(&now);
	rows_free(&before);
	return rc;
}

/* ---- one chart -------------------------------------------------------- */

int
case_report_svg(struct case_db *db, const struct case_report *r, FILE *fp,
		struct case_err *err)
{
	static const char *const periods[] = {"day", "week", "month", "year",
					      NULL};
	static const struct case_series series = {NULL, "#1b3a6b"};
	const char *figure = r->figure ? r->figure : "opened";
	int fi = case_report_figure(figure), rc = -1;
	char title[512], sub[4096], (*lab)[256] = NULL;
	const char **lbl = NULL;
	struct case_series s = series;
	struct case_chart c;
	unsigned char *none = NULL;
	double *v = NULL;
	struct rows rs;
	size_t i;

	if (rows_of(db, &r->filter, r->group, figure, &rs, err) < 0)
		return -1;
	lbl = calloc(rs.n + 1, sizeof *lbl);
	lab = calloc(rs.n + 1, sizeof *lab);
	v = calloc(rs.n + 1, sizeof *v);
	none = calloc(rs.n + 1, 1);
	if (lbl == NULL || lab == NULL || v == NULL || none == NULL) {
		case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		goto out;
	}
	memset(&c, 0, sizeof c);
	for (i = 0; i < rs.n; i++) {
		const struct grow *g = &rs.r[i];

		if (g->key[1] != NULL || strchr(r->group, ',') != NULL) {
			snprintf(lab[i], sizeof lab[i], "%s %s",
				 g->key[0] ? g->key[0] : L(L_NONE),
				 g->key[1] ? g->key[1] : L(L_NONE));
			lbl[i] = lab[i];
		} else
			lbl[i] = g->key[0];
		v[i] = val(&g->fig[fi]);
		none[i] = (unsigned char)g->fig[fi].none;
		c.decimals = g->fig[fi].rate;
	}
	s.name = figure_label(figure);
	c.title = fill(title, sizeof title, L_CHART_TITLE,
		       figure_label(figure), r->group);
	c.subtitle = describe(sub, sizeof sub, &r->filter, 1);
	c.axis = figure_label(figure);
	c.cat_axis = r->group;
	c.series = &s;
	c.nseries = 1;
	c.labels = lbl;
	c.none_label = L(L_NONE);
	c.n = rs.n;
	c.v = v;
	c.none = none;
	c.standalone = 1;
	if (strcmp(figure, "on_time_pct") == 0 ||
	    strcmp(figure, "satisfied_pct") == 0) {
		c.max = 100;
		c.decimals = 1;
	}
	if (case_text_index(periods, r->group) >= 0)
		rc = case_svg_columns(fp, &c);
	else
		rc = case_svg_bars(fp, &c);
	if (rc < 0 || fflush(fp) != 0 || ferror(fp))
		rc = case_err_set(err, CASE_E_IO, _("cannot write output"));
out:
	free(lbl);
	free(lab);
	free(v);
	free(none);
	rows_free(&rs);
	return rc;
}
