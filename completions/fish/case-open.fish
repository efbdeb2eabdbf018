# fish completion for case-open, one of the case toolkit's binaries; the
# others have files of the same shape beside this one.

# The summary operand is free text: no file names unless an option asks.
complete -c case-open -f

# The options every binary takes (cmd/cli.h).
__case_common case-open

# The fields of one case.
complete -c case-open -s a -l address -x -d (__case_d 'Street address')
complete -c case-open -l at -x -a 'now today yesterday tomorrow' -d (__case_d 'Opening time')
complete -c case-open -s c -l category -x -d (__case_d 'Category, such as noise or gas')
complete -c case-open -l contact -x -d (__case_d 'How to reach the reporter')
complete -c case-open -s d -l description -x -d (__case_d 'Longer description')
complete -c case-open -l due -x -a 'now today yesterday tomorrow' -d (__case_d 'Deadline')
complete -c case-open -s k -l kind -x -a 'dispute hazard request' -d (__case_d 'Kind of case')
complete -c case-open -l lat -x -d (__case_d 'Latitude, in decimal degrees')
complete -c case-open -l lon -x -d (__case_d 'Longitude, in decimal degrees')
complete -c case-open -s l -l place -x -d (__case_d 'Place path, such as district/street/community/grid')
complete -c case-open -s p -l priority -x -a 'urgent high normal low' -d (__case_d 'Priority')
complete -c case-open -s r -l ref -x -d (__case_d 'External reference, such as a ticket number')
complete -c case-open -l reporter -x -d (__case_d 'Name of the reporter')
complete -c case-open -s s -l source -x -d (__case_d 'How the case came in')

# Importing CSV.
complete -c case-open -s f -l file -r -F -a '-' -d (__case_d 'Import cases from a CSV file (- for stdin)')
complete -c case-open -s m -l map -x -d (__case_d 'Match fields to columns: field=column,...') \
    -a '(string replace -r "[^,]*\$" "" -- (commandline -ct))(string split " " -- "ref kind category summary description priority place address reporter contact source opened_at due_at status lead resolved_at closed_at visited_at visit_outcome visit_method lat lon")='
complete -c case-open -s n -l dry-run -d (__case_d 'Check everything, write nothing')
complete -c case-open -l recode -x -d (__case_d 'Translate a value on import: field:from=to') \
    -a 'kind: priority: status: source: lead: visit_outcome: visit_method:'
complete -c case-open -l skip-bad -d (__case_d 'Import the good rows even when some are bad')
