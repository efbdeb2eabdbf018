/*
 * Fuzz target for the id-stream reader: the input is a stream of lines
 * read with case_ids_next until the end or a read error, and, as a C
 * string, a single operand for case_id_parse.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/ids.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
fuzz_stream(const uint8_t *data, size_t size)
{
	struct case_ids r;
	struct case_err err;
	int64_t id;
	long lines = 1, calls = 0;
	FILE *fp;
	int rc;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if ((fp = fmemopen((void *)data, size, "r")) == NULL) {
		fprintf(stderr, "fmemopen: %s\n", strerror(errno));
		abort();
	}
	case_ids_init(&r, fp);
	do {
		case_err_clear(&err);
		id = 0;
		rc = case_ids_next(&r, &id, &err);
		FUZZ_CHECK(rc >= -2 && rc <= 1, "rc %d", rc);
		if (rc == 1)
			FUZZ_CHECK(id > 0, "id %lld", (long long)id);
		else if (rc < 0)
			FUZZ_CHECK(err.msg[0] != '\0', "rc %d, no message", rc);
		if (rc == -1)
			FUZZ_CHECK(strncmp(err.msg, "line ", 5) == 0,
				   "message without its line: %s", err.msg);
		FUZZ_CHECK(r.lineno <= lines, "line %ld of %ld", r.lineno,
			   lines);
		/* Every call but the last takes at least one line. */
		FUZZ_CHECK(++calls <= lines + 1, "%ld calls for %ld lines",
			   calls, lines);
	} while (rc != 0 && rc != -2);
	case_ids_free(&r);
	fclose(fp);
}

static void
fuzz_operand(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), back[32];
	struct case_err err;
	int64_t id = 0;
	const char *p;

	case_err_clear(&err);
	if (case_id_parse(s, &id, &err) == 0) {
		FUZZ_CHECK(id > 0, "'%s' -> %lld", s, (long long)id);
		for (p = s; *p != '\0'; p++)
			FUZZ_CHECK(isdigit((unsigned char)*p),
				   "'%s' accepted", s);
		/* The number read is the number written, less leading
		 * zeros. */
		for (p = s; *p == '0'; p++)
			;
		snprintf(back, sizeof back, "%lld", (long long)id);
		FUZZ_CHECK(strcmp(p, back) == 0, "'%s' -> %s", s, back);
	} else
		FUZZ_CHECK(err.kind == CASE_E_INPUT && err.msg[0] != '\0',
			   "'%s' refused without a message", s);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_stream(data, size);
	fuzz_operand(data, size);
	return 0;
}
