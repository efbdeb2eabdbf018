#!/bin/sh
# CLI tests for case-report --brief, --format svg and --figure (issue 17):
# the argument errors; the page as strict HTML5 that fetches nothing,
# holds to its Content-Security-Policy and whose every figure is the one
# case-report --group prints for the same filters; the charts as
# well-formed SVG whose bars are as long as their figures; hostile text
# escaped everywhere; the page rendered by a real browser, on screen and
# on A4; and an empty period.
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"
. "$TESTS/cli/fixtures/report-build.sh"
if [ "$_fx_bad" -ne 0 ]; then
	echo "Bail out! the fixture could not be built"
	exit 1
fi

PY=$(python3 -c 'import sys; print(sys.executable)')
# check NAME brief.py ARGS...: one check of tests/cli/brief.py.
check() {
	_name=$1
	shift
	if "$PY" "$TESTS/cli/brief.py" "$@" >"$T/py.out" 2>&1; then
		ok "$_name"
	else
		not_ok "$_name"
		sed 's/^/#   /' "$T/py.out"
	fi
}

APRIL='--since 2026-04-01 --until 2026-05-01'
FIGS=opened,resolved,closed,on_time_pct,median_hours,satisfied_pct,overdue,level2,level3

# ---- argument errors --------------------------------------------------------

usage_error "--brief with --list" \
	"case-report: --brief does not go with --list, --show or --events" \
	case-report --brief -l
usage_error "--brief with --group" \
	"case-report: --brief does not go with --group, --bars or --columns; it chooses its own" \
	case-report --brief -g kind
usage_error "--brief with --format" \
	"case-report: --brief writes an HTML page, and takes no --format or --spreadsheet" \
	case-report --brief -F csv
usage_error "--brief over an empty period" \
	"case-report: --brief: the period from 2026-05-01 00:00 to 2026-04-01 00:00 is empty (expected --since before --until, and before today when --until is not given)" \
	case-report --brief --since 2026-05-01 --until 2026-04-01
usage_error "--depth without --brief" \
	"case-report: --depth goes with --brief" case-report --depth 2
usage_error "--depth 0" \
	"case-report: --depth: expected a number of place segments from 1 to 32" \
	case-report --brief --depth 0
usage_error "--depth 33" \
	"case-report: --depth: expected a number of place segments from 1 to 32" \
	case-report --brief --depth 33
usage_error "--format svg without --group" \
	"case-report: --format svg goes with --group, and draws the groups as a chart" \
	case-report -F svg
usage_error "--format svg with --list" \
	"case-report: --format svg goes with --group, and draws the groups as a chart" \
	case-report -F svg -l
usage_error "--format svg with --columns" \
	"case-report: --format svg draws one figure: choose it with --figure, not --columns" \
	case-report -F svg -g kind -c opened
usage_error "--format svg with --bars" \
	"case-report: --bars draws in text only" case-report -F svg -g kind --bars
usage_error "--figure alone" \
	"case-report: --figure goes with --bars and --format svg" \
	case-report -g kind --figure closed
usage_error "--figure without --group" \
	"case-report: --figure goes with --group; without one, --bars draws the counts of where the cases stand" \
	case-report --bars --figure closed
usage_error "--figure misspelt" \
	"case-report: --figure: unknown figure 'on_time_pc' (did you mean 'on_time_pct'?)" \
	case-report -g kind --bars --figure on_time_pc
usage_error "--figure all" \
	"case-report: --figure: unknown figure 'all' (expected opened, open, overdue, resolved, closed, cancelled, on_time_pct, median_hours, p90_hours, visits_done, visits_due, satisfied_pct, closed_unreachable, closed_unvisited, reopened, level1, level2 or level3)" \
	case-report -g kind --bars --figure all
usage_error "--columns with --bars" \
	"case-report: --columns does not go with --bars, which draws one figure; choose it with --figure" \
	case-report -g kind --bars -c closed

# ---- --figure with --bars ---------------------------------------------------

run case-report -g kind -F csv -c on_time_pct
cp "$T/out" "$T/kind.csv"
run case-report -g kind --bars --figure on_time_pct
check_rc 0 "--bars --figure on_time_pct: exit 0"
# Each bar's figure is the table's, and its length, in eighths of a block,
# is proportional to it.
if "$PY" - "$T/out" "$T/kind.csv" <<'PYEOF' >"$T/py.out" 2>&1
import csv, sys
eighths = {"": 0, "▏": 1, "▎": 2, "▍": 3, "▌": 4, "▋": 5, "▊": 6, "▉": 7}
bars = {}
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split()
    key, num = parts[0], parts[1]
    bar = parts[2] if len(parts) > 2 else ""
    n = 8 * bar.count("█") + eighths[bar.replace("█", "")]
    bars[key] = (num, n)
