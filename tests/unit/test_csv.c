/*
 * Unit tests for the CSV reader, and a round trip: rows written by the
 * output writer in CSV and read back by case_csv_read() keep their fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/csvin.h"
#include "case/out.h"

/* What a read saw: every record (header first) as "LINE:f1|f2|...", one
 * per line, and every refused record as "LINE:msg". */
struct seen {
	char recs[65536];
	char bad[4096];
	long nrecs;
	size_t maxlen;
	int fail_at; /* a row callback that fails on this record number */
};

static void
add_record(struct seen *s, const struct case_csv_row *row)
{
	size_t o = strlen(s->recs), i;

	o += (size_t)snprintf(s->recs + o, sizeof s->recs - o, "%ld:", row->line);
	for (i = 0; i < row->n; i++) {
		assert_int_equal(strlen(row->f[i]), row->len[i]);
		if (row->len[i] > s->maxlen)
			s->maxlen = row->len[i];
		if (row->len[i] > 200) {
			o += (size_t)snprintf(s->recs + o, sizeof s->recs - o,
					      "%s<%zu bytes>", i ? "|" : "",
					      row->len[i]);
			continue;
		}
		o += (size_t)snprintf(s->recs + o, sizeof s->recs - o, "%s%s",
				      i ? "|" : "", row->f[i]);
	}
	snprintf(s->recs + o, sizeof s->recs - o, "\n");
	s->nrecs++;
}

static int
on_header(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	(void)err;
	add_record(arg, row);
	return 0;
}

static int
on_row(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct seen *s = arg;

	add_record(s, row);
	if (s->fail_at != 0 && s->nrecs == s->fail_at)
		return case_err_set(err, CASE_E_INPUT, "stop here");
	return 0;
}

static void
on_bad(void *arg, long line, const char *msg)
{
	struct seen *s = arg;
	size_t o = strlen(s->bad);

	snprintf(s->bad + o, sizeof s->bad - o, "%ld:%s\n", line, msg);
}

static int
read_buf(const char *text, size_t len, size_t max, struct seen *s,
	 struct case_err *err)
{
	struct case_csv_cb cb = {on_header, on_row, on_bad, NULL, s};
	FILE *fp = fmemopen((void *)text, len, "r");
	int rc;

	assert_non_null(fp);
	rc = case_csv_read(fp, max, &cb, err);
	fclose(fp);
	return rc;
}

#define READ(text, s, err) read_buf(text, sizeof(text) - 1, 1 << 20, s, err)

static void
test_simple(void **state)
{
	static const char text[] = "a,b,c\n"
				   "1,2,3\n"
				   "\"x,y\",\"say \"\"hi\"\"\",\n"
				   ",,\n"
				   "前进,派出所,\"\"\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b|c\n"
				    "2:1|2|3\n"
				    "3:x,y|say \"hi\"|\n"
				    "4:||\n"
				    "5:前进|派出所|\n");
	assert_string_equal(s.bad, "");
}

/* A record that spans lines: the next one starts later.  Blank lines are
 * not records, but count as lines. */
static void
test_line_numbers(void **state)
{
	static const char text[] = "a,b\n"
				   "1,\"two\n"
				   "lines\"\n"
				   "2,\"three\n"
				   "\n"
				   "lines\"\n"
				   "\n"
				   "3,x\n"
				   "4,y";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b\n"
				    "2:1|two\nlines\n"
				    "4:2|three\n\nlines\n"
				    "8:3|x\n"
				    "9:4|y\n");
}

static void
test_crlf(void **state)
{
	static const char text[] = "a,b\r\n"
				   "1,\"x\r\ny\"\r\n"
				   "\r\n"
				   "2,z\r\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b\n"
				    "2:1|x\r\ny\n"
				    "5:2|z\n");
}

static void
test_bom(void **state)
{
	static const char text[] = "\xef\xbb\xbfsummary,kind\nx,y\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), 0);
	assert_string_equal(s.recs, "1:summary|kind\n2:x|y\n");
}

/* Wrong field counts go to the bad callback with the record's line, and
 * reading carries on. */
static void
test_field_count(void **state)
{
	static const char text[] = "a,b,c\n"
				   "1,2,3\n"
				   "1,2\n"
				   "\"multi\nline\",2,3,4\n"
				   "5,6,7\n"
				   "8\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b|c\n2:1|2|3\n6:5|6|7\n");
	assert_string_equal(s.bad, "3:2 fields, but the header has 3\n"
				   "4:4 fields, but the header has 3\n"
				   "7:1 fields, but the header has 3\n");
}

static void
test_nul(void **state)
{
	static const char text[] = "a,b\n1,x\0y\n2,z\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b\n3:2|z\n");
	assert_string_equal(s.bad, "2:field 2 contains a NUL byte\n");
}

static void
test_nul_in_header(void **state)
{
	static const char text[] = "a,b\0c\n1,2\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), -1);
	assert_string_equal(err.msg, "the header contains a NUL byte");
	assert_int_equal(err.line, 1);
}

