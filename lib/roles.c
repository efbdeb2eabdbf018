/*
 * Roles on a server: who the login is, what its role lets it do, the
 * journal's actor it may write, and the members an admin manages.  The
 * server holds the rules (lib/schema.c: row-level security, column
 * privileges, the actor's trigger); the checks here say the same thing
 * first, in a sentence, and hold for programs that embed the library.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "case/out.h"
#include "case/roles.h"
#include "case/text.h"
#include "case/units.h"
#include "case/words.h"
#include "i18n.h"
#include "internal.h"

enum case_role
case_db_role(const struct case_db *db)
{
	return (enum case_role)db->role;
}

const char *
case_db_login(const struct case_db *db)
{
	return db->role != CASE_ROLE_NONE ? db->login : NULL;
}

const char *
case_db_units(const struct case_db *db)
{
	if (db->role == CASE_ROLE_NONE)
		return NULL;
	return db->my_units != NULL ? db->my_units : "";
}

int
case_roles_need_server(struct case_err *err)
{
	return case_err_set(err, CASE_E_INPUT,
			    _("roles need a PostgreSQL server: on an SQLite "
			    "file, the file's permissions decide who may read "
			    "and write it (see 'case-admin init --group')"));
}

/* The refusals, one whole sentence for each role and kind of step. */
int
case_role_allows(struct case_db *db, enum case_act act, struct case_err *err)
{
	const char *who = db->login;

	switch ((enum case_role)db->role) {
	case CASE_ROLE_NONE:
	case CASE_ROLE_ADMIN:
		return 0;
	case CASE_ROLE_ANALYST:
		if (act == CASE_ACT_PII)
			return case_err_set(err, CASE_E_DENIED,
					    _("login %s is an analyst, and "
					    "analysts never see personal data "
					    "(reporter, contact, exact "
					    "coordinates)"),
					    who);
		return case_err_set(err, CASE_E_DENIED,
				    _("login %s is an analyst, and analysts only "
				    "read"),
				    who);
	case CASE_ROLE_SUPERVISOR:
		if (act == CASE_ACT_NOTE || act == CASE_ACT_PII)
			return 0;
		if (act == CASE_ACT_ADMIN)
			break;
		return case_err_set(err, CASE_E_DENIED,
				    _("login %s is a supervisor, and supervisors "
				    "only add notes"),
				    who);
	case CASE_ROLE_UNIT:
		if (act == CASE_ACT_ASSIGN)
			return case_err_set(err, CASE_E_DENIED,
					    _("login %s is a unit member, and only "
					    "the centre assigns and escalates "
					    "cases"),
					    who);
		if (act != CASE_ACT_ADMIN)
			return 0;
		break;
	case CASE_ROLE_CENTRE:
		if (act != CASE_ACT_ADMIN)
			return 0;
		break;
	}
	return case_err_set(err, CASE_E_DENIED,
			    _("login %s has role %s, and only an admin manages "
			    "units, supervisors, policy and members"),
			    who, case_roles[db->role - 1]);
}

/*
 * A case the handle did not find: on a server whose role sees only some
 * cases, one that exists but is not among them is refused by name; else
 * there is no such case.
 */
int
case_not_found(struct case_db *db, int64_t id, struct case_err *err)
{
	struct case_stmt *st;
	int rc, exists;

	if (db->role != CASE_ROLE_UNIT && db->role != CASE_ROLE_SUPERVISOR)
		return case_err_set(err, CASE_E_NOTFOUND, _("no such case"));
	if ((st = case_db_stmt(db, "SELECT case_tools.case_exists(?1)", err)) ==
	    NULL)
		return -1;
	case_bind_int64(st, 1, id);
	rc = case_step(st);
	exists = rc == CASE_ROW && case_col_int(st, 0) != 0;
	case_reset(st);
	if (rc != CASE_ROW)
		return case_db_fail(db, err, _("cannot read the case"));
	if (!exists)
		return case_err_set(err, CASE_E_NOTFOUND, _("no such case"));
	return case_err_set(err, CASE_E_DENIED,
			    _("case %lld is not assigned to your units (%s)"),
			    (long long)id, db->my_units);
}

/*
 * The journal's actor on a server: a member's own login, always; an admin
 * may name someone else, for backfills, and the journal then says both.
 * name is what CASE_ACTOR or --actor gave (NULL: nothing).
 */
