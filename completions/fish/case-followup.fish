# fish completion for case-followup, one of the case toolkit's binaries;
# the others have files of the same shape beside this one.

# The operands before the cursor (the first is the command, where there
# is one).
function __case_followup_operands
    __case_operands moF --at --message --method --outcome --place --unit --visit-after --within --db --actor --format
end

# True when no command has been given yet.
function __case_followup_needs_command
    test (count (__case_followup_operands)) -eq 0
end

# True when the command is one of the arguments, or none is given yet
# (options may come before the command).
function __case_followup_using
    set -l operands (__case_followup_operands)
    test (count $operands) -eq 0; and return 0
    contains -- $operands[1] $argv
end

# The operands are a command and case ids: no file names unless asked for.
complete -c case-followup -f

# Commands.
complete -c case-followup -n __case_followup_needs_command -a note -d (__case_d 'Journal a progress note')
complete -c case-followup -n __case_followup_needs_command -a resolve -d (__case_d 'Record that the handling is done')
complete -c case-followup -n __case_followup_needs_command -a visit -d (__case_d 'Record a return visit or call')
complete -c case-followup -n __case_followup_needs_command -a schedule -d (__case_d 'Add another return visit')
complete -c case-followup -n __case_followup_needs_command -a cancel -d (__case_d 'Cancel a case')
complete -c case-followup -n __case_followup_needs_command -a due -d (__case_d 'The agenda of visits due')
complete -c case-followup -n __case_followup_needs_command -a ics -d (__case_d 'The scheduled visits as an iCalendar feed')

# The options every binary takes (cmd/cli.h); ics writes one format only.
complete -c case-followup -l db -r -F -d (__case_d 'Use this database file')
complete -c case-followup -l actor -x -d (__case_d 'Author of the journal entries')
complete -c case-followup -n 'not __case_followup_using ics; or __case_followup_needs_command' -s F -l format -x -a 'text csv tsv json xlsx' -d (__case_d 'Output format')
complete -c case-followup -n 'not __case_followup_using ics; or __case_followup_needs_command' -s H -l no-header -d (__case_d 'Leave out the header line')
complete -c case-followup -s q -l quiet -d (__case_d 'Print no notes on standard error')
complete -c case-followup -s h -l help -d (__case_d 'Print the usage')
complete -c case-followup -s V -l version -d (__case_d 'Print the version')

# Each command's own options (cmd/case-followup.c).
complete -c case-followup -n '__case_followup_using note resolve visit cancel' -s m -l message -x -d (__case_d 'The text to journal')
complete -c case-followup -n '__case_followup_using visit' -s o -l outcome -x -a 'satisfied unsatisfied unreachable' -d (__case_d 'Outcome of the visit')
complete -c case-followup -n '__case_followup_using visit' -l method -x -a 'visit phone sms other' -d (__case_d 'How the visit was made')
complete -c case-followup -n '__case_followup_using resolve' -l visit-after -x -d (__case_d 'First return visit after this duration')
complete -c case-followup -n '__case_followup_using schedule' -l at -x -a 'now today yesterday tomorrow' -d (__case_d 'Time of the visit')
complete -c case-followup -n '__case_followup_using note resolve visit schedule cancel' -s n -l dry-run -d (__case_d 'Check everything, write nothing')
complete -c case-followup -n '__case_followup_using note resolve visit schedule cancel' -l skip-bad -d (__case_d 'Change what can be changed even when some ids fail')
complete -c case-followup -n '__case_followup_using due' -l overdue -d (__case_d 'Also the cases past their deadline')
complete -c case-followup -n '__case_followup_using due' -l unit -x -a '(__case_units)' -d (__case_d 'Only the cases of this unit')
complete -c case-followup -n '__case_followup_using due' -l place -x -d (__case_d 'Only places under this prefix')
complete -c case-followup -n '__case_followup_using due' -l exit-status -d (__case_d 'Exit 1 when nothing is due')
complete -c case-followup -n '__case_followup_using due ics' -l within -x -d (__case_d 'Only what is due within this duration')
complete -c case-followup -n '__case_followup_using ics' -l pii -d (__case_d 'Put reporter names and contacts in the calendar')