want = {r["kind"]: r["on_time_pct"] for r in csv.DictReader(open(sys.argv[2]))}
assert {k: v[0] for k, v in bars.items()} == want, (bars, want)
big = max(float(v) for v in want.values())
top = max(n for _, n in bars.values())
for num, n in bars.values():
    assert n == int(float(num) * top / big), (num, n, top)
PYEOF
then ok "--bars --figure: each bar is the table's figure, as long as it is"; else
	not_ok "--bars --figure: each bar is the table's figure, as long as it is"
	sed 's/^/#   /' "$T/py.out"
fi

# ---- --format svg -------------------------------------------------------------

# svg_check NAME FIGURE ARGS...: the chart of ARGS is well-formed SVG that
# rsvg-convert renders, each bar is the CSV's figure and the bars are as
# long as their figures.
svg_check() {
	_sn=$1
	_sf=$2
	shift 2
	run case-report -F svg --figure "$_sf" "$@"
	check_rc 0 "$_sn: exit 0"
	cp "$T/out" "$T/chart.svg"
	if xmllint --noout "$T/chart.svg" 2>"$T/xml.err"; then
		ok "$_sn: xmllint reads the SVG"
	else
		not_ok "$_sn: xmllint reads the SVG"
		sed 's/^/#   /' "$T/xml.err"
	fi
	if rsvg-convert "$T/chart.svg" -o "$T/chart.png" 2>"$T/rsvg.err" &&
		[ "$(head -c 4 "$T/chart.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ]
	then
		ok "$_sn: rsvg-convert renders it"
	else
		not_ok "$_sn: rsvg-convert renders it"
		sed 's/^/#   /' "$T/rsvg.err"
	fi
	case-report -F csv -c "$_sf" "$@" >"$T/chart.csv"
	check "$_sn: each bar is the figure of its group" svg "$T/chart.svg" "$T/chart.csv" "$_sf"
	check "$_sn: bars as long as their figures" lengths "$T/chart.svg"
}
svg_check "svg by category" opened -g category
svg_check "svg by month, on-time rate" on_time_pct -g month
svg_check "svg by place:4 and kind, closed" closed -g place:4,kind
svg_check "svg by lead unit in April, median hours" median_hours -g lead $APRIL
if grep -q '<title>Median hours to resolve, by lead' "$T/chart.svg" &&
	grep -q 'opened from 2026-04-01 up to 2026-05-01' "$T/chart.svg"; then
	ok "the chart's title names the figure, the grouping and the filters"
else
	not_ok "the chart's title names the figure, the grouping and the filters"
	head -5 "$T/chart.svg" | sed 's/^/#   /'
fi
run case-report -F svg -g kind --kind request --place nowhere/at/all
check_rc 0 "svg of no cases: exit 0"
cp "$T/out" "$T/chart.svg"
xmllint --noout "$T/chart.svg" 2>/dev/null && ! grep -q 'class="bar' "$T/chart.svg" &&
	ok "svg of no cases: a chart with no bars" ||
	not_ok "svg of no cases: a chart with no bars"

# ---- the page -----------------------------------------------------------------

