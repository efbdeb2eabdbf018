#!/bin/sh
# CLI tests for case-report: lists, timelines, the journal, statistics and
# exports over a fixture database built through the other binaries.
# SPEC sections 5 and 6; issue 5.
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"

# Several checks in one Python run, read from standard input: it prints
# "ok NAME" or "not ok NAME" for each, and anything else as a diagnostic.
# The checks read the database through fixtures/casedb.py, whichever
# engine holds it.
pychecks() {
	_name=$1
	shift
	PYTHONPATH="$TESTS/cli/fixtures" "$PY" - "$@" >"$T/py.out" 2>&1
	_prc=$?
	_seen=0
	while IFS= read -r _l; do
		case $_l in
		"ok "*) ok "${_l#ok }"; _seen=1 ;;
		"not ok "*) not_ok "${_l#not ok }"; _seen=1 ;;
		*) diag "  $_l" ;;
		esac
	done <"$T/py.out"
	if [ "$_prc" -ne 0 ] || [ "$_seen" -eq 0 ]; then
		not_ok "$_name: the checks ran to their end"
	fi
}

# Python, resolved once: a version manager's shim may take seconds a call.
PY=$(python3 -c 'import sys; print(sys.executable)')

# A check written in Python, read from standard input; it passes when the
# script exits 0 and prints its findings otherwise.
pycheck() {
	_name=$1
	shift
	if PYTHONPATH="$TESTS/cli/fixtures" "$PY" - "$@" >"$T/py.out" 2>&1; then
		ok "$_name"
	else
		not_ok "$_name"
		sed 's/^/#   /' "$T/py.out"
	fi
}

# The ids of a listing's rows, one line, for short expectations; a failing
# command leaves its exit status there instead, so that no check passes.
ids() {
	run case-report --list --no-header --columns id "$@"
	tr -d ' ' <"$T/out" | tr '\n' ' ' | sed 's/ $//' >"$T/ids"
	if [ "$rc" -ne 0 ] || [ -s "$T/err" ]; then
		echo "exit $rc: $(cat "$T/err")" >>"$T/ids"
	fi
	mv "$T/ids" "$T/out"
	if [ -s "$T/out" ]; then echo >>"$T/out"; fi
}

BAD_TIME="(expected a form such as 2026-05-01, 2026-05-01T14:00, 2026-05-01 14:00:00Z, now, today or +3d)"
GROUP_FIELDS="kind, category, priority, status, lead, source, level, place, place:N, day, week, month or year"
# "now" of the harness, 2026-05-01T08:00:00+08:00, as an epoch.
NOW=1777593600

# ---- argument errors ------------------------------------------------------
# These come before there is a database: a usage error needs none.

usage_error "--list with --show" \
	"case-report: --list, --show and --events exclude each other" \
	case-report --list --show 1
usage_error "--events with --list" \
	"case-report: --list, --show and --events exclude each other" \
	case-report --events --list
usage_error "--columns with --show" \
	"case-report: --columns goes with --list and the statistics, not with --show or --events" \
	case-report --show --columns id 5
usage_error "--columns with --events" \
	"case-report: --columns goes with --list and the statistics, not with --show or --events" \
	case-report --events --columns id
usage_error "--columns with --bars" \
	"case-report: --columns does not go with --bars, which draws one figure; choose it with --figure" \
	case-report --group kind --bars --columns opened
usage_error "--columns of the statistics names figures" \
	"case-report: --columns: unknown figure 'id' (expected opened, open, overdue, resolved, closed, cancelled, on_time_pct, median_hours, p90_hours, visits_done, visits_due, satisfied_pct, closed_unreachable, closed_unvisited, reopened, level1, level2, level3 or all)" \
	case-report --columns id,summary
usage_error "an unknown figure, with a suggestion" \
	"case-report: --columns: unknown figure 'overdu' (did you mean 'overdue'?)" \
	case-report --group kind --columns opened,overdu
usage_error "all in a list of figures" \
	"case-report: --columns: all goes alone, not in a list" \
	case-report --columns opened,all
usage_error "all in a list of columns" \
	"case-report: --columns: all goes alone, not in a list" \
	case-report --list --columns all,id
usage_error "unknown column, with a suggestion" \
	"case-report: --columns: unknown column 'summry' (did you mean 'summary'?)" \
	case-report --list --columns id,summry
usage_error "an empty column name" \
	"case-report: --columns: unknown column ''" \
	case-report --list --columns id,,summary
usage_error "reporter column without --pii" \
	"case-report: --columns: reporter is personal data; add --pii to show it" \
	case-report --list --columns id,reporter
usage_error "contact column without --pii" \
	"case-report: --columns: contact is personal data; add --pii to show it" \
	case-report --list --format csv --columns contact
usage_error "--group with --list" \
	"case-report: --group and --bars go with the summary, not with --list, --show or --events" \
	case-report --group kind --list
usage_error "--bars with --events" \
	"case-report: --group and --bars go with the summary, not with --list, --show or --events" \
	case-report --bars --events
usage_error "unknown group field" \
	"case-report: --group: unknown field 'colour' (expected $GROUP_FIELDS)" \
	case-report --group kind,colour
usage_error "place:0" \
	"case-report: --group: bad depth in 'place:0' (expected place:N, N from 1 to 32)" \
	case-report --group place:0
usage_error "place:x" \
	"case-report: --group: bad depth in 'place:x' (expected place:N, N from 1 to 32)" \
	case-report --group place:x
usage_error "more than two group fields" \
	"case-report: --group: at most two fields" \
	case-report --group kind,month,year
usage_error "--bars with --format csv" \
	"case-report: --bars draws in text only" \
	case-report --group kind --bars --format csv
usage_error "--format open311 without --list" \
	"case-report: --format open311 goes with --list" \
	case-report --format open311
usage_error "--format open311 with --events" \
	"case-report: --format open311 goes with --list" \
	case-report --events --format open311
usage_error "unknown format" \
	"case-report: --format: unknown format 'xml' (expected text, csv, tsv, json or xlsx)" \
	case-report --list --format xml
usage_error "bad --kind" \
	"case-report: --kind: bad value 'disput' (expected dispute, hazard or request, or several joined by commas)" \
	case-report --kind disput
usage_error "bad word in a --kind list" \
	"case-report: --kind: bad value 'dispute,,hazard' (expected dispute, hazard or request, or several joined by commas)" \
	case-report --list --kind dispute,,hazard
usage_error "bad --status" \
	"case-report: --status: bad value 'done' (expected open, assigned, resolved, closed or cancelled, or several joined by commas)" \
	case-report --list --status 'done'
usage_error "bad --priority" \
	"case-report: --priority: bad value 'hi' (expected urgent, high, normal or low, or several joined by commas)" \
	case-report --priority hi
usage_error "bad --level" \
	"case-report: --level: expected 0, 1, 2 or 3" \
	case-report --level 4
usage_error "--level not a number" \
	"case-report: --level: expected 0, 1, 2 or 3" \
	case-report --list --level one
usage_error "bad --place" \
	"case-report: --place: bad place 'chaoyang/' (expected segments joined by '/', such as chaoyang/qianjin/huayu/g07)" \
	case-report --list --place chaoyang/
usage_error "empty --search" \
	"case-report: --search is empty" \
	case-report --list --search ''
usage_error "ids without --show" \
	"case-report: case ids go with --show" \
	case-report --list 5
usage_error "ids with the summary" \
	"case-report: case ids go with --show" \
	case-report 5
usage_error "--show with a filter" \
	"case-report: --show takes case ids, not filters" \
	case-report --show --kind dispute 5
usage_error "--show with --since" \
	"case-report: --show takes case ids, not filters" \
	case-report --show --since 2026-04-01 5
usage_error "--pii with the summary" \
	"case-report: --pii goes with --list, --show and --brief; statistics never include personal data" \
	case-report --pii
usage_error "--pii with --group" \
	"case-report: --pii goes with --list, --show and --brief; statistics never include personal data" \
	case-report --group lead --pii --format csv
usage_error "--spreadsheet with --show" \
	"case-report: --spreadsheet does not go with --show" \
	case-report --show --spreadsheet 5
usage_error "--after without --events" \
	"case-report: --after goes with --events" \
	case-report --list --after 3
usage_error "--exit-status with the summary" \
	"case-report: --exit-status goes with --list and --events" \
	case-report --exit-status
usage_error "unknown option" \
	"case-report: unrecognized option '--bogus'" \
	case-report --bogus
usage_error "--group without its argument" \
	"case-report: option '--group' requires an argument" \
	case-report --group
usage_error "bad CASE_FORMAT" \
	"case-report: CASE_FORMAT: unknown format 'yaml' (expected text, csv, tsv, json or xlsx)" \
	env CASE_FORMAT=yaml case-report --list
# A bad time is a usage error too, whether or not there is a database yet.
usage_error "bad --since, no database yet" \
	"case-report: --since: bad time '2026-13-01': no such month $BAD_TIME" \
	case-report --since 2026-13-01
if ! has_db; then
	ok "usage errors create no database"
else
	not_ok "usage errors create no database ($CASE_DB exists)"
fi
run case-report --list
expect "no database: a read-only report does not create one" 1 "" \
	"case-report: no database at $CASE_DB (create it with 'case-admin init')"
if ! has_db; then ok "still no database"; else
	not_ok "still no database ($CASE_DB exists)"
fi
if sqlite_only "an empty file is not a case database"; then
	: >"$CASE_DB"
	run case-report --list
	expect "an empty file is not a case database" 1 "" \
		"case-report: $CASE_DB holds no case database yet (create it with 'case-admin init')"
	rm -f "$CASE_DB"
fi

run case-report --help
check_rc 0 "--help exits 0"
if head -1 "$T/out" | grep -q '^usage: case-report ' && [ ! -s "$T/err" ]; then
	ok "--help prints the usage on stdout"
else
	not_ok "--help prints the usage on stdout"
	_show
fi

# ---- the fixture ----------------------------------------------------------

. "$TESTS/cli/fixtures/report-build.sh"
if [ "$_fx_bad" -eq 0 ]; then ok "the fixture is built through the binaries"; else
	not_ok "the fixture is built through the binaries ($_fx_bad steps failed)"
fi
run case-admin check
check_rc 0 "the fixture passes case-admin check"

# Every report from here on is read-only: the database must not change.
snapshot

# Reading personal data is journaled (an access event per case), so the
# reports with --pii read a copy of the fixture, which stays as it was.
if [ "$BACKEND" = pg ]; then
	"$TESTS/pgtest" createdb "$T/pg" pii || exit 1
	PII_DB=$("$TESTS/pgtest" uri "$T/pg" pii)
else
	PII_DB=$T/pii.db
fi
case-admin -q copy "$PII_DB"
pii() { CASE_DB=$PII_DB "$@"; }

usage_error "bad --since with a database" \
	"case-report: --since: bad time '2026-13-01': no such month $BAD_TIME" \
	case-report --since 2026-13-01
usage_error "bad --until" \
	"case-report: --until: bad time 'soon' $BAD_TIME" \
	case-report --list --until soon
usage_error "bad --after" \
	"case-report: --after: bad event id 'x' (expected 0 or a positive whole number)" \
	case-report --events --after x
usage_error "a negative --after is a bad event id, not a case id" \
	"case-report: --after: bad event id '-1' (expected 0 or a positive whole number)" \
	case-report --events --after -1
