/*
 * Auto-routing and escalation.  Both first read the cases they will act
 * on, then change them through the transitions in cases.c, so that a
 * query is never stepping over rows it is changing.
 */
#include <stdlib.h>
#include <string.h>

#include "case/cases.h"
#include "case/dispatch.h"
#include "case/policy.h"
#include "internal.h"

/* What the routing loop stops with when memory runs out, beside what
 * case_step returns. */
#define NO_MEMORY (-2)

static char *
dup_col(struct case_stmt *st, int i)
{
	const char *s = case_col_text(st, i);

	return s != NULL ? strdup(s) : NULL;
}

/*
 * Auto-routing.  The units that cover places are few (hundreds, for a
 * district), so they are held in memory sorted by place; each open case
 * then looks up its own place and each shorter whole-segment prefix of
 * it, longest first.  Reading the cases is one scan of the index of
 * active cases, and routing costs a few binary searches per case, however
 * many units there are.
 */
struct placed {
	char *place, *code;
};

struct routed {
	int64_t id;
	int unit;    /* index of the first matching unit, or -1 */
	size_t ties; /* how many match, from unit on */
	char *place;
};

static int
by_place(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	int c = strcmp(x->place, y->place);

	return c != 0 ? c : strcmp(x->code, y->code);
}

static void
free_units(struct placed *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(u[i].place);
		free(u[i].code);
	}
	free(u);
}

static int
read_units(struct case_db *db, struct placed **out, size_t *n,
	   struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db, "SELECT place, code FROM units WHERE place IS NOT NULL", err);
	struct placed *u = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		if (*n == cap) {
			struct placed *nu;

			cap = cap ? cap * 2 : 64;
			if ((nu = realloc(u, cap * sizeof *u)) == NULL)
				goto oom;
			u = nu;
		}
		u[*n].place = dup_col(st, 0);
		u[*n].code = dup_col(st, 1);
		if (u[*n].place == NULL || u[*n].code == NULL) {
			(*n)++;
			goto oom;
		}
		(*n)++;
	}
	case_reset(st);
	if (rc != CASE_DONE) {
		free_units(u, *n);
		return case_db_fail(db, err, "cannot read units");
	}
	if (*n > 0)
		qsort(u, *n, sizeof *u, by_place);
	*out = u;
	return 0;
oom:
	case_reset(st);
	free_units(u, *n);
	return case_err_set(err, CASE_E_NOMEM, "out of memory");
}

/* The first unit whose place is exactly the first len bytes of p, or -1;
 * *count is how many units, from that one on, have that place (more than
 * one is a tie). */
static int
unit_at(const struct placed *u, size_t n, const char *p, size_t len,
	size_t *count)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(u[mid].place, p, len);

		if (c == 0 && u[mid].place[len] != '\0')
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || strncmp(u[lo].place, p, len) != 0 ||
	    u[lo].place[len] != '\0')
		return -1;
	for (*count = 1; lo + *count < n &&
			 strcmp(u[lo + *count].place, u[lo].place) == 0;
	     ++*count)
		;
	return (int)lo;
}

/* The longest covering place wins: the whole place, then each prefix
 * that ends before a '/'. */
static void
route_one(const struct placed *u, size_t n, const char *place,
	  struct routed *r)
{
	size_t len = strlen(place);

	r->unit = -1;
	r->ties = 0;
	while (len > 0) {
		if ((r->unit = unit_at(u, n, place, len, &r->ties)) >= 0)
			return;
		while (len > 0 && place[len - 1] != '/')
			len--;
		if (len > 0)
			len--; /* drop the '/' itself */
	}
}

/* The status terms repeat the partial index's condition, so that the
 * index of active cases serves the scan. */
static const char open_sql[] =
	"SELECT id, place FROM cases WHERE status IN ('open','assigned')"
	" AND status = 'open' AND lead IS NULL ORDER BY id";

static int
read_routes(struct case_db *db, const struct placed *u, size_t nu,
	    struct routed **out, size_t *n, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, open_sql, err);
	struct routed *v = NULL;
	size_t cap = 0, i;
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		const char *place = case_col_text(st, 1);
		struct routed *r;

		if (*n == cap) {
			struct routed *nv;

			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL) {
				rc = NO_MEMORY;
				break;
			}
			v = nv;
		}
		r = &v[(*n)++];
		r->id = case_col_int64(st, 0);
		r->place = NULL;
		r->unit = -1;
		r->ties = 0;
		if (place != NULL)
			route_one(u, nu, place, r);
		if (place != NULL && (r->place = strdup(place)) == NULL) {
			rc = NO_MEMORY;
			break;
		}
	}
	case_reset(st);
	if (rc != CASE_DONE) {
		for (i = 0; i < *n; i++)
			free(v[i].place);
		free(v);
		if (rc == NO_MEMORY)
			return case_err_set(err, CASE_E_NOMEM, "out of memory");
		return case_db_fail(db, err, "cannot read open cases");
	}
	*out = v;
	return 0;
}

