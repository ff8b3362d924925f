"""DuckDB doing what `actionlog order --by created` does, for bench/run: the
log's entries sorted by meta.time, then by ID, written to a file, one JSON
value a line as read. Usage: duckdb-order.py LOG OUT"""

import sys

import duckdb

log, out = sys.argv[1], sys.argv[2]
duckdb.connect().execute(
    """
    COPY (
      SELECT json FROM read_json_objects(?, format = 'newline_delimited')
      WHERE json_type(json) = 'ARRAY'
      ORDER BY CAST(json_extract(json, '$[1].time') AS DOUBLE),
               json_extract_string(json, '$[1].id')
    ) TO '"""
    + out.replace("'", "''")
    + """' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')
    """,
    [log],
)