run case-report --list --unit pcs-qianjn
expect "a misspelt --unit" 1 "" \
	"case-report: --unit: unknown unit 'pcs-qianjn' (did you mean 'pcs-qianjin'?)"

# ---- lists ----------------------------------------------------------------

run case-report --list
expect "--list in text: the narrow default columns, local times" 0 \
"id  opened_at         status     level  priority  kind     lead          place                         summary
 1  2025-12-30 10:00  closed         0  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07    华宇社区3号楼楼下夜市大排档噪音扰民，居民无法入睡
 2  2026-02-10 10:00  closed         0  normal    dispute  pcs-wangjing  chaoyang/wangjing/c3/g11      Square dancing music too loud in the evening
 3  2026-03-02 09:00  closed         0  urgent    hazard   pcs-qianjin   chaoyang/qianjin/xinyuan/g02  Smell of gas on the staircase
 4  2026-03-05 14:00  closed         0  low       request  dept-city     chaoyang/qianjin/huayu/g08    Broken street lamp near 华宇社区 north gate
 5  2026-03-10 10:00  closed         0  high      dispute  med-chaoyang  chaoyang/qianjin/huayu/g07    Neighbours fight over a wall at 华宇社区5号楼
 6  2026-03-15 09:00  cancelled      0  normal    request  -             haidian/xueyuan/c1/g1         Help for an elderly resident living alone
 7  2026-03-20 08:00  resolved       0  high      hazard   grid-g07      chaoyang/qianjin/huayu/g07    =SUM(1+1) blocked fire exit
 8  2026-03-25 10:00  closed         0  high      request  dept-city     chaoyang/wangjing/c3/g11      Street lamp out on Wangjing road
 9  2026-04-01 00:00  assigned       3  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07    KTV noise at night near 华宇社区南门
10  2026-04-02 10:00  closed         0  normal    request  dept-city     chaoyang/wangjing/c3/g11      Lamp \"flickers\", pole 12, Wangjing
11  2026-04-05 15:00  assigned       0  low       dispute  law-tianyuan  chaoyang/qianjin/huayu/g07    Unpaid wages dispute
12  2026-04-10 09:00  closed         0  urgent    hazard   pcs-qianjin   chaoyang/qianjin/xinyuan/g02  Gas leak smell again, Xinyuan
13  2026-04-15 10:00  open           2  normal    request  -             -                             Elderly resident needs a wheelchair ramp
14  2026-04-20 10:00  resolved       2  high      dispute  comm-huayu    chaoyang/qianjin/huayu/g08    Dog BARKING all night
15  2026-04-22 09:00  resolved       0  urgent    hazard   pcs-wangjing  chaoyang/wangjing/c3/g11      Gas cylinder stored in the corridor
16  2026-04-26 10:00  assigned       1  urgent    hazard   grid-g07      chaoyang/qianjin/huayu/g07    Fire exit chained shut, 华宇社区2号楼
17  2026-04-28 09:00  open           0  normal    request  -             chaoyang/qianjin/huayu/g08    lamp post leaning
18  2026-04-29 14:00  assigned       0  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07    Construction noise after 22:00 at 华宇社区
19  2026-04-30 10:00  cancelled      0  low       request  -             chaoyang                      test entry
20  2026-05-01 00:30  open           0  high      hazard   -             chaoyang/qianjin/xinyuan/g02  夜间燃气味道" ""

# The default columns of the machine formats are the fields case-open
# --file takes back, times in UTC; CSV quotes only where needed.
run case-report --list --format csv --since 2026-04-01 --until 2026-04-06
expect "--list in csv: every field, UTC times, RFC 4180 quoting" 0 \
"id,ref,kind,category,priority,status,level,lead,place,address,source,opened_at,due_at,resolved_at,closed_at,description,summary
9,12345-0007,dispute,noise,normal,assigned,3,pcs-qianjin,chaoyang/qianjin/huayu/g07,华宇社区南门商业街12号,hotline,2026-03-31T16:00:00Z,2026-04-07T16:00:00Z,,,,KTV noise at night near 华宇社区南门
10,,request,lamp,normal,closed,0,dept-city,chaoyang/wangjing/c3/g11,\"Wangjing St, No. 3\",online,2026-04-02T02:00:00Z,2026-04-09T02:00:00Z,2026-04-05T02:00:00Z,2026-04-12T02:00:00Z,\"first line
second, with comma\",\"Lamp \"\"flickers\"\", pole 12, Wangjing\"
11,,dispute,debt,low,assigned,0,law-tianyuan,chaoyang/qianjin/huayu/g07,,walk-in,2026-04-05T07:00:00Z,2026-05-01T07:00:00Z,,,,Unpaid wages dispute" ""

run case-report --list --format tsv --since 2026-04-01 --until 2026-04-06
expect "--list in tsv: tab, newline and backslash escaped" 0 \
"id	ref	kind	category	priority	status	level	lead	place	address	source	opened_at	due_at	resolved_at	closed_at	description	summary
9	12345-0007	dispute	noise	normal	assigned	3	pcs-qianjin	chaoyang/qianjin/huayu/g07	华宇社区南门商业街12号	hotline	2026-03-31T16:00:00Z	2026-04-07T16:00:00Z				KTV noise at night near 华宇社区南门
10		request	lamp	normal	closed	0	dept-city	chaoyang/wangjing/c3/g11	Wangjing St, No. 3	online	2026-04-02T02:00:00Z	2026-04-09T02:00:00Z	2026-04-05T02:00:00Z	2026-04-12T02:00:00Z	first line\\nsecond, with comma	Lamp \"flickers\", pole 12, Wangjing
11		dispute	debt	low	assigned	0	law-tianyuan	chaoyang/qianjin/huayu/g07		walk-in	2026-04-05T07:00:00Z	2026-05-01T07:00:00Z				Unpaid wages dispute" ""

run case-report --list --format json --since 2026-04-01 --until 2026-04-06
expect "--list in json: JSON Lines, null for empty values, numbers bare" 0 \
'{"id":9,"ref":"12345-0007","kind":"dispute","category":"noise","priority":"normal","status":"assigned","level":3,"lead":"pcs-qianjin","place":"chaoyang/qianjin/huayu/g07","address":"华宇社区南门商业街12号","source":"hotline","opened_at":"2026-03-31T16:00:00Z","due_at":"2026-04-07T16:00:00Z","resolved_at":null,"closed_at":null,"description":null,"summary":"KTV noise at night near 华宇社区南门"}
{"id":10,"ref":null,"kind":"request","category":"lamp","priority":"normal","status":"closed","level":0,"lead":"dept-city","place":"chaoyang/wangjing/c3/g11","address":"Wangjing St, No. 3","source":"online","opened_at":"2026-04-02T02:00:00Z","due_at":"2026-04-09T02:00:00Z","resolved_at":"2026-04-05T02:00:00Z","closed_at":"2026-04-12T02:00:00Z","description":"first line\nsecond, with comma","summary":"Lamp \"flickers\", pole 12, Wangjing"}
{"id":11,"ref":null,"kind":"dispute","category":"debt","priority":"low","status":"assigned","level":0,"lead":"law-tianyuan","place":"chaoyang/qianjin/huayu/g07","address":null,"source":"walk-in","opened_at":"2026-04-05T07:00:00Z","due_at":"2026-05-01T07:00:00Z","resolved_at":null,"closed_at":null,"description":null,"summary":"Unpaid wages dispute"}' ""

run env CASE_FORMAT=tsv case-report --list --no-header --columns id,status --kind request --status closed
expect "CASE_FORMAT chooses the format; --no-header drops the header" 0 \
"4	closed
8	closed
10	closed" ""
run env CASE_FORMAT=tsv case-report --list --format csv --columns id,status --kind request --status closed
expect "--format overrides CASE_FORMAT" 0 \
"id,status
4,closed
8,closed
10,closed" ""

# --columns: every name, in the order given; the computed ones too.
run case-report --list --format csv --columns summary,id,outcome,reopened,lead_name,overdue,updated_at --overdue
expect "--columns chooses and orders the fields; overdue in seconds" 0 \
"summary,id,outcome,reopened,lead_name,overdue,updated_at
KTV noise at night near 华宇社区南门,9,,0,前进派出所,2016000,2026-04-30T23:00:00Z
Elderly resident needs a wheelchair ramp,13,,0,,770400,2026-04-28T00:00:00Z
\"Fire exit chained shut, 华宇社区2号楼\",16,,0,华宇社区第七网格,338400,2026-04-28T00:00:00Z" ""
run case-report --list --columns id,overdue,due_at,level --overdue
expect "the overdue column in text: days and hours" 0 \
"id  overdue  due_at            level
 9  23d8h    2026-04-08 00:00      3
13  8d22h    2026-04-22 10:00      2
16  3d22h    2026-04-27 10:00      1" ""
run case-report --list --format csv --columns id,ref,kind,category,priority,status,outcome,level,lead,lead_name,place,address,source,summary,description,opened_at,due_at,resolved_at,closed_at,reopened,overdue,updated_at --status closed --kind dispute
expect "every non-personal column name is accepted" 0 \
"id,ref,kind,category,priority,status,outcome,level,lead,lead_name,place,address,source,summary,description,opened_at,due_at,resolved_at,closed_at,reopened,overdue,updated_at
1,,dispute,noise,normal,closed,satisfied,0,pcs-qianjin,前进派出所,chaoyang/qianjin/huayu/g07,朝阳区前进街道华宇社区3号楼,hotline,华宇社区3号楼楼下夜市大排档噪音扰民，居民无法入睡,,2025-12-30T02:00:00Z,2026-01-06T02:00:00Z,2026-01-02T08:00:00Z,2026-01-09T02:00:00Z,0,,2026-01-09T02:00:00Z
2,,dispute,noise,normal,closed,satisfied,0,pcs-wangjing,望京派出所,chaoyang/wangjing/c3/g11,,hotline,Square dancing music too loud in the evening,,2026-02-10T02:00:00Z,2026-02-17T02:00:00Z,2026-02-12T02:00:00Z,2026-02-19T02:00:00Z,0,,2026-02-19T02:00:00Z
5,,dispute,wall,high,closed,satisfied,0,med-chaoyang,朝阳区人民调解委员会,chaoyang/qianjin/huayu/g07,,walk-in,Neighbours fight over a wall at 华宇社区5号楼,,2026-03-10T02:00:00Z,2026-03-22T02:00:00Z,2026-03-21T02:00:00Z,2026-03-28T03:00:00Z,1,,2026-03-28T03:00:00Z" ""

run case-report --list --format csv --columns all --kind hazard --level 1
expect "--columns all: every column but the personal ones, the summary last" 0 \
"id,ref,kind,category,priority,status,outcome,level,lead,lead_name,place,address,source,description,opened_at,due_at,resolved_at,closed_at,reopened,overdue,updated_at,summary
16,,hazard,fire-exit,urgent,assigned,,1,grid-g07,华宇社区第七网格,chaoyang/qianjin/huayu/g07,,patrol,,2026-04-26T02:00:00Z,2026-04-27T02:00:00Z,,,0,338400,2026-04-28T00:00:00Z,\"Fire exit chained shut, 华宇社区2号楼\"" ""
run pii case-report --list --format csv --no-header --columns all --pii --kind hazard --level 1
expect "--columns all with --pii: the reporter, contact and coordinates too" 0 \
"16,,hazard,fire-exit,urgent,assigned,,1,grid-g07,华宇社区第七网格,chaoyang/qianjin/huayu/g07,,patrol,,,,,,2026-04-26T02:00:00Z,2026-04-27T02:00:00Z,,,0,338400,2026-04-28T00:00:00Z,\"Fire exit chained shut, 华宇社区2号楼\"" ""

