#!/bin/bash
# Tests of the shell completions, in TAP.  The bash functions are driven as
# bash drives them, through COMP_WORDS, COMP_CWORD, COMP_LINE and
# COMP_POINT, once in plain bash and once with bash-completion's helpers
# loaded; unit codes come from a fixture database made with the built
# case-admin.  The zsh and fish files must at least parse.
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

_n=0
_failed=0
ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# The fixture: two units in a database named by --db, and one unit in the
# database of CASE_DB, so that a test can tell which one was read.
FIX=$T/fixture.db
case-admin -q --db "$FIX" init &&
	case-admin --db "$FIX" unit add pcs-qianjin 'Qianjin police station' \
		--type police &&
	case-admin --db "$FIX" unit add grid-g07 'Grid 7' --type grid \
		--parent pcs-qianjin &&
	case-admin --db "$T/other.db" unit add med-cy 'Mediation office' ||
	{
		echo "Bail out! cannot make the fixture database"
		exit 1
	}
mkdir "$T/files"
: >"$T/files/intake.csv"
: >"$T/files/units.csv"

# try_complete LINE: complete LINE as if the cursor were at its end, splitting
# it into COMP_WORDS at blanks and at '=' as bash does; the candidates are
# left in COMPREPLY.
try_complete() {
	local line=$1 w fn
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	for w in $line; do
		while [[ $w == *=* ]]; do
			[[ -n ${w%%=*} ]] && COMP_WORDS+=("${w%%=*}")
			COMP_WORDS+=("=")
			w=${w#*=}
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
		init unit supervisor policy check backup
	exactly "case-admin commands after an option and its value" \
		"case-admin --db $FIX " init unit supervisor policy check backup
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
	exactly "--format values" "case-open -F " text csv tsv json
	exactly "case-admin --format values" "case-admin unit list --format=" \
		text csv tsv json
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
	cd "$OLDPWD" || exit 1
}

if source "$SRC/completions/bash/case" 2>"$T/err" && [[ ! -s $T/err ]]; then
	ok "the bash completions load cleanly"
else
	not_ok "the bash completions load cleanly"
	diag "$(cat "$T/err")"
fi
# The function that completes each binary, as complete -p names it.
declare -A _fn
for b in case-open case-admin; do
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
else
	skip "zsh is not installed"
fi

if command -v fish >/dev/null; then
	if fish -n "$SRC"/completions/fish/*.fish 2>"$T/err" &&
		[[ ! -s $T/err ]]; then
		ok "the fish completions parse"
	else
		not_ok "the fish completions parse"
		diag "$(cat "$T/err")"
	fi
else
	skip "fish is not installed"
fi

echo "1..$_n"
[ "$_failed" -eq 0 ]
