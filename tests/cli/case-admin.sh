#!/bin/sh
# CLI tests for case-admin: argument errors first, then each command with
# its exact output, bad input that must change nothing, a read-only
# database, and a backup taken while another process writes.
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"

# A failure that must change nothing: exit RC, stderr exactly ERR (for a
# usage error, exit 2, ERR and then the usage), no stdout, the database
# as it was.
fails() {
	_name=$1
	_rc=$2
	_msg=$3
	shift 3
	snapshot
	run "$@"
	if [ "$_rc" -eq 2 ]; then
		sed -n 1p "$T/err" >"$T/err1"
		sed -n 2p "$T/err" | grep -q "^usage: case-admin" ||
			echo "no usage" >>"$T/err1"
	else
		cp "$T/err" "$T/err1"
	fi
	if [ "$rc" -eq "$_rc" ] && [ ! -s "$T/out" ] &&
		printf '%s\n' "$_msg" | cmp -s - "$T/err1"; then
		ok "$_name"
	else
		not_ok "$_name (expected exit $_rc and stderr: $_msg)"
		_show
	fi
	check_unchanged "$_name: the database is unchanged"
}

# Success with the exact stdout given and nothing on stderr.
succeeds() {
	_name=$1
	_want=$2
	shift 2
	run "$@"
	if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] &&
		printf '%s\n' "$_want" | cmp -s - "$T/out"; then
		ok "$_name"
	else
		not_ok "$_name"
		diag "expected stdout:"
		printf '%s\n' "$_want" | sed 's/^/#   /'
		_show
	fi
}

# The same, for commands that print nothing at all.
quiet_ok() {
	_name=$1
	shift
	run "$@"
	if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then
		ok "$_name"
	else
		not_ok "$_name (expected exit 0 and no output)"
		_show
	fi
}

# A query that waits for writers, for use while another process writes.
sqlw() {
	sqlite3 -batch -noheader -cmd ".timeout 10000" "$CASE_DB" "$@"
}

mode() {
	stat -c %a "$1"
}

# ---- argument errors ----------------------------------------------------

usage_error "no command" \
	"case-admin: a command is missing" case-admin
usage_error "no command, options only" \
	"case-admin: a command is missing" case-admin -q --db "$CASE_DB"
usage_error "unknown command" \
	"case-admin: unknown command 'frob' (expected init, unit, supervisor, policy, check, backup, copy or member)" \
	case-admin frob
usage_error "unknown long option" \
	"case-admin: unrecognized option '--frob'" case-admin --frob init
usage_error "unknown short option" \
	"case-admin: invalid option -- 'x'" case-admin -x init
usage_error "option missing its argument" \
	"case-admin: option '--db' requires an argument" case-admin init --db
usage_error "bad --format" \
	"case-admin: --format: unknown format 'xml' (expected text, csv, tsv, json or xlsx)" \
	case-admin --format xml unit list
usage_error "bad CASE_FORMAT" \
	"case-admin: CASE_FORMAT: unknown format 'yaml' (expected text, csv, tsv, json or xlsx)" \
	env CASE_FORMAT=yaml case-admin unit list
usage_error "init with an operand" \
	"case-admin: init: too many operands" case-admin init now
usage_error "unit without a command" \
	"case-admin: unit: expected add, list or import" case-admin unit
usage_error "unit with an unknown command" \
	"case-admin: unit: unknown command 'remove' (expected add, list or import)" \
	case-admin unit remove x
usage_error "unit add without a name" \
	"case-admin: unit add: missing operand" case-admin unit add pcs-x
usage_error "unit add without operands" \
	"case-admin: unit add: missing operand" case-admin unit add
usage_error "unit add with three operands" \
	"case-admin: unit add: too many operands" case-admin unit add a b c
usage_error "unit list with an operand" \
	"case-admin: unit list: too many operands" case-admin unit list x
usage_error "unit import without a file" \
	"case-admin: unit import: missing operand" case-admin unit import
usage_error "unit import with two files" \
	"case-admin: unit import: too many operands" case-admin unit import a b
usage_error "supervisor without a command" \
	"case-admin: supervisor: expected set or list" case-admin supervisor
usage_error "supervisor with an unknown command" \
	"case-admin: supervisor: expected set or list" case-admin supervisor add 1 x
usage_error "supervisor set without a name" \
	"case-admin: supervisor set: missing operand" case-admin supervisor set 1
usage_error "supervisor set with three operands" \
	"case-admin: supervisor set: too many operands" \
	case-admin supervisor set 1 a b
usage_error "supervisor list with an operand" \
	"case-admin: supervisor list: too many operands" \
	case-admin supervisor list 1
usage_error "supervisor level 0" \
	"case-admin: supervisor set: bad level '0' (expected 1, 2 or 3)" \
	case-admin supervisor set 0 x
usage_error "supervisor level 4" \
	"case-admin: supervisor set: bad level '4' (expected 1, 2 or 3)" \
	case-admin supervisor set 4 x
