/*
 * Policy: the named durations and counts that drive deadlines, return
 * visits and escalation (SPEC section 3).
 */
#ifndef CASE_POLICY_H
#define CASE_POLICY_H

#include <stdint.h>

#include "case/err.h"

struct case_db;

/* Indexes of priorities, in the order urgent, high, normal, low. */
extern const char *const case_priorities[];

struct case_policy {
	int64_t due[4];		/* due.urgent .. due.low, seconds */
	int64_t followup_after;	/* first return visit after resolution */
	int64_t followup_retry;	/* after an unreachable attempt */
	int64_t followup_attempts; /* unreachable attempts before closing */
	int64_t escalate2;	/* time past due before level 2 */
	int64_t escalate3;	/* time past due before level 3 */
};

/* The policy in force (read once per handle). */
int case_policy_get(struct case_db *db, struct case_policy *pol,
		    struct case_err *err);

/* The deadline for a case of the given priority opened at t. */
int case_policy_due(struct case_db *db, const char *priority, int64_t t,
		    int64_t *due, struct case_err *err);

/* Check a key, and a value for it unless value is NULL, without a
 * database: what case_policy_set checks but the order of escalate.2 and
 * escalate.3, which depends on the other's stored value. */
int case_policy_check(const char *key, const char *value,
		      struct case_err *err);

/* Set one key after validating its value (a duration, or a whole number
 * for followup.attempts).  Needs a write transaction. */
int case_policy_set(struct case_db *db, const char *key, const char *value,
		    struct case_err *err);

/* Look up one key's stored text; *value is owned by the caller. */
int case_policy_show(struct case_db *db, const char *key, char **value,
		     struct case_err *err);

/* Write every key and value to a writer with columns key, value, default. */
struct case_out;
int case_policy_list(struct case_db *db, struct case_out *out,
		     struct case_err *err);

/* The keys and their defaults, NULL-terminated, for the schema and for
 * completion. */
struct case_policy_key {
	const char *key;
	const char *def;
};
extern const struct case_policy_key case_policy_keys[];

#endif
