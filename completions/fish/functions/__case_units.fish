# The unit codes of the case database, for the case tools' completions:
# read with case-admin, a --db given earlier on the command line winning
# over CASE_DB.  fish loads this function from vendor_functions.d when a
# completion first calls it.
function __case_units
    set -l tokens (commandline -opc)
    set -l db
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --db
                if test $i -lt (count $tokens)
                    set db --db $tokens[(math $i + 1)]
                end
            case '--db=*'
                set db --db (string replace -- --db= '' $tokens[$i])
        end
    end
    case-admin $db unit list --no-header --format tsv 2>/dev/null | cut -f1
end
