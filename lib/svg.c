/*
 * SVG charts (see svg.h).  A chart is laid out in a box 680 units wide,
 * the width of an A4 page's text at 96 dots an inch, and scales to the
 * width it is given.  Lengths are the values' share of the axis, to two
 * decimals, so that a bar's length can be read back and checked.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "case/text.h"
#include "svg.h"

#define W 680.0
#define ROW 22.0  /* a bar and the gap below it */
#define BAR 16.0
#define PX_COL 6.2 /* the width of a terminal column at 11 units */
#define LABEL_COLS 30

static const char font[] =
	"font-family=\"'Noto Sans CJK SC', 'Noto Sans', 'DejaVu Sans', "
	"sans-serif\" font-size=\"11\" fill=\"#222\"";

/* The code point of the well-formed sequence of len bytes at s. */
static uint32_t
decode(const unsigned char *s, size_t len)
{
	uint32_t cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
	size_t i;

	for (i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/* Whether XML and HTML take cp as text: no control characters but tab
 * and line feed, no noncharacters. */
static int
textual(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n';
	if (cp >= 0x7f && cp < 0xa0)
		return 0;
	if (cp >= 0xfdd0 && cp <= 0xfdef)
		return 0;
	return (cp & 0xfffe) != 0xfffe;
}

void
case_xml_put(FILE *fp, const char *s, size_t cols, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0, len, w;

	/* Cut only what is wider than cols, leaving a column for the "…". */
	if (cols > 0 && case_text_width(s) <= cols)
		cols = 0;
	if (flags & CASE_XML_ISOLATE)
		fputs("\u2068", fp);
	while (*p != '\0') {
		len = case_utf8_len(p);
		if (cols > 0) {
			w = case_char_width((const char *)p, &(size_t){0});
			if (used + w > cols - 1) {
				fputs("…", fp);
				break;
			}
			used += w;
		}
		if (len == 0 || !textual(decode(p, len))) {
			fputs("\ufffd", fp);
			p += len ? len : 1;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fwrite(p, 1, len, fp);
		}
		p += len;
	}
	if (flags & CASE_XML_ISOLATE)
		fputs("\u2069", fp);
}

/* A round step for about five ticks up to max, and the axis' end. */
static double
nice_axis(double max, int decimals, double *step)
{
	double raw, mag, f;

	if (max <= 0)
		max = 1;
	raw = max / 5;
	for (mag = 1; raw >= 10 * mag; mag *= 10)
		;
	while (raw < mag)
		mag /= 10;
	f = raw / mag;
	*step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	if (!decimals && *step < 1)
		*step = 1;
	/* The fewest steps that reach max. */
	for (f = *step; f < max - *step * 1e-9; f += *step)
		;
	return f;
}

static void
put_num(FILE *fp, double v, int decimals)
{
	fprintf(fp, decimals ? "%.1f" : "%.0f", v);
}

/* The chart's opening: the svg element, its title and the visible title
 * and subtitle.  Returns the y where the rest begins. */
static double
open_chart(FILE *fp, const struct case_chart *c, const char *kind, double h)
{
	double y = 22;

	if (c->standalone)
		fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			    "version=\"1.1\" width=\"%.0f\" height=\"%.0f\" "
			    "class=\"chart %s\"",
			W, h, kind);
	else
		fprintf(fp, "<svg class=\"chart %s\" role=\"img\"", kind);
	fprintf(fp, " viewBox=\"0 0 %.0f %.0f\" %s>\n<title>", W, h, font);
	case_xml_put(fp, c->title, 0, 0);
	if (c->subtitle != NULL) {
		fputs(" — ", fp);
		case_xml_put(fp, c->subtitle, 0, 0);
	}
	fputs("</title>\n", fp);
	if (c->standalone)
		fprintf(fp, "<rect width=\"%.0f\" height=\"%.0f\" "
			    "fill=\"#fff\"/>\n", W, h);
	fputs("<text class=\"title\" x=\"0\" y=\"16\" font-size=\"14\" "
	      "font-weight=\"bold\">",
	      fp);
	case_xml_put(fp, c->title, 90, CASE_XML_ISOLATE);
	fputs("</text>\n", fp);
	if (c->subtitle != NULL) {
		fputs("<text class=\"subtitle\" x=\"0\" y=\"32\" fill=\"#555\">",
		      fp);
		case_xml_put(fp, c->subtitle, 105, CASE_XML_ISOLATE);
		fputs("</text>\n", fp);
		y = 40;
	}
	if (c->nseries > 1) {
		double x = 0;
		size_t i;

		for (i = 0; i < c->nseries; i++) {
			size_t w = case_text_width(c->series[i].name);

			fprintf(fp, "<rect class=\"key\" x=\"%.0f\" y=\"%.0f\" "
				    "width=\"10\" height=\"10\" fill=\"%s\" "
				    "stroke=\"#444\" stroke-width=\"0.5\"/>"
				    "<text x=\"%.0f\" y=\"%.0f\">",
				x, y + 2, c->series[i].fill, x + 14, y + 11);
			case_xml_put(fp, c->series[i].name, 24,
				     CASE_XML_ISOLATE);
			fputs("</text>\n", fp);
			x += 24 + PX_COL * (double)(w < 24 ? w : 24);
		}
		y += 20;
	}
	return y + 6;
}

static const char *
label_of(const struct case_chart *c, size_t i)
{
	return c->labels[i] != NULL ? c->labels[i] : c->none_label;
}

static int
value_there(const struct case_chart *c, size_t i)
{
	return c->none == NULL || !c->none[i];
}

/* The end of the values' axis: the caller's, or a round number above the
 * largest value (of a stack, its sum). */
static double
axis_end(const struct case_chart *c, int sum, double *step)
{
	double max = 0, t;
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		t = 0;
		for (j = 0; j < c->nseries; j++) {
			size_t k = i * c->nseries + j;

			if (!value_there(c, k))
				continue;
			if (sum)
				t += c->v[k];
			else if (c->v[k] > t)
				t = c->v[k];
		}
		if (t > max)
			max = t;
	}
	if (c->max > 0) {
		*step = c->max / 5;
		return c->max;
	}
	return nice_axis(max, c->decimals, step);
}

