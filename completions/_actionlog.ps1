
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'actionlog' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'actionlog'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'actionlog' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an action to the log')
            [CompletionResult]::new('add-reason', 'add-reason', [CompletionResultType]::ParameterValue, 'Add reasons to actions that are in the log')
            [CompletionResult]::new('change-meta', 'change-meta', [CompletionResultType]::ParameterValue, 'Change the meta of one action, or of many')
            [CompletionResult]::new('remove-reason', 'remove-reason', [CompletionResultType]::ParameterValue, 'Remove a reason from actions')
            [CompletionResult]::new('generate-id', 'generate-id', [CompletionResultType]::ParameterValue, 'Print new action IDs')
            [CompletionResult]::new('order', 'order', [CompletionResultType]::ParameterValue, 'Print the log''s entries in order')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the entry with this ID (exits with 1 if it is not in the log)')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Bring the entries of another node''s log into this one')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring in the actions a Logux server logged')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print entries for another node: in added order (the order Logux sends them), each as [action, meta] with only the meta keys that travel (id, time, subprotocol). Takes the filters of `order`; --since-added N keeps the entries added after N, such as the `sent` of `synced`')
            [CompletionResult]::new('synced', 'synced', [CompletionResultType]::ParameterValue, 'Print or set the log''s lastSynced: the `added` numbers of the newest entries sent to and received from the other node, kept in the log''s header line. Setting it rewrites the file')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Synchronise this log with a Logux server, as a client node')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve this log to Logux clients over WebSocket (ws://)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the log file and report every problem, not only the first')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count the log''s entries by action type, reason, node, user and index')
            [CompletionResult]::new('parse-id', 'parse-id', [CompletionResultType]::ParameterValue, 'Split a node ID or an action ID into its parts')
            [CompletionResult]::new('is-older', 'is-older', [CompletionResultType]::ParameterValue, 'Exit with 0 if action A is older than action B, else with 1')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'Work on a log interactively')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'actionlog;add' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Meta for the action, a JSON object')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'Meta for the action, a JSON object')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A reason to keep the action (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'A reason to keep the action (repeatable)')
            [CompletionResult]::new('--keep-last', '--keep-last', [CompletionResultType]::ParameterName, 'Keep only the newest action with this reason')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'The action ID, "<ms> <node ID> <counter>" [default: a new one]')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'Creation time in milliseconds [default: from the ID]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A secondary list the action belongs to (repeatable)')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'A secondary list the action belongs to (repeatable)')
            [CompletionResult]::new('--subprotocol', '--subprotocol', [CompletionResultType]::ParameterName, 'The application''s protocol version the action is written for: a number, as @logux/core 0.10 writes it (2), or a version string of older Logux ("1.0.0")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;add-reason' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only the action with this ID')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Only actions with one of these IDs (repeatable); `-` reads them from stdin, one a line')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Only actions in this index')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Only actions in this index')
            [CompletionResult]::new('--except-index', '--except-index', [CompletionResultType]::ParameterName, 'Only actions not in this index')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only actions older than this one')
            [CompletionResult]::new('--younger-than', '--younger-than', [CompletionResultType]::ParameterName, 'Only actions younger than this one')
            [CompletionResult]::new('--min-added', '--min-added', [CompletionResultType]::ParameterName, 'Only actions with "added" at least N')
            [CompletionResult]::new('--max-added', '--max-added', [CompletionResultType]::ParameterName, 'Only actions with "added" at most N')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Change nothing (there is nothing to print: the summary on a terminal says what would change)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing (there is nothing to print: the summary on a terminal says what would change)')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;change-meta' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;remove-reason' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only the action with this ID')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Only actions with one of these IDs (repeatable); `-` reads them from stdin, one a line')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Only actions in this index')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Only actions in this index')
            [CompletionResult]::new('--except-index', '--except-index', [CompletionResultType]::ParameterName, 'Only actions not in this index')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only actions older than this one')
            [CompletionResult]::new('--younger-than', '--younger-than', [CompletionResultType]::ParameterName, 'Only actions younger than this one')
            [CompletionResult]::new('--min-added', '--min-added', [CompletionResultType]::ParameterName, 'Only actions with "added" at least N')
            [CompletionResult]::new('--max-added', '--max-added', [CompletionResultType]::ParameterName, 'Only actions with "added" at most N')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--alone', '--alone', [CompletionResultType]::ParameterName, 'Only the actions that REASON alone keeps, which are cleaned; every other action keeps REASON')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;generate-id' {
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many IDs to print')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;order' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Which order')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Only entries in this index')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Only entries in this index')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most the first N entries (after --last and --reverse)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Print only the last N entries')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only actions created by this node ID')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only actions of this user (the first part of the node ID)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--archived', '--archived', [CompletionResultType]::ParameterName, 'Also the entries in the archive (--archive) that are no longer in the log')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Print in the opposite order: newest first')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print how many entries there are instead of the entries')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print how many entries there are instead of the entries')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Exit with 1 when no entry is printed, as `jq -e` does')
            [CompletionResult]::new('--exit-status', '--exit-status', [CompletionResultType]::ParameterName, 'Exit with 1 when no entry is printed, as `jq -e` does')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Then print every entry that enters the log, as it comes, until stopped (Ctrl-C). Rewrites by other commands print nothing twice')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Then print every entry that enters the log, as it comes, until stopped (Ctrl-C). Rewrites by other commands print nothing twice')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;get' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--archived', '--archived', [CompletionResultType]::ParameterName, 'Look in the archive (--archive) too, for an entry no longer in the log')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;merge' {
            [CompletionResult]::new('--time-fix', '--time-fix', [CompletionResultType]::ParameterName, 'Milliseconds added to every incoming time: the other node''s clock difference, as Logux applies it on receipt')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A reason for every incoming entry (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'A reason for every incoming entry (repeatable)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;import' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'What wrote the lines')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A reason for every imported entry (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'A reason for every imported entry (repeatable)')
            [CompletionResult]::new('--kept-for', '--kept-for', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only actions created by this node ID')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only actions of this user (the first part of the node ID)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;export' {
            [CompletionResult]::new('--since-added', '--since-added', [CompletionResultType]::ParameterName, 'Only entries added after this `added` number')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only actions created by this node ID')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only actions of this user (the first part of the node ID)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;synced' {
            [CompletionResult]::new('--sent', '--sent', [CompletionResultType]::ParameterName, 'Set `sent` to N')
            [CompletionResult]::new('--received', '--received', [CompletionResultType]::ParameterName, 'Set `received` to N')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would happen; change nothing')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;sync' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The token the server checks the node ID against')
            [CompletionResult]::new('--subprotocol', '--subprotocol', [CompletionResultType]::ParameterName, 'The application''s protocol version this node speaks: a number, as @logux/core 0.10 sends it')
            [CompletionResult]::new('--subscribe', '--subscribe', [CompletionResultType]::ParameterName, 'Subscribe to this channel (repeatable), as @logux/client does')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A reason for every received entry (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'A reason for every received entry (repeatable)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust the certificates in this PEM file for wss://, instead of the system''s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer, in milliseconds')
            [CompletionResult]::new('--ping', '--ping', [CompletionResultType]::ParameterName, 'Ping the server after this many idle milliseconds')
            [CompletionResult]::new('--kept-for', '--kept-for', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only actions created by this node ID')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only actions of this user (the first part of the node ID)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Stay connected, print every event as it happens, reconnect after a dropped connection; SIGINT or SIGTERM end it')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Stay connected, print every event as it happens, reconnect after a dropped connection; SIGINT or SIGTERM end it')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Where to listen: loopback unless asked')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The token every client must give')
            [CompletionResult]::new('--tokens', '--tokens', [CompletionResultType]::ParameterName, 'A JSON file mapping user IDs to their tokens: {"10": "secret"}')
            [CompletionResult]::new('--subprotocol', '--subprotocol', [CompletionResultType]::ParameterName, 'The application''s protocol version this node speaks (a number)')
            [CompletionResult]::new('--min-subprotocol', '--min-subprotocol', [CompletionResultType]::ParameterName, 'Refuse clients whose subprotocol is lower (wrong-subprotocol)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A reason for every received entry (repeatable)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'A reason for every received entry (repeatable)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'The most clients connected at once; more are turned away')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for each answer, in milliseconds')
            [CompletionResult]::new('--ping', '--ping', [CompletionResultType]::ParameterName, 'Ping a client after this many idle milliseconds')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;check' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the repaired copy (never over an existing file)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Write a repaired copy beside the log')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;stats' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Only entries kept for this reason')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this action type; ending in `/`, every type that starts so')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only actions created by this node ID')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only actions of this user (the first part of the node ID)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only actions created at or after this time: ms, an ISO 8601 date (2026-11-23, 2026-11-23T10:15:00Z) or an action ID')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only actions created at or before this time: ms, an ISO 8601 date or an action ID')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'Only entries whose meta KEY equals VALUE: JSON, or else a string')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only actions whose field KEY (a.b for nested keys) equals VALUE: JSON, or else a string (--action channelId=c15)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;parse-id' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;is-older' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;completions' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;repl' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The log file; `-` reads it from stdin and writes it to stdout')
            [CompletionResult]::new('--node-id', '--node-id', [CompletionResultType]::ParameterName, 'Node ID for generated action IDs [default: USER:HOST of this machine]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, else jsonl]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules for every added or merged action (reasons, keepLast, indexes, resend, history by action type), a JSON file')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Append every cleaned entry to this JSON-lines file')
            [CompletionResult]::new('--no-save', '--no-save', [CompletionResultType]::ParameterName, 'Leave without saving unsaved changes')
            [CompletionResult]::new('--local-time', '--local-time', [CompletionResultType]::ParameterName, 'Show times in tables in this machine''s time zone (TZ), not UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'actionlog;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an action to the log')
            [CompletionResult]::new('add-reason', 'add-reason', [CompletionResultType]::ParameterValue, 'Add reasons to actions that are in the log')
            [CompletionResult]::new('change-meta', 'change-meta', [CompletionResultType]::ParameterValue, 'Change the meta of one action, or of many')
            [CompletionResult]::new('remove-reason', 'remove-reason', [CompletionResultType]::ParameterValue, 'Remove a reason from actions')
            [CompletionResult]::new('generate-id', 'generate-id', [CompletionResultType]::ParameterValue, 'Print new action IDs')
            [CompletionResult]::new('order', 'order', [CompletionResultType]::ParameterValue, 'Print the log''s entries in order')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the entry with this ID (exits with 1 if it is not in the log)')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Bring the entries of another node''s log into this one')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring in the actions a Logux server logged')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print entries for another node: in added order (the order Logux sends them), each as [action, meta] with only the meta keys that travel (id, time, subprotocol). Takes the filters of `order`; --since-added N keeps the entries added after N, such as the `sent` of `synced`')
            [CompletionResult]::new('synced', 'synced', [CompletionResultType]::ParameterValue, 'Print or set the log''s lastSynced: the `added` numbers of the newest entries sent to and received from the other node, kept in the log''s header line. Setting it rewrites the file')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Synchronise this log with a Logux server, as a client node')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve this log to Logux clients over WebSocket (ws://)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the log file and report every problem, not only the first')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count the log''s entries by action type, reason, node, user and index')
            [CompletionResult]::new('parse-id', 'parse-id', [CompletionResultType]::ParameterValue, 'Split a node ID or an action ID into its parts')
            [CompletionResult]::new('is-older', 'is-older', [CompletionResultType]::ParameterValue, 'Exit with 0 if action A is older than action B, else with 1')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'Work on a log interactively')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'actionlog;help;add' {
            break
        }
        'actionlog;help;add-reason' {
            break
        }
        'actionlog;help;change-meta' {
            break
        }
        'actionlog;help;remove-reason' {
            break
        }
        'actionlog;help;generate-id' {
            break
        }
        'actionlog;help;order' {
            break
        }
        'actionlog;help;get' {
            break
        }
        'actionlog;help;merge' {
            break
        }
        'actionlog;help;import' {
            break
        }
        'actionlog;help;export' {
            break
        }
        'actionlog;help;synced' {
            break
        }
        'actionlog;help;sync' {
            break
        }
        'actionlog;help;serve' {
            break
        }
        'actionlog;help;check' {
            break
        }
        'actionlog;help;stats' {
            break
        }
        'actionlog;help;parse-id' {
            break
        }
        'actionlog;help;is-older' {
            break
        }
        'actionlog;help;completions' {
            break
        }
        'actionlog;help;repl' {
            break
        }
        'actionlog;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
