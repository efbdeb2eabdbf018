# TAP for the shell tests, sourced by tests/cli/lib.sh and by the install
# and completion tests:
#   ok MSG, not_ok MSG, skip MSG   one result line each
#   diag LINE...                   comment lines
#   done_testing                   the plan line; exits 1 if anything failed

_n=0
_failed=0

# printf, not echo: dash's echo would turn a "\n" in a name (a crontab
# line's printf, say) into a line that is not TAP.
ok() { _n=$((_n + 1)); printf 'ok %d - %s\n' "$_n" "$*"; }
not_ok() {
	_n=$((_n + 1))
	_failed=$((_failed + 1))
	printf 'not ok %d - %s\n' "$_n" "$*"
}
skip() { _n=$((_n + 1)); printf 'ok %d # SKIP %s\n' "$_n" "$*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
	exit $?
}
