/*
 * Unit tests for the id reader (SPEC section 5, "Case ids in"): one id
 * parsed, and streams read with fmemopen().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/ids.h"

static void
test_id_parse(void **state)
{
	struct case_err err;
	int64_t id;

	(void)state;
	assert_int_equal(case_id_parse("1", &id, &err), 0);
	assert_int_equal(id, 1);
	assert_int_equal(case_id_parse("42", &id, &err), 0);
	assert_int_equal(id, 42);
	assert_int_equal(case_id_parse("007", &id, &err), 0);
	assert_int_equal(id, 7);
	assert_int_equal(case_id_parse("9223372036854775807", &id, &err), 0);
	assert_int_equal(id, INT64_MAX);
}

static void
id_bad(const char *s, const char *msg)
{
	struct case_err err;
	int64_t id = 99;

	if (case_id_parse(s, &id, &err) == 0)
		fail_msg("'%s' was accepted as %lld", s, (long long)id);
	assert_int_equal(err.kind, CASE_E_INPUT);
	assert_string_equal(err.msg, msg);
	assert_int_equal(id, 99);
}

static void
test_id_parse_bad(void **state)
{
	(void)state;
	id_bad("", "bad case id '' (expected a positive whole number)");
	id_bad("0", "bad case id '0' (expected a positive whole number)");
	id_bad("000", "bad case id '000' (expected a positive whole number)");
	id_bad("-3", "bad case id '-3' (expected a positive whole number)");
	id_bad("+3", "bad case id '+3' (expected a positive whole number)");
	id_bad("abc", "bad case id 'abc' (expected a positive whole number)");
	id_bad("12a", "bad case id '12a' (expected a positive whole number)");
	id_bad(" 12", "bad case id ' 12' (expected a positive whole number)");
	id_bad("12 ", "bad case id '12 ' (expected a positive whole number)");
	id_bad("1.0", "bad case id '1.0' (expected a positive whole number)");
	id_bad("0x10", "bad case id '0x10' (expected a positive whole number)");
	id_bad("\x01", "bad case id '\\x01' (expected a positive whole number)");
	id_bad("9223372036854775808",
	       "case id '9223372036854775808' is too large");
	id_bad("99999999999999999999",
	       "case id '99999999999999999999' is too large");
}

/* Read every id from text (of len bytes) into got; bad lines are collected
 * as messages in errs, separated by '|', and an error that stops the
 * reading ends them as "stop: MESSAGE".  Returns the number of ids. */
static size_t
read_all(const char *text, size_t len, int64_t *got, size_t max, char *errs,
	 size_t errsz)
{
	struct case_ids r;
	struct case_err err;
	FILE *fp = fmemopen((void *)text, len, "r");
	int64_t id;
	size_t n = 0;
	int rc;

	assert_non_null(fp);
	errs[0] = '\0';
	case_ids_init(&r, fp);
	while ((rc = case_ids_next(&r, &id, &err)) != 0) {
		if (rc < 0) {
			const char *sep = errs[0] != '\0' ? "|" : "";
			const char *stop = rc == -2 ? "stop: " : "";

			assert_true(strlen(errs) + strlen(sep) + strlen(stop) +
					    strlen(err.msg) <
				    errsz);
			strcat(strcat(strcat(errs, sep), stop), err.msg);
			if (rc == -2)
				break;
			continue;
		}
		assert_int_equal(rc, 1);
		assert_true(n < max);
		got[n++] = id;
	}
	/* The end stays the end. */
	if (rc == 0)
		assert_int_equal(case_ids_next(&r, &id, &err), 0);
	case_ids_free(&r);
	fclose(fp);
	return n;
}

#define READ(text, got, errs) \
	read_all(text, sizeof(text) - 1, got, 64, errs, sizeof errs)

static void
test_stream_first_field(void **state)
{
	static const char text[] = "1\n"
				   "2\tfirst listing row\n"
				   "3,csv,row\n"
				   "4 a space\n"
				   "5\t2026-05-01 08:00\tx\n"
				   "  6\n"
				   "\t7\n"
				   "8";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], (int64_t)i + 1);
}