usage_error "supervisor level 12" \
	"case-admin: supervisor set: bad level '12' (expected 1, 2 or 3)" \
	case-admin supervisor set 12 x
usage_error "supervisor level x" \
	"case-admin: supervisor set: bad level 'one' (expected 1, 2 or 3)" \
	case-admin supervisor set one x
usage_error "policy with three operands" \
	"case-admin: policy: too many operands" case-admin policy a b c
usage_error "check with an operand" \
	"case-admin: check: too many operands" case-admin check all
usage_error "backup without a file" \
	"case-admin: backup: missing operand" case-admin backup
usage_error "backup with two files" \
	"case-admin: backup: too many operands" case-admin backup a b
usage_error "--type belongs to unit add, not init" \
	"case-admin: --chief, --parent, --place and --type go with 'unit add'" \
	case-admin init --type police
usage_error "--chief belongs to unit add, not unit list" \
	"case-admin: --chief, --parent, --place and --type go with 'unit add'" \
	case-admin unit list --chief x
usage_error "--place belongs to unit add, not unit import" \
	"case-admin: --chief, --parent, --place and --type go with 'unit add'" \
	case-admin unit import --place a x.csv
usage_error "--parent belongs to unit add, not check" \
	"case-admin: --chief, --parent, --place and --type go with 'unit add'" \
	case-admin check --parent x
usage_error "--type belongs to unit add, not supervisor set" \
	"case-admin: --chief, --parent, --place and --type go with 'unit add'" \
	case-admin supervisor set 1 x --type police
usage_error "--contact belongs to supervisor set, not supervisor list" \
	"case-admin: --contact goes with 'unit add' and 'supervisor set'" \
	case-admin supervisor list --contact x
usage_error "--contact belongs to unit add, not policy" \
	"case-admin: --contact goes with 'unit add' and 'supervisor set'" \
	case-admin policy --contact x
usage_error "--contact belongs to unit add, not backup" \
	"case-admin: --contact goes with 'unit add' and 'supervisor set'" \
	case-admin backup --contact x "$T/b.db"
if has_db; then
	not_ok "no usage error created the database"
else
	ok "no usage error created the database"
fi

run case-admin --help
if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && head -n 1 "$T/out" |
	grep -q '^usage: case-admin \[-q\] \[--db file\] init \[--group group\]$'; then
	ok "--help: the usage on stdout, exit 0"
else
	not_ok "--help: the usage on stdout, exit 0"
	_show
fi
succeeds "--version" "case-admin 0.1.0" case-admin --version

# A reader never creates the database.
run case-admin unit list
check_rc 1 "unit list without a database fails"
check_err "case-admin: no database at $CASE_DB (create it with 'case-admin init')" \
	"unit list without a database: the message"
check_no_out "unit list without a database: no stdout"
if has_db; then not_ok "unit list created no database"; else
	ok "unit list created no database"; fi

# ---- init -----------------------------------------------------------------

run case-admin init
check_rc 0 "init creates the database"
check_err "case-admin: created $CASE_DB (schema 10)" "init: says it created it"
check_no_out "init: nothing on stdout"
if sqlite_only "init: the file is 0600"; then
	[ "$(mode "$CASE_DB")" = 600 ] && ok "init: the file is 0600" ||
		not_ok "init: the file is 0600 (it is $(mode "$CASE_DB"))"
fi
run case-admin init
check_rc 0 "init on an existing database"
check_err "case-admin: $CASE_DB is up to date (schema 10)" \
	"init on an existing database: says it is up to date"
quiet_ok "init -q says nothing" case-admin -q init

# The default database: created with its folder, 0600 in 0700.
(
	unset CASE_DB
	run case-admin init
	check_rc 0 "init on the default path"
	check_err "case-admin: created $HOME/.local/share/case/cases.db (schema 10)" \
		"init on the default path: the file under HOME"
	[ "$(mode "$HOME/.local/share/case")" = 700 ] &&
		[ "$(mode "$HOME/.local/share/case/cases.db")" = 600 ] &&
		ok "init on the default path: folder 0700, file 0600" ||
		not_ok "init on the default path: folder 0700, file 0600"
	run env XDG_DATA_HOME="$T/xdg" case-admin init -q
	[ -f "$T/xdg/case/cases.db" ] && [ "$(mode "$T/xdg/case")" = 700 ] &&
		ok "init under XDG_DATA_HOME" || not_ok "init under XDG_DATA_HOME"
	echo "$_n $_failed" >"$T/counts"
)
read -r _n _failed <"$T/counts"

