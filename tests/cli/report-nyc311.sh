#!/bin/sh
# case-report over a real export: 1,000 New York City 311 service requests
# imported with case-open --map.  The counts per agency, per month and per
# day must equal an independent count of the file by Python's csv module.
# Issue 5 (Tests).
DATA=${SHARED:-../shared}/data/nyc311-sample.csv
if [ ! -r "$DATA" ]; then
	echo "1..0 # SKIP ../shared/data/nyc311-sample.csv is absent"
	exit 0
fi
. "$TESTS/cli/lib.sh"

# created_date and closed_date are New York local time without an offset.
export TZ=America/New_York
export CASE_NOW=2024-06-01T00:00:00

# Python, resolved once: a version manager's shim may take seconds a call.
PY=$(python3 -c 'import sys; print(sys.executable)')

# One unit per agency: code = agency, name = agency_name, from the file.
"$PY" - "$DATA" >"$T/units.csv" <<'EOF'
import csv, sys
names = {}
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    names.setdefault(r["agency"], r["agency_name"])
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["code", "name", "type"])
for code in sorted(names):
    w.writerow([code, names[code], "department"])
EOF

run case-admin init
check_rc 0 "case-admin init"
run case-admin unit import "$T/units.csv"
check_rc 0 "case-admin unit import: one unit per agency"

MAP=ref=unique_key,opened_at=created_date,category=complaint_type,summary=descriptor,address=incident_address,closed_at=closed_date,status=,lead=agency,source=open_data_channel_type,place=borough
run case-open --kind request -f "$DATA" --map "$MAP"
check_rc 0 "case-open --map imports the 311 export"
if [ "$(wc -l <"$T/out")" -eq 1000 ]; then ok "one id per row"; else
	not_ok "one id per row (got $(wc -l <"$T/out"))"
fi

# The independent counts, written as case-report's csv would be: sorted by
# key, key and count.  NYC's created_date is already local time.
"$PY" - "$DATA" "$T" <<'EOF'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
def write(name, counter):
    with open(sys.argv[2] + "/" + name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for k in sorted(counter):
            w.writerow(list(k) + [counter[k]])
write("want.lead", collections.Counter((r["agency"],) for r in rows))
write("want.month", collections.Counter((r["created_date"][:7],) for r in rows))
write("want.day", collections.Counter((r["created_date"][:10],) for r in rows))
write("want.lead,month", collections.Counter((r["agency"], r["created_date"][:7]) for r in rows))
write("want.category", collections.Counter((r["complaint_type"],) for r in rows))
write("want.closed", collections.Counter((r["agency"],) for r in rows if r["closed_date"]))
EOF

# group KEYS NKEYS: case-report --group KEYS in csv, the keys and opened
# count, against the independent count.
group() {
	run case-report --group "$1" --format csv --no-header
	check_rc 0 "case-report --group $1 --format csv"
	"$PY" - "$T/out" "$2" 1 >"$T/got" <<'EOF'
import csv, sys
nk, col = int(sys.argv[2]), int(sys.argv[3])
w = csv.writer(sys.stdout, lineterminator="\n")
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    w.writerow(r[:nk] + [r[nk + col - 1]])
EOF
	if [ -s "$T/got" ] && cmp -s "$T/want.$1" "$T/got"; then
		ok "--group $1: opened counts equal Python's count of the file"
	else
		not_ok "--group $1: opened counts equal Python's count of the file"
		diff "$T/want.$1" "$T/got" | sed 's/^/#   /'
	fi
}
group lead 1
group month 1
group day 1
group lead,month 2
group category 1

# Closed requests per agency: the closed figure, the fifth of the figures.
run case-report --group lead --format csv --no-header
"$PY" - "$T/out" >"$T/got" <<'EOF'
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    if int(r[5]) > 0:
        w.writerow([r[0], r[5]])
EOF
if cmp -s "$T/want.closed" "$T/got"; then
	ok "--group lead: closed counts equal the rows with a closed_date"
else
	not_ok "--group lead: closed counts equal the rows with a closed_date"
	diff "$T/want.closed" "$T/got" | sed 's/^/#   /'
fi

# The two-field report in text: agencies, then the month, then a total.
run case-report --group lead,month
check_rc 0 "case-report --group lead,month"
tail -1 "$T/out" | awk '{ print $1, $2, $3 }' >"$T/got"
awk -F, '{ n += $NF } END { print "total -", n }' "$T/want.lead" >"$T/want"
if cmp -s "$T/want" "$T/got"; then
	ok "the text report ends with a total row of every request"
else
	not_ok "the text report ends with a total row of every request"
	diag "got: $(cat "$T/got")" "want: $(cat "$T/want")"
fi
awk 'NR > 1 { print $1 "," $2 "," $3 }' "$T/out" | sed '$d' >"$T/got"
if cmp -s "$T/want.lead,month" "$T/got"; then
	ok "--group lead,month in text: one row per agency and month, sorted"
else
	not_ok "--group lead,month in text: one row per agency and month, sorted"
	diff "$T/want.lead,month" "$T/got" | sed 's/^/#   /'
fi

done_testing
