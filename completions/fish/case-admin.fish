# fish completion for case-admin, one of the case toolkit's binaries; the
# others have files of the same shape beside this one.

# The operands before the cursor (the first is the command, where there
# is one).
function __case_admin_operands
    __case_operands F --chief --contact --group --parent --place --role --type --unit --db --actor --format
end

# True when the operands so far are exactly the arguments.
function __case_admin_at
    set -l operands (__case_admin_operands)
    test "$operands" = "$argv"
end

# Operands are commands, keys and levels: no file names unless asked for.
complete -c case-admin -f

# The options every binary takes (cmd/cli.h).
__case_common case-admin

# Options of unit add, and --contact of supervisor set.
complete -c case-admin -l chief -x -d (__case_d 'Head of the unit (unit add)')
complete -c case-admin -l contact -x -d (__case_d 'How to reach the unit or supervisor')
complete -c case-admin -l parent -x -a '(__case_units)' -d (__case_d 'The unit above (unit add)')
complete -c case-admin -l place -x -d (__case_d 'Place prefix the unit covers (unit add)')
complete -c case-admin -l type -x -a 'police judicial lawfirm department grid community other' -d (__case_d 'Unit type (unit add)')

# Options of init and member add.
complete -c case-admin -l group -x -a '(__fish_complete_groups)' -d (__case_d 'Share the SQLite file with a Unix group (init)')
complete -c case-admin -l role -x -a 'admin centre unit supervisor analyst' -d (__case_d 'Role of the member (member add)')
complete -c case-admin -l unit -x -a '(__case_units)' -d (__case_d 'A unit of the member (member add)')

# Commands.
complete -c case-admin -n '__case_admin_at' -a init -d (__case_d 'Create the database or upgrade it')
complete -c case-admin -n '__case_admin_at' -a unit -d (__case_d 'Add, list or import units')
complete -c case-admin -n '__case_admin_at' -a supervisor -d (__case_d 'Set or list the escalation supervisors')
complete -c case-admin -n '__case_admin_at' -a policy -d (__case_d 'Show or set the policy durations')
complete -c case-admin -n '__case_admin_at' -a check -d (__case_d 'Check the integrity of the database')
complete -c case-admin -n '__case_admin_at' -a backup -d (__case_d 'Copy the database consistently')
complete -c case-admin -n '__case_admin_at' -a copy -d (__case_d 'Copy everything into a new file or a server database')
complete -c case-admin -n '__case_admin_at' -a member -d (__case_d 'Add, list or remove the members of a server database')

complete -c case-admin -n '__case_admin_at unit' -a add -d (__case_d 'Add a unit')
complete -c case-admin -n '__case_admin_at unit' -a list -d (__case_d 'List the units')
complete -c case-admin -n '__case_admin_at unit' -a import -d (__case_d 'Add or replace units from CSV')
complete -c case-admin -n '__case_admin_at unit import' -F -a '-' -d (__case_d 'CSV file (- for stdin)')

complete -c case-admin -n '__case_admin_at member' -a add -d (__case_d 'Make a login a member with a role')
complete -c case-admin -n '__case_admin_at member' -a list -d (__case_d 'List the members')
complete -c case-admin -n '__case_admin_at member' -a remove -d (__case_d 'Remove a login from the members')

complete -c case-admin -n '__case_admin_at supervisor' -a set -d (__case_d 'Name the supervisor of a level')
complete -c case-admin -n '__case_admin_at supervisor' -a list -d (__case_d 'List the supervisors')
complete -c case-admin -n '__case_admin_at supervisor set' -a '1 2 3' -d (__case_d 'Escalation level')

complete -c case-admin -n '__case_admin_at policy' -a due.urgent -d (__case_d 'Deadline of an urgent case (1d)')
complete -c case-admin -n '__case_admin_at policy' -a due.high -d (__case_d 'Deadline of a high-priority case (3d)')
complete -c case-admin -n '__case_admin_at policy' -a due.normal -d (__case_d 'Deadline of a normal case (7d)')
complete -c case-admin -n '__case_admin_at policy' -a due.low -d (__case_d 'Deadline of a low-priority case (15d)')
complete -c case-admin -n '__case_admin_at policy' -a followup.after -d (__case_d 'First return visit after resolution (7d)')
complete -c case-admin -n '__case_admin_at policy' -a followup.retry -d (__case_d 'Next attempt after an unreachable visit (2d)')
complete -c case-admin -n '__case_admin_at policy' -a followup.attempts -d (__case_d 'Unreachable attempts before closing (3)')
complete -c case-admin -n '__case_admin_at policy' -a escalate.2 -d (__case_d 'Time past due before level 2 (3d)')
complete -c case-admin -n '__case_admin_at policy' -a escalate.3 -d (__case_d 'Time past due before level 3 (7d)')

complete -c case-admin -n '__case_admin_at backup' -F -d (__case_d 'Backup file')
complete -c case-admin -n '__case_admin_at copy' -F -d (__case_d 'New file or postgresql:// URI')