# An old file (schema 1) is upgraded by init, and its rows stay searchable.
# A server's schemas start at version 3; server.sh has its newer and
# foreign schemas.
if sqlite_only "old, newer and foreign SQLite files"; then
	OLD="$T/old.db"
	case-admin -q --db "$OLD" init
	case-open -q --db "$OLD" -k dispute -a "华宇小区3号楼" "前进派出所门口烧烤噪音" >/dev/null
	sqlite3 "$OLD" "DROP TRIGGER cases_fts_delete; DROP TRIGGER cases_fts_update;
		DROP TABLE cases_fts; DROP TABLE search_upto;
		PRAGMA user_version = 1;"
	run case-admin --db "$OLD" unit list
	check_rc 1 "a reader refuses a schema-1 file"
	check_err "case-admin: $OLD has schema version 1 and needs an upgrade to 10 (run 'case-admin init')" \
		"a reader refuses a schema-1 file: the message"
	run case-admin --db "$OLD" init
	check_rc 0 "init upgrades a schema-1 file"
	check_err "case-admin: upgraded $OLD from schema 1 to 10" \
		"init upgrades a schema-1 file: the message"
	[ "$(sqlite3 "$OLD" "PRAGMA user_version; SELECT rowid FROM cases_fts WHERE cases_fts MATCH '派出所'")" = "$(printf '10\n1')" ] && ok "the upgraded file finds its case by a trigram" ||
		not_ok "the upgraded file finds its case by a trigram"

	# A newer file, and a file that is not ours, are refused and left alone.
	NEWER="$T/newer.db"
	case-admin -q --db "$NEWER" init
	sqlite3 "$NEWER" "PRAGMA user_version = 11"
	run case-admin --db "$NEWER" init
	check_rc 1 "init refuses a newer schema"
	check_err "case-admin: $NEWER has schema version 11, newer than this program's 10; use a newer case" \
		"init refuses a newer schema: the message"
	[ "$(sqlite3 "$NEWER" "PRAGMA user_version")" = 11 ] &&
		ok "the newer file is left alone" || not_ok "the newer file is left alone"
	FOREIGN="$T/foreign.db"
	sqlite3 "$FOREIGN" "CREATE TABLE songs(title TEXT)"
	run case-admin --db "$FOREIGN" init
	check_rc 1 "init refuses another program's SQLite file"
	check_err "case-admin: $FOREIGN is an SQLite file but not a case database" \
		"init refuses another program's SQLite file: the message"
	[ "$(sqlite3 "$FOREIGN" "SELECT group_concat(name) FROM sqlite_schema")" = songs ] &&
		ok "the foreign file is left alone" || not_ok "the foreign file is left alone"
	run case-admin --db "$T/nowhere/cases.db" init
	check_rc 1 "init in a missing folder fails"
	check_err "case-admin: cannot create $T/nowhere/cases.db: its folder does not exist" \
		"init in a missing folder: the message"
	[ ! -e "$T/nowhere" ] && ok "init in a missing folder creates no folder" ||
		not_ok "init in a missing folder creates no folder"
fi

# ---- units ----------------------------------------------------------------

quiet_ok "unit add with every option" case-admin unit add pcs-qianjin 前进派出所 \
	--type police --place chaoyang/qianjin --chief 王所长 --contact 010-12345678
quiet_ok "unit add with a parent" case-admin unit add med-qianjin 前进调解室 \
	--type judicial --parent pcs-qianjin
quiet_ok "unit add with defaults" case-admin unit add lf-zhong 中正律师事务所
[ "$(sql "SELECT type FROM units WHERE code = 'lf-zhong'")" = other ] &&
	ok "unit add: the type defaults to other" ||
	not_ok "unit add: the type defaults to other"

succeeds "unit list: aligned text, wide characters two columns" \
"code         name            type      parent       place             chief   contact
lf-zhong     中正律师事务所  other     -            -                 -       -
med-qianjin  前进调解室      judicial  pcs-qianjin  -                 -       -
pcs-qianjin  前进派出所      police    -            chaoyang/qianjin  王所长  010-12345678" \
	case-admin unit list
succeeds "unit list --no-header" \
"lf-zhong     中正律师事务所  other     -            -                 -       -
med-qianjin  前进调解室      judicial  pcs-qianjin  -                 -       -
pcs-qianjin  前进派出所      police    -            chaoyang/qianjin  王所长  010-12345678" \
	case-admin unit list --no-header
succeeds "unit list -F csv" \
"code,name,type,parent,place,chief,contact
lf-zhong,中正律师事务所,other,,,,
med-qianjin,前进调解室,judicial,pcs-qianjin,,,
pcs-qianjin,前进派出所,police,,chaoyang/qianjin,王所长,010-12345678" \
	case-admin unit list -F csv
succeeds "unit list --format csv --no-header" \
"lf-zhong,中正律师事务所,other,,,,
med-qianjin,前进调解室,judicial,pcs-qianjin,,,
pcs-qianjin,前进派出所,police,,chaoyang/qianjin,王所长,010-12345678" \
	case-admin unit list --format csv --no-header
