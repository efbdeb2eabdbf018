/*
 * case-admin: the registry and the database.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "lib/i18n.h"

enum {
	OPT_CHIEF = CLI_OPT_FIRST_FREE,
	OPT_CONTACT,
	OPT_GROUP,
	OPT_PARENT,
	OPT_PLACE,
	OPT_ROLE,
	OPT_TYPE,
	OPT_UNIT,
};

static void
usage(FILE *fp)
{
	fputs(_("usage: case-admin [-q] [--db file] init [--group group]\n"
	      "       case-admin [--db file] unit add code name [--chief name]"
	      " [--contact text]\n"
	      "                  [--parent code] [--place prefix] [--type type]\n"
	      "       case-admin [-H] [-F format] [--db file] unit list\n"
	      "       case-admin [--db file] unit import file | -\n"
	      "       case-admin [--db file] supervisor set level name"
	      " [--contact text]\n"
	      "       case-admin [-H] [-F format] [--db file] supervisor list\n"
	      "       case-admin [-H] [-F format] [--db file] policy"
	      " [key [value]]\n"
	      "       case-admin [-H] [-F format] [--db file] check\n"
	      "       case-admin [--db file] backup file\n"
	      "       case-admin [-q] [--db file] copy dest\n"
	      "       case-admin [-q] [--db uri] member add login --role role"
	      " [--unit code ...]\n"
	      "       case-admin [-H] [-F format] [--db uri] member list\n"
	      "       case-admin [--db uri] member remove login\n"
	      "All forms also take --actor name, -q, -h and -V.\n"),
	      fp);
}

static const struct option longopts[] = {
	{"chief", required_argument, NULL, OPT_CHIEF},
	{"contact", required_argument, NULL, OPT_CONTACT},
	{"group", required_argument, NULL, OPT_GROUP},
	{"parent", required_argument, NULL, OPT_PARENT},
	{"place", required_argument, NULL, OPT_PLACE},
	{"role", required_argument, NULL, OPT_ROLE},
	{"type", required_argument, NULL, OPT_TYPE},
	{"unit", required_argument, NULL, OPT_UNIT},
	CLI_COMMON_OPTIONS,
	{NULL, 0, NULL, 0},
};

struct opts {
	const char *chief, *contact, *parent, *place, *type;
	const char *group, *role;
	const char **units;
	size_t nunits;
};

/* Refuse options that the command does not take (main has refused
 * --group but with init, and --role and --unit but with member). */
static void
only(struct cli *c, const struct opts *o, int unit_opts, int contact)
{
	if (!unit_opts && (o->chief || o->parent || o->place || o->type))
		cli_usage_error(c, _("--chief, --parent, --place and --type go "
				   "with 'unit add'"));
	if (!contact && o->contact)
		cli_usage_error(c, _("--contact goes with 'unit add' and "
				   "'supervisor set'"));
}

static void
operands(struct cli *c, int argc, int min, int max, const char *what)
{
	if (argc < min || argc > max)
		cli_usage_error(c, "%s: %s", what,
				argc < min ? "missing operand"
					   : "too many operands");
}

/* Commit one write made in its own transaction, or report and exit 1. */
static void
commit_or_fail(struct cli *c, struct case_db *db, int rc,
	       const struct case_err *err)
{
	if (rc < 0) {
		case_db_rollback(db);
		case_db_close(db);
		cli_fail(err);
	}
	cli_commit(c, db, 0);
}