# CJK alignment: wide characters count two columns, so the cells after a
# Chinese one line up with those after ASCII ones.
run case-report --list --columns id,lead_name,address,level --place chaoyang/qianjin/huayu
expect "text aligns wide characters as two columns" 0 \
"id  lead_name                   address                      level
 1  前进派出所                  朝阳区前进街道华宇社区3号楼      0
 4  城市管理委员会              -                                0
 5  朝阳区人民调解委员会        -                                0
 7  华宇社区第七网格            @rooftop door                    0
 9  前进派出所                  华宇社区南门商业街12号           3
11  Tianyuan Law Firm, Beijing  -                                0
14  华宇社区居委会              -                                2
16  华宇社区第七网格            -                                1
17  -                           -                                0
18  前进派出所                  -                                0" ""
# The same, checked by measuring: every line is as wide as the header, and
# each column starts at the same display column.
pycheck "every text line has the header's display width" "$T/out" <<'EOF'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
w = {width(l) for l in lines}
if len(w) != 1:
    sys.exit("widths differ: %r" % sorted(w))
EOF

run case-report --list --columns id,description --category lamp
expect "text escapes a newline inside a cell, keeping one row a line" 0 \
"id  description
 4  -
 8  -
10  first line\\nsecond, with comma
17  -" ""

# ---- personal data and spreadsheets ---------------------------------------

run case-report --list --format csv --columns id,summary --kind dispute --status assigned
expect "no personal data without --pii" 0 \
"id,summary
9,KTV noise at night near 华宇社区南门
11,Unpaid wages dispute
18,Construction noise after 22:00 at 华宇社区" ""
if grep -q '张三\|13800000001\|李四' "$T/out"; then
	not_ok "the default csv list holds no reporter or contact"
else ok "the default csv list holds no reporter or contact"; fi
run case-report --list --format csv
if grep -q '张三\|13800000001\|李四\|wang@example.org\|Zhao' "$T/out"; then
	not_ok "the full default csv list holds no reporter or contact"
	_show
else ok "the full default csv list holds no reporter or contact"; fi
run pii case-report --list --format csv --pii --until 2026-02-11
expect "--pii adds reporter, contact and coordinates to the default machine columns, before the summary" 0 \
"id,ref,kind,category,priority,status,level,lead,place,address,source,opened_at,due_at,resolved_at,closed_at,description,reporter,contact,lat,lon,summary
1,,dispute,noise,normal,closed,0,pcs-qianjin,chaoyang/qianjin/huayu/g07,朝阳区前进街道华宇社区3号楼,hotline,2025-12-30T02:00:00Z,2026-01-06T02:00:00Z,2026-01-02T08:00:00Z,2026-01-09T02:00:00Z,,张三,13800000001,,,华宇社区3号楼楼下夜市大排档噪音扰民，居民无法入睡
2,,dispute,noise,normal,closed,0,pcs-wangjing,chaoyang/wangjing/c3/g11,,hotline,2026-02-10T02:00:00Z,2026-02-17T02:00:00Z,2026-02-12T02:00:00Z,2026-02-19T02:00:00Z,,Wang Fang,wang@example.org,,,Square dancing music too loud in the evening" ""
run pii case-report --list --pii --until 2026-02-11
expect "--pii in text: reporter and contact before the summary, which stays last" 0 \
"id  opened_at         status  level  priority  kind     lead          place                       reporter   contact           summary
 1  2025-12-30 10:00  closed      0  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07  张三       13800000001       华宇社区3号楼楼下夜市大排档噪音扰民，居民无法入睡
 2  2026-02-10 10:00  closed      0  normal    dispute  pcs-wangjing  chaoyang/wangjing/c3/g11    Wang Fang  wang@example.org  Square dancing music too loud in the evening" ""
run pii case-report --list --pii --columns id,reporter,contact --until 2026-02-11
expect "--pii with --columns in text" 0 \
"id  reporter   contact
 1  张三       13800000001
 2  Wang Fang  wang@example.org" ""

# Without --spreadsheet a formula-like cell goes out as it is; with it,
# every text cell beginning with = + - @ gets a leading quote, and CSV and
# TSV begin with a UTF-8 byte-order mark, without which Excel and WPS on a
# Chinese desktop read the file as GBK (issue 13, item 14).
BOM=$(printf '\357\273\277')
run pii case-report --list --format csv --pii --columns id,summary,description,address,reporter,contact,opened_at,level --since 2026-03-10 --until 2026-03-21
expect "csv without --spreadsheet keeps formula-like cells" 0 \
"id,summary,description,address,reporter,contact,opened_at,level
5,Neighbours fight over a wall at 华宇社区5号楼,,,李四,=cmd|' /C calc'!A0,2026-03-10T02:00:00Z,0
6,Help for an elderly resident living alone,,,,,2026-03-15T01:00:00Z,0
7,=SUM(1+1) blocked fire exit,+86 hotline caller; see notes,@rooftop door,-Zhao-,,2026-03-20T00:00:00Z,0" ""
run pii case-report --list --format csv --spreadsheet --pii --columns id,summary,description,address,reporter,contact,opened_at,level --since 2026-03-10 --until 2026-03-21
expect "--spreadsheet quotes cells beginning with = + - @, after a byte-order mark" 0 \
"${BOM}id,summary,description,address,reporter,contact,opened_at,level
5,Neighbours fight over a wall at 华宇社区5号楼,,,李四,\"'=cmd|' /C calc'!A0\",2026-03-10T02:00:00Z,0
6,Help for an elderly resident living alone,,,,,2026-03-15T01:00:00Z,0
7,\"'=SUM(1+1) blocked fire exit\",\"'+86 hotline caller; see notes\",\"'@rooftop door\",\"'-Zhao-\",,2026-03-20T00:00:00Z,0" ""
cp "$T/out" "$T/sheet.csv"
pycheck "the --spreadsheet csv reads back with the quote prefixes" "$T/sheet.csv" <<'EOF'
import csv, sys
if not open(sys.argv[1], "rb").read().startswith(b"\xef\xbb\xbfid,"):
    sys.exit("no byte-order mark before the header")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
got = {r["id"]: r for r in rows}
want = {"summary": "'=SUM(1+1) blocked fire exit",
        "description": "'+86 hotline caller; see notes",
        "address": "'@rooftop door", "reporter": "'-Zhao-", "contact": ""}
bad = [(k, got["7"][k], v) for k, v in want.items() if got["7"][k] != v]
if got["5"]["contact"] != "'=cmd|' /C calc'!A0":
    bad.append(("contact 5", got["5"]["contact"]))
for r in rows:
    for k, v in r.items():
        if v[:1] in ("=", "+", "-", "@"):
            bad.append(("unneutralised", r["id"], k, v))
if bad:
    sys.exit(repr(bad))
EOF
run case-report --list --format tsv --spreadsheet --columns id,summary,address,opened_at --since 2026-03-20 --until 2026-03-21
expect "--spreadsheet in tsv, after a byte-order mark" 0 \
"${BOM}id	summary	address	opened_at
7	'=SUM(1+1) blocked fire exit	'@rooftop door	2026-03-20T00:00:00Z" ""
run case-report --list --format csv --spreadsheet --no-header --columns id,ref --since 2026-03-20 --until 2026-03-21
expect "--spreadsheet without a header: the byte-order mark before the first row" 0 \
"${BOM}7," ""
run case-report --list --format csv --spreadsheet --no-header --search zzzz
expect "--spreadsheet without a header or rows prints nothing at all" 0 "" ""
run case-report --group kind --format csv --spreadsheet --columns opened
expect "--spreadsheet statistics begin with the byte-order mark too" 0 \
"${BOM}kind,opened
dispute,7
hazard,6
request,7" ""
run case-report --list --format csv --columns id,ref --since 2026-03-20 --until 2026-03-21
expect "csv without --spreadsheet has no byte-order mark, for scripts" 0 \
"id,ref
7," ""
run pii case-report --list --format json --spreadsheet --pii --columns id,summary,reporter,contact,level --since 2026-03-20 --until 2026-03-21
expect "--spreadsheet in json: no byte-order mark" 0 \
'{"id":7,"summary":"'"'"'=SUM(1+1) blocked fire exit","reporter":"'"'"'-Zhao-","contact":null,"level":0}' ""

# ---- CSV, TSV and JSON read back by independent readers ------------------

run pii case-report --list --format csv --pii --columns id,ref,kind,category,priority,status,outcome,level,lead,lead_name,place,address,source,summary,description,reporter,contact,opened_at,due_at,resolved_at,closed_at,reopened
cp "$T/out" "$T/all.csv"
run pii case-report --list --format tsv --pii --columns id,ref,kind,category,priority,status,outcome,level,lead,lead_name,place,address,source,summary,description,reporter,contact,opened_at,due_at,resolved_at,closed_at,reopened
cp "$T/out" "$T/all.tsv"
run pii case-report --list --format json --pii --columns id,ref,kind,category,priority,status,outcome,level,lead,lead_name,place,address,source,summary,description,reporter,contact,opened_at,due_at,resolved_at,closed_at,reopened
cp "$T/out" "$T/all.json"
cat >"$T/db.py" <<'EOF'
# The cases as the database holds them, as strings the way the machine
# formats write them: UTC times, "" for NULL.
import casedb, datetime
def cases(path):
    db = casedb.connect(path)
    out = {}
    for r in db.execute("SELECT c.*, u.name AS lead_name FROM cases c"
                        " LEFT JOIN units u ON u.code = c.lead ORDER BY c.id"):
        d = {}
        for k in r.keys():
            v = r[k]
            if v is None:
                v = ""
            elif k.endswith("_at"):
                v = datetime.datetime.fromtimestamp(v, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            d[k] = str(v)
        out[d["id"]] = d
    return out
EOF
pychecks "reading back csv, tsv and json" "$T" "$CASE_DB" <<'EOF'
import csv, json, sys
sys.path.insert(0, sys.argv[1])
import db
want = db.cases(sys.argv[2])
def check(name, bad):
    print(("not ok " if bad else "ok ") + name)
    for b in bad:
        print(repr(b))

bad = []
rows = list(csv.DictReader(open(sys.argv[1] + "/all.csv", newline="", encoding="utf-8")))
if [r["id"] for r in rows] != list(want) or len(rows) != 20:
    bad.append(("ids", [r["id"] for r in rows]))
for r in rows:
    for k, v in r.items():
        if want[r["id"]][k] != v:
            bad.append((r["id"], k, v, want[r["id"]][k]))
check("csv read back by python's csv module equals the database", bad)

r = {r["id"]: r for r in rows}
check("the csv really holds commas, quotes and a newline in one field", [
    x for x in [
        ("summary", r["10"]["summary"], 'Lamp "flickers", pole 12, Wangjing'),
        ("description", r["10"]["description"], "first line\nsecond, with comma"),
        ("address", r["10"]["address"], "Wangjing St, No. 3"),
        ("reporter", r["1"]["reporter"], "张三"),
    ] if x[1] != x[2]])

def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\":
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)
bad = []
lines = open(sys.argv[1] + "/all.tsv", encoding="utf-8").read().split("\n")
if lines[-1] != "" or len(lines) != 22:
    bad.append(("lines", len(lines), lines[-1]))
