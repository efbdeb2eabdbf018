/*
 * Unit tests for the text helpers: strict UTF-8, display width, field
 * checks, suggestions, and the quoting of untrusted text in messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>

#include <cmocka.h>

#include "case/err.h"
#include "case/text.h"

static size_t
ulen(const char *s)
{
	return case_utf8_len((const unsigned char *)s);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_int_equal(ulen("a"), 1);
	assert_int_equal(ulen("\x7f"), 1);
	assert_int_equal(ulen(""), 1); /* the NUL itself is one byte */
	assert_int_equal(ulen("\xc2\x80"), 2);		/* U+0080 */
	assert_int_equal(ulen("\xc3\xa9"), 2);		/* é */
	assert_int_equal(ulen("\xdf\xbf"), 2);		/* U+07FF */
	assert_int_equal(ulen("\xe0\xa0\x80"), 3);	/* U+0800 */
	assert_int_equal(ulen("前"), 3);
	assert_int_equal(ulen("\xed\x9f\xbf"), 3);	/* U+D7FF */
	assert_int_equal(ulen("\xee\x80\x80"), 3);	/* U+E000 */
	assert_int_equal(ulen("\xef\xbf\xbd"), 3);	/* U+FFFD */
	assert_int_equal(ulen("\xf0\x90\x80\x80"), 4); /* U+10000 */
	assert_int_equal(ulen("\xf0\x9f\x98\x80"), 4); /* 😀 */
	assert_int_equal(ulen("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	/* Lone continuation bytes and bytes that never appear. */
	assert_int_equal(ulen("\x80"), 0);
	assert_int_equal(ulen("\xbf"), 0);
	assert_int_equal(ulen("\xfe"), 0);
	assert_int_equal(ulen("\xff"), 0);
	/* Overlong forms. */
	assert_int_equal(ulen("\xc0\x80"), 0);
	assert_int_equal(ulen("\xc0\xaf"), 0);
	assert_int_equal(ulen("\xc1\xbf"), 0);
	assert_int_equal(ulen("\xe0\x80\x80"), 0);
	assert_int_equal(ulen("\xe0\x9f\xbf"), 0);
	assert_int_equal(ulen("\xf0\x80\x80\x80"), 0);
	assert_int_equal(ulen("\xf0\x8f\xbf\xbf"), 0);
	/* Surrogates. */
	assert_int_equal(ulen("\xed\xa0\x80"), 0);
	assert_int_equal(ulen("\xed\xbf\xbf"), 0);
	/* Above U+10FFFF. */
	assert_int_equal(ulen("\xf4\x90\x80\x80"), 0);
	assert_int_equal(ulen("\xf5\x80\x80\x80"), 0);
	assert_int_equal(ulen("\xf8\x88\x80\x80\x80"), 0);
	/* Truncated, at the end of the string or before another character. */
	assert_int_equal(ulen("\xc3"), 0);
	assert_int_equal(ulen("\xe5\x89"), 0);
	assert_int_equal(ulen("\xe5"), 0);
	assert_int_equal(ulen("\xf0\x9f\x98"), 0);
	assert_int_equal(ulen("\xe5\x89" "a"), 0);
	assert_int_equal(ulen("\xc3" "a"), 0);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(case_text_width(""), 0);
	assert_int_equal(case_text_width("abc"), 3);
	assert_int_equal(case_text_width("前进派出所"), 10);
	assert_int_equal(case_text_width("调解室ab"), 8);
	assert_int_equal(case_text_width("ＡＢ"), 4);	/* fullwidth */
	assert_int_equal(case_text_width("ｱ"), 1);	/* halfwidth katakana */
	assert_int_equal(case_text_width("한국"), 4);
	assert_int_equal(case_text_width("e\xcc\x81"), 1); /* combining mark */
	assert_int_equal(case_text_width("\xc3\xa9t\xc3\xa9"), 3);
	assert_int_equal(case_text_width("\xf0\x9f\x98\x80"), 2);
	assert_int_equal(case_text_width("，。"), 4);	/* CJK punctuation */
	/* An invalid byte is shown as \xNN: four columns. */
	assert_int_equal(case_text_width("a\xff"), 5);
	assert_int_equal(case_text_width("\xed\xa0\x80"), 12);
}

/* One character at a time: its columns and its length in bytes. */
static void
test_char_width(void **state)
{
	static const struct {
		const char *s;
		size_t width, len;
	} t[] = {
		{"a", 1, 1},
		{"\t", 1, 1},
		{"前进", 2, 3},
		{"\xe3\x80\x80", 2, 3},	/* U+3000, the first fast one */
		{"\xe3\x80\xaa", 0, 3},	/* U+302A, a combining mark */
		{"\xef\xbd\xa1", 1, 3},	/* U+FF61, halfwidth */
		{"\xc3\xa9", 1, 2},
		{"\xf0\x9f\x98\x80", 2, 4},
		{"\xff", 4, 1},
		{"\xed\xa0\x80", 4, 1},	/* a surrogate */
		{"\xe5\x89", 4, 1},		/* cut short */
	};
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		len = 99;
		assert_int_equal(case_char_width(t[i].s, &len), t[i].width);
		assert_int_equal(len, t[i].len);
	}
}

