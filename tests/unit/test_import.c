/*
 * Unit tests for bulk import: --map parsing, and case_import() over
 * in-memory CSV (fmemopen) with its callbacks: ids before the commit,
 * which the caller can still refuse,
 * notes, bad rows by line, all-or-nothing, --skip-bad and --dry-run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case/cases.h"
#include "case/db.h"
#include "case/import.h"
#include "case/units.h"
#include "internal.h"

static char dir[256];
static struct case_db *db;

static int
setup(void **state)
{
	struct case_unit u = {"pcs-qianjin", "前进派出所", "police", NULL,
			      NULL, NULL, NULL};
	struct case_err err;
	char path[512];

	(void)state;
	snprintf(dir, sizeof dir, "%s/test_import.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/cases.db", dir);
	setenv("CASE_NOW", "2026-05-01T08:00:00+08:00", 1);
	setenv("CASE_ACTOR", "tester", 1);
	unsetenv("CASE_BUSY_TIMEOUT");
	if (case_db_open(&db, path, CASE_DB_CREATE, &err) < 0 ||
	    case_db_begin(db, &err) < 0 || case_unit_add(db, &u, 0, &err) < 0 ||
	    case_db_commit(db, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	case_db_close(db);
	db = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_map_parse(void **state)
{
	struct case_map m;
	struct case_err err;

	(void)state;
	assert_int_equal(case_map_parse(" summary = desc ,REF=ticket,kind=",
					&m, &err), 0);
	assert_string_equal(m.col[CASE_F_SUMMARY], "desc");
	assert_string_equal(m.col[CASE_F_REF], "ticket");
	assert_string_equal(m.col[CASE_F_KIND], "");
	assert_null(m.col[CASE_F_PLACE]);
	case_map_free(&m);

	/* A column name may hold spaces and CJK. */
	assert_int_equal(case_map_parse("summary=Complaint Type,place=地点",
					&m, &err), 0);
	assert_string_equal(m.col[CASE_F_SUMMARY], "Complaint Type");
	assert_string_equal(m.col[CASE_F_PLACE], "地点");
	case_map_free(&m);

	assert_int_equal(case_map_parse("sumary=desc", &m, &err), -1);
	assert_string_equal(err.msg, "--map: unknown field 'sumary' (did you "
				     "mean 'summary'?)");
	assert_int_equal(case_map_parse("colour=x", &m, &err), -1);
	assert_string_equal(err.msg, "--map: unknown field 'colour'");
	assert_int_equal(case_map_parse("summary", &m, &err), -1);
	assert_string_equal(err.msg, "--map: 'summary' is not field=column");
	assert_int_equal(case_map_parse("summary=a,SUMMARY=b", &m, &err), -1);
	assert_string_equal(err.msg, "--map: field 'summary' is mapped twice");
	assert_int_equal(case_map_parse("summary=a\nb", &m, &err), -1);
	assert_non_null(strstr(err.msg, "--map contains control character"));
}

struct seen {
	char ids[1024];
	char errors[4096];
	char notes[4096];
	char ids_at_commit[1024]; /* the ids handed out by before_commit */
	int refuse;		  /* before_commit fails */
};

static void
on_error(void *ctx, long line, const char *msg)
{
	struct seen *s = ctx;
	size_t o = strlen(s->errors);

	snprintf(s->errors + o, sizeof s->errors - o, "%ld: %s\n", line, msg);
}

static void
on_note(void *ctx, long line, const char *msg)
{
	struct seen *s = ctx;
	size_t o = strlen(s->notes);

	snprintf(s->notes + o, sizeof s->notes - o, "%ld: %s\n", line, msg);
}

static void
on_id(void *ctx, int64_t id)
{
	struct seen *s = ctx;
	size_t o = strlen(s->ids);

	snprintf(s->ids + o, sizeof s->ids - o, "%s%lld", o ? "," : "",
		 (long long)id);
}

static int
before_commit(void *ctx, struct case_err *err)
{
	struct seen *s = ctx;

	memcpy(s->ids_at_commit, s->ids, sizeof s->ids);
	if (s->refuse)
		return case_err_set(err, CASE_E_IO, "cannot write output");
	return 0;
}