/* init --group: the folder first, then a database the group shares. */
static int
cmd_init(struct cli *c, const char *group)
{
	char dir[PATH_MAX];
	struct case_err err;
	struct case_db *db;
	int found;

	if (group != NULL) {
		int dflt;

		if (case_db_path(c->db, dir, sizeof dir, &dflt, &err) < 0)
			cli_fail(&err);
		if (case_db_is_uri(dir))
			cli_usage_error(c, _("--group shares an SQLite file; on a "
					   "server, members have roles (see "
					   "'case-admin member')"));
		if (case_db_share_folder(c->db, group, dir, sizeof dir, &err) <
		    0) {
			if (err.kind == CASE_E_INPUT && strncmp(err.msg, "--group",
								 7) == 0)
				cli_usage_error(c, "%s", err.msg);
			cli_fail(&err);
		}
	}
	db = cli_open(c, CASE_DB_CREATE | (group ? CASE_DB_SHARED : 0));
	found = case_db_found_version(db);

	if (!c->quiet) {
		if (found == 0)
			cli_warn(_("created %s (schema %d)"), case_db_filename(db),
				 CASE_SCHEMA_VERSION);
		else if (found < CASE_SCHEMA_VERSION)
			cli_warn(_("upgraded %s from schema %d to %d"),
				 case_db_filename(db), found,
				 CASE_SCHEMA_VERSION);
		else
			cli_warn(_("%s is up to date (schema %d)"),
				 case_db_filename(db), CASE_SCHEMA_VERSION);
		if (group != NULL)
			cli_warn(_("%s is shared by group %s: its folder %s is "
				 "setgid and 2770, its files 0660"),
				 case_db_filename(db), group, dir);
	}
	case_db_close(db);
	return 0;
}

static const struct case_col unit_cols[] = {
	{"code", CASE_COL_TEXT},  {"name", CASE_COL_TEXT},
	{"type", CASE_COL_TEXT},  {"parent", CASE_COL_TEXT},
	{"place", CASE_COL_TEXT}, {"chief", CASE_COL_TEXT},
	{"contact", CASE_COL_TEXT},
};

static void
unit_error(void *ctx, long line, const char *msg)
{
	const char *name = ctx;

	if (line > 0)
		cli_warn("%s:%ld: %s", name, line, msg);
	else
		cli_warn("%s: %s", name, msg);
}

/* A tie stops routing for a whole area without a word from case-assign
 * but one per case, so it is said when it is made, even with -q. */
static void
unit_tie(void *ctx, const struct case_tie *t)
{
	char codes[1024];

	(void)ctx;
	cli_warn(_("units %s cover place %s equally: case-assign --auto leaves "
		 "the cases there open"),
		 case_text_join(codes, sizeof codes, t->codes, t->n, _(" and ")),
		 t->place);
}