/* Every code point case_text_width counts without the C library is one
 * the C library's own table calls two columns wide. */
static void
test_width_fast_path(void **state)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old;
	uint32_t cp;
	long n = 0;

	(void)state;
	assert_non_null(utf8);
	old = uselocale(utf8);
	for (cp = 0x80; cp < 0x110000; cp++) {
		if (!case_wide_fast(cp))
			continue;
		n++;
		if (wcwidth((wchar_t)cp) != 2) {
			uselocale(old);
			fail_msg("U+%04X: the C library says %d columns", cp,
				 wcwidth((wchar_t)cp));
		}
	}
	uselocale(old);
	freelocale(utf8);
	assert_true(n > 20000);
	/* The edges: the first combining mark after the punctuation, and
	 * the halfwidth forms after the fullwidth ones. */
	assert_int_equal(case_text_width("\xe3\x80\xaa"), 0); /* U+302A */
	assert_int_equal(case_text_width("\xef\xbd\xa1"), 1); /* U+FF61 */
	assert_int_equal(case_text_width("\xe3\x80\x80"), 2); /* U+3000 */
}

static void
check_ok(const char *s, size_t max, int flags)
{
	struct case_err err;

	if (case_text_check("the field", s, strlen(s), max, flags, &err) != 0)
		fail_msg("'%s' was refused: %s", s, err.msg);
}

static void
check_bad(const char *s, size_t len, size_t max, int flags, const char *msg)
{
	struct case_err err;

	if (case_text_check("the field", s, len, max, flags, &err) == 0)
		fail_msg("'%s' was accepted", s);
	assert_int_equal(err.kind, CASE_E_INPUT);
	assert_string_equal(err.msg, msg);
}

static void
test_check(void **state)
{
	(void)state;
	check_ok("", 10, 0);
	check_ok("hello", 10, CASE_TEXT_ONELINE | CASE_TEXT_NONEMPTY);
	check_ok("前进派出所", 15, CASE_TEXT_ONELINE);
	check_ok("two\nlines\r\nand\ttab", 100, 0);
	check_ok("0123456789", 10, 0);

	check_bad("a\0b", 3, 10, 0, "the field contains a NUL byte");
	check_bad("", 0, 10, CASE_TEXT_NONEMPTY, "the field is empty");
	check_bad("01234567890", 11, 10, 0,
		  "the field is 11 bytes long (at most 10)");
	/* The limit is in bytes, not characters. */
	check_bad("前进派出所", 15, 14, 0,
		  "the field is 15 bytes long (at most 14)");
	check_bad("a\nb", 3, 10, CASE_TEXT_ONELINE,
		  "the field contains control character 0x0a at byte 2 (it "
		  "must be one line)");
	check_bad("ab\r", 3, 10, CASE_TEXT_ONELINE,
		  "the field contains control character 0x0d at byte 3 (it "
		  "must be one line)");
	check_bad("\tx", 2, 10, CASE_TEXT_ONELINE,
		  "the field contains control character 0x09 at byte 1 (it "
		  "must be one line)");
	check_bad("a\x01", 2, 10, 0,
		  "the field contains control character 0x01 at byte 2");
	check_bad("\x1b[0m", 4, 10, 0,
		  "the field contains control character 0x1b at byte 1");
	check_bad("del\x7f", 4, 10, 0,
		  "the field contains control character 0x7f at byte 4");
	check_bad("ok\xff", 3, 10, 0, "the field is not valid UTF-8 at byte 3");
	check_bad("\xc0\x80", 2, 10, 0,
		  "the field is not valid UTF-8 at byte 1");
	check_bad("前\xed\xa0\x80", 6, 10, 0,
		  "the field is not valid UTF-8 at byte 4");
	/* A lead byte of three that is not followed by two continuation
	 * bytes, though the field is long enough for them. */
	check_bad("\xe5" "AB", 3, 10, 0,
		  "the field is not valid UTF-8 at byte 1");
	check_bad("x\xe5\x89" "A", 4, 10, 0,
		  "the field is not valid UTF-8 at byte 2");
	/* A sequence cut short by the end of the field. */
	check_bad("ab\xe5\x89", 4, 10, 0,
		  "the field is not valid UTF-8 at byte 3");
	/* len bounds the check even when the string goes on. */
	{
		struct case_err err;

		assert_int_equal(case_text_check("f", "前进", 3, 10, 0, &err), 0);
		assert_int_equal(case_text_check("f", "前进", 2, 10, 0, &err), -1);
		assert_string_equal(err.msg, "f is not valid UTF-8 at byte 1");
	}
}