head = lines[0].split("\t")
for line in lines[1:-1]:
    r = dict(zip(head, map(unescape, line.split("\t"))))
    for k, v in r.items():
        if want[r["id"]][k] != v:
            bad.append((r["id"], k, v, want[r["id"]][k]))
check("tsv unescaped equals the database", bad)

bad = []
lines = open(sys.argv[1] + "/all.json", encoding="utf-8").read().splitlines()
if len(lines) != 20:
    bad.append(("lines", len(lines)))
for line in lines:
    r = json.loads(line)
    for k, v in r.items():
        if k in ("id", "level", "reopened") and not isinstance(v, int):
            bad.append((r["id"], k, "not a number", v))
        s = "" if v is None else str(v)
        if want[str(r["id"])][k] != s:
            bad.append((r["id"], k, v, want[str(r["id"])][k]))
check("json lines parse and equal the database", bad)
EOF

# ---- Open311 --------------------------------------------------------------

run case-report --list --format open311 --kind dispute --place chaoyang/qianjin/huayu/g07 --since 2026-04-01
expect "--format open311: a GeoReport v2 array" 0 \
'[
{"service_request_id":"12345-0007","status":"open","status_notes":"note: called the KTV owner again","service_name":"noise","service_code":"dispute","description":"KTV noise at night near 华宇社区南门","agency_responsible":"前进派出所","service_notice":null,"requested_datetime":"2026-03-31T16:00:00Z","updated_datetime":"2026-04-30T23:00:00Z","expected_datetime":"2026-04-07T16:00:00Z","address":"华宇社区南门商业街12号","address_id":null,"zipcode":null,"lat":null,"long":null,"media_url":null},
{"service_request_id":"11","status":"open","status_notes":"reopen: resident unsatisfied; new deadline 2026-05-01T07:00:00Z","service_name":"debt","service_code":"dispute","description":"Unpaid wages dispute","agency_responsible":"Tianyuan Law Firm, Beijing","service_notice":null,"requested_datetime":"2026-04-05T07:00:00Z","updated_datetime":"2026-04-16T07:00:00Z","expected_datetime":"2026-05-01T07:00:00Z","address":null,"address_id":null,"zipcode":null,"lat":null,"long":null,"media_url":null},
{"service_request_id":"18","status":"open","status_notes":"assign: lead pcs-qianjin","service_name":"noise","service_code":"dispute","description":"Construction noise after 22:00 at 华宇社区","agency_responsible":"前进派出所","service_notice":null,"requested_datetime":"2026-04-29T06:00:00Z","updated_datetime":"2026-04-29T07:00:00Z","expected_datetime":"2026-05-06T06:00:00Z","address":null,"address_id":null,"zipcode":null,"lat":null,"long":null,"media_url":null}
]' ""
run case-report --list --format open311
cp "$T/out" "$T/open311.json"
check_rc 0 "--format open311 over every case"
pycheck "open311 maps every case field by field" "$T/open311.json" "$CASE_DB" <<'EOF'
import json, casedb, sys, datetime
def iso(t):
    return None if t is None else datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
reqs = json.load(open(sys.argv[1], encoding="utf-8"))
db = casedb.connect(sys.argv[2])
rows = db.execute("SELECT id, ref, status, category, kind, summary, description,"
                  " lead, opened_at, due_at, address FROM cases ORDER BY id").fetchall()
bad = []
if len(reqs) != len(rows):
    bad.append(("count", len(reqs), len(rows)))
for req, (id, ref, status, cat, kind, summ, desc, lead, opened, due, addr) in zip(reqs, rows):
    name = db.execute("SELECT name FROM units WHERE code = ?", (lead,)).fetchone()
    last = db.execute("SELECT action, detail, at FROM events WHERE case_id = ?"
                      " ORDER BY id DESC LIMIT 1", (id,)).fetchone()
    updated = db.execute("SELECT max(at) FROM events WHERE case_id = ?", (id,)).fetchone()[0]
    want = {
        "service_request_id": ref if ref is not None else str(id),
        "status": "closed" if status in ("closed", "cancelled") else "open",
        "status_notes": last[0] + (": " + last[1] if last[1] is not None else ""),
        "service_name": cat,
        "service_code": kind,
        "description": desc if desc is not None else summ,
        "agency_responsible": name[0] if name else None,
        "requested_datetime": iso(opened),
        "updated_datetime": iso(updated),
        "expected_datetime": iso(due),
        "address": addr,
    }
    for k, v in want.items():
        if req.get(k, "MISSING") != v:
            bad.append((id, k, req.get(k, "MISSING"), v))
    for k in ("service_notice", "address_id", "zipcode", "lat", "long", "media_url"):
        if k not in req:
            bad.append((id, "missing", k))
if bad:
    sys.exit("\n".join(map(repr, bad)))
EOF
run case-report --list --format open311 --search zzzz --exit-status
expect "open311 with no rows: an empty array, and --exit-status 1" 1 "[]" ""

# ---- one case --------------------------------------------------------------

run case-report --show 5
expect "--show in text: fields, units past and present, visits, journal, all in local time" 0 \
"case 5
field        value
id           5
ref          -
kind         dispute
category     wall
priority     high
status       closed
outcome      satisfied
level        0
lead         med-chaoyang
lead_name    朝阳区人民调解委员会
place        chaoyang/qianjin/huayu/g07
address      -
source       walk-in
summary      Neighbours fight over a wall at 华宇社区5号楼
description  -
opened_at    2026-03-10 10:00
due_at       2026-03-22 10:00
resolved_at  2026-03-21 10:00
closed_at    2026-03-28 11:00
reopened     1
overdue      -
updated_at   2026-03-28 11:00

units
unit          name                        role     assigned          released
med-chaoyang  朝阳区人民调解委员会        lead     2026-03-10 11:00  -
law-tianyuan  Tianyuan Law Firm, Beijing  support  2026-03-10 11:00  2026-03-20 10:00
pcs-qianjin   前进派出所                  support  2026-03-10 11:00  -

visits
due               done              attempt  method  outcome      actor   note
2026-03-19 10:00  2026-03-19 10:00        1  visit   unsatisfied  tester  the wall is still there
2026-03-28 10:00  2026-03-28 11:00        1  other   satisfied    tester  -

journal
event  at                case  actor   action   status    level  detail
   19  2026-03-10 10:00     5  tester  open     open          0  dispute, priority high
   20  2026-03-10 11:00     5  tester  assign   assigned      0  lead med-chaoyang
   21  2026-03-10 11:00     5  tester  support  assigned      0  support law-tianyuan
   22  2026-03-10 11:00     5  tester  support  assigned      0  support pcs-qianjin
   23  2026-03-12 10:00     5  tester  resolve  resolved      0  Both families signed an agreement; first visit due 2026-03-19 10:00
   26  2026-03-19 10:00     5  tester  visit    resolved      0  unsatisfied by visit, attempt 1: the wall is still there
   27  2026-03-19 10:00     5  tester  reopen   assigned      0  resident unsatisfied; new deadline 2026-03-22 10:00
   30  2026-03-20 10:00     5  tester  release  assigned      0  support law-tianyuan
   31  2026-03-20 10:00     5  tester  note     assigned      0  law firm no longer needed
   32  2026-03-21 10:00     5  tester  resolve  resolved      0  Wall rebuilt on the line; first visit due 2026-03-28 10:00
   38  2026-03-28 11:00     5  tester  visit    resolved      0  satisfied by other, attempt 1
   39  2026-03-28 11:00     5  tester  close    closed        0  satisfied" ""
if grep -q '李四' "$T/out"; then not_ok "--show leaves out the reporter without --pii"
else ok "--show leaves out the reporter without --pii"; fi
run pii case-report --show --pii 5
if grep -q '^reporter     李四$' "$T/out" &&
	grep -q "^contact      =cmd|' /C calc'!A0\$" "$T/out"; then
	ok "--show --pii shows the reporter and contact"
else
	not_ok "--show --pii shows the reporter and contact"
	_show
fi

run case-report --show --format csv 4
expect "--show in csv: the journal's rows, in time order" 0 \
"event,at,case,actor,action,status,level,detail
15,2026-03-05T06:00:00Z,4,tester,open,open,0,\"request, priority low\"
16,2026-03-06T01:00:00Z,4,tester,assign,assigned,0,lead dept-city
36,2026-03-25T06:00:00Z,4,tester,resolve,resolved,0,Lamp replaced; first visit due 2026-04-01T06:00:00Z
43,2026-04-01T07:00:00Z,4,tester,visit,resolved,0,\"unreachable by phone, attempt 1; next attempt due 2026-04-03T07:00:00Z\"
48,2026-04-03T07:00:00Z,4,tester,visit,resolved,0,\"unreachable by phone, attempt 2; next attempt due 2026-04-05T07:00:00Z\"
51,2026-04-05T08:00:00Z,4,tester,visit,resolved,0,\"unreachable by phone, attempt 3\"
52,2026-04-05T08:00:00Z,4,tester,close,closed,0,unreachable after 3 attempts" ""

run case-report --show 99
expect "--show of an unknown id: exit 1, named, nothing on stdout" 1 "" \
	"case-report: case 99: no such case"
# An empty listing in csv is its header alone, as everywhere.
run case-report --show --format csv 99
expect "--show in csv of an unknown id" 1 \
	"event,at,case,actor,action,status,level,detail" \
	"case-report: case 99: no such case"
run case-report --show --format csv 19 99
expect "--show reports the unknown id and still shows the others" 1 \
"event,at,case,actor,action,status,level,detail
81,2026-04-30T02:00:00Z,19,tester,open,open,0,\"request, priority low\"
82,2026-04-30T03:00:00Z,19,tester,cancel,cancelled,0,test entry" \
	"case-report: case 99: no such case"
run case-report --show --format csv 19 6
expect "--show in csv of two cases: one header, then both journals" 0 \
"event,at,case,actor,action,status,level,detail
81,2026-04-30T02:00:00Z,19,tester,open,open,0,\"request, priority low\"
82,2026-04-30T03:00:00Z,19,tester,cancel,cancelled,0,test entry
24,2026-03-15T01:00:00Z,6,tester,open,open,0,\"request, priority normal\"
25,2026-03-16T01:00:00Z,6,tester,cancel,cancelled,0,duplicate of a case in Haidian" ""
run case-report --show 19 6
cp "$T/out" "$T/two"
run case-report --show 19
cp "$T/out" "$T/one19"
run case-report --show 6
{ cat "$T/one19"; echo; cat "$T/out"; } >"$T/want"
if cmp -s "$T/want" "$T/two"; then ok "--show of two cases in text: sections apart by a blank line"; else
	not_ok "--show of two cases in text: sections apart by a blank line"
	diff "$T/want" "$T/two" | sed 's/^/#   /'
fi

