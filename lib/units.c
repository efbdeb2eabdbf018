/*
 * The registry of units and supervisors.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/cases.h"
#include "case/csvin.h"
#include "case/out.h"
#include "case/roles.h"
#include "case/text.h"
#include "case/units.h"
#include "case/words.h"
#include "i18n.h"
#include "internal.h"

const char *const case_unit_types[] = {"police", "judicial", "lawfirm",
				       "department", "grid", "community",
				       "other", NULL};

int
case_unit_code_check(const char *code, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *p;
	size_t n = strlen(code);

	if (n == 0 || n > 64)
		goto bad;
	if (!isalnum((unsigned char)*code))
		goto bad;
	for (p = code; *p != '\0'; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
		      *p == '.'))
			goto bad;
	return 0;
bad:
	return case_err_set(err, CASE_E_INPUT,
			    _("bad unit code '%s' (expected up to 64 ASCII "
			    "letters, digits, '.', '_' or '-', such as "
			    "pcs-qianjin)"),
			    case_quote(q, sizeof q, code));
}

/* Free the registry's codes and names that case_units_load kept. */
void
case_units_forget(struct case_db *db)
{
	size_t i;

	for (i = 0; i < db->nunits; i++) {
		free(db->units[i]);
		if (db->unit_names != NULL)
			free(db->unit_names[i]);
	}
	free(db->units);
	free(db->unit_names);
	free(db->unit_fold);
	free(db->unit_byname);
	db->units = db->unit_names = NULL;
	db->unit_fold = db->unit_byname = NULL;
	db->nunits = 0;
	db->have_units = 0;
}

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Indexes of units in the orders case_units_find searches: by code
 * whatever its case, and by name (arg: the array of codes or names). */
static int
cmp_fold(const void *a, const void *b, void *arg)
{
	char **code = arg;

	return strcasecmp(code[*(const size_t *)a], code[*(const size_t *)b]);
}

static int
cmp_name(const void *a, const void *b, void *arg)
{
	char **name = arg;

	return strcmp(name[*(const size_t *)a], name[*(const size_t *)b]);
}

/* The first and last of the units whose key, in the order cmp sorts
 * idx, equals text by eq; 0 when there is none. */
static size_t
equal_range(const size_t *idx, size_t n, char **keys, const char *text,
	    int (*eq)(const char *, const char *), size_t *first)
{
	size_t lo = 0, hi = n, last;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (eq(keys[idx[mid]], text) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (last = lo; last < n && eq(keys[idx[last]], text) == 0; last++)
		;
	*first = lo;
	return last - lo;
}

size_t
case_units_find(struct case_db *db, const char *text, const char *match[2])
{
	char *const *code;
	const size_t *idx = db->unit_fold;
	size_t first, n, i;

	match[0] = match[1] = NULL;
	code = bsearch(&text, db->units, db->nunits, sizeof *db->units,
		       cmp_code);
	if (code != NULL) {
		match[0] = *code;
		return 1;
	}
	n = equal_range(idx, db->nunits, db->units, text, strcasecmp, &first);
	if (n == 0) {
		idx = db->unit_byname;
		n = equal_range(idx, db->nunits, db->unit_names, text, strcmp,
				&first);
	}
	for (i = 0; i < n && i < 2; i++)
		match[i] = db->units[idx[first + i]];
	return n;
}

/* A unit's code and name, while they are read and sorted. */
struct code_name {
	char *code, *name;
};

static int
cmp_pair(const void *a, const void *b)
{
	return strcmp(((const struct code_name *)a)->code,
		      ((const struct code_name *)b)->code);
}

/*
 * Every unit code and name, kept on the handle: a bulk load checks each
 * row's lead unit against them without asking the database (on a server,
 * the connection is busy with the rows themselves), by code, by code
 * whatever its case, or by name.  Registries hold hundreds of units.
 */
int
case_units_load(struct case_db *db, struct case_err *err)
{
	struct code_name *u = NULL;
	struct case_stmt *st;
	size_t n = 0, i;
	int rc;

	case_units_forget(db);
	st = case_db_stmt(db, "SELECT code, name FROM units ORDER BY code", err);
	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		struct code_name *nu = realloc(u, (n + 1) * sizeof *nu);

		if (nu != NULL) {
			u = nu;
			u[n].code = strdup(case_col_text(st, 0));
			u[n].name = strdup(case_col_text(st, 1));
			n++;
		}
		if (nu == NULL || u[n - 1].code == NULL ||
		    u[n - 1].name == NULL) {
			rc = -2;
			break;
		}
	}
	case_reset(st);
	/* The engines' orders agree (bytes), but the search needs strcmp's. */
	if (rc == CASE_DONE) {
		if (n > 0) /* u is NULL without units */
			qsort(u, n, sizeof *u, cmp_pair);
		db->units = calloc(n + 1, sizeof *db->units);
		db->unit_names = calloc(n + 1, sizeof *db->unit_names);
		db->unit_fold = calloc(n + 1, sizeof *db->unit_fold);
		db->unit_byname = calloc(n + 1, sizeof *db->unit_byname);
	}
	if (rc == CASE_DONE && db->units != NULL && db->unit_names != NULL &&
	    db->unit_fold != NULL && db->unit_byname != NULL) {
		for (i = 0; i < n; i++) {
			db->units[i] = u[i].code;
			db->unit_names[i] = u[i].name;
			db->unit_fold[i] = db->unit_byname[i] = i;
		}
		db->nunits = n;
		free(u);
		qsort_r(db->unit_fold, n, sizeof *db->unit_fold, cmp_fold,
			db->units);
		qsort_r(db->unit_byname, n, sizeof *db->unit_byname, cmp_name,
			db->unit_names);
		db->have_units = 1;
		return 0;
	}
	for (i = 0; i < n; i++) {
		free(u[i].code);
		free(u[i].name);
	}
	free(u);
	case_units_forget(db);
	if (rc == CASE_DONE || rc == -2)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	return case_db_fail(db, err, _("cannot read units"));
}

