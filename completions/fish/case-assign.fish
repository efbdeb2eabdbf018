# fish completion for case-assign, one of the case toolkit's binaries; the
# others have files of the same shape beside this one.

# The operands are case ids: no file names unless an option asks.
complete -c case-assign -f

# The options every binary takes (cmd/cli.h).
__case_common case-assign

# Dispatch.
complete -c case-assign -s u -l unit -x -a '(__case_units)' -d (__case_d 'Make a unit the lead unit')
complete -c case-assign -s s -l support -x -a '(__case_units)' -d (__case_d 'Add a supporting unit')
complete -c case-assign -s r -l release -x -a '(__case_units)' -d (__case_d 'Take a unit off each case')
complete -c case-assign -l due -x -a 'now today yesterday tomorrow' -d (__case_d 'Set the deadline')
complete -c case-assign -s m -l note -x -d (__case_d 'Journal a note on each case')
complete -c case-assign -l skip-bad -d (__case_d 'Change what can be changed even when some ids fail')
complete -c case-assign -s n -l dry-run -d (__case_d 'Check everything, write nothing')

# Routing and escalation.
complete -c case-assign -l auto -d (__case_d 'Route every open case without a lead unit by its place')
complete -c case-assign -l escalate -d (__case_d 'Raise overdue cases to their supervisors')
complete -c case-assign -l exit-status -d (__case_d 'With --escalate: exit 1 when no case rose')
