/*
 * The registry: units that handle cases, and the supervisors of the three
 * escalation levels.
 */
#ifndef CASE_UNITS_H
#define CASE_UNITS_H

#include <stddef.h>
#include <stdio.h>

#include "case/err.h"

struct case_db;
struct case_out;

extern const char *const case_unit_types[]; /* police ... other */

struct case_unit {
	const char *code, *name, *type, *parent, *place, *chief, *contact;
};

/* Check a unit code's form: ASCII letters, digits, '.', '_' and '-',
 * starting with a letter or digit, at most 64 bytes. */
int case_unit_code_check(const char *code, struct case_err *err);

/* Fail unless the unit exists; the message suggests a close code. */
int case_unit_require(struct case_db *db, const char *code,
		      struct case_err *err);

/* Check a unit's fields in themselves, without a database: what
 * case_unit_add checks but whether its parent exists. */
int case_unit_check(const struct case_unit *u, struct case_err *err);

/* Add a unit, or with replace, update it when the code exists.  The white
 * space around each value is dropped, and a blank value counts as none.
 * Messages name the fields as unit add's options (--type, --parent ...).
 * Needs a write transaction. */
int case_unit_add(struct case_db *db, const struct case_unit *u, int replace,
		  struct case_err *err);

/* A place that two or more units cover equally, so that auto-routing
 * leaves the cases there open: the codes of its n units, in order. */
struct case_tie {
	const char *place;
	const char *const *codes;
	size_t n;
};

/* Report through on_tie the place of unit code when other units cover it
 * too, or with code NULL, every such place.  The tie's strings last only
 * for the call. */
int case_unit_ties(struct case_db *db, const char *code,
		   void (*on_tie)(void *ctx, const struct case_tie *t),
		   void *ctx, struct case_err *err);

/* Columns code, name, type, parent, place, chief, contact. */
int case_unit_list(struct case_db *db, struct case_out *out,
		   struct case_err *err);

/* Import units from CSV with a header naming those columns (code and name
 * required); cells are taken without the white space around them.
 * Existing codes are updated; parents may come later in the file.  Every
 * bad row is reported through on_error as "LINE: message"; any bad row
 * fails the whole import.  When the import succeeds, each tie it made (a
 * place covered by units that did not all cover it before) is reported
 * through on_tie, which may be NULL.  Needs a write transaction. */
int case_unit_import(struct case_db *db, FILE *in,
		     void (*on_error)(void *ctx, long line, const char *msg),
		     void (*on_tie)(void *ctx, const struct case_tie *t),
		     void *ctx, long *count, struct case_err *err);

/* Check a supervisor's level, name and contact (NULL: none). */
int case_supervisor_check(int level, const char *name, const char *contact,
			  struct case_err *err);

/* Set the supervisor of level 1, 2 or 3. */
int case_supervisor_set(struct case_db *db, int level, const char *name,
			const char *contact, struct case_err *err);

/* Columns level, name, contact. */
int case_supervisor_list(struct case_db *db, struct case_out *out,
			 struct case_err *err);

#endif
