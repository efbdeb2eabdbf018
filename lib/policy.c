/*
 * Policy values are stored as the text the user gave ("7d"), validated on
 * the way in, and read into seconds once per handle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/out.h"
#include "case/text.h"
#include "case/time.h"
#include "case/roles.h"
#include "i18n.h"
#include "internal.h"

const char *const case_priorities[] = {"urgent", "high", "normal", "low",
				       NULL};

const struct case_policy_key case_policy_keys[] = {
	{"due.urgent", "1d"},
	{"due.high", "3d"},
	{"due.normal", "7d"},
	{"due.low", "15d"},
	{"followup.after", "7d"},
	{"followup.retry", "2d"},
	{"followup.attempts", "3"},
	{"escalate.2", "3d"},
	{"escalate.3", "7d"},
	{NULL, NULL},
};

static int
is_count(const char *key)
{
	return strcmp(key, "followup.attempts") == 0;
}

/* Parse a value for key into *v (seconds, or a count). */
static int
parse_value(const char *key, const char *value, int64_t *v,
	    struct case_err *err)
{
	char q[CASE_QUOTE_MAX];

	if (is_count(key)) {
		char *end;
		long n = strtol(value, &end, 10);

		if (*value < '0' || *value > '9' || *end != '\0' || n < 1 ||
		    n > 100)
			return case_err_set(err, CASE_E_INPUT,
					    _("%s: bad value '%s' (expected a "
					    "whole number from 1 to 100)"),
					    key, case_quote(q, sizeof q, value));
		*v = n;
		return 0;
	}
	if (case_dur_parse(value, v, err) < 0)
		return case_err_prefix(err, "%s: ", key);
	return 0;
}

static int
key_index(const char *key, struct case_err *err)
{
	const char *names[sizeof case_policy_keys / sizeof case_policy_keys[0]];
	char q[CASE_QUOTE_MAX];
	const char *near;
	size_t i;

	for (i = 0; case_policy_keys[i].key != NULL; i++) {
		names[i] = case_policy_keys[i].key;
		if (strcmp(key, names[i]) == 0)
			return (int)i;
	}
	near = case_suggest(key, names, i);
	if (near != NULL)
		return case_err_set(err, CASE_E_NOTFOUND,
				    _("unknown policy key '%s' (did you mean "
				    "'%s'?)"),
				    case_quote(q, sizeof q, key), near);
	return case_err_set(err, CASE_E_NOTFOUND,
			    _("unknown policy key '%s' (see 'case-admin policy')"),
			    case_quote(q, sizeof q, key));
}

int
case_policy_get(struct case_db *db, struct case_policy *pol,
		struct case_err *err)
{
	int64_t v[sizeof case_policy_keys / sizeof case_policy_keys[0]];
	struct case_stmt *st;
	size_t i;
	int rc;

	if (db->have_policy) {
		*pol = db->policy;
		return 0;
	}
	for (i = 0; case_policy_keys[i].key != NULL; i++)
		parse_value(case_policy_keys[i].key, case_policy_keys[i].def,
			    &v[i], NULL);
	if ((st = case_db_stmt(db, "SELECT key, value FROM policy", err)) == NULL)
		return -1;
	while ((rc = case_step(st)) == CASE_ROW) {
		const char *k = case_col_text(st, 0);
		const char *val = case_col_text(st, 1);
		int ki = key_index(k, NULL);

		if (ki < 0)
			continue; /* a key from a newer program; not ours */
		if (parse_value(k, val, &v[ki], err) < 0) {
			case_reset(st);
			return case_err_prefix(err, _("stored policy: "));
		}
	}
	case_reset(st);
	if (rc != CASE_DONE)
		return case_db_fail(db, err, _("cannot read the policy"));
	for (i = 0; i < 4; i++)
		db->policy.due[i] = v[i];
	db->policy.followup_after = v[4];
	db->policy.followup_retry = v[5];
	db->policy.followup_attempts = v[6];
	db->policy.escalate2 = v[7];
	db->policy.escalate3 = v[8];
	db->have_policy = 1;
	*pol = db->policy;
	return 0;
}

int
case_policy_due(struct case_db *db, const char *priority, int64_t t,
		int64_t *due, struct case_err *err)
{
	struct case_policy pol;
	int i = case_text_index(case_priorities, priority ? priority : "normal");

	if (i < 0)
		return case_err_set(err, CASE_E_INPUT, _("unknown priority"));
	if (case_policy_get(db, &pol, err) < 0)
		return -1;
	*due = t + pol.due[i];
	if (*due > CASE_TIME_MAX)
		*due = CASE_TIME_MAX;
	return 0;
}

int
case_policy_check(const char *key, const char *value, struct case_err *err)
{
	int64_t v;

	if (key_index(key, err) < 0)
		return -1;
	return value == NULL ? 0 : parse_value(key, value, &v, err);
}

int
case_policy_set(struct case_db *db, const char *key, const char *value,
		struct case_err *err)
{
	struct case_policy pol;
	struct case_stmt *st;
	int64_t v;
	char d[CASE_TIME_BUF];

	if (case_role_allows(db, CASE_ACT_ADMIN, err) < 0 ||
	    key_index(key, err) < 0 || parse_value(key, value, &v, err) < 0 ||
	    case_policy_get(db, &pol, err) < 0)
		return -1;
	/* Level 3 comes after level 2, or escalation would skip a level. */
	if (strcmp(key, "escalate.2") == 0 && v >= pol.escalate3)
		return case_err_set(err, CASE_E_INPUT,
				    _("escalate.2: %s is not shorter than "
				    "escalate.3 (%s)"),
				    value, case_dur_fmt(pol.escalate3, d));
	if (strcmp(key, "escalate.3") == 0 && v <= pol.escalate2)
		return case_err_set(err, CASE_E_INPUT,
				    _("escalate.3: %s is not longer than "
				    "escalate.2 (%s)"),
				    value, case_dur_fmt(pol.escalate2, d));
	st = case_db_stmt(db,
			  "INSERT INTO policy(key, value) VALUES (?1, ?2)"
			  " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			  err);
	if (st == NULL)
		return -1;
	case_bind_str(st, 1, key);
	case_bind_str(st, 2, value);
	if (case_db_done(db, st, err) < 0)
		return -1;
	db->have_policy = 0;
	return 0;
}

int
case_policy_show(struct case_db *db, const char *key, char **value,
		 struct case_err *err)
{
	struct case_stmt *st;
	int ki = key_index(key, err);

	if (ki < 0)
		return -1;
	st = case_db_stmt(db, "SELECT value FROM policy WHERE key = ?1", err);
	if (st == NULL)
		return -1;
	case_bind_str(st, 1, key);
	if (case_step(st) == CASE_ROW)
		*value = strdup(case_col_text(st, 0));
	else
		*value = strdup(case_policy_keys[ki].def);
	case_reset(st);
	if (*value == NULL)
		return case_err_set(err, CASE_E_NOMEM, _("out of memory"));
	return 0;
}

int
case_policy_list(struct case_db *db, struct case_out *out, struct case_err *err)
{
	const struct case_policy_key *k;

	for (k = case_policy_keys; k->key != NULL; k++) {
		char *v;

		if (case_policy_show(db, k->key, &v, err) < 0)
			return -1;
		case_out_text(out, k->key);
		case_out_text(out, v);
		case_out_text(out, k->def);
		free(v);
		if (case_out_end_row(out, err) < 0)
			return -1;
	}
	return 0;
}