static void
test_suggest(void **state)
{
	static const char *const units[] = {"pcs-qianjin", "pcs-huayu",
					    "med-chaoyang", "lf-zhong"};
	static const char *const words[] = {"dispute", "hazard", "request"};

	(void)state;
	assert_string_equal(case_suggest("pcs-qianjn", units, 4), "pcs-qianjin");
	assert_string_equal(case_suggest("pcs-qainjin", units, 4),
			    "pcs-qianjin");
	assert_string_equal(case_suggest("pcs-huay", units, 4), "pcs-huayu");
	assert_string_equal(case_suggest("pcs-qianjin", units, 4),
			    "pcs-qianjin");
	assert_null(case_suggest("zzz", units, 4));
	assert_null(case_suggest("police", units, 4));
	assert_null(case_suggest("x", units, 0));
	assert_string_equal(case_suggest("dispte", words, 3), "dispute");
	assert_string_equal(case_suggest("hazzard", words, 3), "hazard");
	assert_string_equal(case_suggest("quest", words, 3), "request");
	assert_null(case_suggest("noise", words, 3));
	/* The distance is in characters: one Chinese character off is one
	 * edit, as one letter off is, not the three bytes it differs by. */
	{
		static const char *const zh[] = {"纠纷", "隐患", "诉求",
						 "分析员"};

		assert_string_equal(case_suggest("纠分", zh, 4), "纠纷");
		assert_string_equal(case_suggest("隐", zh, 4), "隐患");
		assert_string_equal(case_suggest("分折员", zh, 4), "分析员");
		assert_null(case_suggest("警情", zh, 4));
		assert_null(case_suggest("管理员", zh, 4));
	}
	/* Very long words are not compared. */
	{
		char longw[100];

		memset(longw, 'a', sizeof longw - 1);
		longw[sizeof longw - 1] = '\0';
		assert_null(case_suggest(longw, units, 4));
	}
}

static void
test_alternatives_and_index(void **state)
{
	static const char *const one[] = {"a", NULL};
	static const char *const two[] = {"a", "b", NULL};
	static const char *const three[] = {"dispute", "hazard", "request",
					    NULL};
	char buf[64];

	(void)state;
	assert_string_equal(case_text_alternatives(buf, sizeof buf, one), "a");
	assert_string_equal(case_text_alternatives(buf, sizeof buf, two),
			    "a or b");
	assert_string_equal(case_text_alternatives(buf, sizeof buf, three),
			    "dispute, hazard or request");
	assert_int_equal(case_text_index(three, "hazard"), 1);
	assert_int_equal(case_text_index(three, "Hazard"), -1);
	assert_int_equal(case_text_index(three, ""), -1);
}

/* Untrusted text in messages: control characters and invalid bytes
 * escaped, at most 60 characters shown. */
static void
test_join(void **state)
{
	static const char *const codes[] = {"a", "b", "c"};
	char buf[64];

	(void)state;
	assert_string_equal(case_text_join(buf, sizeof buf, codes, 1, " and "),
			    "a");
	assert_string_equal(case_text_join(buf, sizeof buf, codes, 2, " and "),
			    "a and b");
	assert_string_equal(case_text_join(buf, sizeof buf, codes, 3, " and "),
			    "a, b and c");
	assert_string_equal(case_text_join(buf, sizeof buf, codes, 0, " and "),
			    "");
}

