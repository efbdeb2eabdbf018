/*
 * Coordinates: WGS-84 latitude and longitude in decimal degrees.  They are
 * checked strictly and kept as decimal text in a canonical form, so that
 * both engines store and print exactly the digits given, byte for byte,
 * with no binary floating point in between.
 */
#ifndef CASE_GEO_H
#define CASE_GEO_H

#include <stddef.h>

#include "case/err.h"

/* Room for the canonical text of a coordinate, with its NUL. */
#define CASE_COORD_MAX 64

/*
 * Check s as a latitude (max 90) or a longitude (max 180): a decimal
 * number, an optional sign, digits, and an optional point with digits
 * after it, from -max to max.  NaN, infinities, exponents ("1e999") and
 * decimal commas ("12,5") are refused.  The canonical form goes to out
 * (CASE_COORD_MAX bytes): no '+', no leading zeros, a 0 before a leading
 * point, no point without digits after it, and no sign on a zero, which
 * makes it a JSON number too.  The message quotes s; the caller names
 * the field or option.
 */
int case_coord_parse(const char *s, int max, char *out, struct case_err *err);

/* Whether s is a coordinate in canonical form (as case_coord_parse
 * writes it), which may be written as a JSON number as it is. */
int case_coord_canonical(const char *s);

/* A canonical coordinate rounded to 3 decimals (about 100 m on the
 * ground), halves away from zero, into out (CASE_COORD_MAX bytes):
 * "40.84735682" is "40.847". */
void case_coord_coarse(const char *s, char *out);

#endif
