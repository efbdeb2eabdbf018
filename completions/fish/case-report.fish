# fish completion for case-report, one of the case toolkit's binaries; the
# others have files of the same shape beside this one.

# The words of a comma-separated list, each after the items already typed
# in the current token (after the = of --option=value).
function __case_report_list
    set -l head (commandline -ct | string replace -r -- '^-[^=]*=' '' | string replace -r -- '[^,]*$' '')
    for w in $argv
        echo $head$w
    end
end

# The operands are the case ids of --show: no file names unless asked for.
complete -c case-report -f

# The options every binary takes (cmd/cli.h), with open311 and geojson for
# lists.
complete -c case-report -l db -r -F -d (__case_d 'Use this database file')
complete -c case-report -l actor -x -d (__case_d 'Author of the journal entries')
complete -c case-report -s F -l format -x -a 'text csv tsv json xlsx open311 geojson svg' -d (__case_d 'Output format')
complete -c case-report -s H -l no-header -d (__case_d 'Leave out the header line')
complete -c case-report -s q -l quiet -d (__case_d 'Print no notes on standard error')
complete -c case-report -s h -l help -d (__case_d 'Print the usage')
complete -c case-report -s V -l version -d (__case_d 'Print the version')

# Modes.
complete -c case-report -s l -l list -d (__case_d 'One row per case')
complete -c case-report -l show -d (__case_d 'One case with its units, visits and timeline')
complete -c case-report -l events -d (__case_d 'The journal as a stream')
complete -c case-report -l after -x -d (__case_d 'Only the events after this event id')
complete -c case-report -s g -l group -x -a '(__case_report_list kind category priority status lead source level place place:1 place:2 place:3 place:4 day week month year)' -d (__case_d 'One row of figures per group (one or two fields)')
complete -c case-report -l bars -d (__case_d 'Draw a bar chart of a figure')
complete -c case-report -l figure -x -a 'opened open overdue resolved closed cancelled on_time_pct median_hours p90_hours visits_done visits_due satisfied_pct closed_unreachable closed_unvisited reopened level1 level2 level3' -d (__case_d 'The figure of the bars or the chart')
complete -c case-report -l brief -d (__case_d 'An HTML briefing with charts')
complete -c case-report -l depth -x -a '1 2 3 4 5' -d (__case_d 'The segments of the places of the briefing')
complete -c case-report -s c -l columns -x -n '__fish_seen_argument -s l -l list' -a '(__case_report_list id ref kind category priority status outcome level lead lead_name place address source summary description reporter contact lat lon opened_at due_at resolved_at closed_at reopened overdue updated_at all)' -d (__case_d 'The columns of the list')
complete -c case-report -s c -l columns -x -n 'not __fish_seen_argument -s l -l list' -a '(__case_report_list opened open overdue resolved closed cancelled on_time_pct median_hours p90_hours visits_done visits_due satisfied_pct closed_unreachable closed_unvisited reopened level1 level2 level3 all)' -d (__case_d 'The figures of the statistics')
complete -c case-report -l exit-status -d (__case_d 'Exit 1 when nothing was listed')
complete -c case-report -l pii -d (__case_d 'Show reporter names, contacts and coordinates')
complete -c case-report -l coarse -d (__case_d 'A map with coordinates rounded to about 100 m')
complete -c case-report -l spreadsheet -d (__case_d 'Neutralise cells that a spreadsheet would run as formulas')

# Filters.
complete -c case-report -s k -l kind -x -a '(__case_report_list dispute hazard request)' -d (__case_d 'Only these kinds')
complete -c case-report -s s -l status -x -a '(__case_report_list open assigned resolved closed cancelled)' -d (__case_d 'Only these statuses')
complete -c case-report -s p -l priority -x -a '(__case_report_list urgent high normal low)' -d (__case_d 'Only these priorities')
complete -c case-report -l category -x -d (__case_d 'Only this category')
complete -c case-report -s u -l unit -x -a '(__case_units)' -d (__case_d 'Only the cases of this unit')
complete -c case-report -l place -x -d (__case_d 'Only places under this prefix')
complete -c case-report -l since -x -a 'now today yesterday tomorrow' -d (__case_d 'Only cases opened at or after')
complete -c case-report -l until -x -a 'now today yesterday tomorrow' -d (__case_d 'Only cases opened before')
complete -c case-report -l overdue -d (__case_d 'Only the cases past their deadline')
complete -c case-report -l level -x -a '0 1 2 3' -d (__case_d 'Only this escalation level')
complete -c case-report -l search -x -d (__case_d 'Only cases whose text holds this')