static int
cmd_unit(struct cli *c, const struct opts *o, int argc, char **argv)
{
	struct case_err err;
	struct case_db *db;

	if (argc == 0)
		cli_usage_error(c, _("unit: expected add, list or import"));
	if (strcmp(argv[0], "add") == 0) {
		struct case_unit u = {NULL};

		operands(c, argc - 1, 2, 2, "unit add");
		u.code = case_text_trim(argv[1]);
		u.name = argv[2];
		u.type = o->type;
		u.parent = o->parent;
		u.place = o->place;
		u.chief = o->chief;
		u.contact = o->contact;
		if (case_unit_check(&u, &err) < 0)
			cli_usage_error(c, "%s", err.msg);
		db = cli_open(c, 0);
		if (case_db_begin(db, &err) < 0)
			cli_fail(&err);
		commit_or_fail(c, db,
			       case_unit_add(db, &u, 0, &err) < 0
				       ? -1
				       : case_unit_ties(db, u.code, unit_tie,
							NULL, &err),
			       &err);
	} else if (strcmp(argv[0], "list") == 0) {
		struct case_out *out;

		only(c, o, 0, 0);
		operands(c, argc - 1, 0, 0, "unit list");
		db = cli_open(c, CASE_DB_READONLY);
		out = cli_out(c, unit_cols, 7);
		if (case_unit_list(db, out, &err) < 0)
			cli_fail(&err);
		cli_out_finish(out);
	} else if (strcmp(argv[0], "import") == 0) {
		const char *name;
		struct stat sb;
		long count;
		FILE *in;

		only(c, o, 0, 0);
		operands(c, argc - 1, 1, 1, "unit import");
		if (strcmp(argv[1], "-") == 0) {
			in = stdin;
			name = "stdin";
		} else if ((in = fopen(argv[1], "r")) == NULL) {
			cli_warn("%s: %s", argv[1], strerror(errno));
			cli_exit(1);
		} else
			name = argv[1];
		if (fstat(fileno(in), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			cli_warn(_("%s: is a folder, not a CSV file"), name);
			cli_exit(1);
		}
		db = cli_open(c, 0);
		if (case_db_begin(db, &err) < 0)
			cli_fail(&err);
		if (case_unit_import(db, in, unit_error, unit_tie, (void *)name,
				     &count, &err) < 0) {
			case_db_rollback(db);
			cli_fail_in(name, &err);
		}
		cli_commit(c, db, 0);
		if (!c->quiet)
			cli_warn(P_("%s: %ld unit imported",
				    "%s: %ld units imported",
				    (unsigned long)count),
				 name, count);
	} else
		cli_usage_error(c, _("unit: unknown command '%s' (expected add, "
				   "list or import)"),
				argv[0]);
	case_db_close(db);
	return 0;
}

static const struct case_col sup_cols[] = {
	{"level", CASE_COL_INT},
	{"name", CASE_COL_TEXT},
	{"contact", CASE_COL_TEXT},
};

static int
cmd_supervisor(struct cli *c, const struct opts *o, int argc, char **argv)
{
	struct case_err err;
	struct case_db *db;

	only(c, o, 0, argc > 0 && strcmp(argv[0], "set") == 0);
	if (argc > 0 && strcmp(argv[0], "set") == 0) {
		operands(c, argc - 1, 2, 2, "supervisor set");
		if (strlen(argv[1]) != 1 || argv[1][0] < '1' || argv[1][0] > '3')
			cli_usage_error(c, _("supervisor set: bad level '%s' "
					   "(expected 1, 2 or 3)"),
					argv[1]);
		if (case_supervisor_check(argv[1][0] - '0', argv[2], o->contact,
					  &err) < 0)
			cli_usage_error(c, "%s", err.msg);
		db = cli_open(c, 0);
		if (case_db_begin(db, &err) < 0)
			cli_fail(&err);
		commit_or_fail(c, db,
			       case_supervisor_set(db, argv[1][0] - '0', argv[2],
						   o->contact, &err),
			       &err);
	} else if (argc > 0 && strcmp(argv[0], "list") == 0) {
		struct case_out *out;

		operands(c, argc - 1, 0, 0, "supervisor list");
		db = cli_open(c, CASE_DB_READONLY);
		out = cli_out(c, sup_cols, 3);
		if (case_supervisor_list(db, out, &err) < 0)
			cli_fail(&err);
		cli_out_finish(out);
	} else
		cli_usage_error(c, _("supervisor: expected set or list"));
	case_db_close(db);
	return 0;
}

static const struct case_col policy_cols[] = {
	{"key", CASE_COL_TEXT},
	{"value", CASE_COL_TEXT},
	{"default", CASE_COL_TEXT},
};

static int
cmd_policy(struct cli *c, int argc, char **argv)
{
	struct case_err err;
	struct case_db *db;

	operands(c, argc, 0, 2, "policy");
	if (argc > 0 &&
	    case_policy_check(argv[0], argc == 2 ? argv[1] : NULL, &err) < 0)
		cli_usage_error(c, "%s", err.msg);
	if (argc == 2) {
		db = cli_open(c, 0);
		if (case_db_begin(db, &err) < 0)
			cli_fail(&err);
		commit_or_fail(c, db,
			       case_policy_set(db, argv[0], argv[1], &err),
			       &err);
	} else if (argc == 1 && c->fmt == CASE_FMT_TEXT) {
		char *v;

		/* One value alone, for $(case-admin policy due.normal). */
		db = cli_open(c, CASE_DB_READONLY);
		if (case_policy_show(db, argv[0], &v, &err) < 0)
			cli_fail(&err);
		printf("%s\n", v);
		free(v);
	} else if (argc == 1) {
		struct case_out *out;
		char *v;

		db = cli_open(c, CASE_DB_READONLY);
		if (case_policy_show(db, argv[0], &v, &err) < 0)
			cli_fail(&err);
		out = cli_out(c, policy_cols, 2);
		case_out_text(out, argv[0]);
		case_out_text(out, v);
		free(v);
		if (case_out_end_row(out, &err) < 0)
			cli_fail(&err);
		cli_out_finish(out);
	} else {
		struct case_out *out;

		db = cli_open(c, CASE_DB_READONLY);
		out = cli_out(c, policy_cols, 3);
		if (case_policy_list(db, out, &err) < 0)
			cli_fail(&err);
		cli_out_finish(out);
	}
	case_db_close(db);
	return 0;
}

static const struct case_col check_cols[] = {
	{"case", CASE_COL_INT},
	{"finding", CASE_COL_TEXT},
};

static int
cmd_check(struct cli *c, int argc)
{
	struct case_db *db;
	struct case_out *out;
	struct case_err err;
	long findings;

	operands(c, argc, 0, 0, "check");
	db = cli_open(c, CASE_DB_READONLY);
	out = cli_out(c, check_cols, 2);
	if (case_check(db, out, &findings, &err) < 0)
		cli_fail(&err);
	cli_out_finish(out);
	case_db_close(db);
	if (findings > 0 && !c->quiet)
		cli_warn(P_("%ld finding", "%ld findings",
			    (unsigned long)findings),
			 findings);
	return findings > 0;
}

static int
cmd_backup(struct cli *c, int argc, char **argv)
{
	struct case_db *db;
	struct case_err err;

	operands(c, argc, 1, 1, "backup");
	db = cli_open(c, CASE_DB_READONLY);
	if (case_db_backup(db, argv[0], &err) < 0)
		cli_fail(&err);
	case_db_close(db);
	return 0;
}

/* The whole database into a new one, on either engine; the source is read
 * in one snapshot. */
static int
cmd_copy(struct cli *c, int argc, char **argv)
{
	struct case_db *db;
	struct case_err err;
	char dest[PATH_MAX], *to;
	long rows;

	operands(c, argc, 1, 1, "copy");
	if ((to = strdup(argv[0])) == NULL) {
		cli_warn(_("out of memory"));
		cli_exit(1);
	}
	case_db_hide_password(argv[0]);
	db = cli_open(c, CASE_DB_READONLY);
	if (case_db_copy(db, to, &rows, &err) < 0)
		cli_fail(&err);
	if (!c->quiet) {
		case_db_redact(to, dest, sizeof dest);
		cli_warn(_("copied %s into %s (%ld rows)"), case_db_filename(db),
			 dest, rows);
	}
	case_db_close(db);
	free(to);
	return 0;
}

static const struct case_col member_cols[] = {
	{"login", CASE_COL_TEXT},
	{"role", CASE_COL_TEXT},
	{"units", CASE_COL_TEXT},
	{"can_login", CASE_COL_TEXT},
};

static int
cmd_member(struct cli *c, const struct opts *o, int argc, char **argv)
{
	struct case_err err;
	struct case_db *db;

	if (argc == 0)
		cli_usage_error(c, _("member: expected add, list or remove"));
	if (strcmp(argv[0], "add") == 0) {
		int created;

		operands(c, argc - 1, 1, 1, "member add");
		if (o->role == NULL)
			cli_usage_error(c, _("member add: --role is required "
					   "(admin, centre, unit, supervisor or "
					   "analyst)"));
		if (case_member_check(argv[1], o->role, o->units, o->nunits,
				      &err) < 0)
			cli_usage_error(c, _("member add: %s"), err.msg);
		db = cli_open(c, 0);
		if (case_db_begin(db, &err) < 0)
			cli_fail(&err);
		commit_or_fail(c, db,
			       case_member_add(db, argv[1], o->role, o->units,
					       o->nunits, &created, &err),
			       &err);
		if (created && !c->quiet)
			cli_warn(_("login %s did not exist and was made without "
				 "a password (NOLOGIN); a database "
				 "administrator lets it log in (see "
				 "case-admin(1), MEMBERS)"),
				 argv[1]);
	} else if (strcmp(argv[0], "list") == 0) {
		struct case_out *out;

		operands(c, argc - 1, 0, 0, "member list");
		if (o->role || o->nunits)
			cli_usage_error(c, _("--role and --unit go with 'member "
					   "add'"));
		db = cli_open(c, CASE_DB_READONLY);
		out = cli_out(c, member_cols, 4);
		if (case_member_list(db, out, &err) < 0)
			cli_fail(&err);
		cli_out_finish(out);
	} else if (strcmp(argv[0], "remove") == 0) {
		operands(c, argc - 1, 1, 1, "member remove");
		if (o->role || o->nunits)
			cli_usage_error(c, _("--role and --unit go with 'member "
					   "add'"));
		db = cli_open(c, 0);
		if (case_db_begin(db, &err) < 0)
			cli_fail(&err);
		commit_or_fail(c, db, case_member_remove(db, argv[1], &err),
			       &err);
	} else
		cli_usage_error(c, _("member: unknown command '%s' (expected "
				   "add, list or remove)"),
				argv[0]);
	case_db_close(db);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts o = {NULL};
	struct cli c;
	const char *cmd;
	int ch;

	cli_init(&c, argv, "case-admin", usage);
	while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts,
				 NULL)) != -1) {
		switch (ch) {
		case OPT_CHIEF: o.chief = optarg; break;
		case OPT_CONTACT: o.contact = optarg; break;
		case OPT_GROUP: o.group = optarg; break;
		case OPT_PARENT: o.parent = optarg; break;
		case OPT_PLACE: o.place = optarg; break;
		case OPT_ROLE:
			/* A role's Chinese word is its English one. */
			o.role = case_word_english(case_roles,
						   case_text_trim(optarg));
			break;
		case OPT_TYPE: o.type = optarg; break;
		case OPT_UNIT: {
			const char **nv = realloc(o.units,
						  (o.nunits + 1) * sizeof *nv);

			if (nv == NULL) {
				cli_warn(_("out of memory"));
				cli_exit(1);
			}
			nv[o.nunits++] = case_text_trim(optarg);
			o.units = nv;
			break;
		}
		default: cli_common(&c, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		cli_usage_error(&c, _("a command is missing"));
	cmd = argv[0];
	argc--;
	argv++;
	if (o.group != NULL && strcmp(cmd, "init") != 0)
		cli_usage_error(&c, _("--group goes with 'init'"));
	if ((o.role != NULL || o.nunits > 0) && strcmp(cmd, "member") != 0)
		cli_usage_error(&c, _("--role and --unit go with 'member add'"));
	if (strcmp(cmd, "unit") == 0) {
		if (argc == 0 || strcmp(argv[0], "add") != 0)
			only(&c, &o, 0, 0);
		cli_exit(cmd_unit(&c, &o, argc, argv));
	}
	if (strcmp(cmd, "member") == 0) {
		only(&c, &o, 0, 0);
		cli_exit(cmd_member(&c, &o, argc, argv));
	}
	if (strcmp(cmd, "init") == 0) {
		only(&c, &o, 0, 0);
		operands(&c, argc, 0, 0, "init");
		cli_exit(cmd_init(&c, o.group));
	}
	if (strcmp(cmd, "supervisor") == 0)
		cli_exit(cmd_supervisor(&c, &o, argc, argv));
	only(&c, &o, 0, 0);
	if (strcmp(cmd, "policy") == 0)
		cli_exit(cmd_policy(&c, argc, argv));
	if (strcmp(cmd, "check") == 0)
		cli_exit(cmd_check(&c, argc));
	if (strcmp(cmd, "backup") == 0)
		cli_exit(cmd_backup(&c, argc, argv));
	if (strcmp(cmd, "copy") == 0)
		cli_exit(cmd_copy(&c, argc, argv));
	cli_usage_error(&c, _("unknown command '%s' (expected init, unit, "
			    "supervisor, policy, check, backup, copy or member)"),
			cmd);
}
