/*
 * What the library's modules share with each other and with its unit
 * tests, but not with the binaries: the database handle's insides, the
 * statement cache and the journal writer.
 */
#ifndef CASE_INTERNAL_H
#define CASE_INTERNAL_H

#include <limits.h>
#include <stdint.h>

#include "case/cases.h"
#include "case/db.h"
#include "case/geo.h"
#include "case/out.h"
#include "case/policy.h"
#include "store.h"

#define CASE_STMT_CACHE 96

struct case_db {
	const struct case_driver *drv;
	void *conn;		 /* the driver's connection */
	char path[PATH_MAX];	 /* the file, or the URI as given */
	char name[PATH_MAX];	 /* for messages: the file, or the URI
				  * without its password */
	int readonly;
	int is_default;		 /* the default path was chosen */
	int created;		 /* the file is this open's, to remove if it
				  * fails */
	int made;		 /* this handle made the database (init) */
	char made_dir[PATH_MAX]; /* the topmost folder it made, or "" */
	int busy_ms;		 /* CASE_BUSY_TIMEOUT */
	int found_version;
	int64_t now;
	char actor[128];
	/* A server's roles (lib/roles.c): whether the schema has them, the
	 * role read when the handle was opened (enum case_role), the login
	 * and its own units joined by ", "; and, inside a write transaction
	 * on a server, the ids its first new case and event get. */
	int roles;
	int role;
	char login[64];
	char *my_units;
	int64_t next_case, next_event;
	int have_policy;
	struct case_policy policy;
	/* The span of the cases' opening times, once read (lib/report.c). */
	int span_read;
	int64_t span_lo, span_hi;
	char **units;		 /* every unit code, sorted, once loaded */
	char **unit_names;	 /* each code's unit's name, at its index */
	size_t *unit_fold;	 /* the units' indexes by code, case folded */
	size_t *unit_byname;	 /* the units' indexes by name */
	size_t nunits;
	int have_units;
	struct case_stmt *load;	 /* a bulk load under way */
	int load_cols;
	char errbuf[1024];	 /* a driver's composed message */
	size_t nstmts;
	struct {
		const char *sql;
		struct case_stmt *st;
	} stmts[CASE_STMT_CACHE];
};

/* A prepared statement for sql, prepared once per handle and reused: it
 * comes back reset with its bindings cleared.  The handle owns it. */
struct case_stmt *case_db_stmt(struct case_db *db, const char *sql,
			       struct case_err *err);

/* Fill err from the handle's last engine error, naming what failed, with
 * plain words for the common causes (locked, full, read-only, connection
 * lost).  Returns -1. */
int case_db_fail(struct case_db *db, struct case_err *err, const char *what);

/* Run SQL that returns no rows. */
int case_db_exec(struct case_db *db, const char *sql, struct case_err *err);

/* Step a statement that returns no rows to completion, then reset it. */
int case_db_done(struct case_db *db, struct case_stmt *st,
		 struct case_err *err);

/* The integer in the first column of the first row of sql; what begins the
 * message when there is none. */
int case_db_int(struct case_db *db, const char *sql, int64_t *v,
		const char *what, struct case_err *err);

/* Bind text, or NULL for a NULL or empty string.  s must stay alive until
 * the statement has been stepped. */
void case_bind_text(struct case_stmt *st, int i, const char *s);

/* The index of places and the index of active cases (lib/schema.c);
 * bulk imports drop them and build them again in one pass at the end. */
extern const char case_place_index[];
extern const char case_active_due_index[];
/* Index the cases with ids first to last for search, in chunks of ids,
 * calling each (when not NULL) with every chunk's first and last id after
 * indexing it (lib/fts.c).  SQLite only. */
int case_fts_fill(struct case_db *db, int64_t first, int64_t last,
		  int (*each)(struct case_db *, int64_t, int64_t, void *,
			      struct case_err *),
		  void *arg, struct case_err *err);
/* The trigram index holds the cases up to its mark (search_upto); those
 * after it are searched in the table itself (lib/fts.c).  case_fts_mark
 * moves the mark to last, once the cases up to last are indexed;
 * case_fts_catch_up indexes every case after the mark and moves it.
 * A single case-open catches up when its id is a multiple of
 * CASE_FTS_BATCH.  SQLite only; on a server both do nothing. */
#define CASE_FTS_BATCH 64
int case_fts_mark(struct case_db *db, int64_t last, struct case_err *err);
int case_fts_catch_up(struct case_db *db, struct case_err *err);

/* How far back a new case looks for the case it may repeat: a week, in
 * seconds. */
#define CASE_DUP_WINDOW 604800