printf '# ids to show\nid\n\n16\n' >"$T/in"
run_in "$T/in" case-report --show --format tsv --no-header
expect "--show reads ids from stdin, skipping comments, header and blanks" 0 \
"71	2026-04-26T02:00:00Z	16	tester	open	open	0	hazard, priority urgent
72	2026-04-26T02:30:00Z	16	tester	assign	assigned	0	lead grid-g07
76	2026-04-28T00:00:00Z	16	tester	escalate	assigned	1	level 1: no supervisor set" ""
: >"$T/in"
run_in "$T/in" case-report --show
# No ids is nothing to do, as for every binary that reads ids.
expect "--show with no ids at all" 0 "" ""

# Pipes: a listing in any format feeds --show.
case-report --list --search 南门 | case-report --show --format csv >"$T/out" 2>"$T/err"
rc=$?
expect "case-report --list | case-report --show" 0 \
"event,at,case,actor,action,status,level,detail
40,2026-03-31T16:00:00Z,9,tester,open,open,0,\"dispute, priority normal\"
41,2026-04-01T01:00:00Z,9,tester,assign,assigned,0,lead pcs-qianjin
42,2026-04-01T01:00:00Z,9,tester,support,assigned,0,support comm-huayu
73,2026-04-28T00:00:00Z,9,tester,escalate,assigned,3,level 3: Deputy Director Chen
84,2026-04-30T23:00:00Z,9,tester,note,assigned,3,called the KTV owner again" ""
# Case 10's description spans two lines inside one quoted CSV field.
case-report --list --format csv --category lamp |
	case-report --show --format tsv --no-header >"$T/out" 2>"$T/err"
rc=$?
check_rc 0 "a csv listing with a multi-line field pipes into --show"
cut -f3 "$T/out" | uniq | tr '\n' ' ' >"$T/cases"
if [ "$(cat "$T/cases")" = "4 8 10 17 " ]; then ok "... and shows every listed case"; else
	not_ok "... and shows every listed case (got: $(cat "$T/cases"))"
	_show
fi

# ---- the journal as a stream ---------------------------------------------

case-report --events --format csv >"$T/all"
run case-report --events --format csv --after 0
if [ "$rc" -eq 0 ] && cmp -s "$T/all" "$T/out"; then
	ok "--events --after 0 is the whole journal"
else
	not_ok "--events --after 0 is the whole journal"
	_show
fi
run case-report --events --after 80
expect "--events --after: the journal after an event id, in order" 0 \
"event  at                case  actor   action  status     level  detail
   81  2026-04-30 10:00    19  tester  open    open           0  request, priority low
   82  2026-04-30 11:00    19  tester  cancel  cancelled      0  test entry
   83  2026-05-01 00:30    20  tester  open    open           0  hazard, priority high
   84  2026-05-01 07:00     9  tester  note    assigned       3  called the KTV owner again" ""
# Text shows the times inside the details in local time too (issue 13,
# item 10); the machine formats keep them as stored, in UTC.
run case-report --events --since 2026-04-29 --until 2026-04-30
expect "--events in text: times in details are local" 0 \
"event  at                case  actor   action   status    level  detail
   78  2026-04-29 10:00    14  tester  resolve  resolved      2  Owner keeps the dog inside; first visit due 2026-05-06 10:00
   79  2026-04-29 14:00    18  tester  open     open          0  dispute, priority normal
   80  2026-04-29 15:00    18  tester  assign   assigned      0  lead pcs-qianjin" ""
run case-report --events --format csv --since 2026-04-29 --until 2026-04-30
expect "--events --since/--until bound the events' times; csv keeps the details in UTC" 0 \
"event,at,case,actor,action,status,level,detail
78,2026-04-29T02:00:00Z,14,tester,resolve,resolved,2,Owner keeps the dog inside; first visit due 2026-05-06T02:00:00Z
79,2026-04-29T06:00:00Z,18,tester,open,open,0,\"dispute, priority normal\"
80,2026-04-29T07:00:00Z,18,tester,assign,assigned,0,lead pcs-qianjin" ""
run case-report --events --format tsv --since 2026-04-28 --after 77 --kind dispute
expect "--events with --since, --after and a filter on the cases" 0 \
"event	at	case	actor	action	status	level	detail
78	2026-04-29T02:00:00Z	14	tester	resolve	resolved	2	Owner keeps the dog inside; first visit due 2026-05-06T02:00:00Z
79	2026-04-29T06:00:00Z	18	tester	open	open	0	dispute, priority normal
80	2026-04-29T07:00:00Z	18	tester	assign	assigned	0	lead pcs-qianjin
84	2026-04-30T23:00:00Z	9	tester	note	assigned	3	called the KTV owner again" ""
run case-report --events --format csv --no-header
cut -d, -f1 "$T/out" | grep '^[0-9]' >"$T/got"
sql "SELECT id FROM events ORDER BY id" >"$T/want"
if [ -s "$T/want" ] && cmp -s "$T/got" "$T/want"; then
	ok "--events streams every event exactly once, in id order"
else
	not_ok "--events streams every event exactly once, in id order"
	diff "$T/want" "$T/got" | sed 's/^/#   /'
fi
run case-report --events --after 84 --exit-status
expect "--events with nothing new: nothing, and --exit-status 1" 1 "" ""
run case-report --events --after 83 --exit-status --format csv --no-header
expect "--events --exit-status with rows exits 0" 0 \
	"84,2026-04-30T23:00:00Z,9,tester,note,assigned,3,called the KTV owner again" ""

# ---- filters --------------------------------------------------------------

ids --kind hazard
check_out "3 7 12 15 16 20" "--kind"
ids --kind hazard,request
check_out "3 4 6 7 8 10 12 13 15 16 17 19 20" "--kind with a comma list"
ids --status resolved
check_out "7 14 15" "--status"
ids --status open,assigned
check_out "9 11 13 16 17 18 20" "--status with a comma list"
ids --priority urgent,low
check_out "3 4 11 12 15 16 19" "--priority with a comma list"
ids --category lamp
check_out "4 8 10 17" "--category"
ids --category Lamp
check_no_out "--category is exact"
ids --unit pcs-qianjin
check_out "1 3 5 9 12 18" "--unit: as lead or as supporting unit"
ids --unit med-chaoyang
check_out "1 5 11" "--unit: a mediation office leading one case, supporting two"
ids --unit law-tianyuan
check_out "11" "--unit: a released supporting unit no longer counts"
ids --unit comm-huayu
check_out "9 14" "--unit: the community's cases"
ids --place chaoyang/qianjin
check_out "1 3 4 5 7 9 11 12 14 16 17 18 20" "--place: a prefix"
ids --place chaoyang/qianjin/huayu/g0
check_no_out "--place: whole segments only"
ids --place haidian/xueyuan/c1/g1
check_out "6" "--place: a whole path"
ids --place chaoyang
check_out "1 2 3 4 5 7 8 9 10 11 12 14 15 16 17 18 19 20" "--place: a district, itself included"
ids --since 2026-04-01 --until 2026-04-05
check_out "9 10" "--since/--until: half-open, since included"
ids --until 2026-04-01
check_out "1 2 3 4 5 6 7 8" "--until: the bound itself excluded"
ids --since 2026-04-01T00:00:01
check_out "10 11 12 13 14 15 16 17 18 19 20" "--since: a second later"
ids --since 2026-04-30T16:30:00Z
check_out "20" "--since with an offset"
ids --since -1d
check_out "19 20" "--since a relative time"
ids --overdue
check_out "9 13 16" "--overdue"
ids --level 2
check_out "13 14" "--level"
ids --level 0 --kind hazard
check_out "3 7 12 15 20" "--level 0"
ids --search 华宇社区
check_out "1 4 5 9 16 18" "--search: Chinese inside longer summaries and addresses"
ids --search 南门商业
check_out "9" "--search: Chinese in an address only"
ids --search 华宇
check_out "1 4 5 9 16 18" "--search: two characters"
ids --search 燃气
check_out "20" "--search: a two-character word making up a short summary"
ids --search 夜间燃气味道
check_out "20" "--search: a whole summary"
ids --search barking
check_out "14" "--search: ASCII ignores case"
ids --search Ba
check_out "14" "--search: two ASCII characters ignore case"
ids --search 'second, with'
check_out "10" "--search: in a description"
ids --search '"flickers"'
check_out "10" "--search: with double quotes"
ids --search NOT
check_out "7" "--search: a query word of FTS is plain text (and ignores case)"
ids --search '***'
check_no_out "--search: FTS operators are plain text"
ids --search '%'
check_no_out "--search: % is not a wildcard"
ids --search '_a'
check_no_out "--search: _ is not a wildcard"
ids --search 'KTV noise at night near 华宇社区南门 and more'
check_no_out "--search: longer than any text"
ids --kind dispute --status assigned --place chaoyang/qianjin/huayu --search noise
check_out "9 18" "filters combine"

# ---- empty results --------------------------------------------------------

run case-report --list --search zzzz
expect "an empty list in text prints nothing at all" 0 "" ""
run case-report --list --search zzzz --exit-status
expect "an empty list with --exit-status exits 1" 1 "" ""
run case-report --list --format csv --columns id,summary --search zzzz --exit-status
expect "an empty list in csv: the header alone" 1 "id,summary" ""
run case-report --list --format tsv --columns id,summary --search zzzz
expect "an empty list in tsv: the header alone" 0 "id	summary" ""
run case-report --list --format json --search zzzz
expect "an empty list in json prints nothing" 0 "" ""
run case-report --list --columns id --kind hazard --level 1 --exit-status
expect "--exit-status exits 0 when there are rows" 0 "id
16" ""
run case-report --group kind --search zzzz
expect "an empty grouped summary in text prints nothing, no total row" 0 "" ""
run case-report --group kind --format csv --search zzzz
expect "an empty grouped summary in csv: the header alone" 0 \
	"kind,opened,open,overdue,resolved,closed,cancelled,on_time_pct,median_hours,p90_hours,visits_done,visits_due,satisfied_pct,closed_unreachable,closed_unvisited,reopened,level1,level2,level3" ""
run case-report --format csv --search zzzz
expect "the summary of no cases: one row of zeros and empty rates" 0 \
"opened,open,overdue,resolved,closed,cancelled,on_time_pct,median_hours,p90_hours,visits_done,visits_due,satisfied_pct,closed_unreachable,closed_unvisited,reopened,level1,level2,level3
0,0,0,0,0,0,,,,0,0,,0,0,0,0,0,0" ""

# ---- statistics -----------------------------------------------------------

run case-report
expect "the summary in text: one figure a line" 0 \
"figure              value
opened                 20
open                    7
overdue                 3
resolved               11
closed                  8
cancelled               2
on_time_pct          81.8
median_hours         60.0
p90_hours           264.0
visits_done            12
visits_due              2
satisfied_pct        77.8
closed_unreachable      1
closed_unvisited        0
reopened                2
level1                  1
level2                  2
level3                  1" ""
run case-report --format csv
expect "the summary in csv: one row" 0 \
"opened,open,overdue,resolved,closed,cancelled,on_time_pct,median_hours,p90_hours,visits_done,visits_due,satisfied_pct,closed_unreachable,closed_unvisited,reopened,level1,level2,level3
20,7,3,11,8,2,81.8,60.0,264.0,12,2,77.8,1,0,2,1,2,1" ""
run case-report --format json
expect "the summary in json: one object" 0 \
'{"opened":20,"open":7,"overdue":3,"resolved":11,"closed":8,"cancelled":2,"on_time_pct":81.8,"median_hours":60.0,"p90_hours":264.0,"visits_done":12,"visits_due":2,"satisfied_pct":77.8,"closed_unreachable":1,"closed_unvisited":0,"reopened":2,"level1":1,"level2":2,"level3":1}' ""
if grep -q 'reporter\|contact\|张三\|Zhao' "$T/out"; then
	not_ok "the summary holds no personal data"