TAB=$(printf '\t')
succeeds "unit list -F tsv" \
"code${TAB}name${TAB}type${TAB}parent${TAB}place${TAB}chief${TAB}contact
lf-zhong${TAB}中正律师事务所${TAB}other${TAB}${TAB}${TAB}${TAB}
med-qianjin${TAB}前进调解室${TAB}judicial${TAB}pcs-qianjin${TAB}${TAB}${TAB}
pcs-qianjin${TAB}前进派出所${TAB}police${TAB}${TAB}chaoyang/qianjin${TAB}王所长${TAB}010-12345678" \
	case-admin unit list -F tsv
succeeds "unit list -F json" \
'{"code":"lf-zhong","name":"中正律师事务所","type":"other","parent":null,"place":null,"chief":null,"contact":null}
{"code":"med-qianjin","name":"前进调解室","type":"judicial","parent":"pcs-qianjin","place":null,"chief":null,"contact":null}
{"code":"pcs-qianjin","name":"前进派出所","type":"police","parent":null,"place":"chaoyang/qianjin","chief":"王所长","contact":"010-12345678"}' \
	case-admin unit list -F json
succeeds "CASE_FORMAT=csv applies to unit list" \
"code,name,type,parent,place,chief,contact
lf-zhong,中正律师事务所,other,,,,
med-qianjin,前进调解室,judicial,pcs-qianjin,,,
pcs-qianjin,前进派出所,police,,chaoyang/qianjin,王所长,010-12345678" \
	env CASE_FORMAT=csv case-admin unit list
succeeds "--format wins over CASE_FORMAT" \
'{"code":"lf-zhong","name":"中正律师事务所","type":"other","parent":null,"place":null,"chief":null,"contact":null}
{"code":"med-qianjin","name":"前进调解室","type":"judicial","parent":"pcs-qianjin","place":null,"chief":null,"contact":null}
{"code":"pcs-qianjin","name":"前进派出所","type":"police","parent":null,"place":"chaoyang/qianjin","chief":"王所长","contact":"010-12345678"}' \
	env CASE_FORMAT=csv case-admin -F json unit list

fails "unit add of an existing code" 1 \
	"case-admin: unit 'pcs-qianjin' already exists" \
	case-admin unit add pcs-qianjin 另一个派出所
fails "unit add with a bad code" 2 \
	"case-admin: bad unit code 'pcs qianjin' (expected up to 64 ASCII letters, digits, '.', '_' or '-', such as pcs-qianjin)" \
	case-admin unit add "pcs qianjin" x
fails "unit add with a code in Chinese" 2 \
	"case-admin: bad unit code '派出所' (expected up to 64 ASCII letters, digits, '.', '_' or '-', such as pcs-qianjin)" \
	case-admin unit add 派出所 x
fails "unit add with an empty name" 2 \
	"case-admin: the unit name is missing" case-admin unit add pcs-new ""
fails "unit add with an unknown type" 2 \
	"case-admin: --type: unknown unit type 'cop' (expected police, judicial, lawfirm, department, grid, community or other)" \
	case-admin unit add pcs-new x --type cop
fails "unit add with a misspelt parent" 1 \
	"case-admin: --parent: unknown unit 'pcs-qianjn' (did you mean 'pcs-qianjin'?)" \
	case-admin unit add grid-1 x --parent pcs-qianjn
fails "unit add with an unknown parent" 1 \
	"case-admin: --parent: unknown unit 'zzz' (see 'case-admin unit list')" \
	case-admin unit add grid-1 x --parent zzz
fails "unit add as its own parent" 2 \
	"case-admin: --parent: a unit cannot be its own parent" \
	case-admin unit add grid-1 x --parent grid-1
fails "unit add with a bad place" 2 \
	"case-admin: --place: bad place 'chaoyang//qianjin' (expected segments joined by '/', such as chaoyang/qianjin/huayu/g07)" \
	case-admin unit add grid-1 x --place chaoyang//qianjin
fails "unit add with a name of two lines" 2 \
	"case-admin: the name contains control character 0x0a at byte 2 (it must be one line)" \
	case-admin unit add grid-1 "a
b"

# unit import: parents may be defined later in the file.
cat >"$T/units.csv" <<'EOF'
code,name,type,parent,place,chief,contact
grid-g07,华宇社区第七网格,grid,comm-huayu,chaoyang/qianjin/huayu/g07,,
comm-huayu,"华宇社区, 居委会",community,pcs-qianjin,chaoyang/qianjin/huayu,刘主任,"010-5555"
EOF
run case-admin unit import "$T/units.csv"
check_rc 0 "unit import: parents defined later in the file"
check_err "case-admin: $T/units.csv: 2 units imported" "unit import: says how many"
check_no_out "unit import: nothing on stdout"
succeeds "unit import: the units are listed" \
"code,name,type,parent,place,chief,contact
comm-huayu,\"华宇社区, 居委会\",community,pcs-qianjin,chaoyang/qianjin/huayu,刘主任,010-5555
grid-g07,华宇社区第七网格,grid,comm-huayu,chaoyang/qianjin/huayu/g07,,
lf-zhong,中正律师事务所,other,,,,
med-qianjin,前进调解室,judicial,pcs-qianjin,,,
pcs-qianjin,前进派出所,police,,chaoyang/qianjin,王所长,010-12345678" \
	case-admin unit list -F csv

