/*
 * Charts as SVG: horizontal bars for groups that have no order of their
 * own, and columns over time.  The briefing (lib/brief.c) puts them
 * inline in its page, and case-report --format svg writes one as a file.
 * Every text of the data is escaped and isolated (lib/svg.c), so a chart
 * is well-formed XML whatever the cases say.
 */
#ifndef CASE_SVG_H
#define CASE_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Flags of case_xml_put. */
#define CASE_XML_ISOLATE 0x1 /* between U+2068 and U+2069, so that
			      * right-to-left text does not turn the text
			      * around it */

/* Write s as XML (and HTML) text or attribute value: &, <, >, " and '
 * escaped, and every byte that is not well-formed UTF-8 and every control
 * character or noncharacter but tab and line feed written as U+FFFD.
 * With cols > 0, s is cut to that many terminal columns (wide characters
 * count two), the last one a "…", when it is wider. */
void case_xml_put(FILE *fp, const char *s, size_t cols, unsigned flags);

/* One series of a chart: its name for the legend and its fill. */
struct case_series {
	const char *name;
	const char *fill;
};

struct case_chart {
	const char *title;    /* shown at the top, and the chart's <title> */
	const char *subtitle; /* under it, smaller; NULL for none */
	const char *axis;     /* the values' axis */
	const char *cat_axis; /* the categories' axis; NULL for none */
	const struct case_series *series;
	size_t nseries;	      /* 1 or more; a legend from 2 */
	const char *const *labels; /* n labels; NULL for a case without one */
	const char *none_label;	   /* the label for NULL */
	size_t n;
	const double *v;	     /* n * nseries values, a category's
				      * series together */
	const unsigned char *none;   /* the same, 1 for a value that is not
				      * there; NULL: all are */
	int decimals;		     /* values have one decimal */
	double max;		     /* the axis' end; 0: from the data */
	int stacked;		     /* bars: the series end to end */
	size_t shade;		     /* columns: the first shade categories
				      * are on a grey band ... */
	const char *shade_label;     /* ... so named */
	const char *rest_label;	     /* and the others so */
	int standalone;		     /* an SVG 1.1 file of its own: an XML
				      * declaration and the namespace */
};

/* Draw c as horizontal bars, one a category, each as long as its value
 * is to the axis' end, or as columns over time; the value's axis has
 * ticks at round numbers and its label.  Return -1 when fp fails. */
int case_svg_bars(FILE *fp, const struct case_chart *c);
int case_svg_columns(FILE *fp, const struct case_chart *c);

#endif