/* The bar of category i and series j, with its label and value as its
 * title, which a browser shows on hovering. */
static void
put_bar(FILE *fp, const struct case_chart *c, size_t i, size_t j, double x,
	double y, double w, double h)
{
	fprintf(fp, "<rect class=\"bar s%zu\" x=\"%.2f\" y=\"%.2f\" "
		    "width=\"%.2f\" height=\"%.2f\" fill=\"%s\" "
		    "stroke=\"#444\" stroke-width=\"0.5\"><title>",
		j, x, y, w, h, c->series[j].fill);
	case_xml_put(fp, label_of(c, i), 0, CASE_XML_ISOLATE);
	if (c->nseries > 1) {
		fputs(", ", fp);
		case_xml_put(fp, c->series[j].name, 0, 0);
	}
	fputs(": ", fp);
	put_num(fp, c->v[i * c->nseries + j], c->decimals);
	fputs("</title></rect>\n", fp);
}

int
case_svg_bars(FILE *fp, const struct case_chart *c)
{
	size_t i, j, cols = 0;
	double top, lw, x0, pw, end, step, t, h;

	for (i = 0; i < c->n; i++) {
		size_t w = case_text_width(label_of(c, i));

		if (w > cols)
			cols = w;
	}
	if (cols > LABEL_COLS)
		cols = LABEL_COLS;
	lw = (double)cols * PX_COL + 10;
	if (lw < 40)
		lw = 40;
	x0 = lw;
	pw = W - x0 - 60;
	/* A grouped bar is as tall as a row; its series share it. */
	h = 40 + (c->subtitle ? 18 : 0) + (c->nseries > 1 ? 20 : 0) +
	    (double)c->n * ROW + 44;
	top = open_chart(fp, c, "bars", h);
	end = axis_end(c, c->stacked, &step);
	/* The grid and the ticks. */
	for (t = 0; t <= end + step / 2; t += step) {
		double x = x0 + t / end * pw;

		fprintf(fp, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.0f\" "
			    "x2=\"%.2f\" y2=\"%.0f\" stroke=\"#ccc\" "
			    "stroke-width=\"0.5\"/><text x=\"%.2f\" y=\"%.0f\" "
			    "text-anchor=\"middle\" fill=\"#555\">",
			x, top, x, top + (double)c->n * ROW, x,
			top + (double)c->n * ROW + 14);
		put_num(fp, t, c->decimals && step < 1);
		fputs("</text>\n", fp);
	}
	fprintf(fp, "<text class=\"axis\" x=\"%.2f\" y=\"%.0f\" "
		    "text-anchor=\"middle\">",
		x0 + pw / 2, top + (double)c->n * ROW + 32);
	case_xml_put(fp, c->axis, 80, CASE_XML_ISOLATE);
	fputs("</text>\n", fp);
	if (c->cat_axis != NULL) {
		fprintf(fp, "<text class=\"axis\" x=\"0\" y=\"%.0f\" "
			    "fill=\"#555\">",
			top + (double)c->n * ROW + 14);
		case_xml_put(fp, c->cat_axis, cols > 8 ? cols : 8,
			     CASE_XML_ISOLATE);
		fputs("</text>\n", fp);
	}
	for (i = 0; i < c->n; i++) {
		double y = top + (double)i * ROW + (ROW - BAR) / 2, x = x0;
		double bh = c->stacked ? BAR : BAR / (double)c->nseries;
		double sum = 0;
		int any = 0;

		fprintf(fp, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" "
			    "text-anchor=\"end\">",
			x0 - 6, y + BAR / 2 + 4);
		case_xml_put(fp, label_of(c, i), LABEL_COLS, CASE_XML_ISOLATE);
		fputs("</text>\n", fp);
		for (j = 0; j < c->nseries; j++) {
			size_t k = i * c->nseries + j;
			double len, by = c->stacked ? y : y + bh * (double)j;

			if (!value_there(c, k))
				continue;
			any = 1;
			len = c->v[k] / end * pw;
			put_bar(fp, c, i, j, c->stacked ? x : x0, by, len, bh);
			if (c->stacked)
				x += len;
			sum += c->v[k];
			if (!c->stacked && c->nseries > 1) {
				fprintf(fp, "<text class=\"value\" x=\"%.2f\" "
					    "y=\"%.2f\" font-size=\"9\">",
					x0 + len + 4, by + bh - 1);
				put_num(fp, c->v[k], c->decimals);
				fputs("</text>\n", fp);
			}
		}
		if (c->stacked || c->nseries == 1) {
			fprintf(fp, "<text class=\"value\" x=\"%.2f\" "
				    "y=\"%.2f\">",
				(c->stacked ? x : x0 + (any ? c->v[i] / end * pw
							    : 0)) + 4,
				y + BAR / 2 + 4);
			if (any)
				put_num(fp, sum, c->decimals);
			else
				fputs("-", fp);
			fputs("</text>\n", fp);
		}
	}
	fputs("</svg>\n", fp);
	return ferror(fp) ? -1 : 0;
}

