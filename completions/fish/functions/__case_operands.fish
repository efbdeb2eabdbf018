# The operands before the cursor: the words of the command line that are
# neither options nor their values.  The first argument holds the short
# options that take a value, which end a cluster such as -nm; the rest
# are the long options that take one.
function __case_operands -a short
    set -l valued $argv
    set -e valued[1]
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    set -l rest 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
        else if test $rest -eq 1
            echo $t
        else
            switch $t
                case --
                    set rest 1
                case '--*'
                    contains -- $t $valued; and set skip 1
                case '-*'
                    string match -qr -- "^-[^-]*[$short]\$" $t; and set skip 1
                case '*'
                    echo $t
            end
        end
    end
end
