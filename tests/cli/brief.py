#!/usr/bin/python3
"""Checks of the briefing and the SVG charts, for tests/cli/brief.sh.

    brief.py page PAGE DIR       the page parses as strict HTML5, has the
                                 CSP tag, no script, no handler, nothing
                                 fetched; its inline SVG charts go to
                                 DIR/chart-N.svg for xmllint
    brief.py rows PAGE CLASS CSV [ORDER]
                                 the rows of the table of that class
                                 (data-key, then the figures) are the
                                 rows of the CSV with the same key; with
                                 ORDER (opened: the most cases first;
                                 late: the lowest on_time_pct first, none
                                 last, then the most cases), the first 20
                                 of the CSV's rows in that order
    brief.py headline PAGE COL CSV
                                 the headline's column COL (1: this
                                 period, 2: the previous one) is the CSV's
                                 one row, figure by figure
    brief.py categories PAGE CSV the category chart's bars are the
                                 opened counts of --group category,kind
    brief.py trend PAGE CSV      the trend chart's columns are --group
                                 day's opened and closed, 0 where absent
    brief.py svg SVG CSV FIGURE  each bar of a standalone chart is the
                                 CSV's figure of its group
    brief.py lengths FILE        in every chart of FILE, bar lengths are
                                 proportional to their values
    brief.py lightness FILE      every chart's series differ in lightness
    brief.py text PAGE TEXT...   each TEXT is the whole text of a cell
    brief.py cut PAGE TEXT       TEXT appears in a chart cut with "…"

Each prints why it fails and exits 1, or exits 0 in silence.
"""
import csv
import re
import sys
import xml.etree.ElementTree as ET

import html5lib

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
ISOLATES = dict.fromkeys(map(ord, "\u2068\u2069"))


def fail(msg):
    print(msg)
    sys.exit(1)


def parse(path):
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        return parser.parse(data), data.decode("utf-8")
    except Exception as e:  # html5lib.html5parser.ParseError
        fail(f"{path}: not strict HTML5: {e!r} {parser.errors[:3]}")


def text(el):
    return "".join(el.itertext()).translate(ISOLATES)


def charts_of(path):
    """Each chart of a page or an SVG file as an ElementTree element."""
    raw = open(path, encoding="utf-8").read()
    if raw.startswith("<?xml"):
        return [ET.fromstring(raw.encode())]
    out = []
    for m in re.finditer(r"<svg\b.*?</svg>", raw, re.S):
        s = m.group(0).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        out.append(ET.fromstring(s.encode()))
    return out


def bars(chart):
    """(series, label, value, width, height) of each bar."""
    out = []
    legend = len([r for r in chart.iter(SVG + "rect")
                  if "key" in r.get("class", "").split()])
    for r in chart.iter(SVG + "rect"):
        cls = r.get("class", "").split()
        if "bar" not in cls:
            continue
        title = r.find(SVG + "title").text.translate(ISOLATES)
        label, value = title.rsplit(": ", 1)
        if legend > 1:
            label = label.rsplit(", ", 1)[0]
        series = int([c for c in cls if re.fullmatch(r"s[0-9]+", c)][0][1:])
        out.append((series, label, value, float(r.get("width")),
                    float(r.get("height"))))
    return out


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def same(a, b):
    """A figure of the page and one of the CSV: "-" is an empty field."""
    a = "" if a == "-" else a
    return a == b