int
case_auto_route(struct case_db *db,
		void (*on_case)(void *ctx, const struct case_route *r),
		void *ctx, struct case_err *err)
{
	struct placed *u = NULL;
	struct routed *v = NULL;
	const char **codes = NULL;
	size_t nu = 0, n = 0, i;
	int rc = 0;

	if (read_units(db, &u, &nu, err) < 0)
		return -1;
	/* The codes in the units' order, so that a tie's codes are a run. */
	if ((codes = malloc((nu ? nu : 1) * sizeof *codes)) == NULL) {
		free_units(u, nu);
		return case_err_set(err, CASE_E_NOMEM, "out of memory");
	}
	for (i = 0; i < nu; i++)
		codes[i] = u[i].code;
	if (read_routes(db, u, nu, &v, &n, err) < 0) {
		free(codes);
		free_units(u, nu);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct case_route r = {v[i].id, v[i].place, NULL, NULL, 0};

		if (v[i].unit >= 0 && v[i].ties == 1)
			r.unit = codes[v[i].unit];
		else if (v[i].unit >= 0) {
			r.tied = codes + v[i].unit;
			r.ntied = v[i].ties;
		}
		if (r.unit != NULL &&
		    case_set_lead(db, r.id, r.unit, 0, err) < 0) {
			rc = case_err_prefix(err, "case %lld: ", (long long)r.id);
			break;
		}
		on_case(ctx, &r);
	}
	for (i = 0; i < n; i++)
		free(v[i].place);
	free(v);
	free(codes);
	free_units(u, nu);
	return rc;
}

struct rising {
	int64_t id, due_at;
	int level;
	char *lead, *summary, *chief, *chief_contact;
};

static void
free_rising(struct rising *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].lead);
		free(v[i].summary);
		free(v[i].chief);
		free(v[i].chief_contact);
	}
	free(v);
}

/* Overdue active cases by deadline that stand below the level their
 * lateness calls for (?1 now, ?2 escalate.2, ?3 escalate.3), with that
 * level.  The index of active cases holds every column this reads, so a
 * run that raises nothing walks only that index. */
static const char rising_sql[] =
	"SELECT id, target, due_at, lead, summary, chief, contact FROM ("
	" SELECT c.id, c.level, c.due_at, c.lead, c.summary, u.chief,"
	"  u.contact, CASE WHEN ?1 - c.due_at >= ?3 THEN 3"
	"  WHEN ?1 - c.due_at >= ?2 THEN 2 ELSE 1 END AS target"
	" FROM cases c LEFT JOIN units u ON u.code = c.lead"
	" WHERE c.status IN ('open','assigned') AND c.due_at < ?1) AS r"
	" WHERE target > level ORDER BY due_at, id";

static int
read_rising(struct case_db *db, const struct case_policy *pol,
	    struct rising **out, size_t *n, struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(db, rising_sql, err);
	struct rising *v = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, case_db_now(db));
	case_bind_int64(st, 2, pol->escalate2);
	case_bind_int64(st, 3, pol->escalate3);
	while ((rc = case_step(st)) == CASE_ROW) {
		struct rising *r;

		if (*n == cap) {
			struct rising *nv;

			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL) {
				case_reset(st);
				free_rising(v, *n);
				return case_err_set(err, CASE_E_NOMEM,
						    "out of memory");
			}
			v = nv;
		}
		r = &v[(*n)++];
		r->id = case_col_int64(st, 0);
		r->level = case_col_int(st, 1);
		r->due_at = case_col_int64(st, 2);
		r->lead = dup_col(st, 3);
		r->summary = dup_col(st, 4);
		r->chief = dup_col(st, 5);
		r->chief_contact = dup_col(st, 6);
	}
	case_reset(st);
	if (rc != CASE_DONE) {
		free_rising(v, *n);
		return case_db_fail(db, err, "cannot read overdue cases");
	}
	*out = v;
	return 0;
}

/* The configured supervisors of levels 1-3 (NULL where none is set). */
static int
read_supervisors(struct case_db *db, char *name[4], char *contact[4],
		 struct case_err *err)
{
	struct case_stmt *st = case_db_stmt(
		db, "SELECT level, name, contact FROM supervisors", err);
	int rc;

	memset(name, 0, 4 * sizeof *name);
	memset(contact, 0, 4 * sizeof *contact);
	if (st == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		int l = case_col_int(st, 0);

		if (l < 1 || l > 3)
			continue;
		name[l] = dup_col(st, 1);
		contact[l] = dup_col(st, 2);
	}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, "cannot read supervisors");
	return 0;
}

int
case_escalate(struct case_db *db,
	      void (*on_rise)(void *ctx, const struct case_rise *r), void *ctx,
	      struct case_err *err)
{
	char *sup[4], *sup_contact[4], detail[600];
	struct case_policy pol;
	struct rising *v = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (case_policy_get(db, &pol, err) < 0 ||
	    read_supervisors(db, sup, sup_contact, err) < 0)
		return -1;
	if (read_rising(db, &pol, &v, &n, err) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct case_rise r;
		int chief = v[i].level == 1 && v[i].chief != NULL;

		r.id = v[i].id;
		r.level = v[i].level;
		r.supervisor = chief ? v[i].chief : sup[r.level];
		r.contact = chief ? v[i].chief_contact : sup_contact[r.level];
		r.lead = v[i].lead;
		r.due_at = v[i].due_at;
		r.overdue = case_db_now(db) - v[i].due_at;
		r.summary = v[i].summary;
		snprintf(detail, sizeof detail, "level %d: %s%s", r.level,
			 r.supervisor ? r.supervisor : "no supervisor set",
			 chief ? " (chief of the lead unit)" : "");
		if (case_set_level(db, r.id, r.level, detail, err) < 0) {
			case_err_prefix(err, "case %lld: ", (long long)r.id);
			goto out;
		}
		on_rise(ctx, &r);
	}
	rc = 0;
out:
	free_rising(v, n);
	for (i = 1; i < 4; i++) {
		free(sup[i]);
		free(sup_contact[i]);
	}
	return rc;
}