/* The duplicate hint of every open or assigned case with an id from first
 * on, as case_open gives one (lib/hints.c): hint is called with the case's
 * id, the earlier case's and whether that one is assigned (else open), in
 * the order of ids, for each case that has one.  SQLite only. */
int case_late_hints(struct case_db *db, int64_t first,
		    int (*hint)(void *, int64_t, int64_t, int,
				struct case_err *),
		    void *arg, struct case_err *err);

/* The trigger that keeps an insert from replacing an event (lib/schema.c),
 * which bulk imports drop while they write the open events. */
extern const char case_events_no_replace[];

/* On a server, the UPDATE that sets each case's opened_by from its
 * journal's open event (lib/schema.c), for a copy into a server. */
extern const char case_opened_by[];

/* Refuse a file that is not a case database or is newer than this build,
 * and note its version; writes nothing. */
int case_db_identify(struct case_db *db, struct case_err *err);

/* Take away the database this handle made (an init that is to be
 * undone): the file, or the server's case schema.  The handle is then
 * only good for case_db_close. */
void case_db_undo_create(struct case_db *db);

/* Bring the schema to version target (tests use it to build old files);
 * case_db_migrate_found does it from the version case_db_identify last
 * found, without looking again. */
int case_db_migrate(struct case_db *db, int target, struct case_err *err);
int case_db_migrate_found(struct case_db *db, int target,
			  struct case_err *err);

/* Keep the file to this handle for the next transaction, or give it
 * back (the driver's alone() in lib/store.h): *kept says whether it was
 * kept, which it never is on an engine without that mode or when
 * another connection has the file open.  Giving back cannot fail. */
int case_db_alone(struct case_db *db, int *kept, struct case_err *err);
void case_db_share(struct case_db *db);

/* On a server, set the id sequences past the largest ids, at the start of
 * each write transaction (lib/schema.c). */
int case_db_ids_sync(struct case_db *db, struct case_err *err);

/* Who the server says the login is (lib/roles.c): its role and units, or
 * outside the roles; a login that is neither is refused.  Then the actor,
 * from actor_env (CASE_ACTOR, or NULL) as case_roles_actor takes it. */
int case_roles_identify(struct case_db *db, const char *actor_env,
			struct case_err *err);
/* Prefix err's message with "case ID: ", unless it begins by naming that
 * case already (lib/err.c). */
void case_err_case(struct case_err *err, int64_t id);
/* After the schema was denied to a login: when the schema has members,
 * set err to say the login is not one (lib/roles.c). */
void case_roles_stranger(struct case_db *db, struct case_err *err);
/* Set the journal's actor for a login with a role: its own login, or for
 * an admin that names another (name), "NAME (by admin LOGIN)"; refused
 * for every other role.  Does nothing without a role. */
int case_roles_actor(struct case_db *db, const char *name,
		     struct case_err *err);
/* The error for case id that a query did not find: "no such case", or on
 * a server, for a role that sees some cases only, "not assigned to your
 * units" when the case exists. */
int case_not_found(struct case_db *db, int64_t id, struct case_err *err);

/* The ids the next case and the next event of the write transaction under
 * way will get (lib/schema.c). */
int case_db_next_ids(struct case_db *db, int64_t *next_case,
		     int64_t *next_event, struct case_err *err);

/* The journal of personal data read (lib/access.c).  A reader that is
 * about to show reporters and contacts first writes one "access" event per
 * case whose personal data it will show: case_access_begin checks that
 * the role may read them and begins a write transaction of its own;
 * case_access_add runs a statement the caller prepared and bound (an
 * INSERT ... SELECT that begins with CASE_ACCESS_INSERT and selects the
 * cases with a CASE_HAS_PII text, stamped with the handle's actor and a
 * detail from case_access_detail), as often as it needs; and
 * case_access_end commits.  first and last are then the range of event
 * ids written (first > last when none was), which the caller's query
 * shows personal data for, and for nothing else.  Each rolls back and
 * fails with a message saying that nothing personal is shown. */
#define CASE_ACCESS_INSERT \
	"INSERT INTO events(case_id, at, actor, action, status, level," \
	" detail) "
struct case_access {
	int64_t first, last;
};
int case_access_begin(struct case_db *db, struct case_access *a,
		      struct case_err *err);
int case_access_add(struct case_db *db, struct case_stmt *st,
		    struct case_access *a, struct case_err *err);
int case_access_end(struct case_db *db, struct case_access *a,
		    struct case_err *err);
/* "personal data read by ACTOR with COMMAND", in buf (size n). */
const char *case_access_detail(struct case_db *db, const char *command,
			       char *buf, size_t n);
/* Where case c's reporter and contact are read from: the cases
 * themselves in a file; on a server, the view that gives them only to the
 * roles that may read them.  CASE_PII_FROM names it, and the two
 * CASE_HAS_PII texts are the condition that c has some, for each
 * engine. */