int
case_roles_actor(struct case_db *db, const char *name, struct case_err *err)
{
	char buf[sizeof db->actor];

	if (db->role == CASE_ROLE_NONE)
		return 0;
	if (name == NULL || strcmp(name, db->login) == 0) {
		snprintf(db->actor, sizeof db->actor, "%s", db->login);
		return 0;
	}
	if (db->role != CASE_ROLE_ADMIN)
		return case_err_set(err, CASE_E_DENIED,
				    _("on a server the journal names the login "
				    "that did the work (%s); only an admin may "
				    "name another actor, for backfills"),
				    db->login);
	if ((size_t)snprintf(buf, sizeof buf, "%s (by admin %s)", name,
			     db->login) >= sizeof buf)
		return case_err_set(err, CASE_E_INPUT,
				    _("the actor is too long (at most %zu "
				    "bytes with the admin's login)"),
				    sizeof buf - 1);
	memcpy(db->actor, buf, sizeof buf);
	return 0;
}

/* The refusal of a login that no admin made a member; -1. */
static int
not_member(struct case_db *db, const char *login, struct case_err *err)
{
	return case_err_set(err, CASE_E_DENIED,
			    _("login %s is not a member of %s (an admin adds it "
			    "with 'case-admin member add %s --role ROLE')"),
			    login, db->name, login);
}

/*
 * Who the server says this login is, once the schema is known to have
 * roles: its role and units, or that it is outside the roles (the
 * schema's owner, a superuser).  A login that is neither is refused here,
 * before it reads anything.
 */
int
case_roles_identify(struct case_db *db, const char *actor_env,
		    struct case_err *err)
{
	struct case_stmt *st;
	const char *role, *units;
	int rc, outside = 0;

	st = case_db_stmt(db,
			  "SELECT login, role, units, outside"
			  " FROM case_tools.whoami()",
			  err);
	if (st == NULL)
		return -1;
	if ((rc = case_step(st)) == CASE_ROW) {
		snprintf(db->login, sizeof db->login, "%s",
			 case_col_text(st, 0));
		role = case_col_text(st, 1);
		units = case_col_text(st, 2);
		outside = case_col_int(st, 3) != 0;
		db->role = role != NULL ? case_text_index(case_roles, role) + 1
					: CASE_ROLE_NONE;
		free(db->my_units);
		db->my_units = strdup(units != NULL ? units : "");
	}
	case_reset(st);
	if (rc != CASE_ROW)
		return case_db_fail(db, err, _("cannot read who this login is"));
	if (db->my_units == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	if (db->role == CASE_ROLE_NONE && !outside)
		return not_member(db, db->login, err);
	if (case_roles_actor(db, actor_env, err) < 0)
		return case_err_prefix(err, "CASE_ACTOR: ");
	return 0;
}

/*
 * After a login was denied the schema: when the schema has members, the
 * login is not one of them, and err says so (how to become one);
 * otherwise err is left as it is.
 */
void
case_roles_stranger(struct case_db *db, struct case_err *err)
{
	struct case_err scratch;
	struct case_stmt *st;
	char login[64] = "";
	int rc;

	st = case_db_prepare(db,
			     "SELECT session_user::text FROM pg_class c"
			     " JOIN pg_namespace n ON n.oid = c.relnamespace"
			     " WHERE n.nspname = 'case_tools'"
			     " AND c.relname = 'members'",
			     "", &scratch);
	if (st == NULL)
		return;
	if ((rc = case_step(st)) == CASE_ROW)
		snprintf(login, sizeof login, "%s", case_col_text(st, 0));
	case_stmt_free(st);
	if (rc == CASE_ROW)
		not_member(db, login, err);
}

/* ---- members ------------------------------------------------------------- */

static int
login_check(const char *login, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *p;
	size_t n = strlen(login);

	static const char *const reserved[] = {
		"public", "case_owner", "case_admin", "case_centre", "case_unit",
		"case_supervisor", "case_analyst", NULL};

	if (n == 0 || n > 63 || strncmp(login, "pg_", 3) == 0 ||
	    case_text_index(reserved, login) >= 0 ||
	    !(isalnum((unsigned char)*login) || *login == '_'))
		goto bad;
	for (p = login; *p != '\0'; p++)
		if (!(isalnum((unsigned char)*p) || strchr("_.-@", *p) != NULL))
			goto bad;
	return 0;
bad:
	return case_err_set(err, CASE_E_INPUT,
			    _("bad login '%s' (expected up to 63 ASCII letters, "
			    "digits, '_', '.', '-' or '@', such as zhang.wei, "
			    "and not a name the server keeps for itself)"),
			    case_quote(q, sizeof q, login));
}

int
case_member_check(const char *login, const char *role,
		  const char *const *units, size_t nunits, struct case_err *err)
{
	char q[CASE_QUOTE_MAX], alts[96];
	const char *near;
	size_t i;
	int r;

	if (login_check(login, err) < 0)
		return -1;
	if ((r = case_word_index(case_roles, role)) < 0) {
		case_quote(q, sizeof q, role);
		/* The suggestion and the list are in the person's language. */
		if ((near = case_word_suggest(case_roles, role)) != NULL)
			return case_err_set(err, CASE_E_INPUT,
					    _("--role: unknown role '%s' (did you "
					    "mean '%s'?)"),
					    q, near);
		return case_err_set(err, CASE_E_INPUT,
				    _("--role: unknown role '%s' (expected %s)"), q,
				    case_word_alternatives(alts, sizeof alts,
							   case_roles));
	}
	r++;
	/* A supervisor without units oversees the whole district. */
	if (r == CASE_ROLE_UNIT && nunits == 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("a unit member needs a unit: give --unit "
				    "CODE (one or more)"));
	if (r != CASE_ROLE_UNIT && r != CASE_ROLE_SUPERVISOR && nunits > 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("--unit goes with roles unit and supervisor; "
				    "role %s covers every case"),
				    role);
	for (i = 0; i < nunits; i++)
		if (case_unit_code_check(units[i], err) < 0)
			return case_err_prefix(err, "--unit: ");
	return 0;
}

/* Members live on a server, for an admin (or a login outside the roles)
 * to manage. */
static int
members_allowed(struct case_db *db, struct case_err *err)
{
	if (case_db_dialect(db) != CASE_PG)
		return case_roles_need_server(err);
	return case_role_allows(db, CASE_ACT_ADMIN, err);
}

int
case_member_add(struct case_db *db, const char *login, const char *role,
		const char *const *units, size_t nunits, int *created,
		struct case_err *err)
{
	struct case_stmt *st;
	char *list;
	size_t need = 3, i;
	int rc;

