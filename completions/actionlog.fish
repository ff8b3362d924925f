# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_actionlog_global_optspecs
    string join \n l/log= node-id= o/format= color= rules= archive= local-time h/help V/version
end

function __fish_actionlog_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_actionlog_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_actionlog_using_subcommand
    set -l cmd (__fish_actionlog_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c actionlog -n "__fish_actionlog_needs_command" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_needs_command" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_needs_command" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_needs_command" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_needs_command" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_needs_command" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_needs_command" -s V -l version -d 'Print version'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "add" -d 'Add an action to the log'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "add-reason" -d 'Add reasons to actions that are in the log'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "change-meta" -d 'Change the meta of one action, or of many'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "remove-reason" -d 'Remove a reason from actions'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "generate-id" -d 'Print new action IDs'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "order" -d 'Print the log\'s entries in order'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "get" -d 'Print the entry with this ID (exits with 1 if it is not in the log)'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "merge" -d 'Bring the entries of another node\'s log into this one'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "import" -d 'Bring in the actions a Logux server logged'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "export" -d 'Print entries for another node: in added order (the order Logux sends them), each as [action, meta] with only the meta keys that travel (id, time, subprotocol). Takes the filters of `order`; --since-added N keeps the entries added after N, such as the `sent` of `synced`'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "synced" -d 'Print or set the log\'s lastSynced: the `added` numbers of the newest entries sent to and received from the other node, kept in the log\'s header line. Setting it rewrites the file'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "sync" -d 'Synchronise this log with a Logux server, as a client node'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "serve" -d 'Serve this log to Logux clients over WebSocket (ws://)'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "check" -d 'Check the log file and report every problem, not only the first'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "stats" -d 'Count the log\'s entries by action type, reason, node, user and index'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "parse-id" -d 'Split a node ID or an action ID into its parts'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "is-older" -d 'Exit with 0 if action A is older than action B, else with 1'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "repl" -d 'Work on a log interactively'
complete -c actionlog -n "__fish_actionlog_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s m -l meta -d 'Meta for the action, a JSON object' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s r -l reason -d 'A reason to keep the action (repeatable)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l keep-last -d 'Keep only the newest action with this reason' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l id -d 'The action ID, "<ms> <node ID> <counter>" [default: a new one]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l time -d 'Creation time in milliseconds [default: from the ID]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s i -l index -d 'A secondary list the action belongs to (repeatable)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l subprotocol -d 'The application\'s protocol version the action is written for: a number, as @logux/core 0.10 writes it (2), or a version string of older Logux ("1.0.0")' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s n -l dry-run -d 'Print what would happen; change nothing'
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l id -d 'Only the action with this ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l ids -d 'Only actions with one of these IDs (repeatable); `-` reads them from stdin, one a line' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -s i -l index -d 'Only actions in this index' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l except-index -d 'Only actions not in this index' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l older-than -d 'Only actions older than this one' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l younger-than -d 'Only actions younger than this one' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l min-added -d 'Only actions with "added" at least N' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l max-added -d 'Only actions with "added" at most N' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -s n -l dry-run -d 'Change nothing (there is nothing to print: the summary on a terminal says what would change)'
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand add-reason" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -s n -l dry-run -d 'Print what would happen; change nothing'
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand change-meta" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l id -d 'Only the action with this ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l ids -d 'Only actions with one of these IDs (repeatable); `-` reads them from stdin, one a line' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -s i -l index -d 'Only actions in this index' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l except-index -d 'Only actions not in this index' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l older-than -d 'Only actions older than this one' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l younger-than -d 'Only actions younger than this one' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l min-added -d 'Only actions with "added" at least N' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l max-added -d 'Only actions with "added" at most N' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l alone -d 'Only the actions that REASON alone keeps, which are cleaned; every other action keeps REASON'
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -s n -l dry-run -d 'Print what would happen; change nothing'
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand remove-reason" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -l count -d 'How many IDs to print' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand generate-id" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l by -d 'Which order' -r -f -a "created\t''
added\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s i -l index -d 'Only entries in this index' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l limit -d 'Print at most the first N entries (after --last and --reverse)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l last -d 'Print only the last N entries' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s r -l reason -d 'Only entries kept for this reason' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s t -l type -d 'Only this action type; ending in `/`, every type that starts so' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l node -d 'Only actions created by this node ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l user -d 'Only actions of this user (the first part of the node ID)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l since -d 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l until -d 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s m -l meta -d 'Only entries whose meta KEY equals VALUE: JSON, or else a string' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s a -l action -d 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l archived -d 'Also the entries in the archive (--archive) that are no longer in the log'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l reverse -d 'Print in the opposite order: newest first'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s c -l count -d 'Print how many entries there are instead of the entries'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s e -l exit-status -d 'Exit with 1 when no entry is printed, as `jq -e` does'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s f -l follow -d 'Then print every entry that enters the log, as it comes, until stopped (Ctrl-C). Rewrites by other commands print nothing twice'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand order" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -l archived -d 'Look in the archive (--archive) too, for an entry no longer in the log'
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -l time-fix -d 'Milliseconds added to every incoming time: the other node\'s clock difference, as Logux applies it on receipt' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -s r -l reason -d 'A reason for every incoming entry (repeatable)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -s n -l dry-run -d 'Print what would happen; change nothing'
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l from -d 'What wrote the lines' -r -f -a "logux-server\t'The JSON log of @logux/server (`logger: \'json\'`): each "Action was added" line is an entry'"
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s r -l reason -d 'A reason for every imported entry (repeatable)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l kept-for -d 'Only entries kept for this reason' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s t -l type -d 'Only this action type; ending in `/`, every type that starts so' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l node -d 'Only actions created by this node ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l user -d 'Only actions of this user (the first part of the node ID)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l since -d 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l until -d 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s m -l meta -d 'Only entries whose meta KEY equals VALUE: JSON, or else a string' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s a -l action -d 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s n -l dry-run -d 'Print what would happen; change nothing'
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l since-added -d 'Only entries added after this `added` number' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s r -l reason -d 'Only entries kept for this reason' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s t -l type -d 'Only this action type; ending in `/`, every type that starts so' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l node -d 'Only actions created by this node ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l user -d 'Only actions of this user (the first part of the node ID)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l since -d 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l until -d 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s m -l meta -d 'Only entries whose meta KEY equals VALUE: JSON, or else a string' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s a -l action -d 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l sent -d 'Set `sent` to N' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l received -d 'Set `received` to N' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -s n -l dry-run -d 'Print what would happen; change nothing'
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand synced" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l token -d 'The token the server checks the node ID against' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l subprotocol -d 'The application\'s protocol version this node speaks: a number, as @logux/core 0.10 sends it' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l subscribe -d 'Subscribe to this channel (repeatable), as @logux/client does' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s r -l reason -d 'A reason for every received entry (repeatable)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l ca -d 'Trust the certificates in this PEM file for wss://, instead of the system\'s' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l timeout -d 'How long to wait for each answer, in milliseconds' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l ping -d 'Ping the server after this many idle milliseconds' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l kept-for -d 'Only entries kept for this reason' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s t -l type -d 'Only this action type; ending in `/`, every type that starts so' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l node -d 'Only actions created by this node ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l user -d 'Only actions of this user (the first part of the node ID)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l since -d 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l until -d 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s m -l meta -d 'Only entries whose meta KEY equals VALUE: JSON, or else a string' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s a -l action -d 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s f -l follow -d 'Stay connected, print every event as it happens, reconnect after a dropped connection; SIGINT or SIGTERM end it'
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l listen -d 'Where to listen: loopback unless asked' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l token -d 'The token every client must give' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l tokens -d 'A JSON file mapping user IDs to their tokens: {"10": "secret"}' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l subprotocol -d 'The application\'s protocol version this node speaks (a number)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l min-subprotocol -d 'Refuse clients whose subprotocol is lower (wrong-subprotocol)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -s r -l reason -d 'A reason for every received entry (repeatable)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l max-connections -d 'The most clients connected at once; more are turned away' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l timeout -d 'How long to wait for each answer, in milliseconds' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l ping -d 'Ping a client after this many idle milliseconds' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l output -d 'Where to write the repaired copy (never over an existing file)' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l repair -d 'Write a repaired copy beside the log'
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s r -l reason -d 'Only entries kept for this reason' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s t -l type -d 'Only this action type; ending in `/`, every type that starts so' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l node -d 'Only actions created by this node ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l user -d 'Only actions of this user (the first part of the node ID)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l since -d 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l until -d 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s m -l meta -d 'Only entries whose meta KEY equals VALUE: JSON, or else a string' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s a -l action -d 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand parse-id" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand is-older" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -s l -l log -d 'The log file; `-` reads it from stdin and writes it to stdout' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -l node-id -d 'Node ID for generated action IDs [default: USER:HOST of this machine]' -r
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -s o -l format -d 'Output format [default: table on a terminal, else jsonl]' -r -f -a "table\t'A table of entries or events'
json\t'One JSON document'
jsonl\t'One JSON value per line'"
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -l color -d 'When to colour output' -r -f -a "auto\t'Colour a terminal, unless NO_COLOR is set or TERM is dumb'
always\t''
never\t''"
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -l rules -d 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -l archive -d 'Append every cleaned entry to this JSON-lines file' -r -F
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -l no-save -d 'Leave without saving unsaved changes'
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -l local-time -d 'Show times in tables in this machine\'s time zone (TZ), not UTC'
complete -c actionlog -n "__fish_actionlog_using_subcommand repl" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "add" -d 'Add an action to the log'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "add-reason" -d 'Add reasons to actions that are in the log'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "change-meta" -d 'Change the meta of one action, or of many'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "remove-reason" -d 'Remove a reason from actions'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "generate-id" -d 'Print new action IDs'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "order" -d 'Print the log\'s entries in order'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "get" -d 'Print the entry with this ID (exits with 1 if it is not in the log)'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "merge" -d 'Bring the entries of another node\'s log into this one'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "import" -d 'Bring in the actions a Logux server logged'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "export" -d 'Print entries for another node: in added order (the order Logux sends them), each as [action, meta] with only the meta keys that travel (id, time, subprotocol). Takes the filters of `order`; --since-added N keeps the entries added after N, such as the `sent` of `synced`'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "synced" -d 'Print or set the log\'s lastSynced: the `added` numbers of the newest entries sent to and received from the other node, kept in the log\'s header line. Setting it rewrites the file'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "sync" -d 'Synchronise this log with a Logux server, as a client node'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "serve" -d 'Serve this log to Logux clients over WebSocket (ws://)'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "check" -d 'Check the log file and report every problem, not only the first'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "stats" -d 'Count the log\'s entries by action type, reason, node, user and index'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "parse-id" -d 'Split a node ID or an action ID into its parts'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "is-older" -d 'Exit with 0 if action A is older than action B, else with 1'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "repl" -d 'Work on a log interactively'
complete -c actionlog -n "__fish_actionlog_using_subcommand help; and not __fish_seen_subcommand_from add add-reason change-meta remove-reason generate-id order get merge import export synced sync serve check stats parse-id is-older completions repl help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
