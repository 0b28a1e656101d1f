"""What changed between two releases: per table, rows added, removed and changed, with examples.

Rows are matched by the table's stable id (pipeline/publish/keys.py); a table without one is compared
as a multiset of whole rows, so an edited row there shows as one removed and one added.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.publish.arrow import read_in_thread
from pipeline.publish.keys import ID_COLUMNS

EXAMPLES = 5


def _tables(release: Path) -> dict[str, Path]:
    manifest = json.loads((Path(release) / "manifest.json").read_text(encoding="utf-8"))
    return {name: Path(release) / entry["file"] for name, entry in manifest["tables"].items()}


def _canonical(value) -> str:
    """One comparable string per cell: lists, dates, NaN and None all compare by content."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if value is None or (isinstance(value, float) and value != value):
        return "null"
    return json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)


def _rows(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    return pd.Series([json.dumps([_canonical(v) for v in row], ensure_ascii=False)
                      for row in df[columns].itertuples(index=False, name=None)], index=df.index, dtype=object)


def _read(path: Path | None) -> pd.DataFrame:
    return read_in_thread(path) if path is not None else pd.DataFrame()


def _changed_columns(old_row: str, new_row: str, columns: list[str]) -> list[str]:
    """The columns whose values differ between two _rows() strings of one key."""
    return [c for c, a, b in zip(columns, json.loads(old_row), json.loads(new_row)) if a != b]


def diff_table(old: pd.DataFrame, new: pd.DataFrame, key: str | None) -> dict:
    # A table missing from one release is an empty table of the other's shape there.
    old = old if len(old.columns) else pd.DataFrame(columns=new.columns)
    new = new if len(new.columns) else pd.DataFrame(columns=old.columns)
    columns = [c for c in new.columns if c in set(old.columns)]
    out = {"rows_old": len(old), "rows_new": len(new), "columns": columns,
           "columns_added": sorted(set(new.columns) - set(old.columns)),
           "columns_removed": sorted(set(old.columns) - set(new.columns))}
    usable = key in columns and old[key].is_unique and new[key].is_unique if key else False
    if usable:
        old_rows = dict(zip(old[key], _rows(old, columns)))
        new_rows = dict(zip(new[key], _rows(new, columns)))
        added = sorted(set(new_rows) - set(old_rows))
        removed = sorted(set(old_rows) - set(new_rows))
        changed = sorted(k for k in set(new_rows) & set(old_rows) if new_rows[k] != old_rows[k])
        out["changed_columns"] = {k: _changed_columns(old_rows[k], new_rows[k], columns) for k in changed[:EXAMPLES]}
    else:
        old_rows, new_rows = Counter(_rows(old, columns)), Counter(_rows(new, columns))
        added = sorted((new_rows - old_rows).elements())
        removed = sorted((old_rows - new_rows).elements())
        changed = []
    return {**out, "key": key if usable else None, "added": len(added), "removed": len(removed),
            "changed": len(changed), "examples": {"added": added[:EXAMPLES], "removed": removed[:EXAMPLES],
                                                  "changed": changed[:EXAMPLES]}}


def diff_releases(old_path: Path, new_path: Path) -> dict[str, dict]:
    """table -> {key, rows_old, rows_new, added, removed, changed, columns_added, columns_removed, examples}.

    A table present in only one release counts all its rows as added (or removed).
    """
    old, new = _tables(old_path), _tables(new_path)
    return {name: diff_table(_read(old.get(name)), _read(new.get(name)), ID_COLUMNS.get(name))
            for name in sorted(set(old) | set(new))}