	*created = 0;
	if (case_member_check(login, role, units, nunits, err) < 0 ||
	    members_allowed(db, err) < 0)
		return -1;
	for (i = 0; i < nunits; i++) {
		if (case_unit_require(db, units[i], err) < 0)
			return case_err_prefix(err, "--unit: ");
		need += strlen(units[i]) + 1;
	}
	/* Unit codes need no quoting in an array's text: letters, digits,
	 * '.', '_' and '-'. */
	if ((list = malloc(need)) == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	case_text_join(list + 1, need - 2, units, nunits, ",");
	list[0] = '{';
	strcat(list, "}");
	if ((st = case_db_stmt(db,
			       "SELECT case_tools.member_add(?1, ?2,"
			       " CAST(?3 AS text[]))",
			       err)) == NULL) {
		free(list);
		return -1;
	}
	case_bind_str(st, 1, login);
	case_bind_str(st, 2, role);
	case_bind_str(st, 3, list);
	if ((rc = case_step(st)) == CASE_ROW)
		*created = case_col_int(st, 0) != 0;
	case_reset(st);
	free(list);
	if (rc != CASE_ROW)
		return case_db_fail(db, err, _("cannot add the member"));
	return 0;
}

int
case_member_remove(struct case_db *db, const char *login, struct case_err *err)
{
	struct case_stmt *st;
	int rc, removed = 0;

	if (login_check(login, err) < 0 || members_allowed(db, err) < 0)
		return -1;
	if ((st = case_db_stmt(db, "SELECT case_tools.member_remove(?1)",
			       err)) == NULL)
		return -1;
	case_bind_str(st, 1, login);
	if ((rc = case_step(st)) == CASE_ROW)
		removed = case_col_int(st, 0) != 0;
	case_reset(st);
	if (rc != CASE_ROW)
		return case_db_fail(db, err, _("cannot remove the member"));
	if (!removed)
		return case_err_set(err, CASE_E_NOTFOUND,
				    _("login %s is not a member (see 'case-admin "
				    "member list')"),
				    login);
	return 0;
}

int
case_member_list(struct case_db *db, struct case_out *out,
		 struct case_err *err)
{
	struct case_stmt *st;

	if (members_allowed(db, err) < 0)
		return -1;
	st = case_db_stmt(
		db,
		"SELECT m.login, m.role, (SELECT string_agg(u.unit, ','"
		" ORDER BY u.unit) FROM member_units u WHERE u.login = m.login),"
		" CASE WHEN r.rolcanlogin THEN 'yes' ELSE 'no' END"
		" FROM members m LEFT JOIN pg_roles r ON r.rolname = m.login"
		" ORDER BY m.login",
		err);
	if (st == NULL)
		return -1;
	return case_db_rows(db, st, out, "members", err);
}
