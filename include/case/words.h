/*
 * The words of the enums (kinds, statuses, priorities, outcomes, methods,
 * sources, unit types, roles, agenda items) in English, as they are
 * stored and as csv, tsv, json, xlsx, Open311 and iCalendar show them,
 * beside the district's Chinese words (issue 16).  Input takes either
 * word in any locale; text output shows the Chinese word, and Chinese
 * column titles, when the messages are Chinese.
 */
#ifndef CASE_WORDS_H
#define CASE_WORDS_H

#include <stddef.h>

#include "case/err.h"

extern const char *const case_sources[]; /* hotline, walk-in ... */
extern const char *const case_roles[];	 /* admin, centre ... */
extern const char *const case_agenda_items[]; /* visit, deadline */
/* What case_col_words gives for a column whose values are the names of
 * other columns, shown as their titles. */
extern const char *const case_col_names[];

/* The index in list (one of the enum lists: case_kinds ...) of s, its
 * English word whatever the case of its ASCII letters ("Closed" is
 * "closed") or its Chinese word; -1 when it is neither. */
int case_word_index(const char *const *list, const char *s);

/* The English word of list for s when s is one of its words, in either
 * language; else s itself (a free text such as a source of no list). */
const char *case_word_english(const char *const *list, const char *s);

/* Match s, a word of list in either language, setting *out to its
 * index; else fail with a message that names what (the field: "kind",
 * passed through gettext) and suggests the nearest word
 * (case_word_suggest) or, when none is near, lists the words in the
 * person's language. */
int case_word_check(const char *what, const char *s, const char *const *list,
		    int *out, struct case_err *err);

/* The word of list nearest s, a misspelling of one of its words in
 * either language (edit distance in characters, see case_suggest), or
 * NULL when none is near: the Chinese word when s is nearest a Chinese
 * one, whatever the locale, else the word case_word_show shows.
 * Static. */
const char *case_word_suggest(const char *const *list, const char *s);

/* Whether the messages are in Chinese (the catalogue in effect says so):
 * then text output shows Chinese words and titles. */
int case_words_zh(void);

/* The word to show a person for list[i]: Chinese when the messages
 * are, else English.  Static; never NULL for a valid i. */
const char *case_word_show(const char *const *list, int i);

/* The words of s, a comma-separated list of words of list in either
 * language (a filter such as "dispute,隐患"), as case_word_show shows
 * them, into buf: "dispute,hazard", or "纠纷、隐患" when the messages are
 * Chinese.  A word of no list is shown as it is. */
const char *case_words_show(char *buf, size_t n, const char *const *list,
			    const char *s);

/* The person's words of list, "a, b or c" or "甲、乙或丙", into buf. */
const char *case_word_alternatives(char *buf, size_t n,
				   const char *const *list);

/* Text output: the title of the column named name (Chinese when the
 * messages are, else name itself), and the list of words its values are
 * (NULL when they are no enum). */
const char *case_col_title(const char *name);
const char *const *case_col_words(const char *name);
/* Text output of value in the column named name: the Chinese word of an
 * enum value when the messages are Chinese, else value itself. */
const char *case_col_value(const char *name, const char *value);

#endif