# Importing again updates, and the header is matched in any case and
# order.
printf 'Name,CODE\n第七网格,grid-g07\n' >"$T/rename.csv"
run_in "$T/rename.csv" case-admin unit import -
check_rc 0 "unit import from stdin updates an existing unit"
check_err "case-admin: stdin: 1 unit imported" "unit import from stdin: the count"
[ "$(sql "SELECT name || '|' || type || '|' || coalesce(parent, '-') FROM units WHERE code = 'grid-g07'")" = "第七网格|other|-" ] &&
	ok "unit import: the row is replaced by the file's" ||
	not_ok "unit import: the row is replaced by the file's ($(sql "SELECT * FROM units WHERE code = 'grid-g07'"))"

cat >"$T/bad-units.csv" <<'EOF'
code,name,type
ok-1,好单位,other
bad code,坏单位,other
ok-2,另一个,cop
ok-3,,grid
EOF
fails "unit import: bad rows are named FILE:LINE and nothing is imported" 1 \
"case-admin: $T/bad-units.csv:3: bad unit code 'bad code' (expected up to 64 ASCII letters, digits, '.', '_' or '-', such as pcs-qianjin)
case-admin: $T/bad-units.csv:4: type: unknown unit type 'cop' (expected police, judicial, lawfirm, department, grid, community or other)
case-admin: $T/bad-units.csv:5: the unit name is missing
case-admin: $T/bad-units.csv: 3 bad units; nothing imported" \
	case-admin unit import "$T/bad-units.csv"

printf 'code,name,parent\nnew-1,新单位,nope\nnew-2,新单位二,new-1\n' >"$T/parent.csv"
fails "unit import: an unknown parent" 1 \
"case-admin: $T/parent.csv: unit new-1: unknown parent unit 'nope'
case-admin: $T/parent.csv: 1 bad unit; nothing imported" \
	case-admin unit import "$T/parent.csv"

# unit add refuses a unit as its own parent; so must unit import.
printf 'code,name,parent\nloop-1,自己管自己,loop-1\n' >"$T/self.csv"
snapshot
run case-admin unit import "$T/self.csv"
check_rc 1 "unit import: a unit as its own parent is refused"
check_err_has "a unit cannot be its own parent" \
	"unit import: a unit as its own parent: the message"
check_unchanged "unit import: a unit as its own parent: the database is unchanged"

printf 'code,type\nx,grid\n' >"$T/header.csv"
fails "unit import: a header without name" 1 \
	"case-admin: $T/header.csv:1: the header needs columns code and name" \
	case-admin unit import "$T/header.csv"
# A registry is typed by hand: a column that is not ours is a typo.
printf 'code,name,plcae\nx,y,a/b\n' >"$T/typo.csv"
fails "unit import: an unknown column" 1 \
	"case-admin: $T/typo.csv:1: unknown column 'plcae' (expected code, name, type, parent, place, chief and contact)" \
	case-admin unit import "$T/typo.csv"
# Parents that lead back to where they started.
printf 'code,name,parent\ncy-a,甲,cy-b\ncy-b,乙,cy-a\n' >"$T/cycle.csv"
fails "unit import: a cycle of parents" 1 \
"case-admin: $T/cycle.csv: unit cy-a: its chain of parents leads back to itself
case-admin: $T/cycle.csv: unit cy-b: its chain of parents leads back to itself
case-admin: $T/cycle.csv: 2 bad units; nothing imported" \
	case-admin unit import "$T/cycle.csv"
printf 'code,name\nx,y,z\n' >"$T/count.csv"
fails "unit import: a wrong column count" 1 \
"case-admin: $T/count.csv:2: 3 fields, but the header has 2
case-admin: $T/count.csv: 1 bad unit; nothing imported" \
	case-admin unit import "$T/count.csv"
printf 'code,name\nx,"open\n' >"$T/quote.csv"
snapshot
run case-admin unit import "$T/quote.csv"
check_rc 1 "unit import: an unterminated quote"
check_err "case-admin: $T/quote.csv:2: field 2: a quoted field opens here and is never closed" \
	"unit import: an unterminated quote: the message"
check_unchanged "unit import: an unterminated quote: the database is unchanged"
printf 'code,name\nx,\377\376\n' >"$T/utf8.csv"
fails "unit import: invalid UTF-8" 1 \
"case-admin: $T/utf8.csv:2: name is not valid UTF-8 at byte 1
case-admin: $T/utf8.csv: 1 bad unit; nothing imported" \
	case-admin unit import "$T/utf8.csv"
: >"$T/empty.csv"
fails "unit import: an empty file" 1 \
	"case-admin: $T/empty.csv: no header line (the file is empty)" \
	case-admin unit import "$T/empty.csv"
fails "unit import: a folder" 1 \
	"case-admin: $T: is a folder, not a CSV file" case-admin unit import "$T"