#define CASE_PII_FROM(db) CASE_SQL(db, "cases", "case_tools.case_pii")
#define CASE_HAS_PII_SQLITE \
	" AND EXISTS (SELECT 1 FROM cases x WHERE x.id = c.id" \
	" AND (x.reporter IS NOT NULL OR x.contact IS NOT NULL" \
	" OR x.lat IS NOT NULL))"
#define CASE_HAS_PII_PG \
	" AND EXISTS (SELECT 1 FROM case_tools.case_pii x WHERE x.id = c.id" \
	" AND (x.reporter IS NOT NULL OR x.contact IS NOT NULL" \
	" OR x.lat IS NOT NULL))"

/* The zone this process formats local times in, as a name or POSIX rule
 * a server reads the same way, to buf of size n (lib/time.c). */
void case_time_zone_name(char *buf, size_t n);

/* Keep every unit code and name on the handle, for checks that cannot
 * ask the database (lib/units.c); case_units_forget drops them. */
int case_units_load(struct case_db *db, struct case_err *err);
void case_units_forget(struct case_db *db);

/* The units that text names, as an imported lead does: its code as it
 * is, else its code whatever the case of its letters, else its exact
 * name.  Returns how many units it names (0, 1, or more when several
 * share the name or differ in case alone), with up to two of their codes
 * in match (kept on the handle).  Needs case_units_load. */
size_t case_units_find(struct case_db *db, const char *text,
		       const char *match[2]);

/* Append one event to a case's journal, stamped with the handle's now
 * (or at, when at is not 0) and actor.  status and level are the case's
 * after the event. */
int case_event(struct case_db *db, int64_t case_id, int64_t at,
	       const char *action, const char *status, int level,
	       const char *detail, struct case_err *err);

/* case_open for bulk imports: names gives the fields' names for messages
 * (NULL, or a NULL entry: the field's own); with CASE_OPEN_DEFER_EVENT the
 * open event of a case without history is left to a later
 * case_open_events, and with CASE_OPEN_NO_DUPCHECK the duplicate hint is
 * left to the caller. */
#define CASE_OPEN_DEFER_EVENT 0x1
#define CASE_OPEN_NO_DUPCHECK 0x2
int case_open_as(struct case_db *db, const char *const *v,
		 const char *const *names, int flags, struct case_opened *res,
		 struct case_err *err);
/*
 * A new case's values once checked (lib/cases.c), for a bulk load that
 * inserts rows its own way: each field's text as it is stored (NULL for
 * none), kind, priority and status as indexes into their word lists, and
 * the times (0 for none; resolved and closed filled in as the history
 * implies).
 */
struct case_newcase {
	const char *v[CASE_F_COUNT];
	int kind, priority, status;
	int64_t opened, due, resolved, closed;
	/* The return visit on record: its outcome (an index into
	 * case_outcomes, or -1 for none), method and time. */
	int visit, method;
	int64_t visited;
	/* The coordinates in canonical form, or "" for none. */
	char lat[CASE_COORD_MAX], lon[CASE_COORD_MAX];
	/* One-line values whose end was cut: every such field's longest
	 * value, with its NUL, fits. */
	char buf[4096];
};

/* Check one case's values as case_open does (names as case_open_as
 * takes them). */
int case_newcase_check(struct case_db *db, const char *const *v,
		       const char *const *names, struct case_newcase *n,
		       struct case_err *err);
/* Whether the case has history to replay after its open event: a lead
 * unit, or a status other than open. */
int case_newcase_history(const struct case_newcase *n);
/* Replay that history on case id through the transitions of case-assign
 * and case-followup, at the times given. */
int case_newcase_replay(struct case_db *db, const struct case_newcase *n,
			int64_t id, struct case_err *err);

/* The open event of every case from first to last that has none yet;
 * with fresh set, the caller knows that none of them has any event. */
int case_open_events(struct case_db *db, int64_t first, int64_t last,
		     int fresh, struct case_err *err);

/* Set an open or assigned case's escalation level and journal it; the
 * transition behind case_escalate. */
int case_set_level(struct case_db *db, int64_t id, int level,
		   const char *detail, struct case_err *err);

/* Append a statement's current row to a writer (see case/out.h). */
void case_out_stmt(struct case_out *o, struct case_stmt *st);

/* Step a bound statement to the end, writing every row to out; what names
 * the rows in an error message ("cannot read what"), marked N_() by the
 * caller and translated here. */
int case_db_rows(struct case_db *db, struct case_stmt *st,
		 struct case_out *out, const char *what, struct case_err *err);

#endif
