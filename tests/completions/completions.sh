#!/bin/bash
# Tests of the shell completions, in TAP.  The bash functions are driven as
# bash drives them, through COMP_WORDS, COMP_CWORD, COMP_LINE and
# COMP_POINT, once in plain bash and once with bash-completion's helpers
# loaded; unit codes come from a fixture database made with the built
# case-admin.  The options offered are checked against the binaries' option
# tables and, for case-followup's commands, against what the binary itself
# accepts.  The zsh file must load and register every binary; the fish
# files must parse, and fish's own completion of a few lines is checked.
#
#   CASE_BIN   the folder holding the built binaries
#   SRC        the top of the source tree

set -u

: "${CASE_BIN:?CASE_BIN must name the folder holding the built binaries}"
: "${SRC:?SRC must name the top of the source tree}"
PATH=$CASE_BIN:$PATH
T=$(mktemp -d "${TMPDIR:-/tmp}/case-comp.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset CASE_DB CASE_FORMAT CASE_NOW XDG_DATA_HOME
export HOME="$T/home" LC_ALL=C.UTF-8
mkdir -p "$HOME"

. "$SRC/tests/tap.sh"

# The fixture: two units in a database named by --db, and one unit in the
# database of CASE_DB, so that a test can tell which one was read.
FIX=$T/fixture.db
case-admin -q --db "$FIX" init &&
	case-admin --db "$FIX" unit add pcs-qianjin 'Qianjin police station' \
		--type police &&
	case-admin --db "$FIX" unit add grid-g07 'Grid 7' --type grid \
		--parent pcs-qianjin &&
	case-admin -q --db "$T/other.db" init &&
	case-admin --db "$T/other.db" unit add med-cy 'Mediation office' ||
	{
		echo "Bail out! cannot make the fixture database"
		exit 1
	}
mkdir "$T/files"
: >"$T/files/intake.csv"
: >"$T/files/units.csv"

# try_complete LINE: complete LINE as if the cursor were at its end, splitting
# it into COMP_WORDS at blanks and at '=' and ':' (both in bash's
# COMP_WORDBREAKS) as bash does; the candidates are left in COMPREPLY.
try_complete() {
	local line=$1 w fn
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	for w in $line; do
		while [[ $w == *[=:]* ]]; do
			local head=${w%%[=:]*}
			[[ -n $head ]] && COMP_WORDS+=("$head")
			COMP_WORDS+=("${w:${#head}:1}")
			w=${w:${#head}+1}
		done
		[[ -n $w ]] && COMP_WORDS+=("$w")
	done
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	fn=${_fn[${COMP_WORDS[0]}]-}
	if [[ -z $fn ]]; then
		COMPREPLY=("<no completion for ${COMP_WORDS[0]}>")
		return
	fi
	"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}" 2>"$T/err"
}

# has NAME LINE WORD...: completing LINE offers every WORD.
has() {
	local name=$1 line=$2 w missing=
	shift 2
	try_complete "$line"
	for w in "$@"; do
		case " ${COMPREPLY[*]-} " in
		*" $w "*) ;;
		*) missing="$missing $w" ;;
		esac
	done
	if [[ -z $missing && ! -s $T/err ]]; then
		ok "$MODE: $name"
	else
		not_ok "$MODE: $name"
		diag "line: '$line'" "missing:$missing" \
			"offered: ${COMPREPLY[*]-}" "stderr: $(cat "$T/err")"
	fi
}

# exactly NAME LINE WORD...: completing LINE offers the WORDs and nothing
# else, in any order.
exactly() {
	local name=$1 line=$2 w wrong=0
	shift 2
	try_complete "$line"
	for w in "$@"; do
		case " ${COMPREPLY[*]-} " in
		*" $w "*) ;;
		*) wrong=1 ;;
		esac
	done
	((${#COMPREPLY[@]} == $#)) || wrong=1
	if ((!wrong)) && [[ ! -s $T/err ]]; then
		ok "$MODE: $name"
	else
		not_ok "$MODE: $name"
		diag "line: '$line'" "expected: $*" "offered: ${COMPREPLY[*]-}" \
			"stderr: $(cat "$T/err")"
	fi
}

# The long options of a binary, read from its option table, so that an
# option added to a binary and not to the completion fails here.
long_options() {
	sed -n 's/^[[:space:]]*{"\([a-z-]*\)", [a-z_]*_argument.*/--\1/p' \
		"$SRC/cmd/$1.c" "$SRC/cmd/cli.h"
}

# The short options of a binary, from its getopt string and cmd/cli.h.
short_options() {
	local common spec
	common=$(sed -n 's/^#define CLI_COMMON_SHORT "\(.*\)"/\1/p' \
		"$SRC/cmd/cli.h")
	spec=$(sed -n '/getopt_long(/,/longopts/p' "$SRC/cmd/$1.c" |
		tr -d '\n' | sed 's/.*argv,//; s/longopts.*//;
			s/CLI_COMMON_SHORT/"'"$common"'"/g; s/[^A-Za-z]//g')
	echo "$spec" | sed 's/./-& /g'
}

# The options of a binary that take a value (required_argument), long
# and short.
value_options() {
	local common
	common=$(sed -n 's/^#define CLI_COMMON_SHORT "\(.*\)"/\1/p' \
		"$SRC/cmd/cli.h")
	sed -n 's/^[[:space:]]*{"\([a-z-]*\)", required_argument.*/--\1/p' \
		"$SRC/cmd/$1.c" "$SRC/cmd/cli.h"
	sed -n '/getopt_long(/,/longopts/p' "$SRC/cmd/$1.c" | tr -d '\n' |
		sed 's/.*argv,//; s/longopts.*//;
			s/CLI_COMMON_SHORT/"'"$common"'"/g; s/[^A-Za-z:]//g' |
		grep -o '[A-Za-z]:' | sed 's/^\(.\):$/-\1/'
}
value_less_options() {
	sed -n 's/^[[:space:]]*{"\([a-z-]*\)", no_argument.*/--\1/p' \
		"$SRC/cmd/$1.c" "$SRC/cmd/cli.h"
}

# The words of a C array of strings in lib/, from the line naming it to
# its NULL.
c_words() {
	awk -v name="$2" 'index($0, name "[") && /= *\{/ { on = 1 }
		on { print } on && /NULL/ { exit }' "$SRC/lib/$1" |
		grep -o '"[^"]*"' | tr -d '"'
}

# The policy keys, from lib/policy.c.
policy_keys() {
	sed -n 's/^[[:space:]]*{"\([a-z.0-9]*\)", "[^"]*"},.*/\1/p' \
		"$SRC/lib/policy.c"
}

run_checks() {
	# Option completion of both binaries.
	has "case-open offers all its long options" "case-open --" \
		$(long_options case-open)
	has "case-open offers its short options" "case-open -" \
		-a -c -d -f -k -l -m -n -p -r -s -F -H -q -h -V
	exactly "case-open completes a long option" "case-open --ski" \
		--skip-bad
	has "case-admin offers all its long options" "case-admin --" \
		$(long_options case-admin)
	has "case-admin offers its short options" "case-admin -" \
		-F -H -q -h -V
	has "case-admin offers --type after 'unit add'" \
		"case-admin unit add x y --t" --type

	# Commands and subcommands of case-admin.
	exactly "case-admin commands" "case-admin " \
		init unit supervisor policy check backup copy
	exactly "case-admin commands after an option and its value" \
		"case-admin --db $FIX " init unit supervisor policy check backup copy
	exactly "case-admin completes a command" "case-admin su" supervisor
	exactly "case-admin unit subcommands" "case-admin unit " \
		add list import
	exactly "case-admin supervisor subcommands" "case-admin supervisor " \
		set list
	exactly "case-admin supervisor levels" "case-admin supervisor set " \
		1 2 3
	exactly "case-admin policy keys" "case-admin policy " $(policy_keys)
	exactly "case-admin policy key prefix" "case-admin policy followup.a" \
		followup.after followup.attempts
	exactly "nothing after check" "case-admin check "

	# Closed lists of values.
	exactly "--kind values" "case-open --kind " dispute hazard request
	exactly "-k values" "case-open -k " dispute hazard request
	exactly "--kind= value prefix" "case-open --kind=h" hazard
	exactly "-k value after a cluster" "case-open -qk r" request
	exactly "--priority values" "case-open --priority " \
		urgent high normal low
	exactly "--format values" "case-open -F " text csv tsv json xlsx
	exactly "case-admin --format values" "case-admin unit list --format=" \
		text csv tsv json xlsx
	exactly "--type values" "case-admin unit add x y --type " \
		police judicial lawfirm department grid community other
	exactly "--map field names" "case-open -m sum" "summary="
	# readline replaces only the text after the last '=', a word break.
	exactly "--map field names after a pair" \
		"case-open -m ref=key,opened" "key,opened_at="
	exactly "nothing for a free-text value" "case-open --category "
	exactly "nothing for the summary" "case-open -k request "

	# Unit codes from the database.
	exactly "--parent codes from --db" \
		"case-admin --db $FIX unit add x y --parent " grid-g07 pcs-qianjin
	exactly "--parent codes from --db=" \
		"case-admin --db=$FIX unit add x y --parent=p" pcs-qianjin
	CASE_DB=$T/other.db exactly "--parent codes from CASE_DB" \
		"case-admin unit add x y --parent " med-cy
	CASE_DB=$T/other.db exactly "--db wins over CASE_DB" \
		"case-admin unit add --db $FIX x y --parent g" grid-g07
	exactly "no codes and no noise without a database" \
		"case-admin --db $T/none.db unit add x y --parent "

	# Files.
	cd "$T/files" || exit 1
	has "case-open --file offers files and -" "case-open --file " \
		intake.csv units.csv -
	exactly "case-open -f completes a file name" "case-open -f in" \
		intake.csv
	exactly "case-admin unit import completes a file name" \
		"case-admin unit import u" units.csv
	has "case-admin backup offers files" "case-admin backup " \
		intake.csv units.csv
	exactly "--db completes a file name" "case-open --db i" intake.csv
	exactly "case-report --db completes a file name" \
		"case-report -l --db=i" intake.csv
	cd "$OLDPWD" || exit 1

	# The three other binaries' options, from their option tables.
	has "case-assign offers all its long options" "case-assign --" \
		$(long_options case-assign)
	has "case-assign offers its short options" "case-assign -" \
		$(short_options case-assign)
	has "case-followup offers all its long options" "case-followup --" \
		$(long_options case-followup)
	has "case-followup offers its short options" "case-followup -" \
		$(short_options case-followup)
	has "case-report offers all its long options" "case-report --" \
		$(long_options case-report)
	has "case-report offers its short options" "case-report -" \
		$(short_options case-report)
	exactly "case-assign completes a long option" "case-assign --esc" \
		--escalate
	exactly "case-report completes a long option" "case-report --sp" \
		--spreadsheet

	# Each binary knows which of its options take a value: after one,
	# the next word is its value even when it begins with '-', as getopt
	# has it; after any other option, options are offered.
	local b o bad
	for b in $BINARIES; do
		bad=
		for o in $(value_options "$b"); do
			try_complete "$b $o --"
			[[ " ${COMPREPLY[*]-}" == *" -"* ]] && bad+=" $o"
		done
		for o in $(value_less_options "$b"); do
			try_complete "$b $o --"
			[[ " ${COMPREPLY[*]-}" == *" --"* ]] || bad+=" $o"
		done
		if [[ -z $bad ]]; then
			ok "$MODE: $b knows which options take a value"
		else
			not_ok "$MODE: $b knows which options take a value"
			diag "wrong after:$bad"
		fi
	done

	# case-followup: the commands, and after each the options that the
	# binary accepts with it (asked of the binary itself).
	exactly "case-followup commands" "case-followup " $(followup_commands)
	exactly "case-followup commands after options" \
		"case-followup --db $FIX -q " $(followup_commands)
	exactly "case-followup completes a command" "case-followup re" resolve
	exactly "nothing for the case ids after a command" \
		"case-followup note -m done "
	local c
	for c in $(followup_commands); do
		try_complete "case-followup $c --"
		bad=
		for o in $(long_options case-followup); do
			local offered=0
			[[ " ${COMPREPLY[*]-} " == *" $o "* ]] && offered=1
			if ((offered != ${_accepts[$c $o]})); then
				bad+=" $o"
			fi
		done
		if [[ -z $bad ]]; then
			ok "$MODE: case-followup $c offers the options it takes"
		else
			not_ok "$MODE: case-followup $c offers the options it takes"
			diag "offered or left out wrongly:$bad"
		fi
	done
	exactly "case-followup --outcome values" "case-followup visit -o " \
		$(c_words cases.c case_outcomes)
	exactly "case-followup --outcome= value prefix" \
		"case-followup visit --outcome=un" unsatisfied unreachable
	exactly "case-followup --method values" "case-followup visit --method " \
		$(c_words cases.c case_methods)
	exactly "case-followup --at values" "case-followup schedule --at to" \
		today tomorrow
	exactly "case-followup --unit codes from --db" \
		"case-followup due --db $FIX --unit " grid-g07 pcs-qianjin
	exactly "case-followup -m value after a cluster" "case-followup -nm "

	# case-assign: unit codes for --unit, --support and --release.
	exactly "case-assign --unit codes from --db" \
		"case-assign --db $FIX -u " grid-g07 pcs-qianjin
	exactly "case-assign --support codes from --db=" \
		"case-assign --db=$FIX --support=p" pcs-qianjin
	exactly "case-assign --release codes" \
		"case-assign --db $FIX --release g" grid-g07
	exactly "case-assign -s codes after a cluster" \
		"case-assign --db $FIX -ns " grid-g07 pcs-qianjin
	CASE_DB=$T/other.db exactly "case-assign codes from CASE_DB" \
		"case-assign --unit " med-cy
	exactly "case-assign --due values" "case-assign --due to" \
		today tomorrow
	exactly "case-assign --format values" "case-assign --escalate -F " \
		text csv tsv json xlsx
	exactly "nothing for case-assign's case ids" "case-assign -u x "
	exactly "nothing for case-assign's note" "case-assign -m "

	# case-report: group fields and columns, also after a comma, and the
	# closed lists of the filters.
	exactly "case-report --group fields" "case-report -g " $(report_groups)
	exactly "case-report --group field prefix" "case-report --group pl" \
		place place:1 place:2 place:3 place:4
	# readline replaces only the text after the last ':'.
	exactly "case-report --group place:N" "case-report -g place:" 1 2 3 4
	exactly "case-report --group second field" \
		"case-report -g place:4,mo" "4,month"
	exactly "case-report --group= second field" \
		"case-report --group=kind,c" "kind,category"
	exactly "case-report --columns names" "case-report -l -c " \
		$(c_words report.c case_report_columns)
	exactly "case-report --columns figures, without --list" "case-report -c " \
		$(c_words report.c case_report_figures)
	exactly "case-report --columns figures after a comma" \
		"case-report -g kind --columns opened,on" "opened,on_time_pct"
	exactly "case-report --columns after commas" \
		"case-report -l --columns id,status,su" "id,status,summary"
	exactly "case-report --columns= after a comma" \
		"case-report -l --columns=id,opened" "id,opened_at"
	exactly "case-report --format values" "case-report -l -F " \
		text csv tsv json xlsx open311
	exactly "case-report --kind values" "case-report -k " \
		dispute hazard request
	exactly "case-report --status values" "case-report --status " \
		$(c_words cases.c case_statuses)
	exactly "case-report --status after a comma" "case-report -s open,a" \
		"open,assigned"
	exactly "case-report --priority values" "case-report -p high,l" \
		"high,low"
	exactly "case-report --level values" "case-report --level " 0 1 2 3
	exactly "case-report --since values" "case-report --since y" yesterday
	exactly "case-report --unit codes from --db" \
		"case-report --db $FIX -u p" pcs-qianjin
	exactly "nothing for case-report's search text" "case-report --search "
	exactly "nothing for the ids of --show" "case-report --show "
}

if source "$SRC/completions/bash/case" 2>"$T/err" && [[ ! -s $T/err ]]; then
	ok "the bash completions load cleanly"
else
	not_ok "the bash completions load cleanly"
	diag "$(cat "$T/err")"
fi
# Which options case-followup takes with each command, as the binary says:
# an option it refuses with a command is reported as not going with it.
followup_commands() {
	sed -n '/cmd_names\[\] = {/,/NULL/p' "$SRC/cmd/case-followup.c" |
		grep -o '"[a-z]*"' | tr -d '"'
}
declare -A _accepts
followup_values=" $(value_options case-followup | tr '\n' ' ') "
for c in $(followup_commands); do
	for o in $(long_options case-followup); do
		case $o in
		--at) v=now ;;
		--method) v=phone ;;
		--outcome) v=satisfied ;;
		--visit-after | --within) v=1d ;;
		--db) v=$T/none/followup.db ;;
		--format) v=csv ;;
		*) v=x ;;
		esac
		[[ $followup_values == *" $o "* ]] || v=
		case-followup "$c" $o ${v:+"$v"} --db "$T/none/followup.db" \
			</dev/null >/dev/null 2>"$T/err"
		if grep -q 'go with' "$T/err"; then
			_accepts[$c $o]=0
		else
			_accepts[$c $o]=1
		fi
	done
