"""How the CLI prints rows: a table, CSV or JSON, with control characters made visible (publish/safe_text.py)
and CSV formulas inert (publish/cells.py); query results streamed batch by batch, the table format capped."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator

from pipeline.publish.cells import spreadsheet_safe
from pipeline.publish.safe_text import json_safe, visible

TABLE_ROWS = 1000  # the table format lays out every row it shows at once: more goes to --format csv or json
CELL_WIDTH = 60


def _table_cell(value) -> str:
    return visible(("" if value is None else str(value)).replace("\n", " "))


def _csv_cell(value):
    if value is None or isinstance(value, (int, float)):
        return value
    return spreadsheet_safe(visible(str(value), keep_lines=True))


def _json_row(columns: list[str], row: tuple) -> str:
    return json_safe(json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=False, indent=1))


def print_table(columns: list[str], rows: list[tuple], out=None) -> None:
    out = out or sys.stdout
    heads = [_table_cell(c) for c in columns]
    cells = [[_table_cell(v) for v in r] for r in rows]
    widths = [min(CELL_WIDTH, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(heads)]
    print("  ".join(c.ljust(w) for c, w in zip(heads, widths)), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print("  ".join((v if len(v) <= w else v[:w - 1] + "…").ljust(w) for v, w in zip(r, widths)), file=out)


def print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    """Every row at once (small results: facts, diff)."""
    stream_rows(columns, [rows], fmt, limit=None, table_rows=None)


def _capped(batches: Iterable[list], limit: int | None) -> Iterator[tuple]:
    n = 0
    for batch in batches:
        for row in batch:
            if limit is not None and n >= limit:
                return
            n += 1
            yield row


def stream_rows(columns: list[str], batches: Iterable[list], fmt: str, limit: int | None = None,
                table_rows: int | None = TABLE_ROWS) -> bool:
    """Print the rows as they come, at most `limit`; the table format shows at most `table_rows` when no limit
    is given. True when rows were left out by the table cap (not by an explicit limit)."""
    out = sys.stdout
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow([_csv_cell(c) for c in columns])
        for row in _capped(batches, limit):
            writer.writerow([_csv_cell(v) for v in row])
        return False
    if fmt == "json":
        out.write("[")
        for i, row in enumerate(_capped(batches, limit)):
            out.write(("," if i else "") + "\n" + _json_row(columns, row))
        out.write("\n]\n")
        return False
    cap = limit if limit is not None else table_rows
    rows = list(_capped(batches, None if cap is None else cap + 1))
    more = cap is not None and len(rows) > cap
    print_table(columns, rows[:cap] if more else rows)
    return more and limit is None
