#!/bin/sh
# A real export from another system: 1,000 New York City 311 service
# requests (../shared/data/nyc311-sample.csv), imported with --map.  The
# counts are checked against an independent reading of the same file by
# Python's csv module.
. "$TESTS/cli/lib.sh"

DATA="${SHARED:-}/data/nyc311-sample.csv"
if [ -z "${SHARED:-}" ] || [ ! -f "$DATA" ]; then
	echo "1..0 # SKIP ../shared/data/nyc311-sample.csv is absent"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is needed to read the file independently"
	exit 0
fi

# The timestamps have no offset: they are New York local time.
export TZ=America/New_York

MAP="ref=unique_key,opened_at=created_date,category=complaint_type"
MAP="$MAP,summary=descriptor,address=incident_address,closed_at=closed_date"
MAP="$MAP,status=,lead=agency,source=open_data_channel_type,place=borough"

# The independent reading, in one run of Python's csv module, into $T/py.*:
# the number of records; a unit file with one unit per agency; per column,
# "value|count" lines sorted by value as SQLite sorts text; and what the
# import must make of closed_date and created_date.
python3 - "$DATA" "$T/py" <<'PYTHON'
import csv, sys
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

path, out = sys.argv[1], sys.argv[2]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))


def write(name, lines):
    with open(f"{out}.{name}", "w", encoding="utf-8") as f:
        for line in lines:
            print(line, file=f)


def counts(values):
    c = Counter(values)
    return [f"{k}|{c[k]}" for k in sorted(c)]


names = {}
for r in rows:
    names.setdefault(r["agency"], r["agency_name"])
with open(f"{out}.units", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "name", "type"])
    for code in sorted(names):
        w.writerow([code, names[code], "department"])
write("agency", counts(r["agency"] for r in rows))
write("complaint_type", counts(r["complaint_type"] for r in rows))
write("borough", counts(r["borough"] for r in rows))
write("status", counts("closed" if r["closed_date"] else "assigned"
                       for r in rows))
ny = ZoneInfo("America/New_York")
write("opened", [
    "%s|%d" % (r["unique_key"], datetime.fromisoformat(r["created_date"])
               .replace(tzinfo=ny).timestamp())
    for r in sorted(rows, key=lambda r: r["unique_key"])])
write("rows", [len(rows)])

# For the import with --recode and coordinates (issue 18): the agencies as
# units with lower-case codes, which the upper-case agency column must
# find; the statuses the four recodes make (an open case with a lead unit
# is assigned, and every record has an agency); each record's
# coordinates, as the file spells them.
with open(f"{out}.lunits", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "name", "type"])
    for code in sorted(names):
        w.writerow([code.lower(), names[code], "department"])
write("lagency", counts(r["agency"].lower() for r in rows))
recode = {"Open": "open", "In Progress": "assigned", "Assigned": "assigned",
          "Closed": "closed"}
status = [recode[r["status"]] for r in rows]
status = ["assigned" if s == "open" and r["agency"] else s
          for s, r in zip(status, rows)]
write("status4", counts(status))
write("closed4", [status.count("closed")])
write("file_status", counts(r["status"] for r in rows))
located = sorted((r for r in rows if r["latitude"]),
                 key=lambda r: r["unique_key"])
write("coords", ["%s|%s|%s" % (r["unique_key"], r["latitude"],
                               r["longitude"]) for r in located])
write("located", [len(located)])
PYTHON
if [ ! -s "$T/py.rows" ]; then
	echo "1..0 # SKIP python3 could not read the file"
	exit 0
fi

# Compare a query's rows with the independent count in $T/py.NAME.
same_as_python() {
	_name=$1
	_file=$2
	sql "$3" >"$T/got"
	if cmp -s "$T/py.$_file" "$T/got"; then ok "$_name"; else
		not_ok "$_name"
		diff "$T/py.$_file" "$T/got" | head -20 | sed 's/^/#   /'
	fi
}

case-admin -q init
run case-admin unit import "$T/py.units"
check_rc 0 "one unit per agency"
nunits=$(($(wc -l <"$T/py.units") - 1))
check_err "case-admin: $T/py.units: $nunits units imported" \
	"the units are imported ($nunits agencies)"

rows=$(cat "$T/py.rows")
run case-open -f "$DATA" -k request --map "$MAP"
check_rc 0 "the 311 export imports"
cp "$T/out" "$T/ids1"
[ "$(wc -l <"$T/ids1")" -eq "$rows" ] && ok "one id per record ($rows)" ||
	not_ok "one id per record (expected $rows, got $(wc -l <"$T/ids1"))"
[ "$(grep -c 'ignoring' "$T/err")" -eq 1 ] &&
	ok "the unmapped columns are named once" ||
	not_ok "the unmapped columns are named once"
check_err_has "case-open: $DATA: ignoring 38 columns: agency_name, incident_zip," \
	"the message names the unmapped columns"