static int
import(const char *csv, const char *map, int skip_bad, int dry_run,
       const char *kind, struct seen *s, struct case_import_stats *st,
       struct case_err *err)
{
	struct case_import opt;
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	assert_non_null(fp);
	memset(&opt, 0, sizeof opt);
	memset(s, 0, sizeof *s);
	opt.map = map;
	opt.skip_bad = skip_bad;
	opt.dry_run = dry_run;
	opt.defaults[CASE_F_KIND] = kind;
	opt.on_error = on_error;
	opt.on_note = on_note;
	opt.on_id = on_id;
	opt.before_commit = before_commit;
	opt.ctx = s;
	rc = case_import(db, fp, &opt, st, err);
	fclose(fp);
	return rc;
}

static int64_t
count_cases(void)
{
	struct case_err err;
	struct case_stmt *st = case_db_stmt(db, "SELECT count(*) FROM cases", &err);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(case_step(st), CASE_ROW);
	n = case_col_int64(st, 0);
	case_reset(st);
	return n;
}

static void
test_import_good(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;

	(void)state;
	assert_int_equal(import("Summary,ticket,junk\n"
				"一,T-1,x\n"
				"二,T-2,y\n",
				"ref=ticket", 0, 0, "request", &s, &st, &err),
			 0);
	assert_string_equal(s.ids, "1,2");
	assert_string_equal(s.errors, "");
	assert_string_equal(s.notes, "0: ignoring column junk\n");
	/* Again, with one more: the refs found count as existing. */
	assert_int_equal(import("Summary,ticket\n"
				"一,T-1\n"
				"二,T-2\n"
				"三,T-3\n",
				"ref=ticket", 0, 0, "request", &s, &st, &err),
			 0);
	assert_string_equal(s.ids, "1,2,3");
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.existing, 2);
	assert_int_equal(st.bad, 0);
	assert_int_equal(count_cases(), 3);
	assert_string_equal(s.ids_at_commit, "1,2,3");
}

/* Every id is handed out before the commit, and a caller that could not
 * write them out rolls the whole import back. */
static void
test_import_refused_at_commit(void **state)
{
	struct case_import_stats st;
	struct case_import opt;
	struct case_err err;
	struct seen s;
	static const char csv[] = "summary,kind\n一,request\n二,hazard\n";
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");

	(void)state;
	assert_non_null(fp);
	memset(&opt, 0, sizeof opt);
	memset(&s, 0, sizeof s);
	s.refuse = 1;
	opt.on_id = on_id;
	opt.before_commit = before_commit;
	opt.ctx = &s;
	assert_int_equal(case_import(db, fp, &opt, &st, &err), -1);
	fclose(fp);
	assert_string_equal(err.msg, "cannot write output");
	assert_string_equal(s.ids_at_commit, "1,2");
	assert_int_equal(count_cases(), 0);

	/* The same import, written out, lands with the same ids. */
	assert_int_equal(import(csv, NULL, 0, 0, NULL, &s, &st, &err), 0);
	assert_string_equal(s.ids_at_commit, "1,2");
	assert_int_equal(count_cases(), 2);
}

/* A ref that repeats an earlier row of the same file is a bad row naming
 * that line, whether the earlier row added its case or found it; its
 * case is not printed twice (issue 13, item 11). */