/* White space around a value: ASCII space, tab and line breaks, and the
 * ideographic space U+3000 (E3 80 80), never a part of another
 * character. */
static void
test_trim(void **state)
{
	char a[] = "  \t请求 \r\n", b[] = "\xe3\x80\x80纠纷\xe3\x80\x80",
	     c[] = " \xe3\x80\x80 ", d[] = "x", e[] = "", f[] = "a b";
	const char *p;
	size_t len;

	(void)state;
	assert_string_equal(case_text_trim(a), "请求");
	assert_string_equal(case_text_trim(b), "纠纷");
	assert_string_equal(case_text_trim(c), "");
	assert_string_equal(case_text_trim(d), "x");
	assert_string_equal(case_text_trim(e), "");
	assert_string_equal(case_text_trim(f), "a b");
	p = case_text_span(" ref-1 ", &len);
	assert_int_equal(len, 5);
	assert_memory_equal(p, "ref-1", 5);
	/* 态 is E6 80 81: its last bytes are not half of U+3000. */
	p = case_text_span("\xe6\x80\x81", &len);
	assert_int_equal(len, 3);
	assert_true(case_text_blank(""));
	assert_true(case_text_blank(" \t\r\n\xe3\x80\x80"));
	assert_false(case_text_blank(" x "));
	assert_false(case_text_blank("\xe3\x80"));
}

static void
test_quote(void **state)
{
	char buf[CASE_QUOTE_MAX], longs[300];

	(void)state;
	assert_string_equal(case_quote(buf, sizeof buf, "plain"), "plain");
	assert_string_equal(case_quote(buf, sizeof buf, "前进"), "前进");
	assert_string_equal(case_quote(buf, sizeof buf, "a\nb\x1b\x7f"),
			    "a\\x0ab\\x1b\\x7f");
	assert_string_equal(case_quote(buf, sizeof buf, "\xff\xc0\x80"),
			    "\\xff\\xc0\\x80");
	memset(longs, 'x', 100);
	longs[100] = '\0';
	case_quote(buf, sizeof buf, longs);
	assert_int_equal(strlen(buf), 63);
	assert_string_equal(buf + 60, "...");
	/* Sixty characters exactly: no ellipsis. */
	longs[60] = '\0';
	assert_string_equal(case_quote(buf, sizeof buf, longs), longs);
	/* Sixty wide characters fit the buffer. */
	longs[0] = '\0';
	for (int i = 0; i < 70; i++)
		strcat(longs, "前");
	case_quote(buf, sizeof buf, longs);
	assert_int_equal(strlen(buf), 60 * 3 + 3);
	/* A small buffer is never overrun. */
	{
		char small[10];

		case_quote(small, sizeof small, "abcdefghijklmnop");
		assert_true(strlen(small) < sizeof small);
	}
}

/* lib/err.c takes a NULL text for "" (it says so); it must not crash. */
static void
test_quote_null(void **state)
{
	char buf[CASE_QUOTE_MAX];

	(void)state;
	assert_string_equal(case_quote(buf, sizeof buf, NULL), "");
}

static void
test_err(void **state)
{
	struct case_err err;

	(void)state;
	assert_int_equal(case_err_set(&err, CASE_E_INPUT, "bad %s", "thing"),
			 -1);
	assert_int_equal(err.kind, CASE_E_INPUT);
	assert_string_equal(err.msg, "bad thing");
	assert_int_equal(case_err_prefix(&err, "line %d: ", 12), -1);
	assert_string_equal(err.msg, "line 12: bad thing");
	case_err_clear(&err);
	assert_int_equal(err.kind, CASE_E_NONE);
	assert_string_equal(err.msg, "");
	assert_int_equal(case_err_set(NULL, CASE_E_IO, "x"), -1);
	/* A prefix on a full message keeps the prefix and stays terminated. */
	{
		char longs[CASE_ERR_MSG + 10];

		memset(longs, 'm', sizeof longs - 1);
		longs[sizeof longs - 1] = '\0';
		case_err_set(&err, CASE_E_INPUT, "%s", longs);
		case_err_prefix(&err, "case 7: ");
		assert_int_equal(strlen(err.msg), CASE_ERR_MSG - 1);
		assert_memory_equal(err.msg, "case 7: mmm", 11);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_char_width),
		cmocka_unit_test(test_width_fast_path),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_alternatives_and_index),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_null),
		cmocka_unit_test(test_err),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
