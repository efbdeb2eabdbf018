/*
 * Who may do what on a district's server.  A login that an admin made a
 * member has one of five roles; the server enforces them itself (row-level
 * security, column privileges, triggers), and the library checks the same
 * rules first, so that a refusal is one clear sentence.  A login outside
 * the roles (the schema's owner, a superuser) and every SQLite file have
 * no role: nothing is checked, as before roles existed.
 */
#ifndef CASE_ROLES_H
#define CASE_ROLES_H

#include <stddef.h>

#include "case/err.h"

struct case_db;
struct case_out;

enum case_role {
	CASE_ROLE_NONE,	      /* SQLite, or a login outside the roles */
	CASE_ROLE_ADMIN,      /* everything */
	CASE_ROLE_CENTRE,     /* every case: open, assign, escalate, work */
	CASE_ROLE_UNIT,	      /* the cases of its units: open and work */
	CASE_ROLE_SUPERVISOR, /* the cases of its units: read and note */
	CASE_ROLE_ANALYST     /* every case, no personal data: read */
};

/* The roles' names are case_roles (case/words.h), in the order of enum
 * case_role from CASE_ROLE_ADMIN: admin, centre, unit, supervisor,
 * analyst. */

/* What a step does, for the role check. */
enum case_act {
	CASE_ACT_OPEN,	 /* open or import cases */
	CASE_ACT_ASSIGN, /* assign, release, deadlines, routing, escalation */
	CASE_ACT_NOTE,	 /* add a note */
	CASE_ACT_WORK,	 /* resolve, visit, schedule, cancel */
	CASE_ACT_ADMIN,	 /* units, supervisors, policy, members */
	CASE_ACT_PII	 /* read reporter and contact */
};

/* The handle's role, read from the server when it was opened. */
enum case_role case_db_role(const struct case_db *db);

/* The login the server knows this handle by, and its own units joined
 * by ", " ("" for none); NULL for both without a role. */
const char *case_db_login(const struct case_db *db);
const char *case_db_units(const struct case_db *db);

/* 0 when the handle's role may do act, else -1 with a CASE_E_DENIED
 * sentence naming the login and its role.  Whether the role may do it to
 * one case in particular is the server's to say (and the library's
 * "not assigned to your units"). */
int case_role_allows(struct case_db *db, enum case_act act,
		     struct case_err *err);

/* Check a member's values without a database: the login's form (ASCII
 * letters, digits, '_', '.', '-' and '@', at most 63 bytes), the role
 * (with a suggestion for a misspelt one), and that role unit has units,
 * supervisor any (none: the whole district) and the others none.  units
 * are unit codes, checked for their form only. */
int case_member_check(const char *login, const char *role,
		      const char *const *units, size_t nunits,
		      struct case_err *err);

/* Make login a member with role and units, replacing what it had: the
 * server creates the login as NOLOGIN when it does not exist (*created is
 * then 1), grants it the role's group and records its units (which must
 * exist; a misspelt one gets a suggestion).  Only an admin, or a login
 * outside the roles, may; refused on SQLite.  Needs a write
 * transaction. */
int case_member_add(struct case_db *db, const char *login, const char *role,
		    const char *const *units, size_t nunits, int *created,
		    struct case_err *err);

/* Take login's membership away (its group and units; the login itself
 * stays, for the database administrator to drop).  Fails when it is not
 * a member.  Needs a write transaction. */
int case_member_remove(struct case_db *db, const char *login,
		       struct case_err *err);

/* Columns login, role, units (joined by ","), can_login (yes or no),
 * ordered by login. */
int case_member_list(struct case_db *db, struct case_out *out,
		     struct case_err *err);

/* The error for roles on SQLite, where the file's permissions are the
 * only boundary; -1. */
int case_roles_need_server(struct case_err *err);

#endif
