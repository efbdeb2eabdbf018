#!/bin/sh
# Issue 18: history brought across honestly.  The return visits an import
# can carry, --recode, coordinates (case-open --lat/--lon and columns),
# the personal-data rule for them, GeoJSON and Open311's lat and long, and
# the hostile inputs, each a clear error that changes nothing.
. "$TESTS/cli/lib.sh"

case-admin -q unit add pcs-qianjin 前进派出所 --type police
case-admin -q unit add pcs-wangjing 前进派出所 --type police
case-admin -q unit add med-qianjin 前进调解室 --type judicial

# refused NAME RC ERR CMD...: CMD exits RC with stderr ERR (for exit 2,
# its first line, then the usage), prints nothing, and changes nothing.
refused() {
	_rf_n=$1
	_rf_rc=$2
	_rf_err=$3
	shift 3
	snapshot
	run "$@"
	check_rc "$_rf_rc" "$_rf_n: exit $_rf_rc"
	check_no_out "$_rf_n: nothing on stdout"
	if [ "$_rf_rc" = 2 ]; then
		if [ "$(head -1 "$T/err")" = "$_rf_err" ] &&
			grep -q '^usage: ' "$T/err"; then
			ok "$_rf_n: the message and the usage"
		else
			not_ok "$_rf_n: the message and the usage"
			_show
		fi
	else
		check_err "$_rf_err" "$_rf_n: the message"
	fi
	check_unchanged "$_rf_n: nothing is written"
}

# ---- return visits on record ------------------------------------------------

cat >"$T/visits.csv" <<'EOF'
ref,summary,kind,status,lead,opened_at,resolved_at,closed_at,visited_at,visit_outcome,visit_method
V1,回访满意,request,closed,pcs-qianjin,2026-04-01,2026-04-02,2026-04-05,2026-04-04,satisfied,phone
V2,回访未接通,request,closed,pcs-qianjin,2026-04-01,2026-04-02,2026-04-05,2026-04-04,unreachable,
V3,回访不满意,request,assigned,pcs-qianjin,2026-04-01,2026-04-02,,2026-04-04,unsatisfied,visit
V4,没有回访,request,closed,pcs-qianjin,2026-04-01,2026-04-02,2026-04-05,,,
EOF
run case-open -q -f "$T/visits.csv"
expect "an import with the visits on record" 0 "1
2
3
4" ""
run case-report -l -F csv -c ref,status,outcome,reopened
expect "satisfied and unreachable visits close; unsatisfied reopens; none is unknown" 0 \
	"ref,status,outcome,reopened
V1,closed,satisfied,0
V2,closed,unreachable,0
V3,assigned,,1
V4,closed,unknown,0" ""
check_sql "the visits are the ones on record, none made up" \
	"V1|1775232000|phone|satisfied
V2|1775232000|other|unreachable
V3|1775232000|visit|unsatisfied" \
	"SELECT c.ref, v.done_at, v.method, v.outcome FROM visits v JOIN cases c ON c.id = v.case_id ORDER BY v.id"
run case-report -F csv -c closed,visits_done,satisfied_pct,closed_unreachable,closed_unvisited
expect "satisfaction counts the visits that happened; closed without one is unvisited" 0 \
	"closed,visits_done,satisfied_pct,closed_unreachable,closed_unvisited
3,3,50.0,1,1" ""
# case-admin check on a server needs the branch pgtests (its iif).
if [ "$BACKEND" = pg ]; then
	skip "check finds nothing in the imported history (on a server: branch pgtests)"
else
	run case-admin check
	expect "check finds nothing in the imported history" 0 "" ""
fi

refused "a visit's method without its outcome" 1 \
	"case-open: $T/bad.csv:2: visit_method is given without visit_outcome
case-open: $T/bad.csv: 1 bad row; nothing imported (--skip-bad imports the good ones)" \
	sh -c 'printf "summary,kind,status,lead,resolved_at,closed_at,visit_method\n甲,request,closed,pcs-qianjin,2026-04-02,2026-04-05,phone\n" >"$1"; case-open -f "$1"' sh "$T/bad.csv"

# ---- --recode --------------------------------------------------------------

cat >"$T/old.csv" <<'EOF'
ref,summary,kind,status,lead,priority,opened_at,closed_at
R1,旧系统一,Request,In Progress,前进调解室,P1,2026-04-10,
R2,旧系统二,REQUEST,Closed,PCS-QIANJIN,P3,2026-04-10,2026-04-20
R3,旧系统三,request,Open,,P1,2026-04-10,
EOF
run case-open -f "$T/old.csv" --recode 'status:In Progress=assigned' \
	--recode priority:P1=urgent --recode priority:P3=low