done

# The group fields of case-report, place:N as the completion offers it.
report_groups() {
	c_words report.c case_report_groups |
		sed 's/^place:N$/place:1 place:2 place:3 place:4/'
}

# The binaries, from meson.build.
BINARIES=$(sed -n "/^binaries = \[/,/\]/p" "$SRC/meson.build" |
	grep -o "'case-[a-z]*'" | tr -d "'")

# The function that completes each binary, as complete -p names it.
declare -A _fn
for b in $BINARIES; do
	spec=$(complete -p "$b" 2>/dev/null)
	if [[ $spec =~ -F\ ([^ ]+) ]]; then
		_fn[$b]=${BASH_REMATCH[1]}
		ok "bash completes $b"
	else
		not_ok "bash completes $b"
	fi
done

MODE="plain bash"
run_checks

BC=/usr/share/bash-completion/bash_completion
if [[ -r $BC ]] && source "$BC" && declare -F _init_completion >/dev/null
then
	MODE="bash-completion"
	run_checks
else
	skip "bash-completion is not installed"
fi

if command -v zsh >/dev/null; then
	if zsh -n "$SRC/completions/zsh/_case" 2>"$T/err" &&
		zsh -fc 'fpath=("$1" $fpath); autoload -U compinit;
			compinit -u -D; autoload -U +X _case' \
			zsh "$SRC/completions/zsh" 2>>"$T/err" &&
		[[ ! -s $T/err ]]; then
		ok "the zsh completion parses and loads"
	else
		not_ok "the zsh completion parses and loads"
		diag "$(cat "$T/err")"
	fi
	# compinit reads the #compdef line: every binary is completed by
	# _case.
	got=$(zsh -fc 'fpath=("$1" $fpath); autoload -U compinit;
		compinit -u -D; shift; for b; print -r -- "$b=$_comps[$b]"' \
		zsh "$SRC/completions/zsh" $BINARIES 2>&1)
	want=$(for b in $BINARIES; do echo "$b=_case"; done)
	if [[ $got == "$want" ]]; then
		ok "zsh completes every binary with _case"
	else
		not_ok "zsh completes every binary with _case"
		diag "$got"
	fi
	# Every binary has its function and a branch in the dispatch.
	missing=
	for b in $BINARIES; do
		grep -q "^_case_${b#case-}() {" "$SRC/completions/zsh/_case" &&
			grep -q "($b) _case_${b#case-} " "$SRC/completions/zsh/_case" ||
			missing+=" $b"
	done
	if [[ -z $missing ]]; then
		ok "the zsh completion has a function for every binary"
	else
		not_ok "the zsh completion has a function for every binary"
		diag "missing:$missing"
	fi
else
	skip "zsh is not installed"
	skip "zsh is not installed"
	skip "zsh is not installed"
fi

if command -v fish >/dev/null; then
	if fish -n "$SRC"/completions/fish/*.fish \
		"$SRC"/completions/fish/functions/*.fish 2>"$T/err" &&
		[[ ! -s $T/err ]]; then
		ok "the fish completions parse"
	else
		not_ok "the fish completions parse"
		diag "$(cat "$T/err")"
	fi
	missing=
	for b in $BINARIES; do
		[[ -f $SRC/completions/fish/$b.fish ]] || missing+=" $b"
	done
	if [[ -z $missing ]]; then
		ok "there is a fish completion for every binary"
	else
		not_ok "there is a fish completion for every binary"
		diag "missing:$missing"
	fi
	# fish's own completion of a line, with the files loaded as fish
	# loads them, by the binary's name.
	fish_has() {
		local name=$1 line=$2 w missing=
		shift 2
		fish --no-config -c 'set fish_complete_path $argv[1] $fish_complete_path
			set fish_function_path $argv[1]/functions $fish_function_path
			complete -C $argv[2]' "$SRC/completions/fish" "$line" \
			>"$T/fish" 2>"$T/err"
		for w in "$@"; do
			cut -f1 "$T/fish" | grep -qxF -- "$w" || missing+=" $w"
		done
		if [[ -z $missing && ! -s $T/err ]]; then
			ok "fish: $name"
		else
			not_ok "fish: $name"
			diag "line: '$line'" "missing:$missing" \
				"offered: $(cut -f1 "$T/fish" | tr '\n' ' ')" \
				"stderr: $(cat "$T/err")"
		fi
	}
	for b in $BINARIES; do
		fish_has "$b offers all its long options" "$b --" \
			$(long_options "$b")
	done
	fish_has "case-followup commands" "case-followup " \
		$(followup_commands)
	fish_has "case-followup visit outcomes" "case-followup visit -o " \
		$(c_words cases.c case_outcomes)
	fish_has "case-assign unit codes from --db" "case-assign --db $FIX -u " \
		grid-g07 pcs-qianjin
	fish_has "case-report --group after a comma" \
		"case-report --group kind,mo" kind,month
	fish_has "case-report --columns after a comma" \
		"case-report -l -c id,su" id,summary
	fish_has "case-report --columns figures without --list" \
		"case-report -c opened,sat" opened,satisfied_pct
	fish_has "case-admin subcommands" "case-admin unit " add list import
else
	skip "fish is not installed"
fi

done_testing
