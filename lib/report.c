/*
 * Reports.  Every report is one SQL statement built from the filter, with
 * every value bound: the figures are aggregated by SQLite over its
 * indexes, and C only formats the rows that come back.  Parameter ?1 is
 * always "now"; the builder numbers the filter's values from ?2.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/cases.h"
#include "case/geo.h"
#include "case/ids.h"
#include "case/policy.h"
#include "case/report.h"
#include "case/roles.h"
#include "case/text.h"
#include "case/time.h"
#include "case/units.h"
#include "case/words.h"
#include "i18n.h"
#include "internal.h"
#include "stats.h"

/* ---- the statement builder ------------------------------------------ */

#define MAX_BINDS 64

struct q {
	enum case_dialect dialect; /* whose SQL to write, where they differ */
	struct case_db *db;	   /* whose cases, for the plan of a period */
	char *s;
	size_t len, cap;
	int oom;
	int nb;
	struct {
		int is_text;
		char *text;
		int64_t i;
	} b[MAX_BINDS];
};

static void
q_add(struct q *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
q_add(struct q *q, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (q->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (q->len + (size_t)n + 1 > q->cap) {
		size_t nc = q->cap ? q->cap : 1024;
		char *ns;

		while (nc < q->len + (size_t)n + 1)
			nc *= 2;
		if ((ns = realloc(q->s, nc)) == NULL) {
			q->oom = 1;
			return;
		}
		q->s = ns;
		q->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(q->s + q->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	q->len += (size_t)n;
}

/* Append a placeholder for a text value (copied) and return its number. */
static int
q_text(struct q *q, const char *prefix, const char *v, const char *suffix)
{
	size_t a = strlen(prefix), b = strlen(v), c = strlen(suffix);
	char *t;

	if (q->nb == MAX_BINDS || (t = malloc(a + b + c + 1)) == NULL) {
		q->oom = 1;
		return 0;
	}
	memcpy(t, prefix, a);
	memcpy(t + a, v, b);
	memcpy(t + a + b, suffix, c + 1);
	q->b[q->nb].is_text = 1;
	q->b[q->nb].text = t;
	q->nb++;
	q_add(q, "?%d", q->nb + 1);
	return q->nb + 1;
}

static void
q_int(struct q *q, int64_t v)
{
	if (q->nb == MAX_BINDS) {
		q->oom = 1;
		return;
	}
	q->b[q->nb].is_text = 0;
	q->b[q->nb].i = v;
	q->nb++;
	q_add(q, "?%d", q->nb + 1);
}

static void
q_free(struct q *q)
{
	int i;

	for (i = 0; i < q->nb; i++)
		if (q->b[i].is_text)
			free(q->b[i].text);
	free(q->s);
	memset(q, 0, sizeof *q);
}

/* Prepare the built statement and bind now and every value.  Reports run
 * once per invocation, so they are not cached. */
static struct case_stmt *
q_prepare(struct case_db *db, struct q *q, struct case_err *err)
{
	struct case_stmt *st;
	int i;

	if (q->oom) {
		case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		return NULL;
	}
	if ((st = case_db_prepare(db, q->s, "cannot prepare the report",
				  err)) == NULL)
		return NULL;
	if (case_stmt_params(st) >= 1)
		case_bind_int64(st, 1, case_db_now(db));
	for (i = 0; i < q->nb; i++) {
		if (q->b[i].is_text)
			case_bind_copy(st, i + 2, q->b[i].text);
		else
			case_bind_int64(st, i + 2, q->b[i].i);
	}
	return st;
}

/* A writer for the sink, fitting text to its width. */
static struct case_out *
sink_out(const struct case_sink *sink, const struct case_col *cols, size_t n)
{
	struct case_out *o = case_out_new(sink->fp, sink->fmt, sink->flags,
					  cols, n);

	if (o != NULL)
		case_out_fit(o, sink->width);
	return o;
}

/* Run the built statement and write its rows to a new writer with the
 * given columns.  Frees q; *rows (when not NULL) is the count written. */
static int
q_write(struct case_db *db, struct q *q, const struct case_sink *sink,
	const struct case_col *cols, size_t n, size_t *rows,
	struct case_err *err)
{
	struct case_stmt *st = q_prepare(db, q, err);
	struct case_out *out;
	int rc;

	q_free(q);
	if (st == NULL)
		return -1;
	if ((out = sink_out(sink, cols, n)) == NULL) {
		case_stmt_free(st);
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	}
	rc = case_db_rows(db, st, out, N_("the report"), err);
	case_stmt_free(st);
	if (rows != NULL)
		*rows = case_out_rows(out);
	if (case_out_finish(out, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/* ---- options ---------------------------------------------------------- */

/* Check a comma-separated list against a closed set of words. */
static int
check_words(const char *what, const char *list, const char *const *allowed,
	    struct case_err *err)
{
	char q[CASE_QUOTE_MAX], alts[256], word[64];
	const char *p = list;

	while (1) {
		size_t n = strcspn(p, ",");

		if (n == 0 || n >= sizeof word)
			goto bad;
		memcpy(word, p, n);
		word[n] = '\0';
		if (case_word_index(allowed, word) < 0)
			goto bad;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
bad:
	return case_err_set(err, CASE_E_INPUT, _("--%s: bad value '%s' (expected "
			    "%s, or several joined by commas)"),
			    what, case_quote(q, sizeof q, list),
			    case_word_alternatives(alts, sizeof alts, allowed));
}

/* "col IN (?, ?)" for a checked comma-separated list of the words of
 * allowed, in either language: the English words are bound. */
static void
q_words(struct q *q, const char *col, const char *list,
	const char *const *allowed)
{
	char word[64];
	const char *p = list;
	int first = 1;

	q_add(q, " AND %s IN (", col);
	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		memcpy(word, p, n);
		word[n] = '\0';
		q_add(q, first ? "" : ", ");
		q_text(q, "", case_word_english(allowed, word), "");
		first = 0;
		p += n + (p[n] == ',');
	}
	q_add(q, ")");
}

/* The number of characters (code points) in a UTF-8 string. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * The filter as " AND ..." terms over the cases table aliased c.  A search
 * of three or more characters goes through the trigram index; a shorter
 * one cannot, and scans with LIKE.  Times in the filter bound opening
 * unless on_events, where the events' own times are bounded elsewhere.
 */
/*
 * Whether a period's bounds on the opening time should walk the index of
 * opening times.  The walk reads each case's row out of the table's
 * order, and SQLite, which keeps no statistics here, takes any range for
 * a narrow one: over a period that holds most of the cases, such as a
 * briefing of several years, reading the whole table in order took half
 * the time (a million cases).  The span of the cases' opening times, two
 * probes of that index read once per handle, tells them apart: a period
 * that covers less than half of the span walks the index.  The plan
 * changes, never the rows; PostgreSQL plans by its own statistics.
 */
static int
period_by_index(struct q *q, const struct case_filter *f)
{
	struct case_db *db = q->db;
	int64_t lo, hi;

	if (q->dialect != CASE_SQLITE || db == NULL)
		return 1;
	if (!db->span_read) {
		struct case_err e;
		struct case_stmt *st = case_db_stmt(
			db,
			"SELECT (SELECT min(opened_at) FROM cases),"
			" (SELECT max(opened_at) FROM cases)",
			&e);

		db->span_read = 1;
		db->span_lo = db->span_hi = 0;
		if (st != NULL && case_step(st) == CASE_ROW &&
		    !case_col_null(st, 0)) {
			db->span_lo = case_col_int64(st, 0);
			db->span_hi = case_col_int64(st, 1) + 1;
		}
		if (st != NULL)
			case_reset(st);
	}
	lo = f->has_since && f->since > db->span_lo ? f->since : db->span_lo;
	hi = f->has_until && f->until < db->span_hi ? f->until : db->span_hi;
	return db->span_hi <= db->span_lo ||
	       (hi > lo ? hi - lo : 0) < (db->span_hi - db->span_lo) / 2;
}

/* The searched columns (of table alias t, "c." or "") that hold text as
 * a substring, as a pattern with LIKE's wildcards escaped. */
static void
q_like(struct q *q, const char *t, const char *text)
{
	const char *op = q->dialect == CASE_PG ? "ILIKE" : "LIKE";
	char *pat = malloc(strlen(text) * 2 + 3), *o;
	const char *s;
	int n;

	if (pat == NULL) {
		q->oom = 1;
		return;
	}
	o = pat;
	*o++ = '%';
	for (s = text; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	q_add(q, "(%ssummary %s ", t, op);
	n = q_text(q, "", pat, "");
	q_add(q, " ESCAPE '\\' OR %1$sdescription %2$s ?%3$d ESCAPE '\\'"
		 " OR %1$saddress %2$s ?%3$d ESCAPE '\\')",
	      t, op, n);
	free(pat);
}

static void
q_filter(struct q *q, const struct case_filter *f, int on_events)
{
	const char *by = "";

	if (f->kind != NULL)
		q_words(q, "c.kind", f->kind, case_kinds);
	if (f->status != NULL)
		q_words(q, "c.status", f->status, case_statuses);
	if (f->priority != NULL)
		q_words(q, "c.priority", f->priority, case_priorities);
	if (f->category != NULL) {
		q_add(q, " AND c.category = ");
		q_text(q, "", f->category, "");
	}
	if (f->unit != NULL) {
		int n;

		q_add(q, " AND (c.lead = ");
		n = q_text(q, "", f->unit, "");
		q_add(q, " OR EXISTS (SELECT 1 FROM assignments a WHERE"
			 " a.case_id = c.id AND a.unit = ?%d AND"
			 " a.released_at IS NULL))",
		      n);
	}
	if (f->place != NULL) {
		q_add(q, " AND (c.place = ");
		q_text(q, "", f->place, "");
		q_add(q, " OR (c.place >= ");
		q_text(q, "", f->place, "/");
		q_add(q, " AND c.place < ");
		q_text(q, "", f->place, "0");
		q_add(q, "))");
	}
	if ((f->has_since || f->has_until) && !on_events &&
	    !period_by_index(q, f))
		by = "+";
	if (f->has_since && !on_events) {
		q_add(q, " AND %sc.opened_at >= ", by);
		q_int(q, f->since);
	}
	if (f->has_until && !on_events) {
		q_add(q, " AND %sc.opened_at < ", by);
		q_int(q, f->until);
	}
	if (f->overdue)
		q_add(q, " AND c.status IN ('open','assigned') AND c.due_at < ?1");
	if (f->level >= 0) {
		q_add(q, " AND c.level = ");
		q_int(q, f->level);
	}
	/* On a server every search is a pattern, which the trigram index of
	 * pg_trgm serves at three characters and more; SQLite's FTS5 index
	 * takes a phrase, and holds the cases up to its mark (lib/fts.c):
	 * the few after it are matched by the pattern.  Both match a
	 * substring of one column, whatever the case of its ASCII letters. */
	if (f->search == NULL)
		return;
	if (chars(f->search) >= 3 && q->dialect == CASE_SQLITE) {
		char *phrase = malloc(strlen(f->search) * 2 + 3), *o;
		const char *s;

		if (phrase == NULL) {
			q->oom = 1;
			return;
		}
		o = phrase;
		*o++ = '"';
		for (s = f->search; *s != '\0'; s++) {
			if (*s == '"')
				*o++ = '"';
			*o++ = *s;
		}
		*o++ = '"';
		*o = '\0';
		q_add(q, " AND c.id IN (SELECT rowid FROM cases_fts WHERE"
			 " cases_fts MATCH ");
		q_text(q, "", phrase, "");
		free(phrase);
		q_add(q, " UNION ALL SELECT id FROM cases WHERE id >"
			 " (SELECT id FROM search_upto) AND ");
		q_like(q, "", f->search);
		q_add(q, ")");
	} else {
		q_add(q, " AND ");
		q_like(q, "c.", f->search);
	}
}

/* ---- lists ------------------------------------------------------------ */

struct colspec {
	const char *name;
	const char *expr;
	enum case_coltype type;
	int pii;
	unsigned flags; /* CASE_COL_CUT for the summary */
};

static const struct colspec colspecs[] = {
	{"id", "c.id", CASE_COL_INT, 0},
	{"ref", "c.ref", CASE_COL_TEXT, 0},
	{"kind", "c.kind", CASE_COL_TEXT, 0},
	{"category", "c.category", CASE_COL_TEXT, 0},
	{"priority", "c.priority", CASE_COL_TEXT, 0},
	{"status", "c.status", CASE_COL_TEXT, 0},
	{"outcome", "c.outcome", CASE_COL_TEXT, 0},
	{"level", "c.level", CASE_COL_INT, 0},
	{"lead", "c.lead", CASE_COL_TEXT, 0},
	{"lead_name", "(SELECT name FROM units u WHERE u.code = c.lead)",
	 CASE_COL_TEXT, 0},
	{"place", "c.place", CASE_COL_TEXT, 0},
	{"address", "c.address", CASE_COL_TEXT, 0},
	{"source", "c.source", CASE_COL_TEXT, 0},
	{"summary", "c.summary", CASE_COL_TEXT, 0, CASE_COL_CUT},
	{"description", "c.description", CASE_COL_TEXT, 0},
	{"reporter", "c.reporter", CASE_COL_TEXT, 1},
	{"contact", "c.contact", CASE_COL_TEXT, 1},
	{"lat", "c.lat", CASE_COL_DEC, 1},
	{"lon", "c.lon", CASE_COL_DEC, 1},
	{"opened_at", "c.opened_at", CASE_COL_TIME, 0},
	{"due_at", "c.due_at", CASE_COL_TIME, 0},
	{"resolved_at", "c.resolved_at", CASE_COL_TIME, 0},
	{"closed_at", "c.closed_at", CASE_COL_TIME, 0},
	{"reopened", "c.reopened", CASE_COL_INT, 0},
	{"overdue",
	 "CASE WHEN c.status IN ('open','assigned') AND c.due_at < ?1"
	 " THEN ?1 - c.due_at END",
	 CASE_COL_DUR, 0},
	/* Reading a case is no change to it. */
	{"updated_at",
	 "(SELECT max(e.at) FROM events e WHERE e.case_id = c.id"
	 " AND e.action <> 'access')",
	 CASE_COL_TIME, 0},
};

#define NCOLSPECS (sizeof colspecs / sizeof colspecs[0])

const char *const case_report_columns[NCOLSPECS + 2] = {
	"id", "ref", "kind", "category", "priority", "status", "outcome",
	"level", "lead", "lead_name", "place", "address", "source", "summary",
	"description", "reporter", "contact", "lat", "lon", "opened_at",
	"due_at",
	"resolved_at", "closed_at", "reopened", "overdue", "updated_at", "all",
	NULL,
};

/* People at a terminal get a narrow list; machines get every field that
 * case-open --file takes back.  The summary, the longest field of a line
 * and the one that text cuts to fit a terminal, comes last. */
static const char text_columns[] =
	"id,opened_at,status,level,priority,kind,lead,place,summary";
static const char data_columns[] =
	"id,ref,kind,category,priority,status,level,lead,place,address,source,"
	"opened_at,due_at,resolved_at,closed_at,description,summary";
/* A map's points say where; its properties leave out the address and the
 * description, which say more than a rounded point does. */
static const char map_columns[] =
	"id,ref,kind,category,priority,status,level,lead,place,opened_at,"
	"due_at,resolved_at,closed_at,summary";

static const struct colspec *
find_col(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NCOLSPECS; i++)
		if (strlen(colspecs[i].name) == n &&
		    strncmp(colspecs[i].name, name, n) == 0)
			return &colspecs[i];
	return NULL;
}

/* "all": every column the caller may see, the summary last. */
static void
all_columns(int pii, const struct colspec **out, size_t *n)
{
	size_t i;

	*n = 0;
	for (i = 0; i < NCOLSPECS; i++)
		if ((pii || !colspecs[i].pii) &&
		    strcmp(colspecs[i].name, "summary") != 0)
			out[(*n)++] = &colspecs[i];
	out[(*n)++] = find_col("summary", 7);
}

/* Resolve a column list, or "all", into specs. */
static int
parse_columns(const char *list, int pii, const struct colspec **out,
	      size_t *n, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], word[64];
	const char *p = list;

	*n = 0;
	if (strcmp(list, "all") == 0) {
		all_columns(pii, out, n);
		return 0;
	}
	while (1) {
		size_t len = strcspn(p, ",");
		const struct colspec *c = find_col(p, len);

		if (c == NULL && len == 3 && strncmp(p, "all", 3) == 0)
			return case_err_set(err, CASE_E_INPUT, _("--columns: all "
					    "goes alone, not in a list"));
		if (c == NULL) {
			const char *near;

			snprintf(word, sizeof word, "%.*s",
				 (int)(len < 63 ? len : 63), p);
			near = case_suggest(word, case_report_columns,
					    NCOLSPECS + 1);
			case_quote(q, sizeof q, word);
			if (near != NULL)
				return case_err_set(err, CASE_E_INPUT,
						    _("--columns: unknown column "
						    "'%s' (did you mean '%s'?)"),
						    q, near);
			return case_err_set(err, CASE_E_INPUT,
					    _("--columns: unknown column '%s'"),
					    q);
		}
		if (c->pii && !pii)
			return case_err_set(err, CASE_E_INPUT,
					    _("--columns: %s is personal data; "
					    "add --pii to show it"),
					    c->name);
		if (*n == NCOLSPECS * 2)
			return case_err_set(err, CASE_E_INPUT,
					    _("--columns: too many columns"));
		out[(*n)++] = c;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

static int
list_columns(const struct case_report *r, enum case_fmt fmt,
	     const struct colspec **cols, size_t *n, struct case_err *err)
{
	static const char *const pii[] = {"reporter", "contact", "lat", "lon"};
	const struct colspec *summary;
	size_t i, npii;

	if (r->columns != NULL)
		return parse_columns(r->columns, r->pii, cols, n, err);
	if (parse_columns(fmt == CASE_FMT_TEXT	    ? text_columns
			  : fmt == CASE_FMT_GEOJSON ? map_columns
						    : data_columns,
			  0, cols, n, err) < 0)
		return -1;
	/* Personal data before the summary, which stays last: the people,
	 * and where a machine format is to carry every field back to
	 * case-open, the coordinates (a map has them as its points). */
	if (r->pii) {
		npii = fmt == CASE_FMT_TEXT || fmt == CASE_FMT_GEOJSON ? 2 : 4;
		summary = cols[--*n];
		for (i = 0; i < npii; i++)
			cols[(*n)++] = find_col(pii[i], strlen(pii[i]));
		cols[(*n)++] = summary;
	}
	return 0;
}

/* ---- groups ----------------------------------------------------------- */

const char *const case_report_groups[] = {
	"kind", "category", "priority", "status", "lead", "source", "level",
	"place", "place:N", "day", "week", "month", "year", NULL,
};

struct groupkey {
	char name[32];
	char expr[64];
	enum case_coltype type;
};

static int
parse_group(const char *spec, struct groupkey *k, size_t *n,
	    struct case_err *err)
{
	static const char *const plain[] = {"kind", "category", "priority",
					    "status", "lead", "source", NULL};
	static const char *const periods[] = {"day", "week", "month", "year",
					      NULL};
	char q[CASE_QUOTE_MAX], alts[256], word[32];
	const char *p = spec;

	*n = 0;
	while (1) {
		size_t len = strcspn(p, ",");
		struct groupkey *g = &k[*n];

		if (*n == 2)
			return case_err_set(err, CASE_E_INPUT,
					    _("--group: at most two fields"));
		if (len == 0 || len >= sizeof word)
			goto bad;
		memcpy(word, p, len);
		word[len] = '\0';
		snprintf(g->name, sizeof g->name, "%s", word);
		g->type = CASE_COL_TEXT;
		if (case_text_index(plain, word) >= 0)
			snprintf(g->expr, sizeof g->expr, "c.%s", word);
		else if (strcmp(word, "level") == 0) {
			snprintf(g->expr, sizeof g->expr, "c.level");
			g->type = CASE_COL_INT;
		} else if (strcmp(word, "place") == 0)
			snprintf(g->expr, sizeof g->expr, "c.place");
		else if (strncmp(word, "place:", 6) == 0) {
			char *end;
			long depth = strtol(word + 6, &end, 10);

			if (word[6] < '1' || word[6] > '9' || *end != '\0' ||
			    depth < 1 || depth > 32)
				return case_err_set(err, CASE_E_INPUT,
						    _("--group: bad depth in '%s' "
						    "(expected place:N, N from "
						    "1 to 32)"),
						    case_quote(q, sizeof q, word));
			snprintf(g->expr, sizeof g->expr,
				 "place_prefix(c.place, %ld)", depth);
		} else if (case_text_index(periods, word) >= 0)
			snprintf(g->expr, sizeof g->expr,
				 "period(c.opened_at, '%s')", word);
		else
			goto bad;
		(*n)++;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
bad:
	snprintf(word, sizeof word, "%.*s", (int)strcspn(p, ","), p);
	return case_err_set(err, CASE_E_INPUT,
			    _("--group: unknown field '%s' (expected %s)"),
			    case_quote(q, sizeof q, word),
			    case_text_alternatives(alts, sizeof alts,
						   case_report_groups));
}

/* ---- figures ---------------------------------------------------------- */

/* The figures in the order of the statement's columns, and "all". */
const char *const case_report_figures[] = {
	"opened", "open", "overdue", "resolved", "closed", "cancelled",
	"on_time_pct", "median_hours", "p90_hours", "visits_done",
	"visits_due", "satisfied_pct", "closed_unreachable",
	"closed_unvisited", "reopened", "level1", "level2", "level3", "all",
	NULL,
};

/* Less "all" and the NULL. */
#define NFIGURES                                                           \
	(sizeof case_report_figures / sizeof case_report_figures[0] - 2)

/*
 * Each figure as the statement's last SELECT names it, and its type: the
 * rest are counts, and rates and hours have one decimal.  A rate or an
 * hour figure comes as the numerator and denominator of an exact fraction
 * of whole numbers, and is rounded here, once (see case_round1): rounding
 * in SQL would follow each engine's arithmetic, binary floating point in
 * SQLite and decimal in PostgreSQL, and the two disagree on halves.
 */
static const struct {
	const char *sql, *den;
	enum case_coltype type;
} figure_col[] = {
	{"s.opened", NULL, CASE_COL_INT},
	{"s.open", NULL, CASE_COL_INT},
	{"s.overdue", NULL, CASE_COL_INT},
	{"s.resolved", NULL, CASE_COL_INT},
	{"s.closed", NULL, CASE_COL_INT},
	{"s.cancelled", NULL, CASE_COL_INT},
	{"s.on_time_num", "s.resolved", CASE_COL_REAL},
	{"p.median_num", "p.median_den", CASE_COL_REAL},
	{"p.p90_num", "3600", CASE_COL_REAL},
	{"coalesce(v.visits_done, 0)", NULL, CASE_COL_INT},
	{"coalesce(v.visits_due, 0)", NULL, CASE_COL_INT},
	{"v.satisfied_num", "v.satisfied_den", CASE_COL_REAL},
	{"s.closed_unreachable", NULL, CASE_COL_INT},
	{"s.closed_unvisited", NULL, CASE_COL_INT},
	{"s.reopened", NULL, CASE_COL_INT},
	{"s.level1", NULL, CASE_COL_INT},
	{"s.level2", NULL, CASE_COL_INT},
	{"s.level3", NULL, CASE_COL_INT},
};

_Static_assert(sizeof figure_col / sizeof figure_col[0] == NFIGURES,
	       "every figure has its column, in the same order");

/* Whether a figure reads the part of the statement named by its
 * column's prefix: "p." (the hours to resolve, a sort of the cases by
 * them) or "v." (the return visits, a join), which a statement without
 * such a figure leaves out. */
static int
figure_from(size_t f, char part)
{
	const char *sql = figure_col[f].sql;

	if (strncmp(sql, "coalesce(", 9) == 0)
		sql += 9;
	return sql[0] == part && sql[1] == '.';
}

/* What a grouped table shows in text unless --columns says otherwise:
 * the figures a duty officer reads first, in a line that fits 100
 * columns. */
static const char compact_figures[] =
	"opened,open,overdue,closed,on_time_pct,median_hours,satisfied_pct";

#define MAX_FIGURES (NFIGURES * 2)

/* The figures chosen, in the order given. */
struct figsel {
	size_t f[MAX_FIGURES];
	size_t n;
};

/* An unknown figure's message, for the option opt, with the closest
 * name when one is close: of the figures, and "all" when all is set. */
static int
unknown_figure(const char *opt, const char *word, int all,
	       struct case_err *err)
{
	char q[CASE_QUOTE_MAX], alts[320];
	const char *names[NFIGURES + 2], *near;

	memcpy(names, case_report_figures, sizeof names);
	if (!all)
		names[NFIGURES] = NULL;
	near = case_suggest(word, names, NFIGURES + (all != 0));

	if (near != NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s: unknown figure '%s' (did you mean "
				    "'%s'?)"),
				    opt, case_quote(q, sizeof q, word), near);
	return case_err_set(err, CASE_E_INPUT,
			    _("%s: unknown figure '%s' (expected %s)"), opt,
			    case_quote(q, sizeof q, word),
			    case_text_alternatives(alts, sizeof alts, names));
}

int
case_report_figure(const char *name)
{
	int f = case_text_index(case_report_figures, name);

	return (size_t)f == NFIGURES ? -1 : f;
}

/* Resolve a figure list, or "all", into the figures' numbers. */
static int
parse_figures(const char *list, struct figsel *sel, struct case_err *err)
{
	char word[64];
	const char *p = list;
	size_t i;
	int f;

	sel->n = 0;
	if (strcmp(list, "all") == 0) {
		for (i = 0; i < NFIGURES; i++)
			sel->f[sel->n++] = i;
		return 0;
	}
	while (1) {
		size_t len = strcspn(p, ",");

		snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63),
			 p);
		f = len < sizeof word ? case_text_index(case_report_figures, word)
				      : -1;
		if ((size_t)f == NFIGURES)
			return case_err_set(err, CASE_E_INPUT, _("--columns: all "
					    "goes alone, not in a list"));
		if (f < 0)
			return unknown_figure("--columns", word, 1, err);
		if (sel->n == MAX_FIGURES)
			return case_err_set(err, CASE_E_INPUT,
					    _("--columns: too many figures"));
		sel->f[sel->n++] = (size_t)f;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

int
case_report_check(const struct case_report *r, struct case_err *err)
{
	const struct colspec *cols[NCOLSPECS * 2 + 2];
	struct groupkey keys[2];
	struct figsel sel;
	size_t n;

	if ((r->filter.kind != NULL &&
	     check_words("kind", r->filter.kind, case_kinds, err) < 0) ||
	    (r->filter.status != NULL &&
	     check_words("status", r->filter.status, case_statuses, err) < 0) ||
	    (r->filter.priority != NULL &&
	     check_words("priority", r->filter.priority, case_priorities,
			 err) < 0))
		return -1;
	if (r->filter.place != NULL &&
	    case_place_check(r->filter.place, err) < 0)
		return case_err_prefix(err, "--place: ");
	if (r->filter.level != -1 && (r->filter.level < 0 || r->filter.level > 3))
		return case_err_set(err, CASE_E_INPUT,
				    _("--level: expected 0, 1, 2 or 3"));
	if (r->filter.category != NULL &&
	    case_text_check("--category", r->filter.category,
			    strlen(r->filter.category), 256, CASE_TEXT_ONELINE,
			    err) < 0)
		return -1;
	if (r->filter.unit != NULL &&
	    case_unit_code_check(r->filter.unit, err) < 0)
		return case_err_prefix(err, "--unit: ");
	if (r->filter.search != NULL &&
	    case_text_check("--search", r->filter.search,
			    strlen(r->filter.search), 1024,
			    CASE_TEXT_ONELINE | CASE_TEXT_NONEMPTY, err) < 0)
		return -1;
	if (r->columns != NULL &&
	    parse_columns(r->columns, r->pii, cols, &n, err) < 0)
		return -1;
	if (r->figures != NULL && parse_figures(r->figures, &sel, err) < 0)
		return -1;
	if (r->group != NULL && parse_group(r->group, keys, &n, err) < 0)
		return -1;
	if (r->figure != NULL && case_report_figure(r->figure) < 0)
		return unknown_figure("--figure", r->figure, 0, err);
	return 0;
}

/* ---- personal data ------------------------------------------------------- */

/*
 * " AND t.id IN (the cases that the access events a wrote name)" (see
 * lib/access.c).  The range is bound once, at *bound, for every use in
 * the statement.
 */
static void
q_journaled(struct q *q, const char *t, const struct case_access *a,
	    int *bound)
{
	q_add(q, " AND %s.id IN (SELECT e.case_id FROM events e"
		 " WHERE e.id BETWEEN ", t);
	if (*bound == 0) {
		q_int(q, a->first);
		*bound = q->nb + 1;
		q_add(q, " AND ");
		q_int(q, a->last);
	} else
		q_add(q, "?%d AND ?%d", *bound, *bound + 1);
	q_add(q, ")");
}

/* Personal column col of case c, shown only for the cases whose reading
 * was journaled. */
static void
q_pii(struct q *q, const char *col, const struct case_access *a, int *bound)
{
	q_add(q, "(SELECT x.%s FROM %s x WHERE x.id = c.id", col,
	      q->dialect == CASE_PG ? "case_tools.case_pii" : "cases");
	q_journaled(q, "x", a, bound);
	q_add(q, ")");
}

/*
 * Where a map's or a feed's coordinates come from: in a file, the cases
 * themselves; on a server, whose members may not read them from the
 * cases table, a view joined as g: case_pii for exact ones (to the roles
 * that may read personal data, where they may), case_coarse for ones
 * rounded to about 100 m (to every member, for the cases it sees).
 * coords_alias names the table to read lat and lon from, and
 * q_coords_join writes the join, after " FROM cases c" (LEFT keeps the
 * cases without a row in the view).
 */
static const char *
coords_alias(const struct q *q)
{
	return q->dialect == CASE_PG ? "g" : "c";
}

static void
q_coords_join(struct q *q, const char *how, int exact)
{
	if (q->dialect == CASE_PG)
		q_add(q, " %s JOIN case_tools.%s g ON g.id = c.id", how,
		      exact ? "case_pii" : "case_coarse");
}

/* Journal the reading of the filtered cases' personal data, before the
 * listing shows it. */
static int
list_access(struct case_db *db, const struct case_report *r,
	    struct case_access *a, struct case_err *err)
{
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_stmt *st;
	char detail[256];
	int rc;

	q_add(&q, CASE_ACCESS_INSERT "SELECT c.id, ?1, ");
	q_text(&q, "", case_db_actor(db), "");
	q_add(&q, ", 'access', c.status, c.level, ");
	q_text(&q, "",
	       case_access_detail(db, "case-report --list --pii", detail,
				  sizeof detail),
	       "");
	q_add(&q, " FROM cases c WHERE 1 = 1");
	q_filter(&q, &r->filter, 0);
	q_add(&q, "%s ORDER BY c.id",
	      CASE_SQL(db, CASE_HAS_PII_SQLITE, CASE_HAS_PII_PG));
	if (case_access_begin(db, a, err) < 0) {
		q_free(&q);
		return -1;
	}
	st = q_prepare(db, &q, err);
	q_free(&q);
	if (st == NULL) {
		case_db_rollback(db);
		return -1;
	}
	rc = case_access_add(db, st, a, err);
	case_stmt_free(st);
	return rc < 0 ? -1 : case_access_end(db, a, err);
}

/* "SELECT cols", with the writer's columns for them in outcols; the
 * personal ones only for the cases that the access events a wrote name
 * (see q_pii). */
static void
q_list(struct q *q, const struct colspec *const *cols, size_t n,
       struct case_col *outcols, const struct case_access *a, int *bound)
{
	size_t i;

	q_add(q, "SELECT ");
	for (i = 0; i < n; i++) {
		q_add(q, "%s", i ? ", " : "");
		if (cols[i]->pii)
			q_pii(q, cols[i]->name, a, bound);
		else
			q_add(q, "%s", cols[i]->expr);
		outcols[i].name = cols[i]->name;
		outcols[i].type = cols[i]->type;
		outcols[i].flags = cols[i]->flags;
	}
}

int
case_report_list(struct case_db *db, const struct case_report *r,
		 const struct case_sink *sink, size_t *rows,
		 struct case_err *err)
{
	const struct colspec *cols[NCOLSPECS * 2 + 2];
	struct case_col outcols[NCOLSPECS * 2 + 2];
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_access a = {1, 0};
	size_t n, i;
	int pii = 0, bound = 0;

	*rows = 0;
	if ((r->pii && case_role_allows(db, CASE_ACT_PII, err) < 0) ||
	    list_columns(r, sink->fmt, cols, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		pii |= cols[i]->pii;
	if (pii && list_access(db, r, &a, err) < 0)
		return -1;
	q_list(&q, cols, n, outcols, &a, &bound);
	q_add(&q, " FROM cases c WHERE 1 = 1");
	q_filter(&q, &r->filter, 0);
	q_add(&q, " ORDER BY c.id");
	return q_write(db, &q, sink, outcols, n, rows, err);
}

/* ---- GeoJSON ---------------------------------------------------------- */

/*
 * The cases that have coordinates as the points of an RFC 7946
 * FeatureCollection, their listed columns as the properties.  The
 * coordinates are location data about residents: exact with pii, rounded
 * to about 100 m with coarse, and never shown without one of them.
 */
int
case_report_geojson(struct case_db *db, const struct case_report *r,
		    const struct case_sink *sink, size_t *rows,
		    int64_t *placeless, struct case_err *err)
{
	const struct colspec *cols[NCOLSPECS * 2 + 2];
	struct case_col outcols[NCOLSPECS * 2 + 4];
	struct case_sink geo = *sink;
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_stmt *st;
	struct case_access a = {1, 0};
	unsigned coarse = r->coarse ? CASE_COL_COARSE : 0;
	const char *g;
	size_t n;
	int rc, bound = 0, exact = !r->coarse;

	*rows = 0;
	*placeless = 0;
	if (!r->pii && !r->coarse)
		return case_err_set(err, CASE_E_INPUT,
				    _("a map shows where residents are: add --pii "
				    "for exact coordinates, or --coarse for "
				    "ones rounded to about 100 m"));
	/* The cases left out: those without coordinates (on a server, without
	 * ones this login may read). */
	q_add(&q, "SELECT count(*) FROM cases c");
	q_coords_join(&q, "LEFT", exact);
	q_add(&q, " WHERE %s.lat IS NULL", coords_alias(&q));
	q_filter(&q, &r->filter, 0);
	st = q_prepare(db, &q, err);
	q_free(&q);
	if (st == NULL)
		return -1;
	rc = case_step(st);
	if (rc == CASE_ROW)
		*placeless = case_col_int64(st, 0);
	case_stmt_free(st);
	if (rc != CASE_ROW)
		return case_db_fail(db, err, _("cannot read the report"));

	geo.fmt = CASE_FMT_GEOJSON;
	if (list_columns(r, CASE_FMT_GEOJSON, cols, &n, err) < 0)
		return -1;
	/* Exact coordinates are personal data: their reading is journaled
	 * first, as a list's is. */
	if (r->pii && (case_role_allows(db, CASE_ACT_PII, err) < 0 ||
		       list_access(db, r, &a, err) < 0))
		return -1;
	q.dialect = case_db_dialect(db);
	q.db = db;
	q_list(&q, cols, n, outcols, &a, &bound);
	g = coords_alias(&q);
	q_add(&q, ", %s.lat, %s.lon FROM cases c", g, g);
	q_coords_join(&q, "", exact);
	q_add(&q, " WHERE %s.lat IS NOT NULL", g);
	/* Exact ones only for the cases whose reading was journaled. */
	if (exact)
		q_journaled(&q, "c", &a, &bound);
	outcols[n] = (struct case_col){"lat", CASE_COL_DEC,
				       CASE_COL_LAT | coarse};
	outcols[n + 1] = (struct case_col){"lon", CASE_COL_DEC,
					   CASE_COL_LON | coarse};
	q_filter(&q, &r->filter, 0);
	q_add(&q, " ORDER BY c.id");
	return q_write(db, &q, &geo, outcols, n + 2, rows, err);
}

/* ---- Open311 ---------------------------------------------------------- */

static void
json_member(FILE *fp, const char *name, const char *value, int last)
{
	case_json_string(fp, name);
	fputc(':', fp);
	if (value == NULL)
		fputs("null", fp);
	else
		case_json_string(fp, value);
	if (!last)
		fputc(',', fp);
}

static const char *
text_col(struct case_stmt *st, int i)
{
	return case_col_text(st, i);
}

static const char *
time_col(struct case_stmt *st, int i, char *buf)
{
	if (case_col_null(st, i))
		return NULL;
	return case_time_utc(case_col_int64(st, i), buf);
}

/*
 * GeoReport v2 has two statuses, open and closed; a case is closed for it
 * once it is closed or cancelled here.  status_notes carries the last
 * step of the journal.
 */
int
case_report_open311(struct case_db *db, const struct case_report *r,
		    FILE *fp, size_t *rows, struct case_err *err)
{
	char t1[CASE_TIME_BUF], t2[CASE_TIME_BUF], t3[CASE_TIME_BUF], id[32];
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_access a = {1, 0};
	struct case_stmt *st;
	int rc, bound = 0;

	*rows = 0;
	/* Exact coordinates are personal data: their reading is journaled
	 * first, as a list's is. */
	if (r->pii && (case_role_allows(db, CASE_ACT_PII, err) < 0 ||
		       list_access(db, r, &a, err) < 0))
		return -1;
	q_add(&q,
	      "SELECT c.id, c.ref, c.status IN ('closed','cancelled'),"
	      " (SELECT e.action || coalesce(': ' || e.detail, '') FROM events e"
	      "  WHERE e.case_id = c.id AND e.action <> 'access'"
	      "  ORDER BY e.id DESC LIMIT 1),"
	      " c.category, c.kind, coalesce(c.description, c.summary),"
	      " (SELECT u.name FROM units u WHERE u.code = c.lead),"
	      " c.opened_at,"
	      " (SELECT max(e.at) FROM events e WHERE e.case_id = c.id"
	      "  AND e.action <> 'access'),"
	      " c.due_at, c.address");
	/* Coordinates are personal data: exact, only with --pii, and only
	 * for the cases whose reading was journaled. */
	if (r->pii) {
		q_add(&q, ", ");
		q_pii(&q, "lat", &a, &bound);
		q_add(&q, ", ");
		q_pii(&q, "lon", &a, &bound);
		q_add(&q, " FROM cases c");
	} else
		q_add(&q, ", NULL, NULL FROM cases c");
	q_add(&q, " WHERE 1 = 1");
	q_filter(&q, &r->filter, 0);
	q_add(&q, " ORDER BY c.id");
	st = q_prepare(db, &q, err);
	q_free(&q);
	if (st == NULL)
		return -1;
	fputc('[', fp);
	while ((rc = case_step(st)) == CASE_ROW) {
		snprintf(id, sizeof id, "%lld",
			 (long long)case_col_int64(st, 0));
		fputs(*rows == 0 ? "\n{" : ",\n{", fp);
		json_member(fp, "service_request_id",
			    text_col(st, 1) ? text_col(st, 1) : id, 0);
		json_member(fp, "status",
			    case_col_int(st, 2) ? "closed" : "open", 0);
		json_member(fp, "status_notes", text_col(st, 3), 0);
		json_member(fp, "service_name", text_col(st, 4), 0);
		json_member(fp, "service_code", text_col(st, 5), 0);
		json_member(fp, "description", text_col(st, 6), 0);
		json_member(fp, "agency_responsible", text_col(st, 7), 0);
		json_member(fp, "service_notice", NULL, 0);
		json_member(fp, "requested_datetime", time_col(st, 8, t1), 0);
		json_member(fp, "updated_datetime", time_col(st, 9, t2), 0);
		json_member(fp, "expected_datetime", time_col(st, 10, t3), 0);
		json_member(fp, "address", text_col(st, 11), 0);
		json_member(fp, "address_id", NULL, 0);
		json_member(fp, "zipcode", NULL, 0);
		/* Coordinates are personal data: only with --pii. */
		if (r->pii && text_col(st, 12) != NULL &&
		    case_coord_canonical(text_col(st, 12)) &&
		    text_col(st, 13) != NULL &&
		    case_coord_canonical(text_col(st, 13)))
			fprintf(fp, "\"lat\":%s,\"long\":%s,", text_col(st, 12),
				text_col(st, 13));
		else
			fputs("\"lat\":null,\"long\":null,", fp);
		json_member(fp, "media_url", NULL, 1);
		fputc('}', fp);
		(*rows)++;
	}
	case_stmt_free(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read the report"));
	fputs(*rows == 0 ? "]\n" : "\n]\n", fp);
	if (fflush(fp) != 0 || ferror(fp))
		return case_err_set(err, CASE_E_IO, _("cannot write output"));
	return 0;
}

/* ---- statistics ------------------------------------------------------- */


/*
 * The join of the part t (p or v) of the statistics to their counts (s)
 * by the keys, a missing key matching a missing one.  PostgreSQL neither
 * hashes nor merges IS NOT DISTINCT FROM, and joins a thousand units to
 * a thousand in a nested loop (a million comparisons per part), so its
 * text compares the keys as text, and whether they are missing, in
 * equalities that it hashes or merges.
 */
static void
q_join(struct q *q, char t)
{
	if (q->dialect == CASE_PG)
		q_add(q, " LEFT JOIN %1$c ON coalesce(CAST(%1$c.k1 AS text), '')"
			 " = coalesce(CAST(s.k1 AS text), '')"
			 " AND (%1$c.k1 IS NULL) = (s.k1 IS NULL)"
			 " AND coalesce(CAST(%1$c.k2 AS text), '')"
			 " = coalesce(CAST(s.k2 AS text), '')"
			 " AND (%1$c.k2 IS NULL) = (s.k2 IS NULL)",
		      t);
	else
		q_add(q, " LEFT JOIN %1$c ON %1$c.k1 IS NOT DISTINCT FROM s.k1"
			 " AND %1$c.k2 IS NOT DISTINCT FROM s.k2",
		      t);
}

/*
 * The figures, per group of up to two keys (k1, k2; NULL constants when
 * there is no group, which makes one row even over no cases):
 *
 *   resolved       cases resolved and not reopened since: resolved or
 *                  closed
 *   on_time_pct    of those, the share resolved by their deadline
 *   median_hours,  hours from opening to resolution: the middle value
 *   p90_hours      (the mean of the two middle ones for an even count)
 *                  and the nearest-rank 90th percentile
 *   visits_due     open visits of resolved cases due by now
 *   satisfied_pct  satisfied visits among those that reached the
 *                  resident (satisfied or unsatisfied): visits that
 *                  happened, never a closure without one
 *   closed_unvisited
 *                  cases closed without a return visit (history
 *                  imported with no visit on record: outcome unknown)
 *   levelN         cases now at escalation level N
 *
 * The hours (p, a sort of the resolved cases) and the visits (v, a join)
 * are in the statement only when sel has a figure of theirs.
 */
static void
q_stats(struct q *q, const struct case_filter *f, const struct groupkey *k,
	size_t nk, const struct figsel *sel)
{
	size_t i;
	int hours = 0, visits = 0;

	const char *by = nk > 0 ? " GROUP BY k1, k2" : "";
	/* Without a group the keys are constants outside any aggregate,
	 * which PostgreSQL takes only as constants. */
	const char *keys = nk > 0 ? "k1, k2" : "NULL AS k1, NULL AS k2";

	for (i = 0; i < sel->n; i++) {
		hours |= figure_from(sel->f[i], 'p');
		visits |= figure_from(sel->f[i], 'v');
	}
	q_add(q, "WITH f AS (SELECT c.id, c.status, c.opened_at, c.due_at,"
		 " c.resolved_at, c.outcome, c.level, c.reopened, %s AS k1,"
		 " %s AS k2 FROM cases c WHERE 1 = 1",
	      nk > 0 ? k[0].expr : "NULL", nk > 1 ? k[1].expr : "NULL");
	q_filter(q, f, 0);
	q_add(q, "), s AS (SELECT %s, count(*) AS opened,"
		 " count(*) FILTER (WHERE status IN ('open','assigned')) AS open,"
		 " count(*) FILTER (WHERE status IN ('open','assigned')"
		 "  AND due_at < ?1) AS overdue,"
		 " count(*) FILTER (WHERE status IN ('resolved','closed'))"
		 "  AS resolved,"
		 " count(*) FILTER (WHERE status = 'closed') AS closed,"
		 " count(*) FILTER (WHERE status = 'cancelled') AS cancelled,"
		 " 100 * count(*) FILTER (WHERE status IN ('resolved',"
		 "  'closed') AND resolved_at <= due_at) AS on_time_num,"
		 " count(*) FILTER (WHERE outcome = 'unreachable')"
		 "  AS closed_unreachable,"
		 " count(*) FILTER (WHERE outcome = 'unknown')"
		 "  AS closed_unvisited,"
		 " coalesce(sum(reopened), 0) AS reopened,"
		 " count(*) FILTER (WHERE level = 1) AS level1,"
		 " count(*) FILTER (WHERE level = 2) AS level2,"
		 " count(*) FILTER (WHERE level = 3) AS level3"
		 " FROM f%s)",
	      keys, by);
	if (hours)
		q_add(q, ", r AS (SELECT k1, k2, resolved_at - opened_at AS d,"
			 " row_number() OVER (PARTITION BY k1, k2"
			 "  ORDER BY resolved_at - opened_at) AS rn,"
			 " count(*) OVER (PARTITION BY k1, k2) AS n"
			 " FROM f WHERE status IN ('resolved','closed')),"
			 " p AS (SELECT %s,"
			 " sum(d) FILTER (WHERE rn IN ((n + 1) / 2, n / 2 + 1))"
			 "  AS median_num,"
			 " 3600 * count(*) FILTER (WHERE rn IN ((n + 1) / 2,"
			 "  n / 2 + 1)) AS median_den,"
			 " max(d) FILTER (WHERE rn = (9 * n + 9) / 10) AS p90_num"
			 " FROM r%s)",
		      keys, by);
	if (visits)
		q_add(q, ", v AS (SELECT %s,"
			 " count(x.done_at) AS visits_done,"
			 " count(*) FILTER (WHERE x.done_at IS NULL"
			 "  AND x.due_at <= ?1 AND f.status = 'resolved')"
			 "  AS visits_due,"
			 " 100 * count(*) FILTER (WHERE x.outcome = 'satisfied')"
			 "  AS satisfied_num,"
			 " count(*) FILTER (WHERE x.outcome IN ('satisfied',"
			 "  'unsatisfied')) AS satisfied_den"
			 " FROM f JOIN visits x ON x.case_id = f.id%s)",
		      nk > 0 ? "f.k1, f.k2" : keys,
		      nk > 0 ? " GROUP BY f.k1, f.k2" : "");
	q_add(q, " SELECT ");
	if (nk > 0)
		q_add(q, "s.k1, ");
	if (nk > 1)
		q_add(q, "s.k2, ");
	for (i = 0; i < sel->n; i++) {
		q_add(q, "%s%s", i > 0 ? ", " : "", figure_col[sel->f[i]].sql);
		if (figure_col[sel->f[i]].den != NULL)
			q_add(q, ", %s", figure_col[sel->f[i]].den);
	}
	q_add(q, " FROM s");
	if (hours)
		q_join(q, 'p');
	if (visits)
		q_join(q, 'v');
	q_add(q, " ORDER BY s.k1 NULLS FIRST, s.k2 NULLS FIRST");
}

/*
 * num / den rounded to one decimal, halves away from zero, in exact
 * integer arithmetic: the figure every engine and every platform prints
 * the same.  den is positive.
 */
double
case_round1(int64_t num, int64_t den)
{
	int64_t a = num < 0 ? -num : num, tenths;

	/* floor((10a + den/2) / den), without overflow for the counts and
	 * seconds a district has (below 2^58). */
	tenths = (a / den) * 10 + ((a % den) * 20 + den) / (2 * den);
	return (double)(num < 0 ? -tenths : tenths) / 10.0;
}

/* Read the figure f from the columns at *c of a statistics row into v,
 * and step past them: a count is one column, a rate or hours two
 * (numerator and denominator; none when either is null or the
 * denominator is 0). */
static void
get_figure(struct case_stmt *st, int *c, size_t f, struct case_figval *v)
{
	int at = (*c)++;

	memset(v, 0, sizeof *v);
	if (figure_col[f].den != NULL) {
		int64_t den;

		(*c)++;
		v->rate = 1;
		if (case_col_null(st, at) || case_col_null(st, at + 1) ||
		    (den = case_col_int64(st, at + 1)) <= 0)
			v->none = 1;
		else
			v->value = case_round1(case_col_int64(st, at), den);
	} else if (case_col_null(st, at))
		v->none = 1;
	else
		v->count = case_col_int64(st, at);
}

/* Append the figure f from the columns at *c of a statistics row, and
 * step past them. */
static void
put_figure(struct case_out *out, struct case_stmt *st, int *c, size_t f)
{
	struct case_figval v;

	get_figure(st, c, f, &v);
	if (v.none)
		case_out_null(out);
	else if (v.rate)
		case_out_real(out, v.value);
	else
		case_out_int(out, v.count);
}

/* A summary in text reads best as one figure per line. */
static int
stats_vertical(struct case_db *db, struct case_stmt *st,
	       const struct case_sink *sink, const struct figsel *sel,
	       struct case_err *err)
{
	static const struct case_col cols[] = {{"figure", CASE_COL_TEXT},
					       {"value", CASE_COL_REAL}};
	struct case_out *out = sink_out(sink, cols, 2);
	size_t i;
	int rc, c;

	if (out == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	rc = case_step(st);
	for (i = 0, c = 0; rc == CASE_ROW && i < sel->n; i++) {
		case_out_text(out, case_report_figures[sel->f[i]]);
		put_figure(out, st, &c, sel->f[i]);
		if (case_out_end_row(out, err) < 0) {
			case_out_finish(out, NULL);
			return -1;
		}
	}
	if (rc != CASE_ROW)
		case_db_fail(db, err, _("cannot read the report"));
	if (case_out_finish(out, rc == CASE_ROW ? err : NULL) < 0)
		return -1;
	return rc == CASE_ROW ? 0 : -1;
}

/* ---- bars ------------------------------------------------------------- */

struct bar {
	char label[200];
	char num[32];	/* the figure as the table prints it */
	double value;	/* its length; 0 for none */
};

static void
draw_bars(FILE *fp, const struct bar *b, size_t n, int width)
{
	static const char *const eighths[] = {"",  "▏", "▎", "▍",
					       "▌", "▋", "▊", "▉"};
	size_t lw = 0, cw = 1, i;
	double max = 0;
	long room;

	for (i = 0; i < n; i++) {
		size_t w = case_text_width(b[i].label);

		if (w > lw)
			lw = w;
		if (b[i].value > max)
			max = b[i].value;
		if (strlen(b[i].num) > cw)
			cw = strlen(b[i].num);
	}
	room = (long)width - (long)lw - (long)cw - 4;
	if (room < 10)
		room = 10;
	for (i = 0; i < n; i++) {
		int64_t e = max > 0 ? (int64_t)(b[i].value * (double)room * 8 /
						  max)
				    : 0,
			j;
		size_t w = case_text_width(b[i].label);

		fputs(b[i].label, fp);
		for (j = (int64_t)w; j < (int64_t)lw; j++)
			fputc(' ', fp);
		fprintf(fp, "  %*s%s", (int)cw, b[i].num, e > 0 ? "  " : "");
		for (j = 0; j < e / 8; j++)
			fputs("█", fp);
		fputs(eighths[e % 8], fp);
		fputc('\n', fp);
	}
}

struct bars {
	struct bar *b;
	size_t n, cap;
	int fig; /* the figure of a group's bar */
	const char *key[2]; /* the group's fields */
};

/* The next bar, labelled label, for the figure v. */
static int
add_bar(struct bars *bs, const char *label, const struct case_figval *v,
	struct case_err *err)
{
	struct bar *b;

	if (bs->n == bs->cap) {
		size_t cap = bs->cap ? bs->cap * 2 : 32;

		if ((b = realloc(bs->b, cap * sizeof *b)) == NULL)
			return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		bs->b = b;
		bs->cap = cap;
	}
	b = &bs->b[bs->n++];
	snprintf(b->label, sizeof b->label, "%s", label);
	if (v->none)
		snprintf(b->num, sizeof b->num, "-");
	else if (v->rate)
		snprintf(b->num, sizeof b->num, "%.1f", v->value);
	else
		snprintf(b->num, sizeof b->num, "%lld", (long long)v->count);
	b->value = v->none ? 0 : v->rate ? v->value : (double)v->count;
	return 0;
}

/* A group's bar, or without a group one bar for each count of where the
 * cases stand. */
static int
bar_row(void *ctx, const struct case_stats_row *row, struct case_err *err)
{
	static const char *const standing[] = {"opened", "open", "overdue",
					       "resolved", "closed",
					       "cancelled"};
	struct bars *bs = ctx;
	char label[200];
	size_t i;

	/* Bars are text, for people: titles and enum words in their
	 * language. */
	if (row->nkeys == 0) {
		for (i = 0; i < 6; i++)
			if (add_bar(bs, case_col_title(standing[i]),
				    &row->fig[case_report_figure(standing[i])],
				    err) < 0)
				return -1;
		return 0;
	}
	snprintf(label, sizeof label, "%s%s%s",
		 row->key[0] ? case_col_value(bs->key[0], row->key[0]) : "-",
		 row->nkeys > 1 ? " " : "",
		 row->nkeys > 1 ? (row->key[1] ? case_col_value(bs->key[1],
								 row->key[1])
					       : "-")
				: "");
	return add_bar(bs, label, &row->fig[bs->fig], err);
}

/* Bars of a figure per group (opened unless --figure says another), or
 * without a group of the cases by where they stand. */
static int
stats_bars(struct case_db *db, const struct case_report *r,
	   const struct case_sink *sink, struct case_err *err)
{
	struct bars bs = {.fig = case_report_figure(r->figure ? r->figure
							       : "opened")};
	struct groupkey keys[2];
	size_t nk = 0, i;
	int rc;

	if (r->group != NULL && parse_group(r->group, keys, &nk, err) < 0)
		return -1;
	for (i = 0; i < nk; i++)
		bs.key[i] = keys[i].name;
	rc = case_report_stats_each(db, &r->filter, r->group,
				    r->group ? case_report_figures[bs.fig]
					     : NULL,
				    bar_row, &bs, err);
	if (rc == 0) {
		draw_bars(sink->fp, bs.b, bs.n, r->width > 0 ? r->width : 80);
		if (fflush(sink->fp) != 0 || ferror(sink->fp))
			rc = case_err_set(err, CASE_E_IO, _("cannot write output"));
	}
	free(bs.b);
	return rc;
}

/* Step st to its end, handing each row to fn; frees st. */
static int
each_row(struct case_db *db, struct case_stmt *st,
	 int (*fn)(void *ctx, struct case_stmt *st, struct case_err *err),
	 void *ctx, struct case_err *err)
{
	int rc;

	while ((rc = case_step(st)) == CASE_ROW)
		if (fn(ctx, st, err) < 0) {
			case_stmt_free(st);
			return -1;
		}
	if (rc != CASE_DONE)
		case_db_fail(db, err, _("cannot read the report"));
	case_stmt_free(st);
	return rc == CASE_DONE ? 0 : -1;
}

struct stats_each {
	size_t nk;
	struct figsel sel;
	case_stats_fn fn;
	void *ctx;
};

/* A statistics row as keys and figures, for the caller's function. */
static int
stats_row(void *ctx, struct case_stmt *st, struct case_err *err)
{
	struct stats_each *e = ctx;
	struct case_stats_row row;
	size_t i;
	int c;

	memset(&row, 0, sizeof row);
	row.nkeys = e->nk;
	for (c = 0; c < (int)e->nk; c++)
		row.key[c] = case_col_null(st, c) ? NULL : case_col_text(st, c);
	for (i = 0; i < NFIGURES; i++)
		row.fig[i].none = 1;
	for (i = 0; i < e->sel.n; i++)
		get_figure(st, &c, e->sel.f[i], &row.fig[e->sel.f[i]]);
	row.nfig = NFIGURES;
	return e->fn(e->ctx, &row, err);
}

int
case_report_stats_each(struct case_db *db, const struct case_filter *f,
		       const char *group, const char *figures,
		       case_stats_fn fn, void *ctx, struct case_err *err)
{
	struct stats_each e = {.fn = fn, .ctx = ctx};
	struct groupkey keys[2];
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_stmt *st;

	_Static_assert(NFIGURES <= CASE_STATS_MAX, "a row holds every figure");
	if ((group != NULL && parse_group(group, keys, &e.nk, err) < 0) ||
	    parse_figures(figures ? figures : "all", &e.sel, err) < 0)
		return -1;
	q_stats(&q, f, keys, e.nk, &e.sel);
	st = q_prepare(db, &q, err);
	q_free(&q);
	return st == NULL ? -1 : each_row(db, st, stats_row, &e, err);
}

int
case_report_rows(struct case_db *db, const struct case_filter *f,
		 int on_events, const char *head, const int64_t *vals,
		 size_t nvals, const char *tail,
		 int (*fn)(void *ctx, struct case_stmt *st,
			   struct case_err *err),
		 void *ctx, struct case_err *err)
{
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_stmt *st;
	size_t i;

	/* The caller's values take ?2 onwards, ahead of the filter's. */
	for (i = 0; i < nvals && q.nb < MAX_BINDS; i++) {
		q.b[q.nb].is_text = 0;
		q.b[q.nb++].i = vals[i];
	}
	q_add(&q, "%s", head);
	if (f != NULL)
		q_filter(&q, f, on_events);
	q_add(&q, " %s", tail);
	st = q_prepare(db, &q, err);
	q_free(&q);
	return st == NULL ? -1 : each_row(db, st, fn, ctx, err);
}

/* The rows of a grouped statistics statement: its keys, then the chosen
 * figures. */
static int
stats_rows(struct case_db *db, struct case_stmt *st, struct case_out *out,
	   const struct groupkey *keys, size_t nk, const struct figsel *sel,
	   struct case_err *err)
{
	size_t i;
	int rc, c;

	while ((rc = case_step(st)) == CASE_ROW) {
		for (c = 0; c < (int)nk; c++)
			if (case_col_null(st, c))
				case_out_null(out);
			else if (keys[c].type == CASE_COL_INT)
				case_out_int(out, case_col_int64(st, c));
			else
				case_out_text(out, case_col_text(st, c));
		for (i = 0; i < sel->n; i++)
			put_figure(out, st, &c, sel->f[i]);
		if (case_out_end_row(out, err) < 0) {
			case_reset(st);
			return -1;
		}
	}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read the report"));
	return 0;
}

int
case_report_stats(struct case_db *db, const struct case_report *r,
		  const struct case_sink *sink, struct case_err *err)
{
	struct case_col cols[2 + MAX_FIGURES];
	struct groupkey keys[2];
	struct figsel sel;
	struct case_out *out;
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_stmt *st;
	size_t nk = 0, i;
	int rc, c;

	if (r->bars && sink->fmt == CASE_FMT_TEXT)
		return stats_bars(db, r, sink, err);
	if (r->group != NULL && parse_group(r->group, keys, &nk, err) < 0)
		return -1;
	if (parse_figures(r->figures != NULL ? r->figures
			  : nk > 0 && sink->fmt == CASE_FMT_TEXT
				  ? compact_figures
				  : "all",
			  &sel, err) < 0)
		return -1;
	q_stats(&q, &r->filter, keys, nk, &sel);
	st = q_prepare(db, &q, err);
	q_free(&q);
	if (st == NULL)
		return -1;
	if (nk == 0 && sink->fmt == CASE_FMT_TEXT) {
		rc = stats_vertical(db, st, sink, &sel, err);
		case_stmt_free(st);
		return rc;
	}
	memset(cols, 0, sizeof cols);
	for (i = 0; i < nk; i++) {
		cols[i].name = keys[i].name;
		cols[i].type = keys[i].type;
	}
	for (i = 0; i < sel.n; i++) {
		cols[nk + i].name = case_report_figures[sel.f[i]];
		cols[nk + i].type = figure_col[sel.f[i]].type;
	}
	if ((out = sink_out(sink, cols, nk + sel.n)) == NULL) {
		case_stmt_free(st);
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	}
	rc = stats_rows(db, st, out, keys, nk, &sel, err);
	case_stmt_free(st);
	/* Text ends with the figures over every group: the same statement
	 * without a group, under the key "total". */
	if (rc == 0 && nk > 0 && sink->fmt == CASE_FMT_TEXT &&
	    case_out_rows(out) > 0) {
		struct q t = {.dialect = case_db_dialect(db), .db = db};

		q_stats(&t, &r->filter, keys, 0, &sel);
		st = q_prepare(db, &t, err);
		q_free(&t);
		if (st == NULL)
			rc = -1;
		else if (case_step(st) == CASE_ROW) {
			case_out_text(out, _("total"));
			if (nk > 1)
				case_out_null(out);
			for (i = 0, c = 0; i < sel.n; i++)
				put_figure(out, st, &c, sel.f[i]);
			rc = case_out_end_row(out, err);
			case_stmt_free(st);
		} else {
			rc = case_db_fail(db, err, _("cannot read the report"));
			case_stmt_free(st);
		}
	}
	if (case_out_finish(out, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/* ---- one case --------------------------------------------------------- */

static const struct case_col event_cols[] = {
	{"event", CASE_COL_INT},   {"at", CASE_COL_TIME},
	{"case", CASE_COL_INT},	   {"actor", CASE_COL_TEXT},
	{"action", CASE_COL_TEXT}, {"status", CASE_COL_TEXT},
	{"level", CASE_COL_INT},   {"detail", CASE_COL_TEXT, CASE_COL_STAMPS},
};

static const char show_events_sql[] =
	"SELECT id, at, case_id, actor, action, status, level, detail"
	" FROM events WHERE case_id = ?1 ORDER BY at, id";

/* Append the rows of a per-case query to out. */
static int
case_rows(struct case_db *db, const char *sql, int64_t id,
	  struct case_out *out, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, sql, err);

	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, id);
	return case_db_rows(db, st, out, N_("the case"), err);
}

/* One section of a case's text: a table of its own. */
static int
show_table(struct case_db *db, const char *sql, int64_t id,
	   const struct case_col *cols, size_t n, const struct case_sink *sink,
	   struct case_err *err)
{
	struct case_out *out;
	int rc;

	if ((out = sink_out(sink, cols, n)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	rc = case_rows(db, sql, id, out, err);
	if (case_out_finish(out, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/* The case's fields as "field value" lines. */
static int
show_fields(struct case_db *db, const struct case_report *r, int64_t id,
	    const struct case_access *a, const struct case_sink *sink,
	    struct case_err *err)
{
	static const struct case_col cols[] = {{"field", CASE_COL_TEXT},
					       {"value", CASE_COL_TEXT}};
	struct case_out *out;
	struct q q = {.dialect = case_db_dialect(db), .db = db};
	struct case_stmt *st;
	size_t i;
	int rc, bound = 0;

	q_add(&q, "SELECT ");
	for (i = 0; i < NCOLSPECS; i++) {
		q_add(&q, "%s", i ? ", " : "");
		if (!colspecs[i].pii)
			q_add(&q, "%s", colspecs[i].expr);
		else if (r->pii)
			q_pii(&q, colspecs[i].name, a, &bound);
		else
			q_add(&q, "NULL");
	}
	q_add(&q, " FROM cases c WHERE c.id = ");
	q_int(&q, id);
	st = q_prepare(db, &q, err);
	q_free(&q);
	if (st == NULL)
		return -1;
	rc = case_step(st);
	if (rc != CASE_ROW) {
		case_stmt_free(st);
		return case_db_fail(db, err, _("cannot read the case"));
	}
	if ((out = sink_out(sink, cols, 2)) == NULL) {
		case_stmt_free(st);
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	}
	for (i = 0; i < NCOLSPECS; i++) {
		int c = (int)i;

		if (colspecs[i].pii && !r->pii)
			continue;
		case_out_text(out, colspecs[i].name);
		if (case_col_null(st, c))
			case_out_null(out);
		else if (colspecs[i].type == CASE_COL_TEXT)
			/* This is text, for people: an enum value in their
			 * language. */
			case_out_text(out, case_col_value(colspecs[i].name,
							  text_col(st, c)));
		else if (colspecs[i].type == CASE_COL_DEC)
			case_out_text(out, text_col(st, c));
		else if (colspecs[i].type == CASE_COL_INT)
			case_out_int(out, case_col_int64(st, c));
		else {
			char b[CASE_TIME_BUF];

			/* The value column is text, so times and durations
			 * are formatted here as the text writer would. */
			if (colspecs[i].type == CASE_COL_DUR)
				case_dur_fmt(case_col_int64(st, c), b);
			else
				case_time_local(case_col_int64(st, c), b);
			case_out_text(out, b);
		}
		case_out_end_row(out, NULL);
	}
	case_stmt_free(st);
	return case_out_finish(out, err);
}

static int
show_text(struct case_db *db, const struct case_report *r, int64_t id,
	  const struct case_access *a, const struct case_sink *sink,
	  struct case_err *err)
{
	static const struct case_col unit_cols[] = {
		{"unit", CASE_COL_TEXT},     {"name", CASE_COL_TEXT},
		{"role", CASE_COL_TEXT},     {"assigned", CASE_COL_TIME},
		{"released", CASE_COL_TIME},
	};
	static const struct case_col visit_cols[] = {
		{"due", CASE_COL_TIME},	     {"done", CASE_COL_TIME},
		{"attempt", CASE_COL_INT},   {"method", CASE_COL_TEXT},
		{"outcome", CASE_COL_TEXT},  {"actor", CASE_COL_TEXT},
		{"note", CASE_COL_TEXT},
	};

	fprintf(sink->fp, _("case %lld\n"), (long long)id);
	if (show_fields(db, r, id, a, sink, err) < 0)
		return -1;
	fputs(_("\nunits\n"), sink->fp);
	if (show_table(db,
		       "SELECT a.unit, u.name, a.role, a.assigned_at,"
		       " a.released_at FROM assignments a LEFT JOIN units u"
		       " ON u.code = a.unit WHERE a.case_id = ?1"
		       " ORDER BY a.assigned_at, a.id",
		       id, unit_cols, 5, sink, err) < 0)
		return -1;
	fputs(_("\nvisits\n"), sink->fp);
	if (show_table(db,
		       "SELECT due_at, done_at, attempt, method, outcome, actor,"
		       " note FROM visits WHERE case_id = ?1"
		       " ORDER BY due_at, id",
		       id, visit_cols, 7, sink, err) < 0)
		return -1;
	fputs(_("\njournal\n"), sink->fp);
	return show_table(db, show_events_sql, id, event_cols, 8, sink, err);
}

/* Journal the reading of the personal data of the cases that a page in
 * text will show (the other formats show only journals). */
static int
show_access(struct case_db *db, const int64_t *v, size_t n,
	    struct case_access *a, struct case_err *err)
{
	char detail[256];
	size_t i;

	case_access_detail(db, "case-report --show --pii", detail,
			   sizeof detail);
	if (case_access_begin(db, a, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct case_stmt *st = case_db_stmt(
			db,
			CASE_SQL(db,
				 CASE_ACCESS_INSERT
				 "SELECT c.id, ?1, ?2, 'access', c.status,"
				 " c.level, ?3 FROM cases c WHERE c.id = ?4"
				 CASE_HAS_PII_SQLITE,
				 CASE_ACCESS_INSERT
				 "SELECT c.id, ?1, ?2, 'access', c.status,"
				 " c.level, ?3 FROM cases c WHERE c.id = ?4"
				 CASE_HAS_PII_PG),
			err);

		if (st == NULL) {
			case_db_rollback(db);
			return -1;
		}
		case_bind_int64(st, 1, case_db_now(db));
		case_bind_str(st, 2, case_db_actor(db));
		case_bind_str(st, 3, detail);
		case_bind_int64(st, 4, v[i]);
		if (case_access_add(db, st, a, err) < 0)
			return -1;
	}
	return case_access_end(db, a, err);
}

int
case_report_show(struct case_db *db, const struct case_report *r,
		 struct case_idsrc *ids, const struct case_sink *sink,
		 void (*on_error)(void *ctx, const char *msg), void *ctx,
		 long *bad, struct case_err *err)
{
	struct case_out *out = NULL;
	struct case_err e;
	const char *status;
	int64_t *v;
	size_t n, i;
	struct case_access a = {1, 0};
	long shown = 0;
	int rc = 0;

	/* Input refused as a whole shows nothing. */
	if ((r->pii && case_role_allows(db, CASE_ACT_PII, err) < 0) ||
	    case_idsrc_all(ids, on_error, ctx, &v, &n, bad, err) < 0)
		return -1;
	if (r->pii && sink->fmt == CASE_FMT_TEXT &&
	    show_access(db, v, n, &a, err) < 0) {
		free(v);
		return -1;
	}
	if (sink->fmt != CASE_FMT_TEXT &&
	    (out = sink_out(sink, event_cols, 8)) == NULL) {
		free(v);
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	}
	for (i = 0; i < n; i++) {
		/* A case is checked before anything of it is written. */
		if (case_status(db, v[i], &status, &e) < 0) {
			if (e.kind != CASE_E_INPUT && e.kind != CASE_E_NOTFOUND &&
			    e.kind != CASE_E_DENIED) {
				*err = e;
				rc = -1;
				break;
			}
			case_err_case(&e, v[i]);
			on_error(ctx, e.msg);
			(*bad)++;
			continue;
		}
		if (out != NULL)
			rc = case_rows(db, show_events_sql, v[i], out, err);
		else {
			if (shown > 0)
				fputc('\n', sink->fp);
			rc = show_text(db, r, v[i], &a, sink, err);
		}
		if (rc < 0)
			break;
		shown++;
	}
	free(v);
	if (out != NULL && case_out_finish(out, rc < 0 ? NULL : err) < 0)
		return -1;
	if (rc < 0)
		return -1;
	if (fflush(sink->fp) != 0 || ferror(sink->fp))
		return case_err_set(err, CASE_E_IO, _("cannot write output"));
	return 0;
}

/* ---- the journal ------------------------------------------------------ */

int
case_report_events(struct case_db *db, const struct case_report *r,
		   const struct case_sink *sink, size_t *rows,
		   struct case_err *err)
{
	struct q q = {.dialect = case_db_dialect(db), .db = db};

	*rows = 0;
	q_add(&q, "SELECT e.id, e.at, e.case_id, e.actor, e.action, e.status,"
		  " e.level, e.detail FROM events e JOIN cases c"
		  " ON c.id = e.case_id WHERE e.id > ");
	q_int(&q, r->after);
	if (r->filter.has_since) {
		q_add(&q, " AND e.at >= ");
		q_int(&q, r->filter.since);
	}
	if (r->filter.has_until) {
		q_add(&q, " AND e.at < ");
		q_int(&q, r->filter.until);
	}
	q_filter(&q, &r->filter, 1);
	q_add(&q, " ORDER BY e.id");
	return q_write(db, &q, sink, event_cols, 8, rows, err);
}