else ok "the summary holds no personal data"; fi

# In text a grouped table shows seven figures by default, so that a line
# fits a terminal (issue 13, item 3): 77 columns here instead of 209.
run case-report --group kind
expect "--group kind in text: the compact figures, sorted keys, then a total row" 0 \
"kind     opened  open  overdue  closed  on_time_pct  median_hours  satisfied_pct
dispute       7     3        1       3         75.0         147.0           60.0
hazard        6     2        1       2        100.0          10.0          100.0
request       7     2        1       3         66.7          72.0          100.0
total        20     7        3       8         81.8          60.0           77.8" ""
cp "$T/out" "$T/group_kind"
run case-report --group kind --columns all
expect "--group kind --columns all in text: every figure" 0 \
"kind     opened  open  overdue  resolved  closed  cancelled  on_time_pct  median_hours  p90_hours  visits_done  visits_due  satisfied_pct  closed_unreachable  closed_unvisited  reopened  level1  level2  level3
dispute       7     3        1         4       3          0         75.0         147.0      264.0            5           0           60.0                   0                 0         2       0       1       1
hazard        6     2        1         4       2          0        100.0          10.0       60.0            2           2          100.0                   0                 0         0       1       0       0
request       7     2        1         3       3          2         66.7          72.0      480.0            5           0          100.0                   1                 0         0       0       1       0
total        20     7        3        11       8          2         81.8          60.0      264.0           12           2           77.8                   1                 0         2       1       2       1" ""
run case-report --group status --format csv
expect "--group status in csv: no total row" 0 \
"status,opened,open,overdue,resolved,closed,cancelled,on_time_pct,median_hours,p90_hours,visits_done,visits_due,satisfied_pct,closed_unreachable,closed_unvisited,reopened,level1,level2,level3
assigned,4,4,2,0,0,0,,,,1,0,0.0,0,0,1,1,0,1
cancelled,2,0,0,0,0,2,,,,0,0,,0,0,0,0,0,0
closed,8,0,0,8,8,0,87.5,60.0,480.0,11,0,87.5,1,0,1,0,0,0
open,3,3,1,0,0,0,,,,0,0,,0,0,0,0,1,0
resolved,3,0,0,3,0,0,66.7,60.0,216.0,0,2,,0,0,0,0,1,0" ""
run case-report --group lead,month --format tsv --kind dispute
expect "--group with two fields nests them, sorted by both keys" 0 \
"lead	month	opened	open	overdue	resolved	closed	cancelled	on_time_pct	median_hours	p90_hours	visits_done	visits_due	satisfied_pct	closed_unreachable	closed_unvisited	reopened	level1	level2	level3
comm-huayu	2026-04	1	0	0	1	0	0	0.0	216.0	216.0	0	0		0	0	0	0	1	0
law-tianyuan	2026-04	1	1	0	0	0	0				1	0	0.0	0	0	1	0	0	0
med-chaoyang	2026-03	1	0	0	1	1	0	100.0	264.0	264.0	2	0	50.0	0	0	1	0	0	0
pcs-qianjin	2025-12	1	0	0	1	1	0	100.0	78.0	78.0	1	0	100.0	0	0	0	0	0	0
pcs-qianjin	2026-04	2	2	1	0	0	0				0	0		0	0	0	0	0	1
pcs-wangjing	2026-02	1	0	0	1	1	0	100.0	48.0	48.0	1	0	100.0	0	0	0	0	0	0" ""
run case-report --group category,priority --kind request
expect "--group with two fields in text: an empty key shows as -, total last" 0 \
"category  priority  opened  open  overdue  closed  on_time_pct  median_hours  satisfied_pct
-         normal         1     1        1       0            -             -              -
elderly   normal         1     0        0       0            -             -              -
lamp      high           1     0        0       1        100.0          48.0          100.0
lamp      low            1     0        0       1          0.0         480.0              -
lamp      normal         2     1        0       1        100.0          72.0          100.0
其他      low            1     0        0       0            -             -              -
total     -              7     2        1       3         66.7          72.0          100.0" ""

# --columns picks the figures of the statistics, in the order given, in
# every format; csv, tsv and json keep every figure without it.
run case-report --columns overdue,on_time_pct,overdue
expect "--columns with the summary in text" 0 \
"figure       value
overdue          3
on_time_pct   81.8
overdue          3" ""
run case-report --columns overdue --format csv --no-header --kind hazard
expect "--columns with the summary in csv: one number for a script" 0 "1" ""
run case-report --group lead --columns satisfied_pct,opened --format csv --kind dispute
expect "--columns with --group in csv: the keys, then the figures given" 0 \
"lead,satisfied_pct,opened
comm-huayu,,1
law-tianyuan,0.0,1
med-chaoyang,50.0,1
pcs-qianjin,100.0,3
pcs-wangjing,100.0,1" ""
run case-report --group level --columns all --format tsv --no-header --level 3
expect "--columns all in tsv is the default's every figure" 0 \
"3	1	1	1	0	0	0				0	0		0	0	0	0	0	1" ""
run case-report --group level --format tsv --no-header --level 3
check_out "3	1	1	1	0	0	0				0	0		0	0	0	0	0	1" \
	"--group in tsv keeps every figure by default"

# The group keys by themselves, one command per field.
keys() {
	run case-report --group "$1" --format csv --no-header
	cut -d, -f1-"$2" "$T/out" | tr '\n' ' ' | sed 's/ $//' >"$T/keys"
	mv "$T/keys" "$T/out"
	echo >>"$T/out"
}
keys kind 2
check_out "dispute,7 hazard,6 request,7" "--group kind: keys and opened"
keys category 2
check_out ",1 debt,1 elderly,1 fire-exit,2 gas,4 lamp,4 noise,5 wall,1 其他,1" "--group category"
keys priority 2
check_out "high,5 low,3 normal,8 urgent,4" "--group priority"
keys status 2
check_out "assigned,4 cancelled,2 closed,8 open,3 resolved,3" "--group status"
keys lead 2
check_out ",5 comm-huayu,1 dept-city,3 grid-g07,2 law-tianyuan,1 med-chaoyang,1 pcs-qianjin,5 pcs-wangjing,2" "--group lead"
keys source 2
check_out "hotline,8 online,5 patrol,3 referral,1 walk-in,3" "--group source"
keys level 2
check_out "0,16 1,1 2,2 3,1" "--group level"
keys place 2
check_out ",1 chaoyang,1 chaoyang/qianjin/huayu/g07,7 chaoyang/qianjin/huayu/g08,3 chaoyang/qianjin/xinyuan/g02,3 chaoyang/wangjing/c3/g11,4 haidian/xueyuan/c1/g1,1" "--group place"
keys place:2 2
check_out ",1 chaoyang,1 chaoyang/qianjin,13 chaoyang/wangjing,4 haidian/xueyuan,1" "--group place:2"
keys place:3 2
check_out ",1 chaoyang,1 chaoyang/qianjin/huayu,10 chaoyang/qianjin/xinyuan,3 chaoyang/wangjing/c3,4 haidian/xueyuan/c1,1" "--group place:3"
keys place:9 2
check_out ",1 chaoyang,1 chaoyang/qianjin/huayu/g07,7 chaoyang/qianjin/huayu/g08,3 chaoyang/qianjin/xinyuan/g02,3 chaoyang/wangjing/c3/g11,4 haidian/xueyuan/c1/g1,1" "--group place:N deeper than any place"
keys day 2
check_out "2025-12-30,1 2026-02-10,1 2026-03-02,1 2026-03-05,1 2026-03-10,1 2026-03-15,1 2026-03-20,1 2026-03-25,1 2026-04-01,1 2026-04-02,1 2026-04-05,1 2026-04-10,1 2026-04-15,1 2026-04-20,1 2026-04-22,1 2026-04-26,1 2026-04-28,1 2026-04-29,1 2026-04-30,1 2026-05-01,1" "--group day: local days"
keys week 2
check_out "2026-W01,1 2026-W07,1 2026-W10,2 2026-W11,2 2026-W12,1 2026-W13,1 2026-W14,3 2026-W15,1 2026-W16,1 2026-W17,3 2026-W18,4" "--group week: ISO weeks (2025-12-30 is in 2026-W01)"
keys month 2
check_out "2025-12,1 2026-02,1 2026-03,6 2026-04,11 2026-05,1" "--group month: local months (00:30 on May 1 is May)"
keys year 2
check_out "2025,1 2026,19" "--group year"

# Periods computed independently by Python from the opening times, in the
# zone the report runs in.
run case-report --group kind,month --format csv --no-header
cp "$T/out" "$T/km.csv"
for p in day week month year; do
	run case-report --group "$p" --format csv --no-header
	cp "$T/out" "$T/$p.csv"
done
pycheck "counts per period and per kind and month equal Python's count" "$T" "$CASE_DB" <<'EOF'
import csv, casedb, sys, collections, datetime, zoneinfo
tz = zoneinfo.ZoneInfo("Asia/Shanghai")
db = casedb.connect(sys.argv[2])
rows = db.execute("SELECT kind, opened_at FROM cases").fetchall()
def local(t):
    return datetime.datetime.fromtimestamp(t, tz)
fmt = {
    "day": lambda d: d.strftime("%Y-%m-%d"),
    "week": lambda d: "%04d-W%02d" % d.isocalendar()[:2],
    "month": lambda d: d.strftime("%Y-%m"),
    "year": lambda d: d.strftime("%Y"),
}
bad = []
def compare(name, want, file, nk):
    got = {tuple(r[:nk]): int(r[nk]) for r in csv.reader(open(file, newline=""))}
    keys = [tuple(r[:nk]) for r in csv.reader(open(file, newline=""))]
    if keys != sorted(keys):
        bad.append((name, "not sorted", keys))
    if got != dict(want):
        bad.append((name, got, dict(want)))
for p, f in fmt.items():
    compare(p, collections.Counter((f(local(t)),) for k, t in rows),
            sys.argv[1] + "/" + p + ".csv", 1)
compare("kind,month", collections.Counter((k, fmt["month"](local(t))) for k, t in rows),
        sys.argv[1] + "/km.csv", 2)
if bad:
    sys.exit("\n".join(map(repr, bad)))
EOF