static void
test_stream_skips(void **state)
{
	static const char text[] = "# a comment\n"
				   "\n"
				   "   \n"
				   "id,kind,summary\n"
				   "10,dispute,x\n"
				   "\n"
				   "# 99 is commented out\n"
				   "   # so is 98\n"
				   "11\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 10);
	assert_int_equal(got[1], 11);
}

/* A --spreadsheet listing starts with a UTF-8 byte-order mark, before its
 * header; it still pipes into the other binaries. */
static void
test_stream_bom(void **state)
{
	static const char text[] = "\xef\xbb\xbfid,kind,summary\n"
				   "12,request,x\n"
				   "13,dispute,y\n";
	static const char bare[] = "\xef\xbb\xbf" "14\n15\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 12);
	assert_int_equal(got[1], 13);
	n = READ(bare, got, errs);
	assert_string_equal(errs, "");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 14);
}

static void
test_stream_header(void **state)
{
	int64_t got[64];
	char errs[1024];
	size_t n;

	(void)state;
	{
		static const char text[] = "ID\tstatus\n5\n";

		n = READ(text, got, errs);
		assert_string_equal(errs, "");
		assert_int_equal(n, 1);
		assert_int_equal(got[0], 5);
	}
	{
		static const char text[] = "Id\n5\n";

		n = READ(text, got, errs);
		assert_string_equal(errs, "");
		assert_int_equal(n, 1);
	}
	{
		static const char text[] = "id\n";

		n = READ(text, got, errs);
		assert_string_equal(errs, "");
		assert_int_equal(n, 0);
	}
	{
		/* Only the first line may be a header. */
		static const char text[] = "id\n5\nid\n6\n";

		n = READ(text, got, errs);
		assert_string_equal(errs,
				    "line 3: bad case id 'id' (expected a "
				    "positive whole number)");
		assert_int_equal(n, 2);
		assert_int_equal(got[0], 5);
		assert_int_equal(got[1], 6);
	}
	{
		static const char text[] = "5\nid\n";

		n = READ(text, got, errs);
		assert_string_equal(errs,
				    "line 2: bad case id 'id' (expected a "
				    "positive whole number)");
		assert_int_equal(n, 1);
	}
	{
		/* "identifier" is not a header. */
		static const char text[] = "identifier\n5\n";

		n = READ(text, got, errs);
		assert_string_equal(errs,
				    "line 1: bad case id 'identifier' "
				    "(expected a positive whole number)");
		assert_int_equal(n, 1);
	}
}

static void
test_stream_bad_ids(void **state)
{
	static const char text[] = "1\n"
				   "0\n"
				   "-3\n"
				   "abc def\n"
				   "99999999999999999999\n"
				   "2\n"
				   "3x\n"
				   "4\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(
		errs,
		"line 2: bad case id '0' (expected a positive whole number)|"
		"line 3: bad case id '-3' (expected a positive whole number)|"
		"line 4: bad case id 'abc' (expected a positive whole number)|"
		"line 5: case id '99999999999999999999' is too large|"
		"line 7: bad case id '3x' (expected a positive whole number)");
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 2);
	assert_int_equal(got[2], 4);
}

static void
test_stream_crlf(void **state)
{
	static const char text[] = "id,summary\r\n"
				   "1,a\r\n"
				   "\r\n"
				   "2\r\n"
				   "# c\r\n"
				   "3\r\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 2);
	assert_int_equal(got[2], 3);
}

static void
test_stream_nul(void **state)
{
	static const char text[] = "1\n2\0003\n4\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "line 2: contains a NUL byte");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 4);
}

/* A NUL byte on the first line: reported, and the next line is not taken
 * for a header. */
static void
test_stream_nul_first(void **state)
{
	static const char text[] = "\0001\nid\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "line 1: contains a NUL byte|"
				  "line 2: bad case id 'id' (expected a "
				  "positive whole number)");
	assert_int_equal(n, 0);
}

static void
test_stream_empty(void **state)
{
	int64_t got[64];
	char errs[1024];

	(void)state;
	assert_int_equal(read_all("", 0, got, 64, errs, sizeof errs), 0);
	assert_string_equal(errs, "");
	assert_int_equal(read_all("\n\n# x\n", 6, got, 64, errs, sizeof errs),
			 0);
	assert_string_equal(errs, "");
}

