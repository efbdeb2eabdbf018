# The options every case binary takes (cmd/cli.h), completed for the
# command named.
function __case_common -a cmd
    complete -c $cmd -l db -r -F -d (__case_d 'Use this database file')
    complete -c $cmd -l actor -x -d (__case_d 'Author of the journal entries')
    complete -c $cmd -s F -l format -x -a 'text csv tsv json xlsx' -d (__case_d 'Output format')
    complete -c $cmd -s H -l no-header -d (__case_d 'Leave out the header line')
    complete -c $cmd -s q -l quiet -d (__case_d 'Print no notes on standard error')
    complete -c $cmd -s h -l help -d (__case_d 'Print the usage')
    complete -c $cmd -s V -l version -d (__case_d 'Print the version')
end
