
use builtin;
use str;

set edit:completion:arg-completer[actionlog] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'actionlog'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'actionlog'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add an action to the log'
            cand add-reason 'Add reasons to actions that are in the log'
            cand change-meta 'Change the meta of one action, or of many'
            cand remove-reason 'Remove a reason from actions'
            cand generate-id 'Print new action IDs'
            cand order 'Print the log''s entries in order'
            cand get 'Print the entry with this ID (exits with 1 if it is not in the log)'
            cand merge 'Bring the entries of another node''s log into this one'
            cand import 'Bring in the actions a Logux server logged'
            cand export 'Print entries for another node: in added order (the order Logux sends them), each as [action, meta] with only the meta keys that travel (id, time, subprotocol). Takes the filters of `order`; --since-added N keeps the entries added after N, such as the `sent` of `synced`'
            cand synced 'Print or set the log''s lastSynced: the `added` numbers of the newest entries sent to and received from the other node, kept in the log''s header line. Setting it rewrites the file'
            cand sync 'Synchronise this log with a Logux server, as a client node'
            cand serve 'Serve this log to Logux clients over WebSocket (ws://)'
            cand check 'Check the log file and report every problem, not only the first'
            cand stats 'Count the log''s entries by action type, reason, node, user and index'
            cand parse-id 'Split a node ID or an action ID into its parts'
            cand is-older 'Exit with 0 if action A is older than action B, else with 1'
            cand completions 'Print the completion script for a shell'
            cand repl 'Work on a log interactively'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'actionlog;add'= {
            cand -m 'Meta for the action, a JSON object'
            cand --meta 'Meta for the action, a JSON object'
            cand -r 'A reason to keep the action (repeatable)'
            cand --reason 'A reason to keep the action (repeatable)'
            cand --keep-last 'Keep only the newest action with this reason'
            cand --id 'The action ID, "<ms> <node ID> <counter>" [default: a new one]'
            cand --time 'Creation time in milliseconds [default: from the ID]'
            cand -i 'A secondary list the action belongs to (repeatable)'
            cand --index 'A secondary list the action belongs to (repeatable)'
            cand --subprotocol 'The application''s protocol version the action is written for: a number, as @logux/core 0.10 writes it (2), or a version string of older Logux ("1.0.0")'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -n 'Print what would happen; change nothing'
            cand --dry-run 'Print what would happen; change nothing'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;add-reason'= {
            cand --id 'Only the action with this ID'
            cand --ids 'Only actions with one of these IDs (repeatable); `-` reads them from stdin, one a line'
            cand -i 'Only actions in this index'
            cand --index 'Only actions in this index'
            cand --except-index 'Only actions not in this index'
            cand --older-than 'Only actions older than this one'
            cand --younger-than 'Only actions younger than this one'
            cand --min-added 'Only actions with "added" at least N'
            cand --max-added 'Only actions with "added" at most N'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -n 'Change nothing (there is nothing to print: the summary on a terminal says what would change)'
            cand --dry-run 'Change nothing (there is nothing to print: the summary on a terminal says what would change)'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;change-meta'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -n 'Print what would happen; change nothing'
            cand --dry-run 'Print what would happen; change nothing'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;remove-reason'= {
            cand --id 'Only the action with this ID'
            cand --ids 'Only actions with one of these IDs (repeatable); `-` reads them from stdin, one a line'
            cand -i 'Only actions in this index'
            cand --index 'Only actions in this index'
            cand --except-index 'Only actions not in this index'
            cand --older-than 'Only actions older than this one'
            cand --younger-than 'Only actions younger than this one'
            cand --min-added 'Only actions with "added" at least N'
            cand --max-added 'Only actions with "added" at most N'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --alone 'Only the actions that REASON alone keeps, which are cleaned; every other action keeps REASON'
            cand -n 'Print what would happen; change nothing'
            cand --dry-run 'Print what would happen; change nothing'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;generate-id'= {
            cand --count 'How many IDs to print'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;order'= {
            cand --by 'Which order'
            cand -i 'Only entries in this index'
            cand --index 'Only entries in this index'
            cand --limit 'Print at most the first N entries (after --last and --reverse)'
            cand --last 'Print only the last N entries'
            cand -r 'Only entries kept for this reason'
            cand --reason 'Only entries kept for this reason'
            cand -t 'Only this action type; ending in `/`, every type that starts so'
            cand --type 'Only this action type; ending in `/`, every type that starts so'
            cand --node 'Only actions created by this node ID'
            cand --user 'Only actions of this user (the first part of the node ID)'
            cand --since 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID'
            cand --until 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID'
            cand -m 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand --meta 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand -a 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand --action 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --archived 'Also the entries in the archive (--archive) that are no longer in the log'
            cand --reverse 'Print in the opposite order: newest first'
            cand -c 'Print how many entries there are instead of the entries'
            cand --count 'Print how many entries there are instead of the entries'
            cand -e 'Exit with 1 when no entry is printed, as `jq -e` does'
            cand --exit-status 'Exit with 1 when no entry is printed, as `jq -e` does'
            cand -f 'Then print every entry that enters the log, as it comes, until stopped (Ctrl-C). Rewrites by other commands print nothing twice'
            cand --follow 'Then print every entry that enters the log, as it comes, until stopped (Ctrl-C). Rewrites by other commands print nothing twice'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;get'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --archived 'Look in the archive (--archive) too, for an entry no longer in the log'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;merge'= {
            cand --time-fix 'Milliseconds added to every incoming time: the other node''s clock difference, as Logux applies it on receipt'
            cand -r 'A reason for every incoming entry (repeatable)'
            cand --reason 'A reason for every incoming entry (repeatable)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -n 'Print what would happen; change nothing'
            cand --dry-run 'Print what would happen; change nothing'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;import'= {
            cand --from 'What wrote the lines'
            cand -r 'A reason for every imported entry (repeatable)'
            cand --reason 'A reason for every imported entry (repeatable)'
            cand --kept-for 'Only entries kept for this reason'
            cand -t 'Only this action type; ending in `/`, every type that starts so'
            cand --type 'Only this action type; ending in `/`, every type that starts so'
            cand --node 'Only actions created by this node ID'
            cand --user 'Only actions of this user (the first part of the node ID)'
            cand --since 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID'
            cand --until 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID'
            cand -m 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand --meta 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand -a 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand --action 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -n 'Print what would happen; change nothing'
            cand --dry-run 'Print what would happen; change nothing'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;export'= {
            cand --since-added 'Only entries added after this `added` number'
            cand -r 'Only entries kept for this reason'
            cand --reason 'Only entries kept for this reason'
            cand -t 'Only this action type; ending in `/`, every type that starts so'
            cand --type 'Only this action type; ending in `/`, every type that starts so'
            cand --node 'Only actions created by this node ID'
            cand --user 'Only actions of this user (the first part of the node ID)'
            cand --since 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID'
            cand --until 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID'
            cand -m 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand --meta 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand -a 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand --action 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;synced'= {
            cand --sent 'Set `sent` to N'
            cand --received 'Set `received` to N'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -n 'Print what would happen; change nothing'
            cand --dry-run 'Print what would happen; change nothing'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;sync'= {
            cand --token 'The token the server checks the node ID against'
            cand --subprotocol 'The application''s protocol version this node speaks: a number, as @logux/core 0.10 sends it'
            cand --subscribe 'Subscribe to this channel (repeatable), as @logux/client does'
            cand -r 'A reason for every received entry (repeatable)'
            cand --reason 'A reason for every received entry (repeatable)'
            cand --ca 'Trust the certificates in this PEM file for wss://, instead of the system''s'
            cand --timeout 'How long to wait for each answer, in milliseconds'
            cand --ping 'Ping the server after this many idle milliseconds'
            cand --kept-for 'Only entries kept for this reason'
            cand -t 'Only this action type; ending in `/`, every type that starts so'
            cand --type 'Only this action type; ending in `/`, every type that starts so'
            cand --node 'Only actions created by this node ID'
            cand --user 'Only actions of this user (the first part of the node ID)'
            cand --since 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID'
            cand --until 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID'
            cand -m 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand --meta 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand -a 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand --action 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand -f 'Stay connected, print every event as it happens, reconnect after a dropped connection; SIGINT or SIGTERM end it'
            cand --follow 'Stay connected, print every event as it happens, reconnect after a dropped connection; SIGINT or SIGTERM end it'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;serve'= {
            cand --listen 'Where to listen: loopback unless asked'
            cand --token 'The token every client must give'
            cand --tokens 'A JSON file mapping user IDs to their tokens: {"10": "secret"}'
            cand --subprotocol 'The application''s protocol version this node speaks (a number)'
            cand --min-subprotocol 'Refuse clients whose subprotocol is lower (wrong-subprotocol)'
            cand -r 'A reason for every received entry (repeatable)'
            cand --reason 'A reason for every received entry (repeatable)'
            cand --max-connections 'The most clients connected at once; more are turned away'
            cand --timeout 'How long to wait for each answer, in milliseconds'
            cand --ping 'Ping a client after this many idle milliseconds'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;check'= {
            cand --output 'Where to write the repaired copy (never over an existing file)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --repair 'Write a repaired copy beside the log'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;stats'= {
            cand -r 'Only entries kept for this reason'
            cand --reason 'Only entries kept for this reason'
            cand -t 'Only this action type; ending in `/`, every type that starts so'
            cand --type 'Only this action type; ending in `/`, every type that starts so'
            cand --node 'Only actions created by this node ID'
            cand --user 'Only actions of this user (the first part of the node ID)'
            cand --since 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID'
            cand --until 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID'
            cand -m 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand --meta 'Only entries whose meta KEY equals VALUE: JSON, or else a string'
            cand -a 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand --action 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)'
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;parse-id'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;is-older'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;completions'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;repl'= {
            cand -l 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --log 'The log file; `-` reads it from stdin and writes it to stdout'
            cand --node-id 'Node ID for generated action IDs [default: USER:HOST of this machine]'
            cand -o 'Output format [default: table on a terminal, else jsonl]'
            cand --format 'Output format [default: table on a terminal, else jsonl]'
            cand --color 'When to colour output'
            cand --rules 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file'
            cand --archive 'Append every cleaned entry to this JSON-lines file'
            cand --no-save 'Leave without saving unsaved changes'
            cand --local-time 'Show times in tables in this machine''s time zone (TZ), not UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'actionlog;help'= {
            cand add 'Add an action to the log'
            cand add-reason 'Add reasons to actions that are in the log'
            cand change-meta 'Change the meta of one action, or of many'
            cand remove-reason 'Remove a reason from actions'
            cand generate-id 'Print new action IDs'
            cand order 'Print the log''s entries in order'
            cand get 'Print the entry with this ID (exits with 1 if it is not in the log)'
            cand merge 'Bring the entries of another node''s log into this one'
            cand import 'Bring in the actions a Logux server logged'
            cand export 'Print entries for another node: in added order (the order Logux sends them), each as [action, meta] with only the meta keys that travel (id, time, subprotocol). Takes the filters of `order`; --since-added N keeps the entries added after N, such as the `sent` of `synced`'
            cand synced 'Print or set the log''s lastSynced: the `added` numbers of the newest entries sent to and received from the other node, kept in the log''s header line. Setting it rewrites the file'
            cand sync 'Synchronise this log with a Logux server, as a client node'
            cand serve 'Serve this log to Logux clients over WebSocket (ws://)'
            cand check 'Check the log file and report every problem, not only the first'
            cand stats 'Count the log''s entries by action type, reason, node, user and index'
            cand parse-id 'Split a node ID or an action ID into its parts'
            cand is-older 'Exit with 0 if action A is older than action B, else with 1'
            cand completions 'Print the completion script for a shell'
            cand repl 'Work on a log interactively'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'actionlog;help;add'= {
        }
        &'actionlog;help;add-reason'= {
        }
        &'actionlog;help;change-meta'= {
        }
        &'actionlog;help;remove-reason'= {
        }
        &'actionlog;help;generate-id'= {
        }
        &'actionlog;help;order'= {
        }
        &'actionlog;help;get'= {
        }
        &'actionlog;help;merge'= {
        }
        &'actionlog;help;import'= {
        }
        &'actionlog;help;export'= {
        }
        &'actionlog;help;synced'= {
        }
        &'actionlog;help;sync'= {
        }
        &'actionlog;help;serve'= {
        }
        &'actionlog;help;check'= {
        }
        &'actionlog;help;stats'= {
        }
        &'actionlog;help;parse-id'= {
        }
        &'actionlog;help;is-older'= {
        }
        &'actionlog;help;completions'= {
        }
        &'actionlog;help;repl'= {
        }
        &'actionlog;help;help'= {
        }
    ]
    $completions[$command]
}