int
case_svg_columns(FILE *fp, const struct case_chart *c)
{
	const double left = 52, right = 12, ph = 200;
	size_t i, j, every = 1, lcols = 1;
	double top, pw = W - left - right, slot, cw, end, step, t, y0;

	for (i = 0; i < c->n; i++) {
		size_t w = case_text_width(label_of(c, i));

		if (w > lcols)
			lcols = w;
	}
	if (lcols > 16)
		lcols = 16;
	slot = c->n > 0 ? pw / (double)c->n : pw;
	/* Every label that fits beside the one before it. */
	while ((double)every * slot < (double)lcols * PX_COL + 8)
		every++;
	cw = slot * 0.8 / (double)c->nseries;
	top = open_chart(fp, c, "columns", 40 + (c->subtitle ? 18 : 0) +
				   (c->nseries > 1 ? 20 : 0) + 14 + ph + 50);
	if (c->shade > 0)
		top += 14;
	y0 = top + ph;
	end = axis_end(c, 0, &step);
	if (c->shade > 0) {
		fprintf(fp, "<rect class=\"shade\" x=\"%.2f\" y=\"%.0f\" "
			    "width=\"%.2f\" height=\"%.0f\" fill=\"#ebebeb\"/>"
			    "<text x=\"%.2f\" y=\"%.0f\" fill=\"#555\">",
			left, top - 14, slot * (double)c->shade, ph + 14,
			left + 2, top - 3);
		case_xml_put(fp, c->shade_label, 40, CASE_XML_ISOLATE);
		fprintf(fp, "</text><text x=\"%.2f\" y=\"%.0f\">",
			left + slot * (double)c->shade + 2, top - 3);
		case_xml_put(fp, c->rest_label, 40, CASE_XML_ISOLATE);
		fputs("</text>\n", fp);
	}
	for (t = 0; t <= end + step / 2; t += step) {
		double y = y0 - t / end * ph;

		fprintf(fp, "<line class=\"grid\" x1=\"%.0f\" y1=\"%.2f\" "
			    "x2=\"%.0f\" y2=\"%.2f\" stroke=\"#ccc\" "
			    "stroke-width=\"0.5\"/><text x=\"%.0f\" "
			    "y=\"%.2f\" text-anchor=\"end\" fill=\"#555\">",
			left, y, W - right, y, left - 4, y + 4);
		put_num(fp, t, c->decimals && step < 1);
		fputs("</text>\n", fp);
	}
	fprintf(fp, "<text class=\"axis\" transform=\"translate(12 %.2f) "
		    "rotate(-90)\" text-anchor=\"middle\">",
		top + ph / 2);
	case_xml_put(fp, c->axis, 40, CASE_XML_ISOLATE);
	fputs("</text>\n", fp);
	for (i = 0; i < c->n; i++) {
		double x = left + slot * (double)i + slot * 0.1;

		for (j = 0; j < c->nseries; j++) {
			size_t k = i * c->nseries + j;
			double len;

			if (!value_there(c, k))
				continue;
			len = c->v[k] / end * ph;
			put_bar(fp, c, i, j, x + cw * (double)j, y0 - len, cw, len);
			if (c->nseries == 1 && slot >= 24) {
				fprintf(fp, "<text class=\"value\" x=\"%.2f\" "
					    "y=\"%.2f\" text-anchor=\"middle\">",
					x + cw / 2, y0 - len - 3);
				put_num(fp, c->v[k], c->decimals);
				fputs("</text>\n", fp);
			}
		}
		if (i % every == 0) {
			fprintf(fp, "<text class=\"label\" x=\"%.2f\" "
				    "y=\"%.0f\" text-anchor=\"middle\">",
				left + slot * ((double)i + 0.5), y0 + 14);
			case_xml_put(fp, label_of(c, i), 16, CASE_XML_ISOLATE);
			fputs("</text>\n", fp);
		}
	}
	if (c->cat_axis != NULL) {
		fprintf(fp, "<text class=\"axis\" x=\"%.2f\" y=\"%.0f\" "
			    "text-anchor=\"middle\">",
			left + pw / 2, y0 + 34);
		case_xml_put(fp, c->cat_axis, 40, CASE_XML_ISOLATE);
		fputs("</text>\n", fp);
	}
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
		    "stroke=\"#222\"/>\n</svg>\n",
		left, y0, W - right, y0);
	return ferror(fp) ? -1 : 0;
}
