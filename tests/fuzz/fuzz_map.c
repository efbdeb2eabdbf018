/*
 * Fuzz target for --map parsing: the input, as a C string, goes to
 * case_map_parse, and an accepted map is checked against what the parser
 * promises before case_map_free.
 */
#include <stdlib.h>
#include <string.h>

#include "case/import.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct case_map map;
	struct case_err err;
	size_t blen;
	int rc, f;

	case_err_clear(&err);
	rc = case_map_parse(s, &map, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(map.buf != NULL, "'%s': no buffer", s);
		blen = strlen(s);
		for (f = 0; f < CASE_F_COUNT; f++) {
			const char *c = map.col[f];
			size_t n;

			if (c == NULL)
				continue;
			/* Every column name lies in the map's own copy,
			 * trimmed, and holds no separator. */
			FUZZ_CHECK(c >= map.buf && c <= map.buf + blen,
				   "'%s': field %d outside the buffer", s, f);
			n = strlen(c);
			FUZZ_CHECK(n == 0 || (c[0] != ' ' && c[n - 1] != ' '),
				   "'%s': column '%s' untrimmed", s, c);
			FUZZ_CHECK(strchr(c, ',') == NULL,
				   "'%s': column '%s' holds a comma", s, c);
		}
	} else {
		FUZZ_CHECK(err.kind != CASE_E_NONE && err.msg[0] != '\0',
			   "'%s' refused without a message", s);
		for (f = 0; f < CASE_F_COUNT; f++)
			FUZZ_CHECK(map.col[f] == NULL, "'%s': refused, field "
				   "%d still set", s, f);
		FUZZ_CHECK(map.buf == NULL, "'%s': refused, buffer kept", s);
	}
	case_map_free(&map);
	free(s);
	return 0;
}