static void
test_unterminated_quote(void **state)
{
	static const char text[] = "a,b\n1,2\n3,\"open\n4,5\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), -1);
	assert_int_equal(err.kind, CASE_E_INPUT);
	assert_string_equal(err.msg, "field 2: a quoted field opens here and "
				     "is never closed");
	assert_int_equal(err.line, 3);
}

/* The line an error names is a line of the file: this one has four. */
static void
test_unterminated_quote_line(void **state)
{
	static const char text[] = "a,b\n1,2\n3,\"open\n4,5\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), -1);
	if (err.line < 1 || err.line > 4)
		fail_msg("a four-line file, and the error names line %ld: %s",
			 err.line, err.msg);
}

static void
test_quote_in_unquoted_field(void **state)
{
	static const char text[] = "a,b\n1,2\n3,ab\"c\n4,5\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), -1);
	assert_int_equal(err.kind, CASE_E_INPUT);
	assert_string_equal(err.msg,
			    "field 2: a stray quote in a field that does not "
			    "begin with one (quote the whole field and write "
			    "the quote twice: \"say \"\"hi\"\"\")");
	assert_int_equal(err.line, 3);
	/* Nothing after the error reached the callbacks. */
	assert_string_equal(s.recs, "1:a|b\n2:1|2\n");
}

static void
test_text_after_closing_quote(void **state)
{
	static const char text[] = "a,b\n\"x\"y,2\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(READ(text, &s, &err), -1);
	assert_string_equal(err.msg,
			    "field 1: text after the quote that closes it (a "
			    "quote inside a quoted field is written twice: "
			    "\"say \"\"hi\"\"\")");
	assert_int_equal(err.line, 2);
}

static void
test_empty_file(void **state)
{
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(read_buf("", 0, 1 << 20, &s, &err), -1);
	assert_string_equal(err.msg, "no header line (the file is empty)");
	assert_int_equal(read_buf("\n\n", 2, 1 << 20, &s, &err), -1);
	assert_string_equal(err.msg, "no header line (the file is empty)");
	assert_int_equal(read_buf("\xef\xbb\xbf", 3, 1 << 20, &s, &err), -1);
	assert_string_equal(err.msg, "no header line (the file is empty)");
}