static void
test_import_repeated_ref(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;
	static const char csv[] = "ref,summary,kind\n"
				  "T-1,一,request\n"
				  "T-2,二,request\n"
				  " T-1 ,三,request\n"
				  "T-2,四,request\n"
				  "T-1,五,request\n";

	(void)state;
	assert_int_equal(import(csv, NULL, 0, 0, NULL, &s, &st, &err), -1);
	assert_string_equal(err.msg, "3 bad rows; nothing imported (--skip-bad "
				     "imports the good ones)");
	assert_string_equal(s.errors, "4: ref 'T-1' repeats line 2\n"
				      "5: ref 'T-2' repeats line 3\n"
				      "6: ref 'T-1' repeats line 2\n");
	assert_int_equal(count_cases(), 0);
	/* A dry run counts them and fails nothing. */
	assert_int_equal(import(csv, NULL, 0, 1, NULL, &s, &st, &err), 0);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.bad, 3);
	assert_int_equal(count_cases(), 0);
	assert_int_equal(import(csv, NULL, 1, 0, NULL, &s, &st, &err), 0);
	assert_string_equal(s.ids, "1,2");
	assert_int_equal(st.added, 2);
	assert_int_equal(st.existing, 0);
	assert_int_equal(st.bad, 3);
	/* Again: the first rows now find their cases. */
	assert_int_equal(import(csv, NULL, 1, 0, NULL, &s, &st, &err), 0);
	assert_string_equal(s.ids, "1,2");
	assert_string_equal(s.errors, "4: ref 'T-1' repeats line 2\n"
				      "5: ref 'T-2' repeats line 3\n"
				      "6: ref 'T-1' repeats line 2\n");
	assert_int_equal(st.added, 0);
	assert_int_equal(st.existing, 2);
	assert_int_equal(st.bad, 3);
	assert_int_equal(count_cases(), 2);
	/* Out of the order they were added in: the line of T-2 is read back
	 * from the file of lines found. */
	assert_int_equal(import("ref,summary,kind\n"
				"T-2,二,request\n"
				"T-1,一,request\n"
				"T-2,四,request\n",
				NULL, 1, 0, NULL, &s, &st, &err),
			 0);
	assert_string_equal(s.errors, "4: ref 'T-2' repeats line 2\n");
	assert_string_equal(s.ids, "2,1");
}

/* A database whose ids run past what the bits of the cases found cover
 * still finds a repeated ref, from the file of lines alone. */
static void
test_import_repeated_ref_large_id(void **state)
{
	static const char *const v0[CASE_F_COUNT] = {
		[CASE_F_REF] = "BIG-1", [CASE_F_KIND] = "request",
		[CASE_F_SUMMARY] = "大号"};
	struct case_import_stats st;
	struct case_opened res;
	struct case_err err;
	struct seen s;

	(void)state;
	assert_int_equal(case_db_begin(db, &err), 0);
	assert_int_equal(case_open_as(db, v0, NULL, CASE_OPEN_DEFER_EVENT, &res,
				      &err),
			 0);
	assert_int_equal(case_db_exec(db,
				      "UPDATE cases SET id = 536870917;"
				      "INSERT INTO events(case_id, at, actor,"
				      " action, status, level, detail) VALUES"
				      " (536870917, 0, 't', 'open', 'open', 0,"
				      " 'request')",
				      &err),
			 0);
	assert_int_equal(case_db_commit(db, &err), 0);
	assert_int_equal(import("ref,summary,kind\n"
				"BIG-1,一,request\n"
				"BIG-2,二,request\n"
				"BIG-1,三,request\n",
				NULL, 1, 0, NULL, &s, &st, &err),
			 0);
	assert_string_equal(s.errors, "4: ref 'BIG-1' repeats line 2\n");
	assert_string_equal(s.ids, "536870917,536870918");
	assert_int_equal(st.existing, 1);
	assert_int_equal(st.added, 1);
}

/* Blank cells take the options' values; white space around one-line
 * cells goes, and a description keeps its own (issue 13, item 8). */
static void
test_import_trimmed(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;
	struct case_stmt *q;

	(void)state;
	assert_int_equal(import("summary,kind,place,priority,description\n"
				" 一 , hazard ,\t a/b \t, , 两边 \n"
				"二,\xe3\x80\x80,a,low,\n",
				NULL, 0, 0, "request", &s, &st, &err),
			 0);
	assert_string_equal(s.errors, "");
	q = case_db_stmt(db,
			 "SELECT group_concat(summary || '|' || kind || '|' ||"
			 " place || '|' || priority || '|' ||"
			 " coalesce(description, '-'), ';') FROM cases",
			 &err);
	assert_non_null(q);
	assert_int_equal(case_step(q), CASE_ROW);
	assert_string_equal(case_col_text(q, 0),
			    "一|hazard|a/b|normal| 两边 ;二|request|a|low|-");
	case_reset(q);
}

/* Our own listings' output-only columns pass without a note. */
static void
test_import_output_columns(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;

	(void)state;
	assert_int_equal(import("id,summary,kind,level,outcome,reopened\n"
				"99,一,request,0,,0\n",
				NULL, 0, 0, NULL, &s, &st, &err),
			 0);
	assert_string_equal(s.notes, "");
	/* The id column is not the case's id: the database assigns it. */
	assert_string_equal(s.ids, "1");
}