fails "unit import: a missing file" 1 \
	"case-admin: $T/none.csv: No such file or directory" \
	case-admin unit import "$T/none.csv"

# Values are trimmed, in options and in cells (issue 13, item 8).
run case-admin unit add ' grid-t1 ' ' 网格一 ' --type ' grid ' \
	--place ' haidian/t ' --parent ' pcs-qianjin '
expect "unit add trims its operands and options" 0 "" ""
check_sql "unit add: the values stored without their spaces" \
	"[grid-t1][网格一][grid][pcs-qianjin][haidian/t]" \
	"SELECT '[' || code || '][' || name || '][' || type || '][' || parent || '][' || place || ']' FROM units WHERE code = 'grid-t1'"

# A tie, two units on one place, stops auto-routing there: unit add and
# unit import say so when they make one, naming the units and the place
# (issue 13, item 5).
run case-admin unit add grid-t2 网格二 --place haidian/t
expect "unit add warns of the tie it makes" 0 "" \
	"case-admin: units grid-t1 and grid-t2 cover place haidian/t equally: case-assign --auto leaves the cases there open"
printf 'code , name,place\n grid-t3 ,网格三, haidian/t \ngrid-u1,网格,haidian/u\ngrid-u2,网格,haidian/u\n' \
	>"$T/ties.csv"
run case-admin unit import "$T/ties.csv"
expect "unit import warns of each tie it makes, trimming its cells" 0 "" \
	"case-admin: units grid-t1, grid-t2 and grid-t3 cover place haidian/t equally: case-assign --auto leaves the cases there open
case-admin: units grid-u1 and grid-u2 cover place haidian/u equally: case-assign --auto leaves the cases there open
case-admin: $T/ties.csv: 3 units imported"
run case-admin unit import "$T/ties.csv"
expect "unit import again makes no tie and warns of none" 0 "" \
	"case-admin: $T/ties.csv: 3 units imported"
printf 'code,name,place\ngrid-u2,网格,haidian/u2\n' >"$T/untie.csv"
run case-admin -q unit import "$T/untie.csv"
expect "unit import that undoes a tie says nothing" 0 "" ""

# ---- supervisors ----------------------------------------------------------

quiet_ok "supervisor set 1 with a contact" \
	case-admin supervisor set 1 王所长 --contact 13800000001
quiet_ok "supervisor set 2" case-admin supervisor set 2 李大队长
quiet_ok "supervisor set 3" case-admin supervisor set 3 张副局长 --contact 13800000003
quiet_ok "supervisor set 2 again replaces it" \
	case-admin supervisor set 2 赵大队长 --contact 13800000002
succeeds "supervisor list" \
"level  name      contact
    1  王所长    13800000001
    2  赵大队长  13800000002
    3  张副局长  13800000003" \
	case-admin supervisor list
succeeds "supervisor list -F csv" \
"level,name,contact
1,王所长,13800000001
2,赵大队长,13800000002
3,张副局长,13800000003" \
	case-admin supervisor list -F csv
succeeds "supervisor list -F json" \
'{"level":1,"name":"王所长","contact":"13800000001"}
{"level":2,"name":"赵大队长","contact":"13800000002"}
{"level":3,"name":"张副局长","contact":"13800000003"}' \
	case-admin supervisor list -F json
fails "supervisor set with an empty name" 2 \
	"case-admin: the name is empty" case-admin supervisor set 1 ""
fails "supervisor set with a control character" 2 \
	"case-admin: the contact contains control character 0x07 at byte 4" \
	case-admin supervisor set 1 x --contact "$(printf '139\007')"

# ---- policy ---------------------------------------------------------------

POLICY_DEFAULT="key                value  default
due.urgent         1d     1d
due.high           3d     3d
due.normal         7d     7d
due.low            15d    15d
followup.after     7d     7d
followup.retry     2d     2d
followup.attempts  3      3
escalate.2         3d     3d
escalate.3         7d     7d"
succeeds "policy lists the defaults" "$POLICY_DEFAULT" case-admin policy
succeeds "policy KEY shows one value" "7d" case-admin policy due.normal
quiet_ok "policy KEY VALUE sets a duration" case-admin policy due.normal 5d
quiet_ok "policy sets a compound duration" case-admin policy escalate.2 1d12h
quiet_ok "policy sets followup.attempts" case-admin policy followup.attempts 5
succeeds "policy KEY shows the new value" "5d" case-admin policy due.normal
succeeds "policy -F csv lists values and defaults" \
"key,value,default
due.urgent,1d,1d
due.high,3d,3d
due.normal,5d,7d
due.low,15d,15d
followup.after,7d,7d
followup.retry,2d,2d
followup.attempts,5,3
escalate.2,1d12h,3d
escalate.3,7d,7d" \
	case-admin policy -F csv
fails "policy: a bad duration" 2 \
	"case-admin: due.normal: bad duration '3x' (expected a number and a unit, such as 90m, 12h, 3d or 2w)" \
	case-admin policy due.normal 3x