/* Whether s is well-formed UTF-8 throughout. */
static int
utf8_ok(const char *s)
{
	size_t n;

	for (; *s != '\0'; s += n)
		if ((n = case_utf8_len((const unsigned char *)s)) == 0)
			return 0;
	return 1;
}

/*
 * Whether code is a unit: from the codes kept on the handle when
 * case_units_load kept them, else from the database.  A code that is not
 * UTF-8 is none (every code was checked when its unit was added), and is
 * not asked for: a server refuses such bytes.  The suggestion for an
 * unknown code reads every code; this runs only on the error path.
 */
int
case_unit_require(struct case_db *db, const char *code, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *near;
	int found, kept = db->have_units;

	if (!kept && !utf8_ok(code)) {
		if (case_units_load(db, err) < 0)
			return -1;
	} else if (!kept) {
		struct case_stmt *st =
			case_db_stmt(db, "SELECT 1 FROM units WHERE code = ?1", err);
		int rc;

		if (st == NULL)
			return -1;
		case_bind_str(st, 1, code);
		rc = case_step(st);
		found = rc == CASE_ROW;
		case_reset(st);
		if (found)
			return 0;
		if (rc != CASE_DONE)
			return case_db_fail(db, err, _("cannot read units"));
		if (case_units_load(db, err) < 0)
			return -1;
	} else if (bsearch(&code, db->units, db->nunits, sizeof *db->units,
			   cmp_code) != NULL)
		return 0;
	near = case_suggest(code, (const char *const *)db->units, db->nunits);
	if (near != NULL)
		case_err_set(err, CASE_E_NOTFOUND,
			     _("unknown unit '%s' (did you mean '%s'?)"),
			     case_quote(q, sizeof q, code), near);
	else
		case_err_set(err, CASE_E_NOTFOUND,
			     _("unknown unit '%s' (see 'case-admin unit list')"),
			     case_quote(q, sizeof q, code));
	if (!kept)
		case_units_forget(db);
	return -1;
}

/* The names of a unit's fields in messages: the options of unit add, and
 * the columns of unit import. */
static const char *const add_names[] = {N_("the code"), N_("the name"), "--type",
					"--parent",	"--place",  "--chief",
					"--contact"};
static const char *const unit_cols[] = {"code",	 "name",  "type",    "parent",
					"place", "chief", "contact", NULL};