# Figures cross-checked against hand-written SQL run by the sqlite3 shell
# (or psql) on the same database.  fig K1 K2 WHERE writes the figures of each group
# but the two duration percentiles to $T/fig, and the seconds to resolve
# of each resolved case, in order, to $T/dur, both with | between fields;
# merge NKEYS then prints the expected csv, with the median (the mean of
# the middle two for an even count) and the nearest-rank 90th percentile
# computed by awk from the durations.
fig() {
	sql "
WITH c AS (
  SELECT x.*, $1 AS k1, $2 AS k2,
    (SELECT count(*) FROM visits v WHERE v.case_id = x.id
      AND v.done_at IS NOT NULL) AS v_done,
    (SELECT count(*) FROM visits v WHERE v.case_id = x.id
      AND v.done_at IS NULL AND v.due_at <= $NOW
      AND x.status = 'resolved') AS v_due,
    (SELECT count(*) FROM visits v WHERE v.case_id = x.id
      AND v.outcome = 'satisfied') AS v_sat,
    (SELECT count(*) FROM visits v WHERE v.case_id = x.id
      AND v.outcome = 'unsatisfied') AS v_unsat
  FROM cases x WHERE $3)
SELECT k1, k2,
  count(*),
  sum(status IN ('open', 'assigned')),
  sum(status IN ('open', 'assigned') AND due_at < $NOW),
  sum(status IN ('resolved', 'closed')),
  sum(status = 'closed'),
  sum(status = 'cancelled'),
  CASE WHEN sum(status IN ('resolved', 'closed')) > 0 THEN printf('%.1f',
    round(100.0 * sum(status IN ('resolved', 'closed') AND resolved_at <= due_at)
      / sum(status IN ('resolved', 'closed')), 1)) END,
  sum(v_done),
  sum(v_due),
  CASE WHEN sum(v_sat) + sum(v_unsat) > 0 THEN printf('%.1f',
    round(100.0 * sum(v_sat) / (sum(v_sat) + sum(v_unsat)), 1)) END,
  sum(status = 'closed' AND outcome = 'unreachable'),
  sum(status = 'closed' AND v_done = 0),
  sum(reopened),
  sum(level = 1), sum(level = 2), sum(level = 3)
FROM c GROUP BY k1, k2 ORDER BY k1 NULLS FIRST, k2 NULLS FIRST;" >"$T/fig" &&
	sql "
SELECT $1, $2, resolved_at - opened_at FROM cases
WHERE ($3) AND status IN ('resolved', 'closed')
ORDER BY resolved_at - opened_at;" >"$T/dur"
}
merge() {
	awk -F'|' -v nk="$1" '
	function hours(s) { return sprintf("%.1f", int(s / 360 + 0.5) / 10) }
	function csv(s) {
		if (s ~ /[,"]/) { gsub(/"/, "\"\"", s); s = "\"" s "\"" }
		return s
	}
	FILENAME == ARGV[1] { k = $1 "|" $2; d[k, ++n[k]] = $3; next }
	{
		k = $1 "|" $2; c = n[k] + 0; med = p90 = ""
		if (c > 0) {
			if (c % 2) med = hours(d[k, (c + 1) / 2])
			else med = hours((d[k, c / 2] + d[k, c / 2 + 1]) / 2)
			r = int(9 * c / 10); if (r * 10 < 9 * c) r++
			p90 = hours(d[k, r])
		}
		line = ""
		for (i = 1; i <= nk; i++) line = line csv($i) ","
		for (i = 3; i <= 9; i++) line = line $i ","
		line = line med "," p90
		for (i = 10; i <= NF; i++) line = line "," $i
		print line
	}' "$T/dur" "$T/fig"
}
# fig_check NAME NKEYS K1 K2 WHERE -- CASE-REPORT-ARGS...
fig_check() {
	_name=$1
	_nk=$2
	fig "$3" "$4" "$5" || not_ok "$_name: the hand-written SQL failed"
	merge "$_nk" >"$T/want.csv"
	shift 6
	case-report --format csv --no-header "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ] && cmp -s "$T/want.csv" "$T/out" && [ -s "$T/out" ]; then
		ok "$_name"
	else
		not_ok "$_name"
		diag "expected (hand-written SQL and awk):"
		sed 's/^/#   /' "$T/want.csv"
		_show
	fi
}
MONTH="strftime('%Y-%m', opened_at, 'unixepoch', 'localtime')"
PLACE2="CASE WHEN instr(place, '/') = 0
  OR instr(substr(place, instr(place, '/') + 1), '/') = 0 THEN place
  ELSE substr(place, 1, instr(place, '/')
    + instr(substr(place, instr(place, '/') + 1), '/') - 1) END"
fig_check "the summary equals hand-written SQL" 0 NULL NULL "1 = 1" --
fig_check "a filtered summary equals hand-written SQL" 0 NULL NULL \
	"(place = 'chaoyang/qianjin' OR place LIKE 'chaoyang/qianjin/%')
	 AND opened_at >= 1772294400" -- --place chaoyang/qianjin --since 2026-03-01
fig_check "--group kind equals hand-written SQL" 1 kind NULL "1 = 1" -- --group kind
fig_check "--group lead,month equals hand-written SQL" 2 lead "$MONTH" "1 = 1" -- \
	--group lead,month
fig_check "--group place:2,priority equals hand-written SQL" 2 "$PLACE2" priority "1 = 1" -- \
	--group place:2,priority
fig_check "--group category,status equals hand-written SQL" 2 category status "1 = 1" -- \
	--group category,status
fig_check "--group source over hazards and disputes equals hand-written SQL" 1 source NULL \
	"kind IN ('hazard', 'dispute')" -- --group source --kind hazard,dispute
fig_check "--group month over overdue cases equals hand-written SQL" 1 "$MONTH" NULL \
	"status IN ('open', 'assigned') AND due_at < $NOW" -- --group month --overdue

# The text total row holds the same figures as the summary.
run case-report --group place:2,month --columns all
tail -1 "$T/out" | tr -s ' ' >"$T/total"
run case-report --format tsv --no-header
if [ "$(cat "$T/total")" = "total - $(tr '\t' ' ' <"$T/out")" ]; then
	ok "the total row of a grouped text report equals the summary"
else
	not_ok "the total row of a grouped text report equals the summary"
	diag "total row: $(cat "$T/total")" "summary: $(cat "$T/out")"
fi

# ---- bars -----------------------------------------------------------------

# Not a terminal: 80 columns.  Label, count, then a bar as long as the
# count is to the largest, in eighths of a block.
run case-report --group level --bars
expect "--bars: one bar per group, proportional, 80 columns" 0 \
"0  16  █████████████████████████████████████████████████████████████████████████
1   1  ████▌
2   2  █████████▏
3   1  ████▌" ""
cp "$T/out" "$T/bars"
pycheck "the longest bar ends at column 80 and lengths are proportional" "$T/bars" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
eighths = {"": 0, "▏": 1, "▎": 2, "▍": 3, "▌": 4, "▋": 5, "▊": 6, "▉": 7}
counts, bars = [], []
for l in lines:
    f = l.split()
    counts.append(int(f[1]))
    body = f[2] if len(f) > 2 else ""
    bars.append(body.count("█") * 8 + eighths[body.replace("█", "")])
assert max(len(l) for l in lines) == 80, [len(l) for l in lines]
room = 80 - 1 - 2 - 4
for c, b in zip(counts, bars):
    assert b == c * room * 8 // max(counts), (c, b)
EOF
run case-report --bars --kind dispute
expect "--bars without a group: the cases by where they stand" 0 \
"opened     7  ██████████████████████████████████████████████████████████████████
open       3  ████████████████████████████▎
overdue    1  █████████▍
resolved   4  █████████████████████████████████████▋
closed     3  ████████████████████████████▎
cancelled  0" ""
run case-report --group place:3,kind --bars --place chaoyang/qianjin
expect "--bars with two fields: both keys in the label" 0 \
"chaoyang/qianjin/huayu dispute   6  ████████████████████████████████████████████
chaoyang/qianjin/huayu hazard    2  ██████████████▋
chaoyang/qianjin/huayu request   2  ██████████████▋
chaoyang/qianjin/xinyuan hazard  3  ██████████████████████" ""
run case-report --group category --bars --kind request
expect "--bars pads wide labels by display width" 0 \
"-        1  █████████████████
elderly  1  █████████████████
lamp     4  ████████████████████████████████████████████████████████████████████
其他     1  █████████████████" ""
if command -v script >/dev/null 2>&1; then
	script -qec "stty cols 100; case-report --group level --bars" /dev/null \
		>"$T/tty" 2>&1
	tr -d '\r' <"$T/tty" >"$T/out"
	rc=0
	check_out "0  16  $(printf '█%.0s' $(seq 93))
1   1  █████▊
2   2  ███████████▋
3   1  █████▊" "--bars on a terminal 100 columns wide fills 100 columns"
else
	skip "script(1) is not installed"
fi

# ---- xlsx workbooks ---------------------------------------------------------

# --format xlsx writes a real workbook (issue 13, item 14): text cells for
# refs, contacts and other digit strings, numbers for numbers, dates in
# local time for times, a bold, frozen header row with an autofilter, and
# columns as wide as their text, wide characters counting two.  It is read
# back with openpyxl, and converted to CSV by LibreOffice and compared
# with --format csv.  A copy of the fixture gets a case whose ref and
# contact a spreadsheet would otherwise turn into numbers.
copydb xlsx
XLSX_DB=$(dbpath xlsx)
CASE_DB=$XLSX_DB case-open --ref 007 --kind request --category lamp \
	--contact 110101199003074512 --reporter 王五 --place chaoyang/qianjin \
	'路灯不亮，编号 0012' >/dev/null 2>&1 ||
	not_ok "a case with digit strings for the xlsx tests"
xr() { CASE_DB=$XLSX_DB case-report "$@"; }
xr --list --format xlsx --pii >"$T/list.xlsx" 2>"$T/err"
rc=$?
check_rc 0 "--list --format xlsx to a file"
xr --list --format csv --pii >"$T/list.csv"
xr --list --format xlsx --pii 2>/dev/null | cat >"$T/pipe.xlsx"
xr --group kind --format xlsx >"$T/group.xlsx"
xr --group kind --format csv >"$T/group.csv"
xr --format xlsx >"$T/summary.xlsx"
xr --format csv >"$T/summary.csv"
xr --events --format xlsx --since 2026-04-29 >"$T/events.xlsx"
xr --events --format csv --since 2026-04-29 >"$T/events.csv"
xr --list --format xlsx --search zzzz >"$T/empty.xlsx"
pychecks "xlsx read back by openpyxl" "$T" "$XLSX_DB" <<'EOF'
import csv, datetime, casedb, sys, unicodedata, zoneinfo
import openpyxl
from openpyxl.utils import get_column_letter
d, dbpath = sys.argv[1], sys.argv[2]
tz = zoneinfo.ZoneInfo("Asia/Shanghai")
def check(name, bad):
    print(("not ok " if bad else "ok ") + name)
    for b in bad[:10]:
        print(repr(b))
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
def sheet(name):
    return openpyxl.load_workbook(d + "/" + name).active

ws = sheet("list.xlsx")
rows = list(ws.iter_rows())
head = [c.value for c in rows[0]]
want_head = next(csv.reader(open(d + "/list.csv", encoding="utf-8")))
check("the header row holds the csv's column names", [] if head == want_head else [head, want_head])
check("the header is bold, frozen, and filtered over the whole table", [x for x in [
    ("bold", [c.value for c in rows[0] if not c.font.b]),
    ("freeze", ws.freeze_panes),
    ("filter", ws.auto_filter.ref),
] if x[1] not in ([], "A2", "A1:%s%d" % (get_column_letter(len(head)), len(rows)))])