expect "recodes, words in any case, a lead by its code in any case or by its name" 0 "5
6
7" ""
check_sql "the recoded rows" "R1|request|assigned|urgent|med-qianjin|
R2|request|closed|low|pcs-qianjin|unknown
R3|request|open|urgent||" \
	"SELECT ref, kind, status, priority, coalesce(lead, ''), coalesce(outcome, '') FROM cases WHERE ref LIKE 'R%' ORDER BY id"

printf 'summary,kind,status\n甲,request,Pending\n乙,request,Pending\n丙,request,Waiting\n' >"$T/unknown.csv"
refused "values that match nothing: each row, then a summary per value" 1 \
	"case-open: $T/unknown.csv:2: unknown status 'Pending' (expected open, assigned, resolved, closed or cancelled; or translate it with --recode 'status:Pending=...')
case-open: $T/unknown.csv:3: unknown status 'Pending' (expected open, assigned, resolved, closed or cancelled; or translate it with --recode 'status:Pending=...')
case-open: $T/unknown.csv:4: unknown status 'Waiting' (expected open, assigned, resolved, closed or cancelled; or translate it with --recode 'status:Waiting=...')
case-open: $T/unknown.csv: 2 rows have status 'Pending', which matches nothing (translate it with --recode 'status:Pending=...')
case-open: $T/unknown.csv: 1 row has status 'Waiting', which matches nothing (translate it with --recode 'status:Waiting=...')
case-open: $T/unknown.csv: 3 bad rows; nothing imported (--skip-bad imports the good ones)" \
	case-open -f "$T/unknown.csv"
refused "a recode of an unknown field" 2 \
	"case-open: --recode 'colour:red=blue': cannot translate the values of 'colour' (expected kind, priority, status, source, lead, visit_outcome or visit_method)" \
	case-open -f "$T/old.csv" --recode colour:red=blue
refused "a recode to an unknown value" 2 \
	"case-open: --recode 'status:In Progress=doing': unknown status 'doing' (expected open, assigned, resolved, closed or cancelled)" \
	case-open -f "$T/old.csv" --recode 'status:In Progress=doing'
refused "a recode without =" 2 \
	"case-open: --recode: 'status:Closed' is not FIELD:FROM=TO (such as 'status:In Progress=assigned')" \
	case-open -f "$T/old.csv" --recode status:Closed
printf 'summary,kind,lead\n甲,request,前进派出所\n' >"$T/twice.csv"
refused "a lead name that two units share" 1 \
	"case-open: $T/twice.csv:2: lead '前进派出所' names 2 units, pcs-qianjin and pcs-wangjing; give one's code, or translate it with --recode 'lead:前进派出所=CODE'
case-open: $T/twice.csv: 1 row has lead '前进派出所', which names several units (translate it with --recode 'lead:前进派出所=CODE')
case-open: $T/twice.csv: 1 bad row; nothing imported (--skip-bad imports the good ones)" \
	case-open -f "$T/twice.csv"
run case-open -q -f "$T/twice.csv" --recode 'lead:前进派出所=pcs-wangjing'
expect "the same name, recoded to one unit's code" 0 8 ""

# ---- coordinates -----------------------------------------------------------

for v in 91 NaN 1e999 12,5 inf -90.0000001; do
	case $v in
	91 | -90.0000001) why="is out of range (expected -90 to 90 degrees)" ;;
	*) why="is not a decimal number of degrees (such as 40.7128 or -73.9352)" ;;
	esac
	refused "--lat $v" 2 "case-open: --lat: '$v' $why" \
		case-open -k request --lat "$v" --lon 121.47 有坐标
	printf 'summary,kind,lat,lon\n甲,request,"%s",121.47\n' "$v" >"$T/coord.csv"
	refused "a lat column of $v" 1 "case-open: $T/coord.csv:2: lat: '$v' $why
case-open: $T/coord.csv: 1 bad row; nothing imported (--skip-bad imports the good ones)" \
		case-open -f "$T/coord.csv"
done
refused "--lon 180.5" 2 \
	"case-open: --lon: '180.5' is out of range (expected -180 to 180 degrees)" \
	case-open -k request --lat 31.23 --lon 180.5 有坐标
refused "--lat without --lon" 2 "case-open: --lat is given without --lon" \
	case-open -k request --lat 31.23 有坐标
printf 'summary,kind,lat,lon\n甲,request,31.23,\n乙,request,,121.47\n' >"$T/half.csv"
refused "one coordinate without the other, in a file" 1 \
	"case-open: $T/half.csv:2: lat is given without lon
case-open: $T/half.csv:3: lon is given without lat
case-open: $T/half.csv: 2 bad rows; nothing imported (--skip-bad imports the good ones)" \
	case-open -f "$T/half.csv"

