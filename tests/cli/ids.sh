#!/bin/sh
# The id protocol that every binary acting on cases shares (SPEC section 5,
# "Case ids in"): the listings of one binary piped into another.  Issue 13,
# item 1 (a CSV record's quoted fields span lines, header or not) and item
# 15 (no ids at a terminal).
. "$TESTS/cli/lib.sh"

FAILED2="1 of 2 cases failed; nothing changed (--skip-bad applies the rest)"

case-admin unit add pcs-qianjin 前进派出所 --type police \
	--place chaoyang/qianjin >/dev/null &&
	case-open -k dispute -l chaoyang/qianjin/huayu \
		-d "$(printf '楼上漏水\n3 楼住户也受影响')" 漏水纠纷 >/dev/null &&
	case-open -k request -l haidian/x other >/dev/null &&
	case-open -k request -l haidian/x other2 >/dev/null || {
	echo "Bail out! cannot open the cases"
	exit 1
}

# ---- CSV records across lines ---------------------------------------------

# Case 1's description spans two lines, the second beginning "3 ", and a
# headerless CSV listing (-H) quotes it: the second line is no record.
case-report -l -s open --place chaoyang -F csv -H >"$T/listing.csv"
run case-report -l -s open --place chaoyang -F csv -H
check_out '1,,dispute,,normal,open,0,,chaoyang/qianjin/huayu,,,2026-05-01T00:00:00Z,2026-05-08T00:00:00Z,,,"楼上漏水
3 楼住户也受影响",漏水纠纷' "the headerless listing quotes the description across two lines"
snapshot
run_in "$T/listing.csv" case-followup note -m 查看 -n
expect "headerless CSV into case-followup note -n: case 1 only" 0 "1" \
	"case-followup: dry run: 1 case would change; nothing written"
run_in "$T/listing.csv" case-report --show -F csv -H
if [ "$rc" -eq 0 ] && [ "$(cut -d, -f3 "$T/out" | sort -u)" = 1 ]; then
	ok "headerless CSV into case-report --show: case 1 only"
else
	not_ok "headerless CSV into case-report --show: case 1 only"
	_show
fi
check_unchanged "nothing written so far"

# The pipeline of the issue, as a user types it.
case-report -l -s open --place chaoyang -F csv -H |
	case-assign -u pcs-qianjin >"$T/out" 2>"$T/err"
rc=$?
expect "case-report -l -s open --place chaoyang -F csv -H | case-assign -u pcs-qianjin" \
	0 "1" ""
check_sql "only case 1 was assigned" "1|pcs-qianjin
2|
3|" "SELECT id, lead FROM cases ORDER BY id"

# Quoting that leaves no way to tell where a record ends is refused, with
# the line, and nothing is done, with or without --skip-bad.
snapshot
printf '2,"an open quote\n3\n' >"$T/ids"
run_in "$T/ids" case-assign -u pcs-qianjin
expect "an unclosed quote" 1 "" \
	"case-assign: line 1: malformed CSV: a quoted field opens here and is never closed"
run_in "$T/ids" case-assign -u pcs-qianjin --skip-bad
expect "an unclosed quote, with --skip-bad" 1 "" \
	"case-assign: line 1: malformed CSV: a quoted field opens here and is never closed"
printf 'id,summary\n2,"x"y\n3,z\n' >"$T/ids"
run_in "$T/ids" case-followup note -m x --skip-bad
expect "text after a closing quote" 1 "" \
	"case-followup: line 2: malformed CSV: text after a closing quote (expected a comma or the end of the line)"
printf '2,x\n3,a"b\n' >"$T/ids"
run_in "$T/ids" case-report --show
expect "a quote inside an unquoted field" 1 "" \
	"case-report: line 2: malformed CSV: a quote inside an unquoted field (a field with a quote is quoted whole, and its quotes doubled)"
check_unchanged "malformed CSV changes nothing"

# A quoted id, as some spreadsheets write every field; a bad id names the
# line its record began on.
printf '"id","summary"\n"2","多行\n摘要"\n"x\n3",y\n' >"$T/ids"
run_in "$T/ids" case-assign -u pcs-qianjin
expect "quoted ids" 1 "" \
	"case-assign: line 4: bad case id 'x\\x0a3' (expected a positive whole number)
case-assign: $FAILED2"
check_unchanged "a bad quoted id changes nothing"

# ---- no ids at a terminal -------------------------------------------------

# With no id operands, a command reads ids from standard input; at a
# terminal nobody pipes them in, so it says how ids are given and exits
# 2 at once instead of waiting without a word.  script(1) gives the
# command a terminal; timeout(1) turns a wait into a failure.
NO_IDS="no case ids: give them as operands, or one per line on standard input, such as a listing piped from case-report"

# at_tty CMD: run the shell command CMD with a terminal as its standard
# input; its stdout, stderr and status in $T/out, $T/err and $rc.
at_tty() {
	rm -f "$T/rc"
	timeout 20 script -qec "$1 >'$T/out' 2>'$T/err'; echo \$? >'$T/rc'" \
		/dev/null </dev/null >/dev/null 2>&1
	rc=$(cat "$T/rc" 2>/dev/null || echo timeout)
}

snapshot
for cmd in "case-assign -u pcs-qianjin" "case-assign --note x" \
	"case-followup note -m x" "case-followup resolve -m x" \
	"case-followup visit -o satisfied" "case-followup schedule --at +1d" \
	"case-followup cancel -m x" "case-report --show"; do
	at_tty "$cmd"
	check_usage_error "$cmd at a terminal, no ids: exit 2 and how ids are given" \
		"${cmd%% *}: $NO_IDS"
done
check_unchanged "no ids at a terminal changes nothing"

# Operands at a terminal are ids as ever, and a pipe is no terminal.
at_tty "case-followup note -m 看过 2"
expect "case-followup note with an id operand at a terminal" 0 "2" ""
at_tty "case-report --show -F csv -H 2"
check_rc 0 "case-report --show with an id operand at a terminal"
at_tty "echo 2 | case-followup note -m 又看过"
expect "ids piped in from a terminal's shell" 0 "2" ""

done_testing
