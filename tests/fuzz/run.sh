#!/bin/sh
# Run a fuzz target for meson test.
#
#   run.sh fuzz TARGET SEEDS [DICT]
#	Fuzz for ${FUZZ_SECONDS:-30} seconds, starting from a copy of the
#	seed corpus in a temporary folder, so the checkout is never written.
#	A crash is saved under ${FUZZ_ARTIFACTS:-.}/ and fails the test.
#	With FUZZ_CORPUS set, that folder holds the growing corpus instead,
#	and is kept for the next run.
#   run.sh replay TARGET PATH...
#	Run every file under each PATH through the target once, without
#	fuzzing; a file that still crashes fails the test.
set -eu

mode=$1 target=$2
shift 2

: "${UBSAN_OPTIONS:=halt_on_error=1:print_stacktrace=1}"
export UBSAN_OPTIONS

case $mode in
fuzz)
	seeds=$1 dict=${2:-}
	secs=${FUZZ_SECONDS:-30}
	case $secs in
	'' | *[!0-9]*) echo "run.sh: FUZZ_SECONDS: not a number: $secs" >&2
		exit 2 ;;
	esac
	art=${FUZZ_ARTIFACTS:-.}
	mkdir -p "$art"
	if [ -n "${FUZZ_CORPUS:-}" ]; then
		corpus=$FUZZ_CORPUS
		mkdir -p "$corpus"
	else
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/case-fuzz.XXXXXX")
		trap 'rm -rf "$tmp"' EXIT
		trap 'exit 130' INT TERM
		corpus=$tmp/corpus
		mkdir "$corpus"
	fi
	cp -R "$seeds"/. "$corpus/"
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/$(basename "$target")-"
	[ -n "$dict" ] && set -- "$@" -dict="$dict"
	# The first folder gains what the fuzzer finds; the seeds stay put.
	# libFuzzer exits 77 on a finding, which meson would report as a
	# skipped test: a finding fails.
	rc=0
	"$target" "$@" "$corpus" "$seeds" || rc=$?
	[ "$rc" -ne 77 ] || rc=1
	exit "$rc"
	;;
replay)
	files=$(mktemp "${TMPDIR:-/tmp}/case-fuzz-list.XXXXXX")
	trap 'rm -f "$files"' EXIT
	for p; do
		[ -e "$p" ] && find "$p" -type f ! -name '.*' ! -name README
	done | LC_ALL=C sort >"$files"
	if [ ! -s "$files" ]; then
		echo "run.sh: no inputs under $*" >&2
		exit 1
	fi
	echo "run.sh: replaying $(wc -l <"$files") inputs" >&2
	# Files given one by one: libFuzzer runs each once and stops at the
	# first that faults.
	rc=0
	tr '\n' '\0' <"$files" | xargs -0 "$target" || rc=$?
	# xargs says 123 or 125 for a target that failed; never 77 (skip).
	[ "$rc" -ne 77 ] || rc=1
	exit "$rc"
	;;
*)
	echo "usage: run.sh fuzz TARGET SEEDS [DICT] | run.sh replay TARGET PATH..." >&2
	exit 2
	;;
esac