/* Check a unit whose values are trimmed; names are its fields' names. */
static int
check_unit(struct case_db *db, const struct case_unit *u,
	   const char *const *names, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], alts[256];
	const char *text[] = {u->name, u->place, u->chief, u->contact};
	const int at[] = {1, 4, 5, 6};
	size_t i;

	if (case_unit_code_check(u->code, err) < 0)
		return -1;
	if (u->name == NULL || *u->name == '\0')
		return case_err_set(err, CASE_E_INPUT, _("the unit name is missing"));
	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		if (text[i] != NULL &&
		    case_text_check(names[at[i]], text[i], strlen(text[i]),
				    1024, CASE_TEXT_ONELINE, err) < 0)
			return -1;
	if (u->type != NULL && *u->type != '\0' &&
	    case_word_index(case_unit_types, u->type) < 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("%s: unknown unit type '%s' (expected %s)"),
				    names[2], case_quote(q, sizeof q, u->type),
				    case_word_alternatives(alts, sizeof alts,
							   case_unit_types));
	if (u->place != NULL && *u->place != '\0' &&
	    case_place_check(u->place, err) < 0)
		return case_err_prefix(err, "%s: ", names[4]);
	if (u->parent != NULL && *u->parent != '\0') {
		if (strcmp(u->parent, u->code) == 0)
			return case_err_set(err, CASE_E_INPUT,
					    _("%s: a unit cannot be its own parent"),
					    names[3]);
		if (case_unit_code_check(u->parent, err) < 0 ||
		    (db != NULL && case_unit_require(db, u->parent, err) < 0))
			return case_err_prefix(err, "%s: ", names[3]);
	}
	return 0;
}

static int
exists(struct case_db *db, const char *code, int *yes, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, "SELECT 1 FROM units WHERE code = ?1",
					err);
	int rc;

	if (st == NULL)
		return -1;
	case_bind_str(st, 1, code);
	rc = case_step(st);
	*yes = rc == CASE_ROW;
	case_reset(st);
	if (rc != CASE_ROW && rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read units"));
	return 0;
}

static int
store_unit(struct case_db *db, const struct case_unit *u, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"INSERT INTO units(code, name, type, parent, place, chief,"
		" contact) VALUES (?1, ?2, coalesce(?3, 'other'), ?4, ?5, ?6, ?7)"
		" ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
		" type = excluded.type, parent = excluded.parent,"
		" place = excluded.place, chief = excluded.chief,"
		" contact = excluded.contact",
		err);

	if (st == NULL)
		return -1;
	case_bind_str(st, 1, u->code);
	case_bind_str(st, 2, u->name);
	case_bind_text(st, 3, case_word_english(case_unit_types, u->type));
	case_bind_text(st, 4, u->parent);
	case_bind_text(st, 5, u->place);
	case_bind_text(st, 6, u->chief);
	case_bind_text(st, 7, u->contact);
	/* The codes kept on the handle, if any, are out of date. */
	case_units_forget(db);
	return case_db_done(db, st, err);
}


/* A copy of u without the white space around its values, in one block
 * that the caller frees (*buf). */
static int
trimmed(const struct case_unit *u, struct case_unit *t, char **buf,
	struct case_err *err)
{
	const char *in[] = {u->code,  u->name,  u->type,   u->parent,
			    u->place, u->chief, u->contact};
	const char *v[7] = {NULL};
	size_t need = 1, i;
	char *p;