def cmd_page(path, outdir):
    doc, raw = parse(path)
    if doc.find(f".//{XHTML}script") is not None:
        fail("the page has a script element")
    for el in doc.iter():
        for k in el.attrib:
            if k.lower().startswith("on"):
                fail(f"an element has the handler attribute {k}")
    metas = [m for m in doc.iter(XHTML + "meta")
             if m.get("http-equiv", "").lower() == "content-security-policy"]
    if len(metas) != 1 or metas[0].get("content") != CSP:
        fail(f"the CSP tag is not there as {CSP!r}")
    for bad in ("http:", "https:", "//", "url("):
        if bad in raw:
            i = raw.index(bad)
            fail(f"the page has {bad!r}: ...{raw[max(0, i - 60):i + 20]!r}")
    for tagname in ("link", "img", "iframe", "object", "embed", "base"):
        if doc.find(f".//{XHTML}{tagname}") is not None:
            fail(f"the page has a {tagname} element")
    for n, m in enumerate(re.finditer(r"<svg\b.*?</svg>", raw, re.S)):
        s = m.group(0).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        with open(f"{outdir}/chart-{n + 1}.svg", "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + s + "\n")


def table_rows(doc, cls):
    rows = {}
    for tr in doc.iter(XHTML + "tr"):
        if tr.get("class") == cls:
            cells = [text(td).strip() for td in tr.findall(XHTML + "td")]
            rows[tr.get("data-key")] = cells[1:]
    return rows


def ordered(rows, key, order):
    """The CSV's rows as the page sorts them (a missing key last)."""
    def by_opened(r):
        return (-int(r["opened"]), r[key] == "", r[key].encode())

    def by_late(r):
        pct = r["on_time_pct"]
        return (pct == "", float(pct or 0)) + by_opened(r)

    return sorted(rows, key=by_opened if order == "opened" else by_late)


def cmd_rows(page, cls, path, order=None):
    doc, _ = parse(page)
    got = table_rows(doc, cls)
    want = csv_rows(path)
    key = list(want[0].keys())[0] if want else None
    if not got:
        fail(f"no {cls} rows on the page")
    if order:
        first = [r[key] for r in ordered(want, key, order)[:20]]
        if list(got) != first:
            fail(f"{cls}: the page has {list(got)}, the first 20 are {first}")
    for k, cells in got.items():
        row = [r for r in want if r[key] == k]
        if len(row) != 1:
            fail(f"{cls} {k!r} is not a group of the CSV")
        figs = [v for c, v in row[0].items() if c != key]
        if len(cells) != len(figs) or not all(map(same, cells, figs)):
            fail(f"{cls} {k!r}: the page has {cells}, the CSV {figs}")
    if len(got) != min(len(want), 20):
        fail(f"{len(got)} {cls} rows on the page, {len(want)} groups")


def cmd_headline(page, col, path):
    doc, _ = parse(page)
    want = csv_rows(path)[0]
    n = 0
    for tr in doc.iter(XHTML + "tr"):
        if tr.get("class") == "figure":
            cells = [text(td).strip() for td in tr.findall(XHTML + "td")]
            fig = tr.get("id")
            if not same(cells[int(col)], want[fig]):
                fail(f"{fig}: the page has {cells[int(col)]}, the CSV {want[fig]}")
            n += 1
    if n != len(want):
        fail(f"{n} headline figures, {len(want)} in the CSV")


def chart_of(page, title):
    for c in charts_of(page):
        if c.find(SVG + "title").text.startswith(title):
            return c
    fail(f"no chart titled {title!r}")


KINDS = ["dispute", "hazard", "request"]


def cmd_categories(page, path):
    chart = chart_of(page, "The ten largest categories")
    want = {(r["category"] or "(no category)", r["kind"]): r["opened"]
            for r in csv_rows(path)}
    got = {(label, KINDS[s]): v for s, label, v, _, _ in bars(chart)}
    totals = {}
    for (cat, _), v in want.items():
        totals[cat] = totals.get(cat, 0) + int(v)
    top = sorted(totals, key=lambda c: (-totals[c], c == "(no category)", c))[:10]
    expect = {k: v for k, v in want.items() if k[0] in top}
    if got != expect:
        fail(f"the chart has {sorted(got.items())}, the CSV {sorted(expect.items())}")


def cmd_trend(page, path):
    chart = chart_of(page, "Cases opened and closed per")
    want = {r["day"]: (r["opened"], r["closed"]) for r in csv_rows(path)}
    got = {}
    for s, label, v, _, _ in bars(chart):
        got.setdefault(label, ["0", "0"])[s] = v
    for day, (o, c) in want.items():
        if got.get(day) != [o, c]:
            fail(f"{day}: the chart has {got.get(day)}, the CSV {[o, c]}")
    for day, v in got.items():
        if day not in want and v != ["0", "0"]:
            fail(f"{day}: the chart has {v}, the CSV no cases")


def cmd_svg(path, csvpath, figure):
    chart = charts_of(path)[0]
    rows = csv_rows(csvpath)
    keys = [c for c in rows[0] if c not in FIGURES] if rows else []
    want = {}
    for r in rows:
        label = " ".join((r[k] or "-") for k in keys) if len(keys) > 1 else (r[keys[0]] or "-")
        if r[figure] != "":
            want[label] = r[figure]
    got = {label: v for _, label, v, _, _ in bars(chart)}
    if got != want:
        fail(f"the chart has {sorted(got.items())}, the CSV {sorted(want.items())}")


FIGURES = {"opened", "open", "overdue", "resolved", "closed", "cancelled",
           "on_time_pct", "median_hours", "p90_hours", "visits_done",
           "visits_due", "satisfied_pct",
           "closed_unreachable", "closed_unvisited", "reopened", "level1",
           "level2", "level3"}


def cmd_lengths(path):
    n = 0
    for chart in charts_of(path):
        bs = bars(chart)
        if not bs:
            continue
        horizontal = "bars" in chart.get("class", "").split()
        lengths = [(float(v), w if horizontal else h) for _, _, v, w, h in bs]
        # Lengths are written to 0.01: the longest sets the scale.
        v0, l0 = max(lengths)
        k = l0 / v0 if v0 > 0 else 0
        for v, l in lengths:
            if abs(l - v * k) > 0.011:
                fail(f"a bar of {v} is {l} long, not {v * k:.2f}")
        n += 1
    if n == 0:
        fail(f"{path}: no chart with bars")


def lightness(hexcolour):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hexcolour[i:i + 2], 16) for i in (1, 3, 5))
    y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def cmd_lightness(path):
    n = 0
    for chart in charts_of(path):
        fills = [r.get("fill") for r in chart.iter(SVG + "rect")
                 if "key" in r.get("class", "")]
        ls = sorted(lightness(f) for f in fills)
        for a, b in zip(ls, ls[1:]):
            if b - a < 20:
                fail(f"the series {fills} differ by {b - a:.0f} in lightness")
        n += len(fills) > 1
    if n == 0:
        fail(f"{path}: no chart with two series or more")


def cmd_text(page, *needles):
    doc, _ = parse(page)
    cells = {text(td) for td in doc.iter(XHTML + "td")}
    for n in needles:
        if n not in cells:
            fail(f"no cell holds the whole text {n[:60]!r}")


def cmd_cut(path, needle):
    for chart in charts_of(path):
        for t in chart.iter(SVG + "text"):
            s = (t.text or "").translate(ISOLATES)
            if s.endswith("…") and needle.startswith(s[:-1]) and len(s) < len(needle):
                return
    fail(f"no chart text is {needle[:30]!r} cut with an ellipsis")


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