db = casedb.connect(dbpath)
cases = {r["id"]: r for r in db.execute("SELECT * FROM cases")}
bad, types = [], {}
for r in rows[1:]:
    cells = dict(zip(head, r))
    case = cases[cells["id"].value]
    for k, c in cells.items():
        v = case[k]
        if v is None:
            if c.value is not None:
                bad.append((case["id"], k, "not empty", c.value))
        elif k.endswith("_at"):
            want = datetime.datetime.fromtimestamp(v, tz).replace(tzinfo=None)
            if not c.is_date or c.value != want or "yyyy-mm-dd hh:mm" not in c.number_format:
                bad.append((case["id"], k, c.value, c.number_format, want))
        elif k in ("id", "level"):
            if c.data_type != "n" or c.value != v or isinstance(c.value, bool):
                bad.append((case["id"], k, c.value, c.data_type))
        elif c.data_type != "s" or c.value != v:
            bad.append((case["id"], k, c.value, c.data_type, v))
if len(rows) != len(cases) + 1:
    bad.append(("rows", len(rows), len(cases) + 1))
check("every cell holds the database's value with its type: text, number or local date", bad)
new = [dict(zip(head, r)) for r in rows[1:] if r[0].value == 21][0]
check("refs, contacts and digit strings stay text, every digit kept", [
    (k, new[k].value, new[k].data_type) for k, v in
    (("ref", "007"), ("contact", "110101199003074512")) if new[k].value != v or new[k].data_type != "s"])
bad = []
for i, k in enumerate(head):
    cells = [r[i].value for r in rows[1:] if isinstance(r[i].value, str)]
    need = max([width(v) for v in cells] + [0])
    got = ws.column_dimensions[get_column_letter(i + 1)].width
    if need <= 80 and got < need:
        bad.append((k, got, need))
check("columns are as wide as their text, wide characters counting two", bad)
w_sum = ws.column_dimensions[get_column_letter(head.index("summary") + 1)].width
check("the summary column is wider for Chinese than its character count", [] if w_sum >= 48 else [w_sum])

pipe = sheet("pipe.xlsx")
check("a workbook written to a pipe holds the same cells",
      [] if [[c.value for c in r] for r in pipe.iter_rows()] == [[c.value for c in r] for r in rows] else ["differ"])

def numbers(name, csvname):
    ws = sheet(name)
    got = [[c.value for c in r] for r in ws.iter_rows()]
    want = list(csv.reader(open(d + "/" + csvname, encoding="utf-8")))
    bad = []
    if got[0] != want[0] or len(got) != len(want):
        bad.append(("shape", got[0], want[0], len(got), len(want)))
    for g, w in zip(got[1:], want[1:]):
        for k, gv, wv, c in zip(want[0], g, w, list(ws.iter_rows())[1].__class__ and g):
            if wv == "":
                ok = gv is None
            elif k in ("kind",):
                ok = gv == wv
            else:
                ok = isinstance(gv, (int, float)) and not isinstance(gv, bool) and abs(gv - float(wv)) < 1e-9
            if not ok:
                bad.append((k, gv, wv))
    return ws, bad
ws, bad = numbers("group.xlsx", "group.csv")
check("--group kind: keys as text, every figure a number equal to the csv's", bad)
fmts = {c.value: ws.cell(row=2, column=i + 1).number_format for i, c in enumerate(next(ws.iter_rows()))}
check("rates and hours show one decimal, counts none",
      [x for x in [("on_time_pct", fmts["on_time_pct"], "0.0"), ("median_hours", fmts["median_hours"], "0.0"),
                   ("opened", fmts["opened"], "0")] if x[1] != x[2]])
ws, bad = numbers("summary.xlsx", "summary.csv")
check("the summary: one row of every figure, as numbers", bad)
empty = [[c.value for c in r] for r in sheet("empty.xlsx").iter_rows()]
check("an empty list is a workbook with the header alone",
      [] if len(empty) == 1 and empty[0][0] == "id" else [empty])
ev = [[c.value for c in r] for r in sheet("events.xlsx").iter_rows()]
det = [r[-1] for r in ev if r[-1] and "first visit due" in r[-1]]
check("journal details in xlsx show local times, as the dates do",
      [] if det == ["Owner keeps the dog inside; first visit due 2026-05-06 10:00"] else det)
EOF

# LibreOffice Calc, headless, turns the workbooks into CSV: the same
# values as --format csv, with times in local time as the sheet shows them.
if command -v soffice >/dev/null 2>&1; then
	mkdir -p "$T/lo"
	HOME=$T/lo soffice --headless "-env:UserInstallation=file://$T/lo/profile" \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' \
		--outdir "$T/lo" "$T/list.xlsx" "$T/group.xlsx" "$T/events.xlsx" \
		>"$T/lo.out" 2>&1
	pychecks "LibreOffice's CSV of the workbooks" "$T" <<'EOF'
import csv, datetime, re, sys, zoneinfo
d = sys.argv[1]
tz = zoneinfo.ZoneInfo("Asia/Shanghai")
def local(m):
    t = datetime.datetime.strptime(m.group(0), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return t.astimezone(tz).strftime("%Y-%m-%d %H:%M")
stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
for name in ("list", "group", "events"):
    try:
        got = list(csv.reader(open("%s/lo/%s.csv" % (d, name), encoding="utf-8", newline="")))
    except OSError as e:
        print("not ok LibreOffice converts %s.xlsx: %s" % (name, e))
        continue
    want = [[stamp.sub(local, v) for v in r]
            for r in csv.reader(open("%s/%s.csv" % (d, name), encoding="utf-8", newline=""))]
    bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
    if len(got) != len(want):
        bad.append(("rows", len(got), len(want)))
    print(("not ok " if bad else "ok ") + "LibreOffice's CSV of %s.xlsx equals --format csv, times local" % name)
    for b in bad[:5]:
        print(repr(b))
EOF
else
	skip "LibreOffice (libreoffice-calc-nogui) is not installed"
fi

# libxlsxwriter, and the zip and crypto libraries under it, are loaded when
# a workbook is first written, and libpq when a server is first opened: no
# program links them, so that one writing neither does not relocate them
# at every start (they were two thirds of what one case-open did).  The
# workbooks above were written with the library loaded so.
linked=
for p in case-open case-assign case-followup case-report case-admin; do
	ldd "$(command -v "$p")" >"$T/ldd" 2>&1 ||
		not_ok "ldd $p"
	if grep -E 'libxlsxwriter|libcrypto|libpq' "$T/ldd" >/dev/null; then
		linked="$linked $p"
	fi
done
if [ -z "$linked" ]; then
	ok "no program links libxlsxwriter, libcrypto or libpq"
else
	not_ok "linked at start by:$linked"
	sed 's/^/#   /' "$T/ldd"
fi

# ---- terminals --------------------------------------------------------------

# On a terminal, text fits its width (COLUMNS, else the terminal's size)
# by cutting the summary, the last column, with "…"; wide characters
# count two columns.  A pipe or a file is never cut (issue 13, item 3).
# tty COLS ARGS...: case-report on a pseudo-terminal COLS wide, under sh
# (bash would set COLUMNS to the size stty sets).
tty() {
	_cols=$1
	shift
	SHELL=/bin/sh script -qec "stty cols $_cols; case-report $*" /dev/null \
		>"$T/tty" 2>&1
	rc=$?
	tr -d '\r' <"$T/tty" >"$T/out"
	: >"$T/err"
}
UNCUT="id  summary
 9  KTV noise at night near 华宇社区南门
11  Unpaid wages dispute
14  Dog BARKING all night
18  Construction noise after 22:00 at 华宇社区"
if command -v script >/dev/null 2>&1; then
	tty 110 --list --kind dispute
	expect "--list on a terminal 110 columns wide: summaries cut to fit" 0 \
"id  opened_at         status    level  priority  kind     lead          place                       summary
 1  2025-12-30 10:00  closed        0  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07  华宇社区3…
 2  2026-02-10 10:00  closed        0  normal    dispute  pcs-wangjing  chaoyang/wangjing/c3/g11    Square da…
 5  2026-03-10 10:00  closed        0  high      dispute  med-chaoyang  chaoyang/qianjin/huayu/g07  Neighbour…
 9  2026-04-01 00:00  assigned      3  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07  KTV noise…
11  2026-04-05 15:00  assigned      0  low       dispute  law-tianyuan  chaoyang/qianjin/huayu/g07  Unpaid wa…
14  2026-04-20 10:00  resolved      2  high      dispute  comm-huayu    chaoyang/qianjin/huayu/g08  Dog BARKI…
18  2026-04-29 14:00  assigned      0  normal    dispute  pcs-qianjin   chaoyang/qianjin/huayu/g07  Construct…" ""
	cp "$T/out" "$T/tty110"
	pycheck "no line on the terminal is wider than 110 columns" "$T/tty110" <<'EOF'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
w = [width(l) for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
if max(w) > 110 or max(w) < 109:
    sys.exit("widths: %r" % w)
EOF
	tty 200 --list --kind dispute --columns id,summary --since 2026-04-01
	expect "--list on a wide terminal: nothing cut" 0 \
"$UNCUT" ""
	COLUMNS=40 tty 200 --list --columns id,status,summary --kind dispute --since 2026-04-01
	expect "COLUMNS comes before the terminal's size" 0 \
"id  status    summary
 9  assigned  KTV noise at night near…
11  assigned  Unpaid wages dispute
14  resolved  Dog BARKING all night
18  assigned  Construction noise after…" ""
	tty 40 --list --columns summary,id --kind dispute --since 2026-04-01
	expect "the summary is cut wherever it stands" 0 \
"summary                               id
KTV noise at night near 华宇社区南门   9
Unpaid wages dispute                  11
Dog BARKING all night                 14
Construction noise after 22:00 at…    18" ""
	tty 40 --list --format csv --columns id,summary --kind dispute --since 2026-04-01
	expect "csv on a terminal is never cut" 0 \
"id,summary
9,KTV noise at night near 华宇社区南门
11,Unpaid wages dispute
14,Dog BARKING all night
18,Construction noise after 22:00 at 华宇社区" ""
	tty 100 --group kind
	expect "--group kind on a terminal 100 columns wide fits it uncut" 0 \
		"$(cat "$T/group_kind")" ""
	tty 100 --list --format xlsx
	expect "xlsx to a terminal is refused before anything is read" 2 \
"case-report: an xlsx workbook is not written to a terminal; redirect standard output to a file
$(case-report --help)" ""
else
	skip "script(1) is not installed: no terminal tests"
fi
run env COLUMNS=30 case-report --list --columns id,summary --kind dispute --since 2026-04-01
expect "COLUMNS does not cut output to a file" 0 \
"$UNCUT" ""

# ---- pipes into the other binaries ---------------------------------------

check_unchanged "no report changed the database"

copydb pipe
CASE_DB=$(dbpath pipe)
case-report --list --status open --format csv |
	case-assign --unit pcs-qianjin >"$T/out" 2>"$T/err"
rc=$?
expect "case-report --list --status open --format csv | case-assign --unit" 0 \
"13
17
20" ""
run case-report --list --columns id,status,lead --status open,assigned --unit pcs-qianjin
expect "the open cases now have pcs-qianjin as lead" 0 \
"id  status    lead
 9  assigned  pcs-qianjin
13  assigned  pcs-qianjin
17  assigned  pcs-qianjin
18  assigned  pcs-qianjin
20  assigned  pcs-qianjin" ""
case-report --list --kind hazard --status assigned |
	case-followup note -m 'checked on patrol' >"$T/out" 2>"$T/err"
rc=$?
expect "a text listing, header and padded ids, pipes into case-followup" 0 \
"16
20" ""

done_testing