	for (i = 0; i < 7; i++)
		need += in[i] != NULL ? strlen(in[i]) + 1 : 0;
	if ((*buf = p = malloc(need)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (i = 0; i < 7; i++)
		if (in[i] != NULL) {
			size_t n = strlen(in[i]) + 1;

			v[i] = case_text_trim(memcpy(p, in[i], n));
			p += n;
		}
	*t = (struct case_unit){v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
	return 0;
}

int
case_unit_check(const struct case_unit *u, struct case_err *err)
{
	struct case_unit t;
	char *buf;
	int rc;

	if (trimmed(u, &t, &buf, err) < 0)
		return -1;
	rc = check_unit(NULL, &t, add_names, err);
	free(buf);
	return rc;
}

int
case_unit_add(struct case_db *db, const struct case_unit *u, int replace,
	      struct case_err *err)
{
	struct case_unit t;
	char *buf;
	int yes, rc = -1;

	if (case_role_allows(db, CASE_ACT_ADMIN, err) < 0 ||
	    trimmed(u, &t, &buf, err) < 0)
		return -1;
	if (check_unit(db, &t, add_names, err) < 0 ||
	    exists(db, t.code, &yes, err) < 0)
		goto out;
	if (yes && !replace) {
		case_err_set(err, CASE_E_INPUT, _("unit '%s' already exists"),
			     t.code);
		goto out;
	}
	rc = store_unit(db, &t, err);
out:
	free(buf);
	return rc;
}

/* A tie as one string, "place\ncode\ncode...", to compare ties by. */
static char *
tie_key(const struct case_tie *t)
{
	size_t need = strlen(t->place) + 1, i;
	char *k, *p;

	for (i = 0; i < t->n; i++)
		need += strlen(t->codes[i]) + 1;
	if ((k = p = malloc(need)) == NULL)
		return NULL;
	p += sprintf(p, "%s", t->place);
	for (i = 0; i < t->n; i++)
		p += sprintf(p, "\n%s", t->codes[i]);
	return k;
}

/*
 * Every place that two or more units cover, with their codes in order;
 * with code, only the place of that unit.  A registry holds hundreds of
 * units, so a tie's codes are gathered in memory.  ?1 is cast where it is
 * tested for NULL, so that a server knows its type even then.
 */
static int
each_tie(struct case_db *db, const char *code,
	 int (*fn)(void *arg, const struct case_tie *t, struct case_err *err),
	 void *arg, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT place, code FROM units WHERE place IN (SELECT place"
		" FROM units WHERE place IS NOT NULL AND (CAST(?1 AS TEXT) IS"
		" NULL OR place ="
		" (SELECT place FROM units WHERE code = ?1)) GROUP BY place"
		" HAVING count(*) > 1) ORDER BY place, code",
		err);
	char *place = NULL, **codes = NULL, **nc;
	size_t n = 0, i;
	int rc, done = 0, fail = 0;

	if (st == NULL)
		return -1;
	case_bind_text(st, 1, code);
	while (!done && !fail) {
		const char *p = NULL;

		rc = case_step(st);
		if (rc == CASE_ROW)
			p = case_col_text(st, 0);
		else if (rc == CASE_DONE)
			done = 1;
		else {
			fail = case_db_fail(db, err, _("cannot read units"));
			break;
		}
		if (place != NULL && (p == NULL || strcmp(p, place) != 0)) {
			struct case_tie t = {place, (const char *const *)codes,
					     n};

			fail = fn(arg, &t, err) < 0;
			for (i = 0; i < n; i++)
				free(codes[i]);
			free(place);
			place = NULL;
			n = 0;
		}
		if (p == NULL || fail)
			continue;
		if (place == NULL && (place = strdup(p)) == NULL) {
			fail = case_err_set(err, CASE_E_NOMEM, _("out of memory"));
			continue;
		}
		if ((nc = realloc(codes, (n + 1) * sizeof *codes)) != NULL)
			codes = nc;
		if (nc == NULL ||
		    (codes[n] = strdup(case_col_text(
			     st, 1))) == NULL)
			fail = case_err_set(err, CASE_E_NOMEM, _("out of memory"));
		else
			n++;
	}
	case_reset(st);
	for (i = 0; i < n; i++)
		free(codes[i]);
	free(codes);
	free(place);
	return fail ? -1 : 0;
}

/* The callback of case_unit_ties, and the ties seen before an import. */
struct ties {
	void (*on_tie)(void *ctx, const struct case_tie *t);
	void *ctx;
	char **keys;
	size_t n;
};

static int
report_tie(void *arg, const struct case_tie *t, struct case_err *err)
{
	struct ties *ts = arg;

	(void)err;
	ts->on_tie(ts->ctx, t);
	return 0;
}

int
case_unit_ties(struct case_db *db, const char *code,
	       void (*on_tie)(void *ctx, const struct case_tie *t), void *ctx,
	       struct case_err *err)
{
	struct ties ts = {on_tie, ctx, NULL, 0};

	return each_tie(db, code, report_tie, &ts, err);
}

static int
keep_tie(void *arg, const struct case_tie *t, struct case_err *err)
{
	struct ties *ts = arg;
	char **nk = realloc(ts->keys, (ts->n + 1) * sizeof *nk);

	if (nk == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	ts->keys = nk;
	if ((nk[ts->n] = tie_key(t)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	ts->n++;
	return 0;
}

/* Report a tie unless it was there before. */
static int
new_tie(void *arg, const struct case_tie *t, struct case_err *err)
{
	struct ties *ts = arg;
	char *k = tie_key(t);
	size_t i;

	if (k == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	for (i = 0; i < ts->n && strcmp(ts->keys[i], k) != 0; i++)
		;
	free(k);
	if (i == ts->n)
		ts->on_tie(ts->ctx, t);
	return 0;
}

int
case_unit_list(struct case_db *db, struct case_out *out, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db,
		"SELECT code, name, type, parent, place, chief, contact"
		" FROM units ORDER BY code",
		err);

	if (st == NULL)
		return -1;
	return case_db_rows(db, st, out, N_("units"), err);
}

/* Units are stored as their rows come; parents may be named before they
 * are defined, so they are checked once the whole file is in (the foreign
 * key is deferred to the commit for the same reason). */
struct unit_import {
	struct case_db *db;
	void (*on_error)(void *, long, const char *);
	void *ctx;
	int col[7];
	long bad, count;
};

static int
unit_header(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct unit_import *ui = arg;
	size_t i;
	int c;

	for (c = 0; c < 7; c++)
		ui->col[c] = -1;
	for (i = 0; i < row->n; i++) {
		char q[CASE_QUOTE_MAX];

		row->f[i] = case_text_trim(row->f[i]);
		c = -1;
		for (int k = 0; unit_cols[k] != NULL; k++)
			if (strcasecmp(row->f[i], unit_cols[k]) == 0)
				c = k;
		/* A registry is small and typed by hand: a column that is not
		 * ours is more likely a typo than something to pass over. */
		if (c < 0)
			return case_err_set(err, CASE_E_INPUT,
					    _("unknown column '%s' (expected code, "
					    "name, type, parent, place, chief "
					    "and contact)"),
					    case_quote(q, sizeof q, row->f[i]));
		if (ui->col[c] >= 0)
			return case_err_set(err, CASE_E_INPUT,
					    _("column '%s' appears twice"),
					    unit_cols[c]);
		ui->col[c] = (int)i;
	}
	if (ui->col[0] < 0 || ui->col[1] < 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("the header needs columns code and name"));
	return 0;
}

static int
unit_row(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct unit_import *ui = arg;
	const char *v[7];
	struct case_unit u;
	struct case_err e;
	int c;

	/* The reader has refused cells with NUL bytes, so a cell's length
	 * is its strlen, before and after the white space is cut. */
	for (c = 0; c < 7; c++)
		v[c] = ui->col[c] >= 0 ? case_text_trim(row->f[ui->col[c]])
				       : NULL;
	u = (struct case_unit){v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
	for (c = 0; c < 7; c++)
		if (v[c] != NULL &&
		    case_text_check(unit_cols[c], v[c], strlen(v[c]), 1024,
				    CASE_TEXT_ONELINE, &e) < 0)
			goto bad;
	/* Whether a parent exists is checked once every row is in. */
	if (check_unit(NULL, &u, unit_cols, &e) < 0)
		goto bad;
	if (store_unit(ui->db, &u, err) < 0)
		return -1;
	ui->count++;
	return 0;
bad:
	ui->bad++;
	ui->on_error(ui->ctx, row->line, e.msg);
	(void)err;
	return 0;
}

static void
unit_bad(void *arg, long line, const char *msg)
{
	struct unit_import *ui = arg;

	ui->bad++;
	ui->on_error(ui->ctx, line, msg);
}

/* Units whose parent is not in the registry, and chains of parents that
 * lead back to where they start: each reported as a bad unit. */
static int
check_parents(struct unit_import *ui, struct case_err *err)
{
	static const char *const sql[] = {
		"SELECT u.code, u.parent FROM units u"
		" WHERE u.parent IS NOT NULL AND NOT EXISTS"
		" (SELECT 1 FROM units p WHERE p.code = u.parent)"
		" ORDER BY u.code",
		/* An import can rewrite existing units' parents, so a chain
		 * of parents may now lead back to where it started. */
		"WITH RECURSIVE up(start, code, depth) AS ("
		" SELECT code, parent, 1 FROM units"
		"  WHERE parent IS NOT NULL"
		" UNION ALL SELECT up.start, u.parent, up.depth + 1"
		"  FROM up JOIN units u ON u.code = up.code"
		"  WHERE u.parent IS NOT NULL AND up.code <> up.start"
		"  AND up.depth < 1000)"
		" SELECT DISTINCT start, NULL FROM up WHERE code = start"
		" ORDER BY start",
	};
	size_t i;
	int rc;

	for (i = 0; i < 2; i++) {
		struct case_stmt *st = case_db_stmt(ui->db, sql[i], err);

		if (st == NULL)
			return -1;
		while ((rc = case_step(st)) == CASE_ROW) {
			char msg[300];

			if (i == 0)
				snprintf(msg, sizeof msg,
					 "unit %s: unknown parent unit '%s'",
					 case_col_text(st, 0),
					 case_col_text(st, 1));
			else
				snprintf(msg, sizeof msg,
					 "unit %s: its chain of parents leads "
					 "back to itself",
					 case_col_text(st, 0));
			ui->on_error(ui->ctx, 0, msg);
			ui->bad++;
		}
		case_reset(st);
		if (rc != CASE_DONE)
			return case_db_fail(ui->db, err, _("cannot read units"));
	}
	return 0;
}

int
case_unit_import(struct case_db *db, FILE *in,
		 void (*on_error)(void *ctx, long line, const char *msg),
		 void (*on_tie)(void *ctx, const struct case_tie *t), void *ctx,
		 long *count, struct case_err *err)
{
	struct unit_import ui = {.db = db, .on_error = on_error, .ctx = ctx};
	struct case_csv_cb cb = {.header = unit_header, .row = unit_row,
				 .bad = unit_bad, .arg = &ui};
	struct ties before = {on_tie, ctx, NULL, 0};
	size_t i;
	int rc = -1;

	if (case_role_allows(db, CASE_ACT_ADMIN, err) < 0)
		return -1;
	/* A tie is reported when the import makes it: one that was there
	 * before, with the same units, was reported when it was made. */
	if ((on_tie != NULL && each_tie(db, NULL, keep_tie, &before, err) < 0) ||
	    case_csv_read(in, 1 << 20, &cb, err) < 0 ||
	    check_parents(&ui, err) < 0)
		goto out;
	*count = ui.count;
	if (ui.bad > 0) {
		case_err_set(err, CASE_E_INPUT,
			     P_("%ld bad unit; nothing imported",
				"%ld bad units; nothing imported",
				(unsigned long)ui.bad),
			     ui.bad);
		goto out;
	}
	if (on_tie != NULL && each_tie(db, NULL, new_tie, &before, err) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < before.n; i++)
		free(before.keys[i]);
	free(before.keys);
	return rc;
}

int
case_supervisor_check(int level, const char *name, const char *contact,
		      struct case_err *err)
{
	if (level < 1 || level > 3)
		return case_err_set(err, CASE_E_INPUT,
				    _("bad level %d (expected 1, 2 or 3)"), level);
	if (case_text_check(N_("the name"), name, strlen(name), 256,
			    CASE_TEXT_ONELINE | CASE_TEXT_NONEMPTY, err) < 0 ||
	    (contact != NULL &&
	     case_text_check(N_("the contact"), contact, strlen(contact), 256,
			     CASE_TEXT_ONELINE, err) < 0))
		return -1;
	return 0;
}

int
case_supervisor_set(struct case_db *db, int level, const char *name,
		    const char *contact, struct case_err *err)
{
	struct case_stmt *st;

	if (case_role_allows(db, CASE_ACT_ADMIN, err) < 0 ||
	    case_supervisor_check(level, name, contact, err) < 0)
		return -1;
	st = case_db_stmt(db,
			  "INSERT INTO supervisors(level, name, contact)"
			  " VALUES (?1, ?2, ?3) ON CONFLICT(level) DO UPDATE"
			  " SET name = excluded.name, contact = excluded.contact",
			  err);
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, level);
	case_bind_str(st, 2, name);
	case_bind_text(st, 3, contact);
	return case_db_done(db, st, err);
}

int
case_supervisor_list(struct case_db *db, struct case_out *out,
		     struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db, "SELECT level, name, contact FROM supervisors ORDER BY level",
		err);

	if (st == NULL)
		return -1;
	return case_db_rows(db, st, out, N_("supervisors"), err);
}