fails "policy: a negative duration" 2 \
	"case-admin: due.high: bad duration '-1d': durations cannot be negative" \
	case-admin policy -- due.high -1d
fails "policy: a zero duration" 2 \
	"case-admin: due.low: bad duration '0d': it must be longer than zero" \
	case-admin policy due.low 0d
fails "policy: a duration over 100 years" 2 \
	"case-admin: escalate.3: bad duration '99999999999d': longer than 100 years" \
	case-admin policy escalate.3 99999999999d
fails "policy: a count for a duration key" 2 \
	"case-admin: followup.after: bad duration '7' (expected a number and a unit, such as 90m, 12h, 3d or 2w)" \
	case-admin policy followup.after 7
fails "policy: attempts 0" 2 \
	"case-admin: followup.attempts: bad value '0' (expected a whole number from 1 to 100)" \
	case-admin policy followup.attempts 0
fails "policy: attempts 101" 2 \
	"case-admin: followup.attempts: bad value '101' (expected a whole number from 1 to 100)" \
	case-admin policy followup.attempts 101
fails "policy: attempts as a duration" 2 \
	"case-admin: followup.attempts: bad value '3d' (expected a whole number from 1 to 100)" \
	case-admin policy followup.attempts 3d
fails "policy: a misspelt key gets a suggestion" 2 \
	"case-admin: unknown policy key 'due.nromal' (did you mean 'due.normal'?)" \
	case-admin policy due.nromal 3d
fails "policy: an unknown key" 2 \
	"case-admin: unknown policy key 'color' (see 'case-admin policy')" \
	case-admin policy color blue
fails "policy: showing an unknown key" 2 \
	"case-admin: unknown policy key 'escalate.4' (did you mean 'escalate.2'?)" \
	case-admin policy escalate.4

# The policy is what case-open uses for deadlines.
run case-open -q -k request -p normal "按政策的期限"
[ "$(sql "SELECT due_at - opened_at FROM cases WHERE summary = '按政策的期限'")" = 432000 ] &&
	ok "case-open uses the policy set here (due.normal 5d)" ||
	not_ok "case-open uses the policy set here (due.normal 5d)"

# ---- check ----------------------------------------------------------------

cat >"$T/history.csv" <<'EOF'
ref,summary,kind,opened_at,status,lead,resolved_at,closed_at,visit_outcome
H1,已结案,dispute,2026-04-01 09:00,closed,pcs-qianjin,2026-04-03 10:00,2026-04-10 11:00,satisfied
H2,已办结,hazard,2026-04-02 09:00,resolved,pcs-qianjin,2026-04-05 10:00,,
H3,已派单,request,2026-04-03 09:00,,med-qianjin,,,
H4,已撤销,request,2026-04-04 09:00,cancelled,,,2026-04-06 12:00,
EOF
run case-open -q -f "$T/history.csv"
check_rc 0 "cases with history for check"
quiet_ok "check on a clean database: exit 0, no output" case-admin check
snapshot
sql "UPDATE cases SET status = 'closed' WHERE ref = 'H3'"
id=$(sql "SELECT id FROM cases WHERE ref = 'H3'")
snapshot
run case-admin check
check_rc 1 "check on a tampered database exits 1"
check_out "case  finding
   $id  status is closed but its journal ends in assigned
   $id  is closed without resolved_at
   $id  is closed but closed_at is missing
   $id  is closed but outcome is missing" "check names the case and each finding"
check_err "case-admin: 4 findings" "check counts the findings on stderr"
run case-admin check -F csv -q
check_rc 1 "check -F csv -q exits 1"
check_out "case,finding
$id,status is closed but its journal ends in assigned
$id,is closed without resolved_at
$id,is closed but closed_at is missing
$id,is closed but outcome is missing" "check -F csv"
[ ! -s "$T/err" ] && ok "check -q: nothing on stderr" ||
	not_ok "check -q: nothing on stderr"
check_unchanged "check changes nothing"
sql "UPDATE cases SET status = 'assigned' WHERE ref = 'H3'"
quiet_ok "check is clean again once repaired" case-admin check
# Events dated after now: a journal written with a clock or CASE_NOW
# ahead (issue 13, item 4).
h1=$(sql "SELECT id FROM cases WHERE ref = 'H1'")
c1=$(sql "SELECT id FROM cases WHERE ref IS NULL ORDER BY id LIMIT 1")
run env CASE_NOW=2026-04-09 case-admin check
check_rc 1 "check reports events dated after now"
check_out "case  finding
   $c1  has 1 journal event dated after now, the first at 2026-05-01T00:00:00Z
   $h1  has 2 journal events dated after now, the first at 2026-04-10T03:00:00Z" \
	"check names each case with events after now, and the first of them"

# ---- read-only and missing databases --------------------------------------