static void
test_import_all_or_nothing(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;
	static const char csv[] = "summary,kind\n"
				  "好,request\n"
				  "坏,dispte\n"
				  "\"多,行\"\"也好\"\"\",hazard\n"
				  "少一列\n";

	(void)state;
	assert_int_equal(import(csv, NULL, 0, 0, NULL, &s, &st, &err), -1);
	assert_string_equal(err.msg, "2 bad rows; nothing imported (--skip-bad "
				     "imports the good ones)");
	assert_string_equal(s.errors,
			    "3: unknown kind 'dispte' (expected dispute, hazard "
			    "or request; or translate it with --recode "
			    "'kind:dispte=...')\n"
			    "5: 1 fields, but the header has 2\n");
	assert_string_equal(s.ids, "");
	assert_int_equal(count_cases(), 0);

	assert_int_equal(import(csv, NULL, 1, 0, NULL, &s, &st, &err), 0);
	assert_string_equal(s.ids, "1,2");
	assert_int_equal(st.bad, 2);
	assert_int_equal(st.added, 2);
	assert_int_equal(count_cases(), 2);
}

static void
test_import_dry_run(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;

	(void)state;
	assert_int_equal(import("summary,kind\n一,request\n二,hazard\n", NULL,
				0, 1, NULL, &s, &st, &err),
			 0);
	assert_int_equal(st.added, 2);
	assert_string_equal(s.ids, "");
	assert_int_equal(count_cases(), 0);
	/* Bad rows are counted, not an error, so that the summary can say
	 * how many would be added (issue 13, item 11). */
	assert_int_equal(import("summary,kind\n一,request\n二,dispte\n", NULL,
				0, 1, NULL, &s, &st, &err),
			 0);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.bad, 1);
	assert_string_equal(s.errors, "3: unknown kind 'dispte' (expected "
				      "dispute, hazard or request; or "
				      "translate it with --recode "
				      "'kind:dispte=...')\n");
	assert_int_equal(count_cases(), 0);
	/* A dry run still ends its (empty) listing before its rollback. */
	memset(s.ids_at_commit, 'x', 1);
	assert_int_equal(import("summary,kind\n一,request\n", NULL, 0, 1, NULL,
				&s, &st, &err),
			 0);
	assert_string_equal(s.ids_at_commit, "");
}

static void
test_import_file_errors(void **state)
{
	struct case_import_stats st;
	struct case_err err;
	struct seen s;

	(void)state;
	assert_int_equal(import("", NULL, 0, 0, NULL, &s, &st, &err), -1);
	assert_string_equal(err.msg, "no header line (the file is empty)");
	assert_int_equal(import("kind\nrequest\n", NULL, 0, 0, NULL, &s, &st,
				&err), -1);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.msg, "no summary column (map one with "
				     "--map summary=COLUMN)");
	assert_int_equal(import("summary,kind,KIND\nx,request,request\n", NULL,
				0, 0, NULL, &s, &st, &err), -1);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.msg, "column 'KIND' appears twice in "
				     "the header");
	assert_int_equal(import("summary,kind\nx,request\n", "place=where", 0,
				0, NULL, &s, &st, &err), -1);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.msg, "--map place=where: no such "
				     "column in the header");
	/* A summary from the options stands in for a missing column. */
	{
		struct case_import opt;
		FILE *fp = fmemopen("kind\nrequest\n", 13, "r");

		memset(&opt, 0, sizeof opt);
		memset(&s, 0, sizeof s);
		opt.defaults[CASE_F_SUMMARY] = "从选项";
		opt.on_error = on_error;
		opt.on_id = on_id;
		opt.ctx = &s;
		assert_int_equal(case_import(db, fp, &opt, &st, &err), 0);
		fclose(fp);
		assert_string_equal(s.ids, "1");
	}
	assert_int_equal(count_cases(), 1);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_parse),
		T(test_import_good),
		T(test_import_refused_at_commit),
		T(test_import_repeated_ref),
		T(test_import_repeated_ref_large_id),
		T(test_import_trimmed),
		T(test_import_output_columns),
		T(test_import_all_or_nothing),
		T(test_import_dry_run),
		T(test_import_file_errors),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