/* A long line is read whole. */
static void
test_stream_long_line(void **state)
{
	size_t len = 100000;
	char *text = malloc(len + 8);
	int64_t got[64];
	char errs[1024];
	size_t n;

	(void)state;
	assert_non_null(text);
	memcpy(text, "77\t", 3);
	memset(text + 3, 'x', len - 3);
	memcpy(text + len, "\n78\n", 4);
	n = read_all(text, len + 4, got, 64, errs, sizeof errs);
	assert_string_equal(errs, "");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 77);
	assert_int_equal(got[1], 78);
	free(text);
}

/* A stream that cannot be read: -2, and a message saying why. */
static void
test_stream_unreadable(void **state)
{
	struct case_ids r;
	struct case_err err;
	int64_t id;
	FILE *fp = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(fp);
	case_ids_init(&r, fp);
	assert_int_equal(case_ids_next(&r, &id, &err), -2);
	assert_int_equal(err.kind, CASE_E_IO);
	assert_non_null(strstr(err.msg, "cannot read ids: "));
	case_ids_free(&r);
	fclose(fp);
}

/* Assert that text gives exactly the ids of want (ended by 0) and the
 * messages errs_want. */
#define EXPECT(text, errs_want, ...)                                       \
	do {                                                               \
		static const int64_t want_[] = {__VA_ARGS__, 0};           \
		int64_t got_[64];                                          \
		char errs_[1024];                                          \
		size_t n_ = READ(text, got_, errs_), i_;                   \
                                                                           \
		assert_string_equal(errs_, errs_want);                     \
		for (i_ = 0; want_[i_] != 0; i_++) {                       \
			assert_true(i_ < n_);                              \
			assert_int_equal(got_[i_], want_[i_]);             \
		}                                                          \
		assert_int_equal(n_, i_);                                  \
	} while (0)

/* Issue 13, item 1: `case-report -l -F csv -H` has no header, and a
 * quoted description that spans lines must not give ids of its own. */
static void
test_csv_headerless_multiline(void **state)
{
	(void)state;
	EXPECT("1,,dispute,,normal,open,0,,chaoyang/qianjin/huayu,,,"
	       "2026-05-01T00:00:00Z,2026-05-08T00:00:00Z,,,漏水纠纷,\"楼上漏水\n"
	       "3 楼住户也受影响\"\n"
	       "4,x,\"a\n"
	       "\n"
	       "# not a comment, inside a field\n"
	       "5\n"
	       "\"\"quoted\"\", and a comma\"\n"
	       "6,y\n",
	       "", 1, 4, 6);
	/* The same with a header, and with CRLF line ends. */
	EXPECT("id,kind,description\r\n"
	       "7,dispute,\"a\r\n"
	       "8 b\"\r\n"
	       "9,request,\r\n",
	       "", 7, 9);
	/* A record that ends the input without a newline. */
	EXPECT("10,\"a\n11\"", "", 10);
	EXPECT("12,a\r", "", 12);
}

/* Once a record was CSV, every later one is: a first field that ends at a
 * space does not stop its quotes from being followed. */
static void
test_csv_sticky(void **state)
{
	(void)state;
	EXPECT("1,a\n"
	       "2 x,\"b\n"
	       "3\"\n"
	       "4\tc\n",
	       "", 1, 2, 4);
	/* Before any CSV record, a line is one record, whatever quotes it
	 * holds: TSV and text listings do not quote. */
	EXPECT("id\tsummary\n"
	       "5\t\"an open quote\n"
	       "6\tx\n",
	       "", 5, 6);
	EXPECT("id  summary\n"
	       " 7  \"an open quote\n"
	       " 8  x, \"and another\n"
	       " 9  y\n",
	       "", 7, 8, 9);
}

