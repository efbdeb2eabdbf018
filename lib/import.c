/*
 * Bulk import.  Rows stream through the CSV reader into case_open(), the
 * same function that opens a single case, inside one transaction.  Case
 * ids are spooled to a temporary file and handed out only once every row
 * is in, just before the commit, so that memory stays flat, no id is
 * printed for a row that is then rolled back, and a caller that cannot
 * write the ids out can still roll the whole import back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/csvin.h"
#include "case/import.h"
#include "case/text.h"
#include "case/words.h"
#include "i18n.h"
#include "case/roles.h"
#include "internal.h"

#define MAX_RECORD (4u << 20)

/* Columns of our own listings that are not fields to import; a round trip
 * of case-report output passes them over without a word. */
static const char *const output_only[] = {"id", "level", "outcome",
					  "reopened", "updated_at", NULL};

int
case_map_parse(const char *spec, struct case_map *map, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], *p, *item, *save = NULL;

	memset(map, 0, sizeof *map);
	if (case_text_check("--map", spec, strlen(spec), 65536,
			    CASE_TEXT_ONELINE, err) < 0)
		return -1;
	if ((map->buf = strdup(spec)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (p = map->buf; (item = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		char *eq = strchr(item, '='), *field, *col;
		int f;

		if (eq == NULL) {
			case_err_set(err, CASE_E_INPUT,
				     _("--map: '%s' is not field=column"),
				     case_quote(q, sizeof q, case_text_trim(item)));
			goto fail;
		}
		*eq = '\0';
		field = case_text_trim(item);
		col = case_text_trim(eq + 1);
		if ((f = case_field_index(field)) < 0) {
			const char *near = case_suggest(
				field, case_field_names, CASE_F_COUNT);

			case_quote(q, sizeof q, field);
			if (near != NULL)
				case_err_set(err, CASE_E_INPUT,
					     _("--map: unknown field '%s' (did "
					     "you mean '%s'?)"),
					     q, near);
			else
				case_err_set(err, CASE_E_INPUT,
					     _("--map: unknown field '%s'"), q);
			goto fail;
		}
		if (map->col[f] != NULL) {
			case_err_set(err, CASE_E_INPUT,
				     _("--map: field '%s' is mapped twice"),
				     case_field_names[f]);
			goto fail;
		}
		map->col[f] = col;
	}
	return 0;
fail:
	case_map_free(map);
	return -1;
}

void
case_map_free(struct case_map *map)
{
	free(map->buf);
	memset(map, 0, sizeof *map);
}

/* ---- values: --recode, and the words and units cells must name ------- */

/* The fields --recode translates, and the words of each that has a
 * closed list of them. */
static const struct {
	int field;
	const char *what; /* for messages: "unknown visit outcome ..." */
	const char *const *words;
} recodable[] = {
	{CASE_F_KIND, N_("kind"), case_kinds},
	{CASE_F_PRIORITY, N_("priority"), case_priorities},
	{CASE_F_STATUS, N_("status"), case_statuses},
	{CASE_F_SOURCE, N_("source"), NULL},
	{CASE_F_LEAD, N_("lead unit"), NULL},
	{CASE_F_VISIT_OUTCOME, N_("visit outcome"), case_outcomes},
	{CASE_F_VISIT_METHOD, N_("visit method"), case_methods},
};

#define NRECODABLE (int)(sizeof recodable / sizeof recodable[0])

static int
recodable_index(int field)
{
	int i;

	for (i = 0; i < NRECODABLE; i++)
		if (recodable[i].field == field)
			return i;
	return -1;
}

/* Parse one FIELD:FROM=TO; FROM may hold ':' and '=', TO may not hold
 * '='. */
static int
recode_parse(const char *spec, struct case_recode *r, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], q2[CASE_QUOTE_MAX], alts[256];
	char *colon, *eq, *field, *from, *to;
	int f, k, i;

	memset(r, 0, sizeof *r);
	if (case_text_check("--recode", spec, strlen(spec), 4096,
			    CASE_TEXT_ONELINE, err) < 0)
		return -1;
	if ((r->buf = strdup(spec)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	colon = strchr(r->buf, ':');
	eq = strrchr(r->buf, '=');
	if (colon == NULL || eq == NULL || eq < colon)
		return case_err_set(err, CASE_E_INPUT,
				    _("--recode: '%s' is not FIELD:FROM=TO (such "
				    "as 'status:In Progress=assigned')"),
				    case_quote(q, sizeof q, spec));
	*colon = *eq = '\0';
	field = case_text_trim(r->buf);
	from = case_text_trim(colon + 1);
	to = case_text_trim(eq + 1);
	f = case_field_index(field);
	if ((k = f < 0 ? -1 : recodable_index(f)) < 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("--recode '%s': cannot translate the values "
				    "of '%s' (expected kind, priority, status, "
				    "source, lead, visit_outcome or "
				    "visit_method)"),
				    case_quote(q, sizeof q, spec),
				    case_quote(q2, sizeof q2, field));
	if (*from == '\0')
		return case_err_set(err, CASE_E_INPUT,
				    _("--recode '%s': the value to translate is "
				    "empty"),
				    case_quote(q, sizeof q, spec));
	if (recodable[k].words != NULL && *to != '\0') {
		if ((i = case_word_index(recodable[k].words, to)) < 0)
			return case_err_set(
				err, CASE_E_INPUT,
				_("--recode '%s': unknown %s '%s' (expected %s)"),
				case_quote(q, sizeof q, spec), recodable[k].what,
				case_quote(q2, sizeof q2, to),
				case_text_alternatives(alts, sizeof alts,
						       recodable[k].words));
		to = (char *)recodable[k].words[i];
	} else if (f == CASE_F_SOURCE &&
		   case_text_check("--recode", to, strlen(to), 64,
				   CASE_TEXT_ONELINE, err) < 0)
		return -1;
	r->field = f;
	r->from = from;
	r->to = to;
	return 0;
}

void
case_recodes_free(struct case_recode *r, size_t n)
{
	size_t i;

	for (i = 0; r != NULL && i < n; i++)
		free(r[i].buf);
	free(r);
}

int
case_recodes_parse(const char *const *specs, struct case_recode **out,
		   size_t *n, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	size_t count = 0, i, j;
	struct case_recode *r;

	*out = NULL;
	*n = 0;
	while (specs != NULL && specs[count] != NULL)
		count++;
	if (count == 0)
		return 0;
	if ((r = calloc(count, sizeof *r)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (i = 0; i < count; i++) {
		if (recode_parse(specs[i], &r[i], err) < 0) {
			case_recodes_free(r, i + 1);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (r[j].field == r[i].field &&
			    strcasecmp(r[j].from, r[i].from) == 0) {
				case_err_set(err, CASE_E_INPUT,
					     _("--recode: %s '%s' is translated "
					     "twice"),
					     case_field_names[r[i].field],
					     case_quote(q, sizeof q, r[i].from));
				case_recodes_free(r, i + 1);
				return -1;
			}
	}
	*out = r;
	*n = count;
	return 0;
}

/* One row of the spool: a case id and the line it came from. */
struct spooled {
	int64_t id;
	long line;
};

static int
spool_put(FILE *fp, int64_t id, long line, struct case_err *err)
{
	struct spooled sp = {id, line};

	if (fwrite(&sp, sizeof sp, 1, fp) != 1)
		return case_err_set(err, CASE_E_IO,
				    _("cannot write the temporary id list"));
	return 0;
}

struct import {
	struct case_db *db;
	const struct case_import *opt;
	struct case_import_stats *stats;
	struct case_map map;
	int col[CASE_F_COUNT]; /* column of each field, or -1 */
	FILE *spool;	       /* struct spooled, one per row */
	FILE *added;	       /* struct spooled, one per case added */
	FILE *found;	       /* the line of each case found, at its id */
	unsigned char *found_bits; /* which ids were found, or NULL */
	struct found_run *run;	   /* lines to be written to found */
	int64_t first;	       /* the first id this import gives */
	int64_t first_added;   /* the id of the first case added, or 0 */
	int rebuild;	       /* the index of places is built at the end */
	int64_t last_event;    /* the journal's last id before the rows */
	int staged;	       /* rows go to a server's staging table */
	int history;	       /* a staged row had history (its events) */
	int64_t nstaged;       /* rows in it so far */
	struct case_recode *recode;
	size_t nrecode;
	unsigned recoded;      /* a bit per field that has a recode */
	struct tally *tally;   /* the values that matched nothing */
};

static void
note(struct import *im, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
note(struct import *im, long line, const char *fmt, ...)
{
	char msg[CASE_ERR_MSG];
	va_list ap;

	if (im->opt->on_note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	im->opt->on_note(im->opt->ctx, line, msg);
}

static int
on_header(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct import *im = arg;
	char q[CASE_QUOTE_MAX], ignored[CASE_ERR_MSG] = "";
	size_t i, j, nignored = 0;
	int f;

	for (i = 0; i < row->n; i++) {
		row->f[i] = case_text_trim(row->f[i]);
		for (j = 0; j < i; j++)
			if (strcasecmp(row->f[i], row->f[j]) == 0)
				return case_err_set(err, CASE_E_INPUT,
						    _("column '%s' appears twice "
						    "in the header"),
						    case_quote(q, sizeof q,
							       row->f[i]));
	}
	for (f = 0; f < CASE_F_COUNT; f++) {
		const char *want = im->map.col[f] ? im->map.col[f]
						  : case_field_names[f];

		im->col[f] = -1;
		if (*want == '\0')
			continue;
		for (i = 0; i < row->n; i++)
			if (strcasecmp(row->f[i], want) == 0)
				im->col[f] = (int)i;
		if (im->col[f] < 0 && im->map.col[f] != NULL)
			return case_err_set(err, CASE_E_INPUT,
					    _("--map %s=%s: no such column in the "
					    "header"),
					    case_field_names[f],
					    case_quote(q, sizeof q, want));
	}
	/* A column is ignored when no field took it. */
	for (i = 0; i < row->n; i++) {
		int used = 0;

		for (f = 0; f < CASE_F_COUNT; f++)
			used |= im->col[f] == (int)i;
		for (j = 0; output_only[j] != NULL && !used; j++)
			used = strcasecmp(row->f[i], output_only[j]) == 0;
		if (used)
			continue;
		if (nignored++ < 12) {
			size_t o = strlen(ignored);

			snprintf(ignored + o, sizeof ignored - o, "%s%s",
				 o ? ", " : "",
				 case_quote(q, sizeof q, row->f[i]));
		}
	}
	if (nignored > 12)
		note(im, 0, _("ignoring %zu columns: %s and %zu more"), nignored,
		     ignored, nignored - 12);
	else if (nignored > 0)
		note(im, 0, P_("ignoring column %s", "ignoring columns %s",
			       nignored),
		     ignored);
	if (im->col[CASE_F_SUMMARY] < 0 &&
	    im->opt->defaults[CASE_F_SUMMARY] == NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("no summary column (map one with --map "
				    "summary=COLUMN)"));
	return 0;
}

/*
 * The line on which this import added case id.  The cases an import adds
 * have consecutive ids, so the one asked for is normally at its place in
 * the list of cases added; it is looked for from the start otherwise.
 */
static int
line_added(struct import *im, int64_t id, long *line, struct case_err *err)
{
	struct spooled sp;
	off_t at = (off_t)(id - im->first_added) * (off_t)sizeof sp;
	int fd = fileno(im->added);

	*line = 0;
	if (fflush(im->added) != 0)
		return case_err_set(err, CASE_E_IO,
				    _("cannot write the temporary id list"));
	if (at >= 0 && pread(fd, &sp, sizeof sp, at) == (ssize_t)sizeof sp &&
	    sp.id == id) {
		*line = sp.line;
		return 0;
	}
	for (at = 0; pread(fd, &sp, sizeof sp, at) == (ssize_t)sizeof sp;
	     at += (off_t)sizeof sp)
		if (sp.id == id) {
			*line = sp.line;
			break;
		}
	return 0;
}

/* A bit per case id below this import's first: 128 KiB for a million
 * cases, and 32 MiB at most; a database with ids past that does without,
 * at one more read per case found.  The lines are kept for ids up to
 * 2^40, an 8 TiB sparse file, which no database of cases reaches. */
#define FOUND_BITS_MAX ((int64_t)1 << 28)
#define FOUND_ID_MAX ((int64_t)1 << 40)

/* The lines of cases found with consecutive ids, not yet written: a
 * re-run finds the cases of a file in the order it added them, so that
 * thousands of lines go out in one write. */
#define FOUND_RUN 4096

struct found_run {
	int64_t first; /* the id of line[0] */
	size_t n;
	int64_t line[FOUND_RUN];
};

static int
found_flush(struct import *im, struct case_err *err)
{
	struct found_run *r = im->run;
	size_t len = r->n * sizeof r->line[0];

	if (r->n > 0 &&
	    pwrite(fileno(im->found), r->line, len,
		   (off_t)r->first * (off_t)sizeof r->line[0]) != (ssize_t)len)
		return case_err_set(err, CASE_E_IO,
				    _("cannot write the temporary list of refs "
				    "found: %s"),
				    strerror(errno));
	r->n = 0;
	return 0;
}

/*
 * Whether a row whose ref names case id, which was there before this
 * import, repeats an earlier row of the file: *prev is that row's line, or
 * 0.  The line of each case found is kept at the case's id in a sparse
 * temporary file, so that a re-run of a large file holds none of them in
 * memory, and a look-up is one read; a bit per id says which were found,
 * so that a case found the first time is not looked up.  An import that
 * finds none makes neither.
 */
static int
line_found(struct import *im, int64_t id, long line, long *prev,
	   struct case_err *err)
{
	struct found_run *r = im->run;
	int64_t l = 0;
	ssize_t n;

	*prev = 0;
	if (id > FOUND_ID_MAX)
		return case_err_set(err, CASE_E_IO,
				    _("case %lld is beyond the ids an import "
				    "can keep track of"),
				    (long long)id);
	if (r == NULL) {
		if ((r = im->run = calloc(1, sizeof *r)) == NULL ||
		    (im->first <= FOUND_BITS_MAX &&
		     (im->found_bits = calloc((size_t)(im->first / 8) + 1,
					      1)) == NULL))
			return case_err_set(err, CASE_E_NOMEM,
					    _("out of memory"));
		if ((im->found = tmpfile()) == NULL)
			return case_err_set(err, CASE_E_IO,
					    _("cannot create a temporary file"));
	}
	if (im->found_bits != NULL && id < im->first) {
		unsigned char bit = (unsigned char)(1u << (id % 8));

		if (!(im->found_bits[id / 8] & bit)) {
			im->found_bits[id / 8] |= bit;
			goto note;
		}
	}
	if (r->n > 0 && id >= r->first && id < r->first + (int64_t)r->n) {
		*prev = (long)r->line[id - r->first];
		return 0;
	}
	n = pread(fileno(im->found), &l, sizeof l,
		  (off_t)id * (off_t)sizeof l);
	if (n < 0)
		return case_err_set(err, CASE_E_IO,
				    _("cannot read the temporary list of refs "
				    "found: %s"),
				    strerror(errno));
	if (n == (ssize_t)sizeof l && l != 0) {
		*prev = (long)l;
		return 0;
	}
note:
	if (r->n > 0 && (id != r->first + (int64_t)r->n || r->n == FOUND_RUN) &&
	    found_flush(im, err) < 0)
		return -1;
	if (r->n == 0)
		r->first = id;
	r->line[r->n++] = line;
	return 0;
}

/* The earlier line of the file whose ref a row repeats, or 0. */
static int
repeated(struct import *im, int64_t id, long line, long *prev,
	 struct case_err *err)
{
	if (im->first_added != 0 && id >= im->first_added)
		return line_added(im, id, prev, err);
	return line_found(im, id, line, prev, err);
}

static void
row_error(struct import *im, long line, const char *msg)
{
	im->stats->bad++;
	if (im->opt->on_error != NULL)
		im->opt->on_error(im->opt->ctx, line, msg);
}

/* ---- values that match nothing ------------------------------------------
 *
 * Every distinct value that matched nothing is counted, so that the
 * summary at the end names them all at once, with their rows: a user
 * writes every --recode in one go instead of one run per value.  A file
 * mapped wrongly could hold a million distinct ones; the first 4096 are
 * kept, in a table allocated with the first of them.
 */

#define TALLY_SLOTS 8192 /* a power of two, twice TALLY_MAX */
#define TALLY_MAX 4096
#define TALLY_SHOWN 20
#define VALUE_MAX 1024	 /* the longest value looked up, in bytes */

struct tally_entry {
	char *value; /* NULL: a free slot */
	int field;
	size_t units;
	long rows;
};

struct tally {
	struct tally_entry slot[TALLY_SLOTS];
	size_t n;
};

static int
tally_add(struct import *im, int field, const char *value, size_t units,
	  struct case_err *err)
{
	struct tally_entry *e;
	uint32_t h = 2166136261u ^ (uint32_t)field;
	const unsigned char *p;

	if (im->tally == NULL &&
	    (im->tally = calloc(1, sizeof *im->tally)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	for (;; h++) {
		e = &im->tally->slot[h & (TALLY_SLOTS - 1)];
		if (e->value == NULL)
			break;
		if (e->field == field && strcmp(e->value, value) == 0) {
			e->rows++;
			return 0;
		}
	}
	if (im->tally->n == TALLY_MAX)
		return 0;
	if ((e->value = strdup(value)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	e->field = field;
	e->units = units;
	e->rows = 1;
	im->tally->n++;
	return 0;
}

/* Fields in the order of recodable[], most rows first, then values. */
static int
cmp_tally(const void *a, const void *b)
{
	const struct tally_entry *x = a, *y = b;
	int fx = recodable_index(x->field), fy = recodable_index(y->field);

	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int
tally_report(struct import *im, struct case_err *err)
{
	struct case_unknown u[TALLY_SHOWN];
	struct tally_entry *e;
	size_t n = 0, i;

	if (im->tally == NULL || im->opt->on_unknown == NULL)
		return 0;
	if ((e = malloc(im->tally->n * sizeof *e)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (i = 0; i < TALLY_SLOTS; i++)
		if (im->tally->slot[i].value != NULL)
			e[n++] = im->tally->slot[i];
	qsort(e, n, sizeof *e, cmp_tally);
	for (i = 0; i < n && i < TALLY_SHOWN; i++) {
		u[i].field = case_field_names[e[i].field];
		u[i].value = e[i].value;
		u[i].rows = e[i].rows;
		u[i].units = e[i].units;
	}
	im->opt->on_unknown(im->opt->ctx, u, i, n - i);
	free(e);
	return 0;
}

static void
tally_free(struct import *im)
{
	size_t i;

	if (im->tally == NULL)
		return;
	for (i = 0; i < TALLY_SLOTS; i++)
		free(im->tally->slot[i].value);
	free(im->tally);
	im->tally = NULL;
}

/* The value --recode gives a cell of field f, or the cell itself. */
static const char *
recode(const struct import *im, int f, const char *cell)
{
	size_t len, i;
	const char *s = case_text_span(cell, &len);

	for (i = 0; i < im->nrecode; i++)
		if (im->recode[i].field == f &&
		    strlen(im->recode[i].from) == len &&
		    strncasecmp(im->recode[i].from, s, len) == 0)
			return im->recode[i].to;
	return cell;
}

/* A lead that names no unit, or several: the row's message. */
static void
lead_message(struct import *im, const char *val, size_t n,
	     const char *const *match, char *msg, size_t size)
{
	char q[CASE_QUOTE_MAX], q2[CASE_QUOTE_MAX];
	const char *near;

	case_quote(q, sizeof q, val);
	if (n >= 2) {
		snprintf(msg, size,
			 n == 2 ? _("lead '%s' names 2 units, %s and %s; give "
				  "one's code, or translate it with --recode "
				  "'lead:%s=CODE'")
				: _("lead '%s' names several units, %s, %s and more; "
				  "give one's code, or translate it with "
				  "--recode 'lead:%s=CODE'"),
			 q, match[0], match[1], q);
		return;
	}
	near = case_suggest(val, (const char *const *)im->db->units,
			    im->db->nunits);
	if (near != NULL)
		snprintf(msg, size,
			 _("unknown lead unit '%s' (did you mean '%s'? or "
			   "translate it with --recode 'lead:%s=CODE')"),
			 q, case_quote(q2, sizeof q2, near), q);
	else
		snprintf(msg, size,
			 _("unknown lead unit '%s' (no unit has that code or "
			   "name; translate it with --recode 'lead:%s=CODE')"),
			 q, q);
}

/*
 * The words and the lead unit of one row, once --recode has translated
 * them: a word of a closed list is taken whatever the case of its
 * letters, and a lead by its code, by its code in any case, or by its
 * unit's name, which v[CASE_F_LEAD] then gives way to the code.  A value
 * that matches nothing makes the row bad, with a message that says how
 * --recode would translate it, and goes to the tally.  Returns 1 for a
 * bad row, 0 for a good one, -1 on error.
 */
static int
row_values(struct import *im, long line, const char **v, struct case_err *err)
{
	char val[VALUE_MAX + 1], q[CASE_QUOTE_MAX], alts[256];
	char msg[CASE_ERR_MSG];
	const char *match[2], *s;
	size_t len, n;
	int k, f;

	for (k = 0; k < NRECODABLE; k++) {
		f = recodable[k].field;
		if (f == CASE_F_SOURCE || v[f] == NULL)
			continue;
		s = case_text_span(v[f], &len);
		if (len == 0)
			continue;
		if (len > VALUE_MAX)
			len = VALUE_MAX;
		memcpy(val, s, len);
		val[len] = '\0';
		if (recodable[k].words != NULL) {
			if (case_word_index(recodable[k].words, val) >= 0)
				continue;
			n = 0;
			case_quote(q, sizeof q, val);
			snprintf(msg, sizeof msg,
				 _("unknown %s '%s' (expected %s; or translate "
				   "it with --recode '%s:%s=...')"),
				 _(recodable[k].what), q,
				 case_word_alternatives(alts, sizeof alts,
							recodable[k].words),
				 case_field_names[f], q);
		} else {
			if ((n = case_units_find(im->db, val, match)) == 1) {
				v[f] = match[0];
				continue;
			}
			lead_message(im, val, n, match, msg, sizeof msg);
		}
		row_error(im, line, msg);
		return tally_add(im, f, val, n, err) < 0 ? -1 : 1;
	}
	return 0;
}

/* A lead that --recode translates to must name one unit; it becomes its
 * code. */
static int
recode_units(struct import *im, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], q2[CASE_QUOTE_MAX];
	const char *match[2], *near;
	size_t i, n;

	for (i = 0; i < im->nrecode; i++) {
		struct case_recode *r = &im->recode[i];

		if (r->field != CASE_F_LEAD || *r->to == '\0')
			continue;
		if ((n = case_units_find(im->db, r->to, match)) == 1) {
			r->to = match[0];
			continue;
		}
		case_quote(q, sizeof q, r->from);
		case_quote(q2, sizeof q2, r->to);
		if (n > 1)
			return case_err_set(err, CASE_E_INPUT,
					    _("--recode 'lead:%s=%s': '%s' names "
					    "several units, %s and %s; give a "
					    "code"),
					    q, q2, q2, match[0], match[1]);
		near = case_suggest(r->to, (const char *const *)im->db->units,
				    im->db->nunits);
		if (near != NULL)
			return case_err_set(err, CASE_E_NOTFOUND,
					    _("--recode 'lead:%s=%s': unknown unit "
					    "'%s' (did you mean '%s'?)"),
					    q, q2, q2, near);
		return case_err_set(err, CASE_E_NOTFOUND,
				    _("--recode 'lead:%s=%s': unknown unit '%s' "
				    "(see 'case-admin unit list')"),
				    q, q2, q2);
	}
	return 0;
}

/* ---- a server's import: rows staged, then applied at once ---------------
 *
 * On a server, a row at a time would be a round trip at a time.  The rows
 * are checked here as case_open checks them, streamed with COPY into a
 * temporary table, and applied with a few statements at the end: repeated
 * refs, refs already there, the new cases with their ids in the order of
 * the file, their history, their open events and the duplicate hints.
 * The outcome is the SQLite import's: the same ids, journal, messages and
 * counts.  Everything is inside the import's one transaction, and the
 * temporary table goes with it.
 */

/* Rows per statement at the end of an import: SQLite keeps a statement's
 * journal in memory, and a server sorts a statement's rows in memory up
 * to work_mem and on disk beyond it, so one statement over every row
 * would make memory, or the sort's disk, grow with the file. */
#define BULK_CHUNK 16384

static const char *const stage_cols[] = {
	"line", "id", "ref", "kind", "category", "summary", "description",
	"priority", "place", "address", "reporter", "contact", "source",
	"opened_at", "due_at", "status", "lead", "resolved_at", "closed_at",
	"visited_at", "visit_outcome", "visit_method", "lat", "lon",
};

#define NSTAGE (int)(sizeof stage_cols / sizeof stage_cols[0])

static const char stage_table[] =
	"CREATE TEMPORARY TABLE import_rows (line bigint, ref text COLLATE \"C\","
	" kind text, category text COLLATE \"C\", summary text,"
	" description text, priority text, place text COLLATE \"C\","
	" address text, reporter text, contact text, source text,"
	" opened_at bigint, due_at bigint, status text, lead text COLLATE \"C\","
	" resolved_at bigint, closed_at bigint, visited_at bigint,"
	" visit_outcome text, visit_method text, lat text, lon text, id bigint,"
	" existed boolean NOT NULL DEFAULT false,"
	" bad boolean NOT NULL DEFAULT false) ON COMMIT DROP";

/* What a staged row needs from the database is read before the rows
 * stream: the policy and the units. */
static int
stage_begin(struct import *im, struct case_err *err)
{
	struct case_policy pol;

	if (case_policy_get(im->db, &pol, err) < 0 ||
	    case_db_exec(im->db, stage_table, err) < 0)
		return -1;
	return case_db_load_begin(im->db, "import_rows", stage_cols, NSTAGE,
				  err);
}

static int
stage_row(struct import *im, long line, const char *const *v,
	  const char *const *names, struct case_err *err)
{
	char nums[7][24];
	const char *row[NSTAGE];
	struct case_newcase n;
	struct case_err e;

	if (case_newcase_check(im->db, v, names, &n, &e) < 0) {
		if (e.kind == CASE_E_DB || e.kind == CASE_E_NOMEM) {
			*err = e;
			err->line = line;
			return -1;
		}
		row_error(im, line, e.msg);
		return 0;
	}
	snprintf(nums[0], sizeof nums[0], "%ld", line);
	/* The row's id if every row before it adds a case, as on a first
	 * import; stage_end numbers them again when some do not. */
	snprintf(nums[5], sizeof nums[5], "%lld",
		 (long long)(im->first + im->nstaged++));
	snprintf(nums[1], sizeof nums[1], "%lld", (long long)n.opened);
	snprintf(nums[2], sizeof nums[2], "%lld", (long long)n.due);
	snprintf(nums[3], sizeof nums[3], "%lld", (long long)n.resolved);
	snprintf(nums[4], sizeof nums[4], "%lld", (long long)n.closed);
	snprintf(nums[6], sizeof nums[6], "%lld", (long long)n.visited);
	row[0] = nums[0];
	row[1] = nums[5];
	row[2] = n.v[CASE_F_REF];
	row[3] = case_kinds[n.kind];
	row[4] = n.v[CASE_F_CATEGORY];
	row[5] = n.v[CASE_F_SUMMARY];
	row[6] = n.v[CASE_F_DESCRIPTION];
	row[7] = case_priorities[n.priority];
	row[8] = n.v[CASE_F_PLACE];
	row[9] = n.v[CASE_F_ADDRESS];
	row[10] = n.v[CASE_F_REPORTER];
	row[11] = n.v[CASE_F_CONTACT];
	row[12] = n.v[CASE_F_SOURCE];
	row[13] = nums[1];
	row[14] = nums[2];
	row[15] = case_statuses[n.status];
	row[16] = n.v[CASE_F_LEAD];
	row[17] = n.resolved != 0 ? nums[3] : NULL;
	row[18] = n.closed != 0 ? nums[4] : NULL;
	row[19] = n.visit >= 0 ? nums[6] : NULL;
	row[20] = n.visit >= 0 ? case_outcomes[n.visit] : NULL;
	row[21] = n.visit >= 0 ? case_methods[n.method] : NULL;
	row[22] = n.lat[0] != '\0' ? n.lat : NULL;
	row[23] = n.lon[0] != '\0' ? n.lon : NULL;
	if (case_db_load_row(im->db, row, err) < 0) {
		err->line = line;
		return -1;
	}
	return spool_put(im->spool, im->first + im->nstaged - 1, line, err);
}

/* A later row whose ref an earlier row of the file already gave is bad,
 * whether the first found its case or added it. */
static int
stage_repeats(struct import *im, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		im->db,
		"SELECT line, ref, first FROM (SELECT line, ref, min(line)"
		" OVER (PARTITION BY ref) AS first FROM import_rows"
		" WHERE ref IS NOT NULL) r WHERE line > first ORDER BY line",
		err);
	char q[CASE_QUOTE_MAX], msg[CASE_ERR_MSG];
	long bad = im->stats->bad;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		snprintf(msg, sizeof msg, "ref '%s' repeats line %lld",
			 case_quote(q, sizeof q, case_col_text(st, 1)),
			 (long long)case_col_int64(st, 2));
		row_error(im, (long)case_col_int64(st, 0), msg);
	}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(im->db, err, _("cannot look for repeated refs"));
	if (im->stats->bad == bad)
		return 0;
	return case_db_exec(im->db,
			    "UPDATE import_rows r SET bad = true FROM"
			    " (SELECT line, min(line) OVER (PARTITION BY ref)"
			    "  AS first FROM import_rows WHERE ref IS NOT NULL) x"
			    " WHERE x.line = r.line AND x.line > x.first",
			    err);
}

/* The history of the rows that have one, in the order of their ids (the
 * file's), a page of them at a time: each needs statements of its own
 * while the page is read. */
static int
stage_history(struct import *im, struct case_err *err)
{
	struct case_stmt *st;
	struct case_newcase *page;
	int64_t after = 0;
	size_t n, i;
	int rc = -1;

	if ((page = calloc(256, sizeof *page)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (;;) {
		int64_t ids[256];

		st = case_db_stmt(im->db,
				  "SELECT id, lead, status, opened_at, resolved_at,"
				  " closed_at, visit_outcome, visit_method,"
				  " visited_at FROM import_rows WHERE NOT bad"
				  " AND NOT existed AND (lead IS NOT NULL OR"
				  " status <> 'open') AND id > ?1 ORDER BY id"
				  " LIMIT 256",
				  err);
		if (st == NULL)
			goto out;
		case_bind_int64(st, 1, after);
		for (n = 0; (rc = case_step(st)) == CASE_ROW; n++) {
			struct case_newcase *c = &page[n];
			const char *lead = case_col_text(st, 1);

			memset(c, 0, sizeof *c);
			ids[n] = case_col_int64(st, 0);
			snprintf(c->buf, sizeof c->buf, "%s", lead ? lead : "");
			c->v[CASE_F_LEAD] = lead ? c->buf : NULL;
			c->status = case_text_index(case_statuses,
						    case_col_text(st, 2));
			c->opened = case_col_int64(st, 3);
			c->resolved = case_col_int64(st, 4);
			c->closed = case_col_int64(st, 5);
			c->visit = case_col_null(st, 6)
					   ? -1
					   : case_text_index(case_outcomes,
							     case_col_text(st, 6));
			c->method = case_col_null(st, 7)
					    ? 3
					    : case_text_index(case_methods,
							      case_col_text(st, 7));
			c->visited = case_col_int64(st, 8);
		}
		case_reset(st);
		if (rc != CASE_DONE) {
			rc = case_db_fail(im->db, err, _("cannot read the history"));
			goto out;
		}
		im->history |= n > 0;
		for (i = 0; i < n; i++)
			if (case_open_events(im->db, ids[i], ids[i], 0, err) < 0 ||
			    case_newcase_replay(im->db, &page[i], ids[i], err) <
				    0) {
				rc = -1;
				goto out;
			}
		if (n < 256)
			break;
		after = ids[n - 1];
	}
	rc = 0;
out:
	free(page);
	return rc;
}

/* The duplicate hints, as case_open gives them, in the order of the
 * file: an open case at the same place and category opened in the 7 days
 * before, "before" being an earlier id.  A new case's place, category,
 * opening and id are its staged row's, and so is whether it is still
 * open: its history ends in the status the row gives, but for "open"
 * with a lead, which is "assigned", open too. */
static int
stage_duplicates(struct import *im, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		im->db,
		"SELECT r.line, d.id, d.status FROM import_rows r"
		" CROSS JOIN LATERAL (SELECT o.id, o.status FROM cases o"
		"  WHERE o.place = r.place AND o.category = r.category"
		"  AND o.status IN ('open','assigned')"
		"  AND o.opened_at BETWEEN r.opened_at - 604800 AND r.opened_at"
		"  AND o.id < r.id ORDER BY o.opened_at DESC LIMIT 1) d"
		" WHERE NOT r.bad AND NOT r.existed"
		" AND r.status IN ('open','assigned')"
		" AND r.place IS NOT NULL AND r.category IS NOT NULL"
		" ORDER BY r.line",
		err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW)
		note(im, (long)case_col_int64(st, 0),
		     _("likely a duplicate of case %lld (%s, same place and "
		     "category, opened within 7 days)"),
		     (long long)case_col_int64(st, 1), case_col_text(st, 2));
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(im->db, err, _("cannot look for duplicates"));
	return 0;
}

/*
 * A server keeps its trigram index a row at a time, through a list of
 * pending entries that it merges into the index every few megabytes: at
 * a million rows, most of an import.  Built in one pass after the rows,
 * as pg_restore builds it, the index costs about a fifth less.  Dropping
 * it takes the cases table for the rest of the transaction, so that even
 * readers wait, and only its owner may: the import does it only for the
 * owner (the administrator who moves an office's history onto a new
 * server) and only when the table is empty, where a reader that waits
 * has missed nothing.  *def gets the index's definition, to make it
 * again, or NULL when the index stays.
 */
static int
search_index_drop(struct case_db *db, char **def, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT pg_get_indexdef('cases_search'::regclass)"
		" WHERE NOT EXISTS (SELECT 1 FROM cases)"
		" AND pg_has_role(current_user, (SELECT relowner FROM pg_class"
		" WHERE oid = 'cases'::regclass), 'USAGE')",
		err);
	int rc;

	*def = NULL;
	if (st == NULL)
		return -1;
	rc = case_step(st);
	if (rc == CASE_ROW && (*def = strdup(case_col_text(st, 0))) == NULL) {
		case_reset(st);
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	}
	case_reset(st);
	if (rc != CASE_ROW && rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read the search index"));
	if (*def != NULL &&
	    case_db_exec(db, "DROP INDEX cases_search", err) < 0) {
		free(*def);
		*def = NULL;
		return -1;
	}
	return 0;
}

#define INSERT_STAGED \
	"INSERT INTO cases(id, ref, kind, category, summary, description," \
	" priority, place, address, reporter, contact, source, status," \
	" opened_at, due_at, lat, lon)" \
	" SELECT id, ref, kind, category, summary, description, priority," \
	" place, address, reporter, contact, source, 'open', opened_at," \
	" due_at, lat, lon FROM import_rows WHERE NOT bad AND NOT existed"

static int
stage_end(struct import *im, struct case_err *err)
{
	struct case_db *db = im->db;
	struct case_stmt *st;
	int64_t found, added, lo;
	char *search;
	int rc;

	long bad = im->stats->bad;
	int renumber;

	/* A unit member may not see every case that holds a ref; the
	 * schema's owner looks them up. */
	if (case_db_load_end(db, err) < 0 || stage_repeats(im, err) < 0 ||
	    case_db_exec(db,
			 case_db_role(db) == CASE_ROLE_UNIT
				 ? "UPDATE import_rows r SET id = c.id,"
				   " existed = true FROM case_tools.case_of_refs("
				   "ARRAY(SELECT ref FROM import_rows"
				   " WHERE ref IS NOT NULL)) c"
				   " WHERE c.ref = r.ref AND NOT r.bad"
				 : "UPDATE import_rows r SET id = c.id,"
				   " existed = true FROM cases c"
				   " WHERE c.ref = r.ref AND NOT r.bad",
			 err) < 0)
		return -1;
	/* The new cases' ids, in the order of the file: as staged, unless a
	 * row before one was bad or found its case. */
	found = case_db_changes(db);
	im->stats->existing += (long)found;
	renumber = found > 0 || im->stats->bad > bad;
	st = case_db_stmt(db,
			  "UPDATE import_rows r SET id = ?1 - 1 + x.n FROM"
			  " (SELECT line, row_number() OVER (ORDER BY line) AS n"
			  "  FROM import_rows WHERE NOT bad AND NOT existed) x"
			  " WHERE x.line = r.line",
			  err);
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, im->first);
	/* The rows go in as they were staged, which is the order of their
	 * ids unless they were numbered again: sorting a million rows of
	 * text would spill to disk, for no difference anyone can see but
	 * the order of the rows on the server's pages. */
	if ((renumber && case_db_done(db, st, err) < 0) ||
	    search_index_drop(db, &search, err) < 0)
		return -1;
	rc = case_db_exec(db,
			  renumber ? INSERT_STAGED " ORDER BY id" : INSERT_STAGED,
			  err);
	if (rc == 0 && search != NULL)
		rc = case_db_exec(db, search, err);
	free(search);
	if (rc < 0)
		return -1;
	added = case_db_changes(db);
	im->stats->added += (long)added;
	/* As case_open does: a case with history gets its open event and its
	 * history first; the others' open events follow, a chunk of ids a
	 * statement, which need not look for events already there when no
	 * row had history. */
	if (stage_history(im, err) < 0)
		return -1;
	for (lo = im->first; lo < im->first + added; lo += BULK_CHUNK)
		if (case_open_events(db, lo, lo + BULK_CHUNK - 1, !im->history,
				     err) < 0)
			return -1;
	if (im->opt->on_note != NULL && stage_duplicates(im, err) < 0)
		return -1;
	/* The ids, in the order of the file, for the caller: as stage_row
	 * spooled them, unless they were numbered again. */
	if (!renumber)
		return 0;
	if (fflush(im->spool) != 0 || ftruncate(fileno(im->spool), 0) < 0)
		return case_err_set(err, CASE_E_IO,
				    _("cannot write the temporary id list"));
	rewind(im->spool);
	st = case_db_stmt(db,
			  "SELECT id, line FROM import_rows WHERE NOT bad"
			  " ORDER BY line",
			  err);
	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW)
		if (spool_put(im->spool, case_col_int64(st, 0),
			      (long)case_col_int64(st, 1), err) < 0) {
			case_reset(st);
			return -1;
		}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read the ids"));
	return 0;
}

static int
on_row(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct import *im = arg;
	const char *v[CASE_F_COUNT], *names[CASE_F_COUNT];
	struct case_opened res;
	struct case_err e;
	long prev;
	int f;

	im->stats->rows++;
	/* A cell is translated by --recode; a blank cell takes the option's
	 * value; messages name the column a value came from (or is missing
	 * from), or the option. */
	for (f = 0; f < CASE_F_COUNT; f++) {
		v[f] = im->col[f] >= 0 ? row->f[im->col[f]] : NULL;
		names[f] = im->map.col[f];
		if (v[f] != NULL && (im->recoded & (1u << f)))
			v[f] = recode(im, f, v[f]);
		if (v[f] == NULL || case_text_blank(v[f])) {
			v[f] = im->opt->defaults[f];
			if (v[f] != NULL || im->col[f] < 0)
				names[f] = im->opt->names[f];
		}
	}
	if ((f = row_values(im, row->line, v, err)) != 0)
		return f < 0 ? -1 : 0;
	if (im->staged)
		return stage_row(im, row->line, v, names, err);
	/* The hints of a rebuild come at its end, and none without notes. */
	if (case_open_as(im->db, v, names,
			 CASE_OPEN_DEFER_EVENT |
				 (im->rebuild || im->opt->on_note == NULL
					  ? CASE_OPEN_NO_DUPCHECK
					  : 0),
			 &res, &e) < 0) {
		if (e.kind == CASE_E_DB || e.kind == CASE_E_NOMEM ||
		    e.kind == CASE_E_IO) {
			*err = e;
			err->line = row->line;
			return -1;
		}
		row_error(im, row->line, e.msg);
		return 0;
	}
	if (res.existed) {
		if (repeated(im, res.id, row->line, &prev, err) < 0)
			return -1;
		if (prev > 0) {
			char q[CASE_QUOTE_MAX], ref[CASE_QUOTE_MAX];
			size_t len;
			const char *r = case_text_span(v[CASE_F_REF], &len);

			snprintf(ref, sizeof ref, "%.*s", (int)len, r);
			case_err_set(&e, CASE_E_INPUT,
				     _("ref '%s' repeats line %ld"),
				     case_quote(q, sizeof q, ref), prev);
			row_error(im, row->line, e.msg);
			return 0;
		}
		im->stats->existing++;
	} else {
		im->stats->added++;
		if (im->first_added == 0)
			im->first_added = res.id;
		if (spool_put(im->added, res.id, row->line, err) < 0)
			return -1;
	}
	if (res.dup_of != 0)
		note(im, row->line,
		     _("likely a duplicate of case %lld (%s, same place and "
		     "category, opened within 7 days)"),
		     (long long)res.dup_of, res.dup_status);
	return spool_put(im->spool, res.id, row->line, err);
}

static void
on_bad(void *arg, long line, const char *msg)
{
	struct import *im = arg;

	im->stats->rows++;
	row_error(im, line, msg);
}

static void
on_progress(void *arg, long rows)
{
	struct import *im = arg;

	if (im->opt->on_progress != NULL)
		im->opt->on_progress(im->opt->ctx, rows);
}

/*
 * Bulk loading.  FTS5 flushes its pending index at every statement
 * boundary inside a transaction, so indexing a million rows one INSERT at
 * a time writes a million tiny segments and merges them over and over.
 * No row is indexed as it goes in (the trigram index takes new cases in
 * batches since schema 10, lib/fts.c): an import indexes the cases that
 * waited for a batch at its start, every row it added in a few
 * statements at its end, and moves the index's mark to its last case.
 *
 * The index of places takes rows in random order, and in a transaction
 * larger than the page cache every miss is a page written to the WAL and
 * read back, again and again.  When the file is large beside the
 * database, the import drops that index too, builds it again in one
 * sorted pass at the end, and finds likely duplicates with one query over
 * it instead of one per row.  It does the same with the index of active
 * cases, whose entries carry each summary and arrive at as many places
 * in it as there are deadlines: at a million rows, building it once at
 * the end took the import from 13.5 and 12.9 s to 13.0 and 12.5 s.
 *
 * All of it happens inside the import's transaction: other connections
 * see the old state or the new one.
 */
#define BULK_MIN_BYTES (8 << 20)

static int
rebuild_worth_it(struct case_db *db, FILE *in, int *yes, struct case_err *err)
{
	struct stat sb;
	int64_t dbsize;

	*yes = 0;
	if (fstat(fileno(in), &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size < BULK_MIN_BYTES)
		return 0;
	if (case_db_int(db,
			"SELECT page_count * page_size FROM pragma_page_count,"
			" pragma_page_size",
			&dbsize, "cannot read the database size", err) < 0)
		return -1;
	*yes = sb.st_size >= dbsize / 4;
	return 0;
}

/*
 * An office's first import, its history from the old platform, goes into
 * a database with no cases yet.  When the file is large, the import keeps
 * the database to itself (lib/store.h's alone()), which writes its pages
 * once instead of twice: other commands that come meanwhile wait for it,
 * where they would have found no cases.  Into a database that has cases,
 * and in a dry run, other commands read on as the import runs.
 */
static int
keep_alone(struct import *im, FILE *in, int *kept, struct case_err *err)
{
	struct stat sb;
	int64_t any;

	*kept = 0;
	if (im->opt->dry_run || fstat(fileno(in), &sb) < 0 ||
	    !S_ISREG(sb.st_mode) || sb.st_size < BULK_MIN_BYTES)
		return 0;
	if (case_db_int(im->db, "SELECT EXISTS (SELECT 1 FROM cases)", &any,
			"cannot read cases", err) < 0)
		return -1;
	return any ? 0 : case_db_alone(im->db, kept, err);
}

static int
bulk_begin(struct import *im, FILE *in, struct case_err *err)
{
	struct case_db *db = im->db;
	int64_t next_event;

	if (case_db_next_ids(db, &im->first, &next_event, err) < 0 ||
	    case_units_load(db, err) < 0 || recode_units(im, err) < 0)
		return -1;
	/* A server keeps its trigram index itself; its rows are staged. */
	if (case_db_dialect(db) == CASE_PG) {
		im->staged = 1;
		return stage_begin(im, err);
	}
	if (rebuild_worth_it(db, in, &im->rebuild, err) < 0)
		return -1;
	/* A larger page cache keeps the indexes that rows land in at random
	 * in memory instead of spilling them to the WAL and reading them
	 * back; 16 MiB stays well inside the import's memory budget, and
	 * bulk_end gives it back. */
	if (case_db_exec(db, "PRAGMA cache_size = -16384", err) < 0 ||
	    (im->rebuild &&
	     case_db_exec(db, "DROP INDEX cases_place;"
			      "DROP INDEX cases_active_due",
			  err) < 0) ||
	    case_db_int(db, "SELECT coalesce(max(id), 0) FROM events",
			&im->last_event, "cannot read the journal", err) < 0)
		return -1;
	/* The cases opened since the trigram index's last batch go in now,
	 * so that the import's own make one run from its first id on. */
	return case_fts_catch_up(db, err);
}

/* The duplicate hints of the new cases (lib/hints.c), each noted on its
 * line: new cases are spooled in the order of ids, as the hints come, so
 * one walk of the spool finds each one's line. */
struct hinted {
	struct import *im;
	struct spooled at;
};

static int
late_hint(void *arg, int64_t id, int64_t dup, int assigned,
	  struct case_err *err)
{
	struct hinted *h = arg;

	(void)err;
	while (h->at.id != id &&
	       fread(&h->at, sizeof h->at, 1, h->im->spool) == 1)
		;
	note(h->im, h->at.id == id ? h->at.line : 0,
	     _("likely a duplicate of case %lld (%s, same place and "
	       "category, opened within 7 days)"),
	     (long long)dup, case_statuses[assigned]); /* open, assigned */
	return 0;
}

static int
late_duplicates(struct import *im, struct case_err *err)
{
	struct hinted h = {im, {0, 0}};

	rewind(im->spool);
	return case_late_hints(im->db, im->first, late_hint, &h, err);
}

/* The open events of the ids lo to hi (case_fts_fill's each chunk). */
static int
open_events(struct case_db *db, int64_t lo, int64_t hi, void *fresh,
	    struct case_err *err)
{
	return case_open_events(db, lo, hi, (int)*(int64_t *)fresh, err);
}

static int
bulk_end(struct import *im, struct case_err *err)
{
	struct case_db *db = im->db;
	int64_t last, fresh;

	if (im->staged)
		return stage_end(im, err);
	if (case_db_int(db, "SELECT coalesce(max(id), 0) FROM cases", &last,
			"cannot read cases", err) < 0)
		return -1;
	/* The two indexes are sorted in runs the size of the page cache,
	 * 16 MiB again, merged from temporary files, and the duplicate hints
	 * are sorted the same way in smaller runs, so that none grows with
	 * the import.  They come before the trigram index: built after it,
	 * into the pages its last merge had freed, the index of places took
	 * the import's peak memory from 53 MiB to 83 MiB at a million rows. */
	if (im->rebuild &&
	    (case_db_exec(db, "PRAGMA cache_size = -16384", err) < 0 ||
	     case_db_exec(db, "PRAGMA temp_store = FILE", err) < 0 ||
	     case_db_exec(db, case_place_index, err) < 0 ||
	     case_db_exec(db, case_active_due_index, err) < 0))
		return -1;
	/* The duplicate hints, the trigram index and the journal get the
	 * default cache: the last two only grow at their end, and a large
	 * page cache would only grow past its size while FTS5 merges its
	 * segments. */
	if (case_db_exec(db, "PRAGMA cache_size = -2000", err) < 0 ||
	    (im->rebuild && im->opt->on_note != NULL &&
	     late_duplicates(im, err) < 0))
		return -1;
	/* The trigram index, and the open events a chunk of ids at a time
	 * beside it (lib/fts.c).  When the rows wrote no event (no case with
	 * history), none of the new cases has one, and the statement need
	 * not look.  The guard against replaced events costs a look-up per
	 * event, and the statement gives no ids: it is dropped meanwhile and
	 * put back in the same transaction. */
	if (case_db_int(db, "SELECT coalesce(max(id), 0) FROM events",
			&fresh, "cannot read the journal", err) < 0 ||
	    case_db_exec(db, "DROP TRIGGER events_no_replace", err) < 0)
		return -1;
	fresh = fresh == im->last_event;
	if (case_fts_fill(db, im->first, last, open_events, &fresh, err) < 0 ||
	    case_db_exec(db, case_events_no_replace, err) < 0)
		return -1;
	return case_fts_mark(db, last, err);
}

int
case_import(struct case_db *db, FILE *in, const struct case_import *opt,
	    struct case_import_stats *stats, struct case_err *err)
{
	struct case_csv_cb cb = {on_header, on_row, on_bad, on_progress, NULL};
	struct spooled sp;
	struct import im;
	struct case_err ignored;
	size_t i;
	int rc = -1, alone = 0;

	memset(stats, 0, sizeof *stats);
	memset(&im, 0, sizeof im);
	im.db = db;
	im.opt = opt;
	im.stats = stats;
	cb.arg = &im;
	/* Refused once, not once per row. */
	if (case_role_allows(db, CASE_ACT_OPEN, err) < 0 ||
	    (opt->map != NULL && case_map_parse(opt->map, &im.map, err) < 0))
		return -1;
	if (case_recodes_parse(opt->recode, &im.recode, &im.nrecode, err) < 0)
		goto out;
	for (i = 0; i < im.nrecode; i++)
		im.recoded |= 1u << im.recode[i].field;
	if ((im.spool = tmpfile()) == NULL || (im.added = tmpfile()) == NULL) {
		case_err_set(err, CASE_E_IO, _("cannot create a temporary file"));
		goto out;
	}
	if (keep_alone(&im, in, &alone, err) < 0 ||
	    case_db_begin(db, err) < 0)
		goto out;
	if (bulk_begin(&im, in, err) < 0 ||
	    case_csv_read(in, MAX_RECORD, &cb, err) < 0 ||
	    bulk_end(&im, err) < 0 || tally_report(&im, err) < 0) {
		case_db_rollback(db);
		goto out;
	}
	if (stats->bad > 0 && !opt->skip_bad && !opt->dry_run) {
		case_db_rollback(db);
		case_err_set(err, CASE_E_INPUT,
			     P_("%ld bad row; nothing imported (--skip-bad "
				"imports the good ones)",
				"%ld bad rows; nothing imported (--skip-bad "
				"imports the good ones)",
				(unsigned long)stats->bad),
			     stats->bad);
		goto out;
	}
	if (opt->on_id != NULL && !opt->dry_run) {
		rewind(im.spool);
		while (fread(&sp, sizeof sp, 1, im.spool) == 1)
			opt->on_id(opt->ctx, sp.id);
	}
	if (opt->before_commit != NULL &&
	    opt->before_commit(opt->ctx, err) < 0) {
		case_db_rollback(db);
		goto out;
	}
	if (opt->dry_run) {
		case_db_rollback(db);
		rc = 0;
		goto out;
	}
	if (case_db_commit(db, err) < 0)
		goto out;
	rc = 0;
out:
	/* Temporary storage goes back to memory once the transaction is
	 * over: it cannot change while the hints' table is open in it. */
	if (im.rebuild)
		case_db_exec(db, "PRAGMA temp_store = MEMORY", &ignored);
	if (alone)
		case_db_share(db);
	if (im.spool != NULL)
		fclose(im.spool);
	if (im.added != NULL)
		fclose(im.added);
	if (im.found != NULL)
		fclose(im.found);
	free(im.found_bits);
	free(im.run);
	case_map_free(&im.map);
	case_recodes_free(im.recode, im.nrecode);
	tally_free(&im);
	return rc;
}