static void
test_header_only(void **state)
{
	struct seen s = {0};
	struct case_err err;

	(void)state;
	assert_int_equal(read_buf("a,b\n", 4, 1 << 20, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b\n");
}

/* A record longer than the limit stops the read and names its line. */
static void
test_max_record(void **state)
{
	size_t n = 300000;
	char *text = malloc(n + 64);
	struct seen s = {0};
	struct case_err err;
	size_t o;

	(void)state;
	assert_non_null(text);
	o = (size_t)sprintf(text, "a,b\n1,2\n3,\"");
	memset(text + o, 'x', n);
	o += n;
	o += (size_t)sprintf(text + o, "\"\n");
	assert_int_equal(read_buf(text, o, 100000, &s, &err), -1);
	assert_non_null(strstr(err.msg, "a record longer than 100000 "
					"bytes"));
	assert_int_equal(err.line, 3);
	/* Under the limit, the same file reads whole. */
	memset(&s, 0, sizeof s);
	assert_int_equal(read_buf(text, o, 1 << 20, &s, &err), 0);
	assert_int_equal(s.maxlen, n);
	free(text);
}

/* A field longer than the reader's buffer, unquoted, on one line. */
static void
test_long_line(void **state)
{
	size_t n = 1 << 20;
	char *text = malloc(n + 64);
	struct seen s = {0};
	struct case_err err;
	size_t o;

	(void)state;
	assert_non_null(text);
	o = (size_t)sprintf(text, "a,b\n1,");
	memset(text + o, 'y', n);
	o += n;
	o += (size_t)sprintf(text + o, "\n2,z\n");
	assert_int_equal(read_buf(text, o, 4u << 20, &s, &err), 0);
	assert_string_equal(s.recs, "1:a|b\n2:1|<1048576 bytes>\n3:2|z\n");
	free(text);
}

static void
test_callback_stops(void **state)
{
	static const char text[] = "a\n1\n2\n3\n";
	struct seen s = {0};
	struct case_err err;

	(void)state;
	s.fail_at = 3;
	assert_int_equal(READ(text, &s, &err), -1);
	assert_string_equal(err.msg, "stop here");
	assert_string_equal(s.recs, "1:a\n2:1\n3:2\n");
}

static int
ignore_rec(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	(void)arg;
	(void)row;
	(void)err;
	return 0;
}

struct progress {
	long calls, last;
};

static void
count_progress(void *arg, long records)
{
	struct progress *p = arg;

	assert_true(records > p->last);
	p->last = records;
	p->calls++;
}

/* A long read reports progress every few thousand records, with growing
 * counts. */
static void
test_progress(void **state)
{
	size_t n = 20000, o = 0, i;
	char *text = malloc(n * 8 + 8);
	struct progress p = {0, 0};
	struct case_csv_cb cb = {ignore_rec, ignore_rec, NULL, count_progress,
				 &p};
	struct case_err err;
	FILE *fp;

	(void)state;
	assert_non_null(text);
	o += (size_t)sprintf(text, "a\n");
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(text + o, "%zu\n", i);
	fp = fmemopen(text, o, "r");
	assert_non_null(fp);
	assert_int_equal(case_csv_read(fp, 1 << 20, &cb, &err), 0);
	fclose(fp);
	assert_true(p.calls >= 2);
	assert_true(p.last <= (long)n);
	free(text);
}

/* ---- the round trip ---------------------------------------------------- */

static const char *const trip[][4] = {
	{"plain", "with, comma", "say \"hi\"", ""},
	{"two\nlines", "crlf\r\ninside", "前进派出所", "调解,\"室\""},
	{"", "", "", ""},
	{"a", "\"", ",", "\n"},
	{"tab\there", "back\\slash", "semi;colon", "'quote"},
	{"=formula", "emoji \xf0\x9f\x98\x80", "x", "end"},
};
#define NTRIP (sizeof trip / sizeof trip[0])

struct tripctx {
	size_t row;
	const char *const (*want)[4];
	size_t nwant;
};

static int
trip_header(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	(void)arg;
	(void)err;
	assert_int_equal(row->n, 4);
	assert_string_equal(row->f[0], "a");
	assert_string_equal(row->f[1], "b c");
	assert_string_equal(row->f[2], "d,e");
	assert_string_equal(row->f[3], "单位");
	return 0;
}

static int
trip_row(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct tripctx *t = arg;
	size_t i;

	(void)err;
	assert_true(t->row < t->nwant);
	assert_int_equal(row->n, 4);
	for (i = 0; i < 4; i++)
		if (strcmp(row->f[i], t->want[t->row][i]) != 0)
			fail_msg("row %zu field %zu: read back \"%s\", wrote "
				 "\"%s\"", t->row + 1, i + 1, row->f[i],
				 t->want[t->row][i]);
	t->row++;
	return 0;
}

static void
trip_bad(void *arg, long line, const char *msg)
{
	(void)arg;
	fail_msg("line %ld refused: %s", line, msg);
}

static void
round_trip(const char *const (*rows)[4], size_t n)
{
	static const struct case_col cs[] = {
		{"a", CASE_COL_TEXT},
		{"b c", CASE_COL_TEXT},
		{"d,e", CASE_COL_TEXT},
		{"单位", CASE_COL_TEXT},
	};
	struct tripctx t = {0, rows, n};
	struct case_csv_cb cb = {trip_header, trip_row, trip_bad, NULL, &t};
	struct case_err err;
	struct case_out *o;
	FILE *fp = tmpfile();
	size_t r, i;

	assert_non_null(fp);
	o = case_out_new(fp, CASE_FMT_CSV, 0, cs, 4);
	assert_non_null(o);
	for (r = 0; r < n; r++) {
		for (i = 0; i < 4; i++)
			case_out_text(o, rows[r][i]);
		assert_int_equal(case_out_end_row(o, &err), 0);
	}
	assert_int_equal(case_out_finish(o, &err), 0);
	rewind(fp);
	if (case_csv_read(fp, 1 << 20, &cb, &err) < 0)
		fail_msg("the writer's CSV does not read back: %s", err.msg);
	assert_int_equal(t.row, n);
	fclose(fp);
}

static void
test_round_trip(void **state)
{
	(void)state;
	round_trip(trip, NTRIP);
}

/* RFC 4180: "Spaces are considered part of a field and should not be
 * ignored."  What the writer leaves unquoted must read back the same. */
static void
test_round_trip_spaces(void **state)
{
	static const char *const rows[][4] = {
		{" lead", "trail ", " both ", "  "},
		{"\tlead tab", "trail tab\t", "x", "y"},
	};

	(void)state;
	round_trip(rows, 2);
}

/* Records parsed by the reader carry the lines the writer put them on. */
static void
test_round_trip_lines(void **state)
{
	static const struct case_col cs[] = {{"v", CASE_COL_TEXT},
					     {"w", CASE_COL_INT}};
	struct seen s = {0};
	struct case_csv_cb cb = {on_header, on_row, on_bad, NULL, &s};
	struct case_err err;
	struct case_out *o;
	FILE *fp = tmpfile();

	(void)state;
	assert_non_null(fp);
	o = case_out_new(fp, CASE_FMT_CSV, 0, cs, 2);
	case_out_text(o, "one");
	case_out_int(o, 1);
	assert_int_equal(case_out_end_row(o, &err), 0);
	case_out_text(o, "a\nb\nc");
	case_out_int(o, 2);
	assert_int_equal(case_out_end_row(o, &err), 0);
	case_out_text(o, "three");
	case_out_int(o, 3);
	assert_int_equal(case_out_end_row(o, &err), 0);
	assert_int_equal(case_out_finish(o, &err), 0);
	rewind(fp);
	assert_int_equal(case_csv_read(fp, 1 << 20, &cb, &err), 0);
	assert_string_equal(s.recs, "1:v|w\n2:one|1\n3:a\nb\nc|2\n6:three|3\n");
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_field_count),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_nul_in_header),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_unterminated_quote_line),
		cmocka_unit_test(test_quote_in_unquoted_field),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_max_record),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_spaces),
		cmocka_unit_test(test_round_trip_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