# A database its user may read but not write (lib.sh's readonly_db).
SAVED_DB=$CASE_DB
newdb rosource
init_db
case-admin unit add pcs-qianjin 前进派出所 --type police
if readonly_db ro; then
	ok "the read-only database is really read-only for the test user"
else
	not_ok "the read-only database is really read-only for the test user"
fi
CASE_DB=$RO
fails "unit add on a read-only database" 1 \
	"case-admin: $RO is read-only" \
	as_user case-admin unit add x 某单位
fails "policy set on a read-only database" 1 \
	"case-admin: $RO is read-only" \
	as_user case-admin policy due.high 2d
fails "supervisor set on a read-only database" 1 \
	"case-admin: $RO is read-only" \
	as_user case-admin supervisor set 1 x
# Reading needs no write access.
run as_user case-admin unit list -F csv
check_rc 0 "unit list reads a read-only database"
check_out "code,name,type,parent,place,chief,contact
pcs-qianjin,前进派出所,police,,,," "unit list on a read-only database: the rows"
CASE_DB=$SAVED_DB
chmod 755 "$T/ro" 2>/dev/null

# ---- backup ---------------------------------------------------------------

# A server is backed up with its own tools: backup says which, and makes
# no file.
if [ "$BACKEND" = pg ]; then
	fails "backup of a server database names pg_dump and copy" 1 \
		"case-admin: backup copies an SQLite file; back up a PostgreSQL database with pg_dump, or copy it into a file with 'case-admin copy'" \
		case-admin backup "$T/copy.db"
	[ ! -e "$T/copy.db" ] && ok "backup of a server database makes no file" ||
		not_ok "backup of a server database makes no file"
fi
if sqlite_only "backup, and a backup while another process writes"; then
	quiet_ok "backup" case-admin backup "$T/copy.db"
	[ "$(mode "$T/copy.db")" = 600 ] && ok "backup: the copy is 0600" ||
		not_ok "backup: the copy is 0600 (it is $(mode "$T/copy.db"))"
	quiet_ok "backup: the copy passes check" case-admin --db "$T/copy.db" check
	sqlite3 "$CASE_DB" .dump >"$T/live.dump"
	sqlite3 "$T/copy.db" .dump >"$T/copy.dump"
	cmp -s "$T/live.dump" "$T/copy.dump" && ok "backup: the copy has the same rows" ||
		not_ok "backup: the copy has the same rows"
	[ ! -e "$T/copy.db-wal" ] && ok "backup: the copy is one file" ||
		not_ok "backup: the copy is one file"
	case-admin unit list -F csv >"$T/live.units"
	run case-admin --db "$T/copy.db" unit list -F csv
	check_rc 0 "backup: the copy opens and lists"
	cmp -s "$T/live.units" "$T/out" && ok "backup: the copy lists the same units" ||
		not_ok "backup: the copy lists the same units"
	fails "backup into a missing folder" 1 \
		"case-admin: cannot create $T/nowhere/copy.db: No such file or directory" \
		case-admin backup "$T/nowhere/copy.db"

	# A backup taken while another process writes is a consistent copy.
	before=$(sql "SELECT count(*) FROM cases")
	(
		i=0
		while [ $i -lt 25 ]; do
			CASE_BUSY_TIMEOUT=20000 case-open -q -k request -c 并发 \
				"写入 $i" >/dev/null 2>>"$T/writer.err" ||
				echo "case-open $i failed" >>"$T/writer.err"
			i=$((i + 1))
		done
	) &
	writer=$!
	while [ "$(sqlw "SELECT count(*) FROM cases WHERE category = '并发'")" -lt 5 ]; do
		sleep 0.05
	done
	run case-admin backup "$T/busy.db"
	check_rc 0 "backup while another process writes"
	still=$(kill -0 "$writer" 2>/dev/null && echo yes || echo no)
	wait "$writer"
	diag "the writer was still running when the backup ended: $still"
	quiet_ok "the busy backup passes check" case-admin --db "$T/busy.db" check
	n_copy=$(sqlite3 "$T/busy.db" "SELECT count(*) FROM cases")
	n_live=$(sql "SELECT count(*) FROM cases")
	if [ "$n_copy" -ge $((before + 5)) ] && [ "$n_copy" -le "$n_live" ] &&
		[ "$n_live" -eq $((before + 25)) ]; then
		ok "the busy backup holds a prefix of the writes ($n_copy of $n_live)"
	else
		not_ok "the busy backup holds a prefix of the writes (copy $n_copy, live $n_live, before $before)"
	fi
	[ ! -s "$T/writer.err" ] && ok "no write failed during the backup" || {
		not_ok "no write failed during the backup"
		sed 's/^/#   /' "$T/writer.err"
	}
	[ "$(sqlite3 "$T/busy.db" "SELECT count(*) FROM events") " = "$(sqlite3 "$T/busy.db" "SELECT count(*) FROM events WHERE case_id IN (SELECT id FROM cases)") " ] &&
		ok "the busy backup has no event without its case" ||
		not_ok "the busy backup has no event without its case"
fi

done_testing