run case-open -k request -l qianjin/g07 --lat 39.9042 --lon 116.4074 灯坏了
expect "a case with coordinates" 0 9 ""
run case-open -k hazard --lat -33.86885 --lon -151.20935 井盖缺失
expect "another, in the south and west" 0 10 ""
printf 'summary,kind,latitude,longitude\n下水道,hazard,+31.50,121.000\n' >"$T/map.csv"
run case-open -q -f "$T/map.csv" --map lat=latitude,lon=longitude
expect "coordinates from a file's own columns, with --map" 0 11 ""
check_sql "the coordinates as checked, spelled as given" \
	"9|39.9042|116.4074
10|-33.86885|-151.20935
11|31.50|121.000" \
	"SELECT id, lat, lon FROM cases WHERE lat IS NOT NULL ORDER BY id"

# Personal data: only with --pii, but for --coarse on a map.
refused "a list's lat without --pii" 2 \
	"case-report: --columns: lat is personal data; add --pii to show it" \
	case-report -l -c id,lat
run case-report -l -F open311 -c id
python3 -c 'import json, sys
for r in json.load(open(sys.argv[1])):
    assert r["lat"] is None and r["long"] is None, r' "$T/out" &&
	ok "Open311 without --pii: lat and long are null" ||
	not_ok "Open311 without --pii: lat and long are null"
accesses() { sql "SELECT count(*) FROM events WHERE action = 'access'"; }
n_access=$(accesses)
run case-report -l -F open311 --pii
python3 -c 'import json, sys
got = {r["service_request_id"]: [r["lat"], r["long"]] for r in json.load(open(sys.argv[1]))}
assert got["9"] == [39.9042, 116.4074], got["9"]
assert got["10"] == [-33.86885, -151.20935], got["10"]
assert got["8"] == [None, None], got["8"]' "$T/out" &&
	ok "Open311 with --pii: lat and long as GeoReport v2 names them" ||
	not_ok "Open311 with --pii: lat and long as GeoReport v2 names them"
# Reading them is journaled, as a --pii list's is: an access event for
# each listed case that has personal data, 9 and 10 among them.
if [ "$(accesses)" -gt "$n_access" ] &&
	[ "$(sql "SELECT count(*) FROM events WHERE action = 'access' AND case_id IN (9, 10) AND detail LIKE '%case-report --list --pii%'")" -ge 2 ]; then
	ok "Open311 with --pii journals the reading of the coordinates"
else
	not_ok "Open311 with --pii journals the reading of the coordinates"
fi
n_access=$(accesses)
run case-report -l -F open311 -c id
if [ "$(accesses)" = "$n_access" ]; then
	ok "Open311 without --pii journals nothing"
else
	not_ok "Open311 without --pii journals nothing"
fi
refused "a map without --pii or --coarse" 2 \
	"case-report: --format geojson shows where residents are: add --pii for exact coordinates, or --coarse for ones rounded to about 100 m" \
	case-report -l -F geojson
refused "--coarse without geojson" 2 \
	"case-report: --coarse goes with --format geojson" \
	case-report -l --coarse
refused "geojson without --list" 2 \
	"case-report: --format geojson goes with --list" \
	case-report -F geojson --pii

run case-report -l -F geojson --coarse -c id,summary
expect "--coarse: three decimals, longitude first, the others counted" 0 \
	'{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[116.407,39.904]},"properties":{"id":9,"summary":"灯坏了"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[-151.209,-33.869]},"properties":{"id":10,"summary":"井盖缺失"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[121.000,31.500]},"properties":{"id":11,"summary":"下水道"}}
]}' "case-report: 8 cases without coordinates are left out of the map"

run case-report -l -F geojson --pii -c id,status,lead
check_rc 0 "the exact map"
python3 - "$T/out" >"$T/geo.check" 2>&1 <<'PYTHON'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["type"] == "FeatureCollection"
assert [f["type"] for f in doc["features"]] == ["Feature"] * 3
assert all(f["geometry"]["type"] == "Point" for f in doc["features"])
got = {f["properties"]["id"]: f["geometry"]["coordinates"]
       for f in doc["features"]}
assert got == {9: [116.4074, 39.9042], 10: [-151.20935, -33.86885],
               11: [121.0, 31.5]}, got
assert doc["features"][0]["properties"] == {"id": 9, "status": "open",
                                            "lead": None}
print("ok")
PYTHON
[ "$(cat "$T/geo.check")" = ok ] &&
	ok "GeoJSON parses: one Point per located case, longitude first, the same numbers, the listed columns" ||
	{ not_ok "GeoJSON parses: one Point per located case, longitude first, the same numbers, the listed columns"; sed 's/^/#   /' "$T/geo.check"; }
run case-report -l -F geojson --pii -c id -s cancelled
expect "an empty map is still a FeatureCollection" 0 \
	'{"type":"FeatureCollection","features":[]}' ""

done_testing
