/*
 * Coordinates as decimal text.  Everything here works on the digits
 * themselves: a coordinate never passes through a double, so that what
 * an import was given is what a map gets back, on either engine.
 */
#include <stdio.h>
#include <string.h>

#include "case/geo.h"
#include "i18n.h"

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

int
case_coord_parse(const char *s, int max, char *out, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *p = s, *ip, *fp = "";
	size_t ni, nf = 0, i, o = 0;
	int neg = 0, ival = 0, fzero = 1;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (ip = p; digit(*p); p++)
		;
	ni = (size_t)(p - ip);
	if (*p == '.') {
		for (fp = ++p; digit(*p); p++)
			;
		nf = (size_t)(p - fp);
	}
	if (*p != '\0' || (ni == 0 && nf == 0))
		return case_err_set(err, CASE_E_INPUT,
				    _("'%s' is not a decimal number of degrees "
				    "(such as 40.7128 or -73.9352)"),
				    case_quote(q, sizeof q, s));
	while (ni > 1 && *ip == '0') {
		ip++;
		ni--;
	}
	if (ni == 1 && *ip == '0')
		ni = 0;
	for (i = 0; i < nf; i++)
		fzero &= fp[i] == '0';
	for (i = 0; i < ni && i < 4; i++)
		ival = ival * 10 + (ip[i] - '0');
	if (ni > 3 || ival > max || (ival == max && !fzero))
		return case_err_set(err, CASE_E_INPUT,
				    _("'%s' is out of range (expected -%d to %d "
				    "degrees)"),
				    case_quote(q, sizeof q, s), max, max);
	if (4 + ni + nf >= CASE_COORD_MAX)
		return case_err_set(err, CASE_E_INPUT,
				    _("'%s' has more decimals than a coordinate "
				    "needs"),
				    case_quote(q, sizeof q, s));
	if (neg && (ival != 0 || !fzero))
		out[o++] = '-';
	if (ni == 0)
		out[o++] = '0';
	memcpy(out + o, ip, ni);
	o += ni;
	if (nf > 0) {
		out[o++] = '.';
		memcpy(out + o, fp, nf);
		o += nf;
	}
	out[o] = '\0';
	return 0;
}

int
case_coord_canonical(const char *s)
{
	const char *p = s;

	if (strlen(s) >= CASE_COORD_MAX)
		return 0;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (digit(*p))
		while (digit(*p))
			p++;
	else
		return 0;
	if (*p == '.') {
		if (!digit(*++p))
			return 0;
		while (digit(*p))
			p++;
	}
	return *p == '\0';
}

void
case_coord_coarse(const char *s, char *out)
{
	const char *p = s, *dot;
	long thousandths = 0;
	int neg = *p == '-', i;

	p += neg;
	for (; digit(*p); p++)
		thousandths = thousandths * 10 + (*p - '0');
	dot = *p == '.' ? p + 1 : p;
	for (i = 0; i < 3; i++)
		thousandths = thousandths * 10 +
			      (digit(*dot) ? *dot++ - '0' : 0);
	if (digit(*dot) && *dot >= '5')
		thousandths++;
	snprintf(out, CASE_COORD_MAX, "%s%ld.%03ld",
		 neg && thousandths != 0 ? "-" : "", thousandths / 1000,
		 thousandths % 1000);
}