/* A quoted first field is unquoted, and names the header too. */
static void
test_csv_quoted_first_field(void **state)
{
	(void)state;
	EXPECT("\"id\",\"summary\"\n"
	       "\"11\",\"x\"\n"
	       "\"0012\"\n"
	       "  \"13\",y\n",
	       "", 11, 12, 13);
	EXPECT("\"1\"\"2\",x\n"
	       "3\n",
	       "line 1: bad case id '1\"2' (expected a positive whole number)",
	       3);
	/* A first field across lines is no id; the message names the line
	 * the record began on, and the record is read to its end. */
	EXPECT("5\n"
	       "\"14\n"
	       "15\",x\n"
	       "16\n",
	       "line 2: bad case id '14\\x0a15' (expected a positive whole "
	       "number)",
	       5, 16);
	EXPECT("x,\"a\n"
	       "b\"\n"
	       "17\n",
	       "line 1: bad case id 'x' (expected a positive whole number)",
	       17);
	EXPECT("\"\",x\n18\n",
	       "line 1: bad case id '' (expected a positive whole number)", 18);
	/* Unquoted, the id ends at a space as on any line; quoted, the
	 * field is the id. */
	EXPECT("19 x,a\n"
	       "\"20 y\",b\n",
	       "line 2: bad case id '20 y' (expected a positive whole number)",
	       19);
}

/* A long first field is shown by its start. */
static void
test_csv_long_first_field(void **state)
{
	char text[2100];
	int64_t got[64];
	char errs[1024];
	size_t n;

	(void)state;
	text[0] = '"';
	memset(text + 1, 'x', 2000);
	memcpy(text + 2001, "\",y\n21\n", 7);
	n = read_all(text, 2008, got, 64, errs, sizeof errs);
	assert_string_equal(errs, "line 1: bad case id 'xxxxxxxxxxxxxxxxxxxx"
				  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				  "...' (expected a positive whole number)");
	assert_int_equal(n, 1);
	assert_int_equal(got[0], 21);
}

/* Quoting that leaves no way to tell where the next record begins stops
 * the reading with the line, rather than guess. */
static void
test_csv_malformed(void **state)
{
	(void)state;
	EXPECT("1,a\n"
	       "2,\"b\n"
	       "3\n",
	       "stop: line 2: malformed CSV: a quoted field opens here and is "
	       "never closed",
	       1);
	EXPECT("1,\"a\"b,c\n"
	       "2\n",
	       "stop: line 1: malformed CSV: text after a closing quote "
	       "(expected a comma or the end of the line)",
	       0);
	EXPECT("1,a\n"
	       "2,\"b\n"
	       "c\"d\n"
	       "3\n",
	       "stop: line 3: malformed CSV: text after a closing quote "
	       "(expected a comma or the end of the line)",
	       1);
	EXPECT("1,a\"b\n"
	       "2\n",
	       "stop: line 1: malformed CSV: a quote inside an unquoted field "
	       "(a field with a quote is quoted whole, and its quotes "
	       "doubled)",
	       0);
	EXPECT("\"1\"2,a\n",
	       "stop: line 1: malformed CSV: text after a closing quote "
	       "(expected a comma or the end of the line)",
	       0);
	/* After a CSV record, a quote in a later first field is malformed
	 * too. */
	EXPECT("1,a\n"
	       "2 \"b\n",
	       "stop: line 2: malformed CSV: a quote inside an unquoted field "
	       "(a field with a quote is quoted whole, and its quotes "
	       "doubled)",
	       1);
}

/* A NUL byte inside a CSV record is reported with its line, and the
 * record is still read to its end. */
static void
test_csv_nul(void **state)
{
	(void)state;
	EXPECT("1,\"a\n\0003 b\"\n4\n", "line 2: contains a NUL byte", 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_id_parse_bad),
		cmocka_unit_test(test_stream_first_field),
		cmocka_unit_test(test_stream_skips),
		cmocka_unit_test(test_stream_bom),
		cmocka_unit_test(test_stream_header),
		cmocka_unit_test(test_stream_bad_ids),
		cmocka_unit_test(test_stream_crlf),
		cmocka_unit_test(test_stream_nul),
		cmocka_unit_test(test_stream_nul_first),
		cmocka_unit_test(test_stream_empty),
		cmocka_unit_test(test_stream_long_line),
		cmocka_unit_test(test_stream_unreadable),
		cmocka_unit_test(test_csv_headerless_multiline),
		cmocka_unit_test(test_csv_sticky),
		cmocka_unit_test(test_csv_quoted_first_field),
		cmocka_unit_test(test_csv_long_first_field),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_csv_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