run case-report --brief $APRIL
check_rc 0 "--brief: exit 0"
cp "$T/out" "$T/april.html"
mkdir "$T/charts"
check "--brief: strict HTML5, the CSP tag, nothing fetched, no script" page "$T/april.html" "$T/charts"
n=0
for s in "$T"/charts/*.svg; do
	[ -f "$s" ] || continue
	n=$((n + 1))
	if xmllint --noout "$s" 2>"$T/xml.err"; then
		ok "--brief: xmllint reads chart $n"
	else
		not_ok "--brief: xmllint reads chart $n"
		sed 's/^/#   /' "$T/xml.err"
	fi
done
[ "$n" -eq 2 ] && ok "--brief: two charts" || not_ok "--brief: two charts (found $n)"
check "--brief: bars as long as their figures" lengths "$T/april.html"
check "--brief: the series of a chart differ in lightness" lightness "$T/april.html"

case-report -F csv -c "$FIGS" $APRIL >"$T/now.csv"
check "--brief: the headline of this period is case-report's" headline "$T/april.html" 1 "$T/now.csv"
case-report -F csv -c "$FIGS" --since 2026-03-02 --until 2026-04-01 >"$T/before.csv"
check "--brief: the headline of the previous period is case-report's" headline "$T/april.html" 2 "$T/before.csv"
if grep -q 'Cases opened from 2026-04-01 to 2026-04-30, beside the previous period from 2026-03-02 to 2026-03-31.' "$T/april.html"; then
	ok "--brief: the period and the previous one"
else
	not_ok "--brief: the period and the previous one"
fi
case-report -F csv -g day -c opened,closed --since 2026-03-02 --until 2026-05-01 >"$T/day.csv"
check "--brief: the trend is case-report -g day" trend "$T/april.html" "$T/day.csv"
case-report -F csv -g category,kind -c opened $APRIL >"$T/cat.csv"
check "--brief: the categories are case-report -g category,kind" categories "$T/april.html" "$T/cat.csv"
case-report -F csv -g place:3 -c opened,overdue,on_time_pct $APRIL >"$T/place.csv"
check "--brief: the places are case-report -g place:3" rows "$T/april.html" place "$T/place.csv" opened
run case-report --brief --depth 4 $APRIL
cp "$T/out" "$T/depth.html"
case-report -F csv -g place:4 -c opened,overdue,on_time_pct $APRIL >"$T/place4.csv"
check "--brief --depth 4: the places are case-report -g place:4" rows "$T/depth.html" place "$T/place4.csv" opened
case-report -F csv -g lead -c opened,on_time_pct,median_hours,satisfied_pct,overdue $APRIL >"$T/lead.csv"
check "--brief: the units are case-report -g lead" rows "$T/april.html" unit "$T/lead.csv" late
# A statement of a few figures leaves out the parts the others need (the
# hours, the visits), and its figures are those of the whole table.
case-report -F csv -g lead $APRIL >"$T/lead-all.csv"
for _c in opened,overdue median_hours satisfied_pct,on_time_pct p90_hours,visits_due; do
	case-report -F csv -g lead -c "$_c" $APRIL >"$T/lead-some.csv"
	if "$PY" - "$T/lead-all.csv" "$T/lead-some.csv" <<'PYEOF' >"$T/py.out" 2>&1
import csv, sys
full = list(csv.DictReader(open(sys.argv[1])))
some = list(csv.DictReader(open(sys.argv[2])))
assert len(full) == len(some) > 1, (len(full), len(some))
for a, b in zip(full, some):
    assert {k: a[k] for k in b} == b, (a, b)
PYEOF
	then ok "-g lead -c $_c: the figures of the whole table"; else
		not_ok "-g lead -c $_c: the figures of the whole table"
		sed 's/^/#   /' "$T/py.out"
	fi
done

# The ladder and the unhappy residents: lists of case-report -l.
ladder=$(case-report -l -F csv -H -c id --overdue --level 3 && case-report -l -F csv -H -c id --overdue --level 2)
got=$(sed -n 's|^<tr class="ladder"><td class="n">\([0-9]*\)</td>.*|\1|p' "$T/april.html")
[ -n "$ladder" ] && [ "$got" = "$ladder" ] &&
	ok "--brief: the ladder is every overdue case at level 3, then 2" ||
	not_ok "--brief: the ladder is every overdue case at level 3, then 2 (page: $got; case-report: $ladder)"
got=$(sed -n 's|^<tr class="unhappy"><td class="n">\([0-9]*\)</td>.*|\1|p' "$T/april.html")
[ "$got" = 11 ] && ok "--brief: the unhappy residents are the unsatisfied visits of the period" ||
	not_ok "--brief: the unhappy residents are the unsatisfied visits of the period (page: $got)"

# The default period: the seven days before today.
run case-report --brief
check_rc 0 "--brief alone: exit 0"
grep -q 'Cases opened from 2026-04-24 to 2026-04-30, beside the previous period from 2026-04-17 to 2026-04-23.' "$T/out" &&
	ok "--brief alone: the seven days before today" ||
	not_ok "--brief alone: the seven days before today"
cp "$T/out" "$T/week.html"
case-report -F csv -c "$FIGS" --since 2026-04-24 --until 2026-05-01 >"$T/week.csv"
check "--brief alone: the headline is case-report's for those days" headline "$T/week.html" 1 "$T/week.csv"

# The other filters narrow the page as they narrow the table.
run case-report --brief --kind dispute,hazard $APRIL
cp "$T/out" "$T/kind.html"
case-report -F csv -c "$FIGS" --kind dispute,hazard $APRIL >"$T/kind.csv"
check "--brief --kind: the headline is case-report's" headline "$T/kind.html" 1 "$T/kind.csv"
grep -q 'Only these cases: kind dispute,hazard.' "$T/kind.html" &&
	ok "--brief --kind: the page names the filter" ||
	not_ok "--brief --kind: the page names the filter"

# A long period counts by week.
run case-report --brief --since 2026-01-01 --until 2026-05-01
cp "$T/out" "$T/long.html"
grep -q 'Cases opened and closed per week' "$T/long.html" &&
	ok "--brief over four months: per week" || not_ok "--brief over four months: per week"

# ---- an empty period ------------------------------------------------------------

run case-report --brief --since 2024-01-01 --until 2024-02-01
check_rc 0 "an empty period: exit 0"
cp "$T/out" "$T/empty.html"
mkdir "$T/charts-empty"
check "an empty period: strict HTML5" page "$T/empty.html" "$T/charts-empty"
[ "$(grep -c 'No cases were opened in this period.' "$T/empty.html")" -eq 4 ] &&
	! grep -q '<svg' "$T/empty.html" &&
	ok "an empty period: the page says so, with no chart" ||
	not_ok "an empty period: the page says so, with no chart"

# ---- personal data ------------------------------------------------------------

sql "UPDATE cases SET reporter = 'Wang Fang', contact = '138-0000-1111' WHERE id = 11" >/dev/null
run case-report --brief $APRIL
! grep -q 'Wang Fang\|138-0000-1111' "$T/out" &&
	ok "--brief: no personal data without --pii" ||
	not_ok "--brief: no personal data without --pii"
run case-report --brief --pii $APRIL
grep -q '<td class="text"><bdi>Wang Fang</bdi></td><td class="text"><bdi>138-0000-1111</bdi></td>' "$T/out" &&
	ok "--brief --pii: the reporter of an unhappy resident" ||
	not_ok "--brief --pii: the reporter of an unhappy resident"

# ---- a real browser -------------------------------------------------------------

# chrome ARGS...: headless Chromium renders a page to a screenshot or
# prints it to PDF, as a person would see and print it.
chrome() {
	_prof=$(mktemp -d "$T/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --hide-scrollbars \
		--user-data-dir="$_prof" "$@" >"$T/chromium.out" 2>&1
}
# screenshot PAGE NAME: the page as a PNG of some size, so that it was
# drawn.
screenshot() {
	chrome --window-size=800,1200 --screenshot="$T/shot.png" "file://$1"
	_size=$(wc -c <"$T/shot.png" 2>/dev/null || echo 0)
	[ "$(head -c 4 "$T/shot.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e47 ] &&
		[ "$_size" -gt 20000 ] &&
		ok "$2 ($_size bytes)" || not_ok "$2 ($_size bytes)"
}
# prints_on PAGE N NAME: the page prints on N pages of A4 portrait.
prints_on() {
	rm -f "$T/page.pdf"
	chrome --no-pdf-header-footer --print-to-pdf="$T/page.pdf" "file://$1"
	_p=$(pdfinfo "$T/page.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	[ "$_p" = "$2" ] && ok "$3" || not_ok "$3 (got ${_p:-no PDF})"
	pdfinfo "$T/page.pdf" 2>/dev/null |
		grep -q '^Page size: *59[45][.0-9]* x 84[12][.0-9]* pts (A4)' &&
		ok "$3: A4 portrait" || not_ok "$3: A4 portrait"
}
screenshot "$T/april.html" "chromium: a screenshot of the page"
prints_on "$T/april.html" 4 "chromium: the page prints on 4 pages"
prints_on "$T/empty.html" 1 "chromium: an empty period prints on 1 page"

# ---- hostile text ---------------------------------------------------------------

SCRIPT='<script>alert(1)</script>'
QUOTES='Tom "the builder" & sons'\''s wall'
RTL='שכנים רועשים בלילה – ضوضاء في الليل'
LONG=$(awk 'BEGIN { for (i = 0; i < 500; i++) printf "长长长长长abcde"; }')
CAT='<img src=x onerror=alert(1)> & "category" '\''of'\'' a very long name that a chart must cut, with more words after it'
at 2026-04-10T09:00
case-open -q -k dispute -c "$CAT" -l chaoyang/qianjin/huayu/g07 --due 2026-04-11 "$SCRIPT" >"$T/id1" &&
	case-open -q -k hazard -c '"&'\''<>' -l chaoyang/qianjin/huayu/g07 "$QUOTES" >"$T/id2" &&
	case-open -q -k request -c "$RTL" -l chaoyang/qianjin/huayu/g07 --due 2026-04-11 "$RTL" >"$T/id3" &&
	case-open -q -k request -c long -l chaoyang/qianjin/huayu/g07 --due 2026-04-11 placeholder >"$T/id4" ||
	echo "Bail out! cannot open the hostile cases"
id1=$(cat "$T/id1") id2=$(cat "$T/id2") id3=$(cat "$T/id3") id4=$(cat "$T/id4")
at 2026-04-12T09:00
case-assign -q -u pcs-qianjin "$id1" "$id2" "$id3" "$id4" >/dev/null &&
	case-followup resolve -q -m done "$id2" >/dev/null
at 2026-04-20T09:00
case-followup visit -q -o unsatisfied -m "$SCRIPT $QUOTES" "$id2" >/dev/null
at 2026-05-01T08:00:00+08:00
case-assign -q --escalate >/dev/null
# A summary longer than case-open takes, as an old system's import might
# have left it.
sql "UPDATE cases SET summary = '$LONG' WHERE id = $id4" >/dev/null
run case-report --brief $APRIL
check_rc 0 "hostile text: exit 0"
cp "$T/out" "$T/hostile.html"
mkdir "$T/charts-hostile"
check "hostile text: strict HTML5, nothing fetched, no script" page "$T/hostile.html" "$T/charts-hostile"
for s in "$T"/charts-hostile/*.svg; do
	xmllint --noout "$s" 2>/dev/null || not_ok "hostile text: xmllint reads $s"
done
ok "hostile text: xmllint reads every chart"
check "hostile text: each text whole in its cell" text "$T/hostile.html" \
	"$SCRIPT" "$QUOTES" "$RTL" "$LONG" "$SCRIPT $QUOTES"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/hostile.html" &&
	! grep -qF '<script' "$T/hostile.html" &&
	ok "hostile text: the markup is escaped" ||
	not_ok "hostile text: the markup is escaped"
grep -qF "data-key=\"chaoyang/qianjin/huayu\"" "$T/hostile.html" &&
	ok "hostile text: a key in an attribute" || not_ok "hostile text: a key in an attribute"
check "hostile text: a long category is cut with an ellipsis in the chart" cut "$T/hostile.html" "$CAT"
case-report -F csv -g category,kind -c opened $APRIL >"$T/cat.csv"
check "hostile text: the categories are still case-report's" categories "$T/hostile.html" "$T/cat.csv"
run case-report -F svg -g category $APRIL
cp "$T/out" "$T/hostile.svg"
xmllint --noout "$T/hostile.svg" 2>/dev/null && ok "hostile text: xmllint reads the svg of the categories" ||
	not_ok "hostile text: xmllint reads the svg of the categories"
case-report -F csv -g category -c opened $APRIL >"$T/cat1.csv"
check "hostile text: the svg's bars are the categories' counts" svg "$T/hostile.svg" "$T/cat1.csv" opened
screenshot "$T/hostile.html" "chromium: a screenshot of the hostile page"

# ---- long lists -----------------------------------------------------------------

# Each table and list shows its 20 worst rows, and says how many there are
# and which command lists them all.  25 units, each the lead of a case at
# level 2 and overdue, in a place of its own, and of a case resolved (on
# time for the even ones); and 25 cases reopened by an unsatisfied visit.
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
INSERT INTO units(code, name) SELECT 'bound-' || CASE WHEN i < 10 THEN '0' ELSE '' END || i, 'Unit ' || i FROM n" >/dev/null
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
INSERT INTO cases(kind, summary, place, status, level, lead, opened_at, due_at)
SELECT 'dispute', 'ladder ' || i, 'bound/p' || CASE WHEN i < 10 THEN '0' ELSE '' END || i || '/x',
 'assigned', 2, 'bound-' || CASE WHEN i < 10 THEN '0' ELSE '' END || i, 1775782800 + i, 1775782800 + 3600 * i FROM n" >/dev/null
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
INSERT INTO cases(kind, summary, status, lead, opened_at, due_at, resolved_at)
SELECT 'request', 'rated ' || i, 'resolved', 'bound-' || CASE WHEN i < 10 THEN '0' ELSE '' END || i,
 1775782800, 1775782800 + 86400, 1775782800 + 86400 + 3600 * (i % 2 * 2 - 1) FROM n" >/dev/null
at 2026-04-10T09:00
: >"$T/unhappy.ids"
i=0
while [ $i -lt 25 ]; do
	case-open -q -k request -c lamp -l chaoyang/bound "unhappy $i" >>"$T/unhappy.ids" || break
	i=$((i + 1))
done
at 2026-04-12T09:00
case-assign -q -u bound-01 $(cat "$T/unhappy.ids") >/dev/null &&
	case-followup -q resolve -m done $(cat "$T/unhappy.ids") >/dev/null
at 2026-04-21T09:00
case-followup -q visit -o unsatisfied $(cat "$T/unhappy.ids") >/dev/null
at 2026-05-01T08:00:00+08:00
run case-report --brief $APRIL
check_rc 0 "long lists: exit 0"
cp "$T/out" "$T/bound.html"
case-report -F csv -g place:3 -c opened,overdue,on_time_pct $APRIL >"$T/place.csv"
check "long lists: the 20 places with the most cases" rows "$T/bound.html" place "$T/place.csv" opened
case-report -F csv -g lead -c opened,on_time_pct,median_hours,satisfied_pct,overdue $APRIL >"$T/lead.csv"
check "long lists: the 20 units with the lowest on-time rate" rows "$T/bound.html" unit "$T/lead.csv" late
# more NAME TEXT: the page says TEXT under a list.
more() {
	grep -qF "<p class=\"note\">$2</p>" "$T/bound.html" && ok "$1" ||
		not_ok "$1 (expected: $2)"
}
n=$(($(wc -l <"$T/place.csv") - 1))
more "long lists: how many places, and the command" \
	"The 20 places with the most cases are shown, of $n; case-report --group place:3, with the same period and filters, lists them all."
n=$(($(wc -l <"$T/lead.csv") - 1))
more "long lists: how many units, and the command" \
	"The 20 units with the lowest on-time rate are shown, of $n; case-report --group lead, with the same period and filters, lists them all."
# first20 NAME CLASS IDS: the page's list of that class is the first 20
# cases of IDS, of more than 20.
first20() {
	_got=$(sed -n "s|^<tr class=\"$2\"><td class=\"n\">\([0-9]*\)</td>.*|\1|p" "$T/bound.html")
	[ "$(echo "$3" | wc -l)" -gt 20 ] && [ "$_got" = "$(echo "$3" | head -n 20)" ] &&
		ok "$1" || not_ok "$1 (page: $_got; all: $3)"
}
# The ladder's order: the highest level, the earliest deadline, the id.
ladder=$({ case-report -l -F tsv -H -c id,level,due_at --overdue --level 3 &&
	case-report -l -F tsv -H -c id,level,due_at --overdue --level 2; } |
	sort -t "$(printf '\t')" -k2,2nr -k3,3 -k1,1n | cut -f 1)
first20 "long lists: the first 20 cases of the ladder" ladder "$ladder"
more "long lists: how many cases on the ladder, and the command" \
	"The first 20 of $(echo "$ladder" | wc -l) cases are shown; case-report --list --overdue --level 3, then --level 2, lists them all."
# The visits that reopened a case, as case-report --events lists them.
unhappy=$(case-report --events -F tsv -H $APRIL | awk -F '\t' '$5 == "visit" && $8 ~ /^unsatisfied/ { print $3 }')
first20 "long lists: the first 20 unhappy residents, those of case-report --events" unhappy "$unhappy"
more "long lists: how many unhappy residents, and the command" \
	"The first 20 of $(echo "$unhappy" | wc -l) visits are shown; case-report --events, with the same period and filters, lists them all with the reopenings they caused."
[ "$(grep -c '<tr class="\(place\|unit\|ladder\|unhappy\)"' "$T/bound.html")" -eq 80 ] &&
	ok "long lists: 20 rows in each of the four" ||
	not_ok "long lists: 20 rows in each of the four"

done_testing