[ "$(sql "SELECT count(*) FROM cases")" = "$rows" ] &&
	ok "the number of cases equals the number of records" ||
	not_ok "the number of cases equals the number of records ($(sql "SELECT count(*) FROM cases") vs $rows)"
same_as_python "the count per agency" agency \
	"SELECT lead, count(*) FROM cases GROUP BY lead ORDER BY lead"
same_as_python "the count per complaint type" complaint_type \
	"SELECT coalesce(category, ''), count(*) FROM cases GROUP BY 1 ORDER BY 1"
same_as_python "the count per borough" borough \
	"SELECT coalesce(place, ''), count(*) FROM cases GROUP BY 1 ORDER BY 1"
same_as_python "a closed_date closes the case; the others are assigned" status \
	"SELECT status, count(*) FROM cases GROUP BY status ORDER BY status"
same_as_python "every created_date is read as New York time" opened \
	"SELECT ref, opened_at FROM cases ORDER BY ref"

run case-admin check
check_rc 0 "the imported history passes check"
check_no_out "check finds nothing"

# Importing the same file again adds nothing and prints the same ids.
snapshot
run case-open -q -f "$DATA" -k request --map "$MAP"
check_rc 0 "a second import"
cmp -s "$T/ids1" "$T/out" && ok "a second import prints the same ids" ||
	not_ok "a second import prints the same ids"
check_unchanged "a second import adds nothing"

# ---- the status, with --recode, and the coordinates (issue 18) ------------

# The file's statuses are Open, In Progress, Assigned and Closed: the four
# recodes must cover every one of them, or the test is not what it says.
if [ "$(cut -d'|' -f1 "$T/py.file_status" | tr '\n' ,)" = "Assigned,Closed,In Progress,Open," ]; then
	ok "the file has the four statuses the recodes translate"
else
	not_ok "the file has the four statuses the recodes translate ($(tr '\n' , <"$T/py.file_status"))"
fi
newdb nyc2
case-admin -q init
run case-admin -q unit import "$T/py.lunits"
check_rc 0 "the agencies, with lower-case codes"
MAP4="ref=unique_key,opened_at=created_date,category=complaint_type"
MAP4="$MAP4,summary=descriptor,closed_at=closed_date,status=status"
MAP4="$MAP4,lead=agency,lat=latitude,lon=longitude"
run case-open -f "$DATA" -k request --map "$MAP4" \
	--recode status:Open=open --recode 'status:In Progress=assigned' \
	--recode status:Assigned=assigned --recode status:Closed=closed
check_rc 0 "the export imports with its status recoded and its coordinates"
[ "$(wc -l <"$T/out")" -eq "$rows" ] && ok "every record is imported ($rows)" ||
	not_ok "every record is imported (expected $rows, got $(wc -l <"$T/out"))"
same_as_python "the count per status, after the recodes" status4 \
	"SELECT status, count(*) FROM cases GROUP BY status ORDER BY status"
same_as_python "the count per agency, found by its code in any case" lagency \
	"SELECT lead, count(*) FROM cases GROUP BY lead ORDER BY lead"
same_as_python "every record's coordinates, as the file spells them" coords \
	"SELECT ref, lat, lon FROM cases WHERE lat IS NOT NULL ORDER BY ref"
closed=$(cat "$T/py.closed4")
run case-report -F csv -c closed,visits_done,satisfied_pct,closed_unvisited
check_out "closed,visits_done,satisfied_pct,closed_unvisited
$closed,0,,$closed" "no visit is made up: closed_unvisited is the closed count"
run case-report -c satisfied_pct
check_out "figure         value
satisfied_pct      -" "satisfied_pct shows - since no visit happened"
run case-report -l -F geojson --pii -c ref
check_rc 0 "the map of the import"
located=$(cat "$T/py.located")
check_err "case-report: $((rows - located)) cases without coordinates are left out of the map" \
	"the cases without coordinates are counted on stderr"
python3 - "$T/out" "$T/py.coords" >"$T/geo.check" 2>&1 <<'PYTHON'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
want = {}
for line in open(sys.argv[2], encoding="utf-8"):
    ref, lat, lon = line.rstrip("\n").split("|")
    want[ref] = [float(lon), float(lat)]
got = {f["properties"]["ref"]: f["geometry"]["coordinates"]
       for f in doc["features"]}
assert doc["type"] == "FeatureCollection"
assert len(doc["features"]) == len(want), (len(doc["features"]), len(want))
assert got == want, "coordinates differ"
print("ok")
PYTHON
[ "$(cat "$T/geo.check")" = ok ] &&
	ok "one feature per located record, longitude first, the same numbers" ||
	{ not_ok "one feature per located record, longitude first, the same numbers"; sed 's/^/#   /' "$T/geo.check"; }

done_testing
