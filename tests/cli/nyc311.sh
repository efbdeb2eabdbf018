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

done_testing
