#!/bin/sh
# The environment (issue 13, item 12).  A misspelt TZ, which glibc would
# silently read as UTC, is named on stderr once, so that cron mails it;
# CASE_FORMAT is a default that yields to an option implying text, while
# an explicit --format that contradicts one stays a usage error.
. "$TESTS/cli/lib.sh"

case-admin unit add pcs-qianjin 前进派出所 --type police --place chaoyang/qianjin
case-open -k dispute -c 噪音 -l chaoyang/qianjin/huayu 楼下烧烤摊噪音 >/dev/null
case-open -k hazard -c 燃气 -l chaoyang/qianjin/huayu 楼道煤气味 >/dev/null
case-open -k request -c 路灯 -l chaoyang/qianjin 路灯不亮 >/dev/null

# ---- TZ -------------------------------------------------------------------------

unknown() { echo "$1: TZ: unknown time zone '$2'; times are in UTC"; }

# Opened at 2026-05-01T00:00:00Z: 08:00 in Shanghai, 00:00 in UTC.
run env TZ=Asia/ShangHai case-report -l -c id,opened_at -k dispute
expect "TZ=Asia/ShangHai: named once, and the times are UTC" 0 \
	"id  opened_at
 1  2026-05-01 00:00" "$(unknown case-report Asia/ShangHai)"

run env TZ=Asia/ShangHai case-open -q -k request 电梯停运
expect "TZ=Asia/ShangHai: case-open warns and still opens the case" 0 "4" \
	"$(unknown case-open Asia/ShangHai)"
run env TZ=Asia/ShangHai case-assign -q --escalate
expect "TZ=Asia/ShangHai: -q does not hide it from a cron job" 0 "" \
	"$(unknown case-assign Asia/ShangHai)"
run env TZ=Asia/ShangHai case-followup due
expect "TZ=Asia/ShangHai: case-followup warns too" 0 "" \
	"$(unknown case-followup Asia/ShangHai)"
run env TZ=Asia/ShangHai case-admin unit list -F csv -H
expect "TZ=Asia/ShangHai: case-admin warns too" 0 \
	"pcs-qianjin,前进派出所,police,,chaoyang/qianjin,," \
	"$(unknown case-admin Asia/ShangHai)"

# A folder of zones is no zone; neither is a path to nothing.
run env TZ=Asia case-report -l -c id -k dispute
expect "TZ=Asia, a folder" 0 "id
 1" "$(unknown case-report Asia)"
run env TZ=/nonexistent/zone case-report -l -c id -k dispute
expect "TZ=/nonexistent/zone" 0 "id
 1" "$(unknown case-report /nonexistent/zone)"
# TZDIR moves the zones; glibc looks only there, and so does the check.
mkdir "$T/zones"
run env TZDIR="$T/zones" case-report -l -c id,opened_at -k dispute
expect "TZDIR without the zone" 0 "id  opened_at
 1  2026-05-01 00:00" "$(unknown case-report Asia/Shanghai)"
cp /usr/share/zoneinfo/Asia/Shanghai "$T/zones/Here"
run env TZDIR="$T/zones" TZ=Here case-report -l -c id,opened_at -k dispute
expect "TZDIR with the zone" 0 "id  opened_at
 1  2026-05-01 08:00" ""
# Days are counted in that zone too (on a server, by the server, which
# cannot read the file: it is given the zone's rule).  00:00 UTC is the
# evening before in New York.
cp /usr/share/zoneinfo/America/New_York "$T/zones/There"
run env TZDIR="$T/zones" TZ=There case-report --group day -k dispute -F csv -H
expect "TZDIR with the zone: days in that zone" 0 \
	"2026-04-30,1,1,0,0,0,0,,,,0,0,,0,0,0,0,0,0" ""
# Quoted for a message: a control character does not reach the terminal.
run env TZ="$(printf 'Asia/Sh\033[2Jai')" case-report -l -c id -k dispute
expect "a TZ with a control character is quoted" 0 "id
 1" "$(unknown case-report 'Asia/Sh\x1b[2Jai')"

# Zones that exist, POSIX rules and UTC by name are all quiet.
for tz in Asia/Shanghai :Asia/Shanghai CST-8 '<+08>-8' \
	'CST-8CDT,M10.1.0,M11.1.0' /usr/share/zoneinfo/Asia/Shanghai; do
	run env TZ="$tz" case-report -l -c id,opened_at -k dispute
	expect "TZ=$tz: no warning" 0 "id  opened_at
 1  2026-05-01 08:00" ""
done
for tz in UTC :UTC GMT '' ':'; do
	run env TZ="$tz" case-report -l -c id -k dispute
	expect "TZ='$tz': no warning" 0 "id
 1" ""
done
run env -u TZ case-report -l -c id -k dispute
expect "TZ unset: the system's zone, no warning" 0 "id
 1" ""

# ---- CASE_FORMAT and options that imply text ------------------------------------

run case-report --group kind --bars
cp "$T/out" "$T/bars"
check_rc 0 "--bars draws"
run env CASE_FORMAT=csv case-report --group kind --bars
check_rc 0 "CASE_FORMAT=csv --bars: exit 0"
if cmp -s "$T/bars" "$T/out"; then ok "CASE_FORMAT=csv --bars: the same bars"; else
	not_ok "CASE_FORMAT=csv --bars: the same bars"
	_show
fi
run env CASE_FORMAT=json case-report --bars
check_rc 0 "CASE_FORMAT=json --bars without a group: exit 0"
grep -q '^opened  *[0-9][0-9]*  █' "$T/out" && ok "CASE_FORMAT=json --bars: bars, not JSON" ||
	{ not_ok "CASE_FORMAT=json --bars: bars, not JSON"; _show; }
run env CASE_FORMAT=csv case-report --group kind --bars --format text
expect "CASE_FORMAT=csv --bars --format text" 0 "$(cat "$T/bars")" ""
usage_error "--format csv --bars is still an error" \
	"case-report: --bars draws in text only" \
	case-report --group kind --bars --format csv
usage_error "CASE_FORMAT=text --format tsv --bars is still an error" \
	"case-report: --bars draws in text only" \
	env CASE_FORMAT=text case-report --bars --format tsv
# The format still applies where nothing implies text.
run env CASE_FORMAT=csv case-report --group kind -H
check_out "dispute,1,1,0,0,0,0,,,,0,0,,0,0,0,0,0,0
hazard,1,1,0,0,0,0,,,,0,0,,0,0,0,0,0,0
request,2,2,0,0,0,0,,,,0,0,,0,0,0,0,0,0" "CASE_FORMAT=csv without --bars: CSV"
done_testing
