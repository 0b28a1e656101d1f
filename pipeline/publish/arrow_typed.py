"""A chunk of a table typed in Arrow: what to_arrow(conformed(table, chunk)) gives, without the pandas round trip.

round_resolution writes round_mentions, positions and outcomes as their candidates (files the extraction workers
wrote with to_arrow) plus a round_id (and link_score). Typing them the general way converts every chunk to pandas,
lets pandera coerce each column (str() of every string) and converts back: ~5 s of a 10k re-run for round_mentions
alone, to give most columns the Arrow type they already had. Here a column keeps its Arrow data, or takes an exact
Arrow cast, where that is what the general way gives; every other case (a value pandera would change or refuse, a
type not listed) gives None and the caller takes the general way, which gives its result or its error.
tests/test_arrow_typed.py pins each case to the general way.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.publish.arrow import article_tables, concat_like_one

FLOAT_EXACT = 2 ** 53  # pandas holds an integer column with nulls as float64: exact up to here only


def _dtypes(table: str) -> dict[str, str]:
    """Column -> its pandera dtype as a string ('str', 'Int64', 'int64', 'float64', 'object', ...)."""
    from schemas import schema_for  # late, as in arrow.fixed_types: schemas import nothing from here

    return {name: str(column.dtype) for name, column in schema_for(table).to_schema().columns.items()}


def _has_nan(column: pa.Array) -> bool:
    return bool(pc.any(pc.is_nan(column)).as_py())


def _exact_as_float(column: pa.Array) -> bool:
    """Whether the integers survive pandas' float64 (how read_frame gives an int64 column with nulls)."""
    largest = pc.max(pc.abs_checked(column)).as_py()
    return largest is None or largest <= FLOAT_EXACT


def _as_read(column: pa.Array) -> pa.Array | None:
    """A column the schema does not type (an `object` one, or one it does not list), as to_arrow types what
    read_frame gave of it: its values' type, strings when it holds none. Other source types: None."""
    kind = column.type
    if column.null_count == len(column):
        return pa.nulls(len(column), pa.string())
    if pa.types.is_string(kind) or kind == pa.date32():
        return column
    if kind == pa.list_(pa.string()):  # Parquet names the item "element", to_arrow "item" (in the file's metadata)
        return column.cast(pa.list_(pa.string()))
    return None


def from_arrow(dtype: str | None, column: pa.Array) -> pa.Array | None:
    """The column (a chunk's, as read from a file to_arrow wrote) as conformed + to_arrow give it, for the schema
    dtype `dtype` (None: a column the schema does not list); None when that is not known to be a plain cast."""
    kind = column.type
    empty = column.null_count == len(column)
    if dtype == "str":  # pandera's str(): strings stay, nulls stay null
        if pa.types.is_string(kind):
            return column
        return pa.nulls(len(column), pa.string()) if empty else None
    if dtype == "Int64":
        if empty:
            return pa.nulls(len(column), pa.int64())
        if kind == pa.int64():
            return column if not column.null_count or _exact_as_float(column) else None
        if kind == pa.float64():
            try:  # a fraction, an infinity, a NaN or an overflow fails here as in pandas: the general way says so
                return column.cast(pa.int64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return None
        return None
    if dtype == "int64":  # nulls would fail pandera's cast: the general way raises
        return column if kind == pa.int64() and not column.null_count else None
    if dtype == "float64":
        if empty:
            return pa.nulls(len(column), pa.float64())
        return column if kind == pa.float64() and not _has_nan(column) else None
    if dtype == "object":
        return _as_read(column)
    if dtype is None:
        if kind == pa.float64() or kind == pa.int64():  # read as float64 (int64 with nulls too), nulls as NaN
            if empty:
                return pa.nulls(len(column), pa.float64())
            if kind == pa.float64():
                return None if _has_nan(column) else column
            return column if not column.null_count else None
        return _as_read(column)
    return None


def from_values(dtype: str | None, values: list) -> pa.Array | None:
    """A new column given as Python values (with_columns sets it as an object Series), as conformed + to_arrow
    give it: strings (str dtype) or floats (float64), with None; None for anything else."""
    kinds = set(map(type, values))
    if dtype == "str" and kinds <= {str, type(None)}:
        return pa.array(values, pa.string())
    if dtype == "float64" and kinds <= {float, type(None)}:
        return pa.array(values, pa.float64(), from_pandas=True)  # NaN is null, as to_arrow gives float64's NaN
    return None


def typed_part(table: str, part: pa.Table, offset: int, added: dict[str, list], order: list[str] | None,
               dtypes: dict[str, str] | None = None) -> pa.Table | None:
    """The chunk `part` (rows offset.. of the file) with `added` (name -> one value per row of the file) set, as
    with_columns sets them on its DataFrame (reindexed to `order` when given), then typed as
    to_arrow(conformed(table, ...)) types it; None when some column needs the general way."""
    dtypes = _dtypes(table) if dtypes is None else dtypes
    n = part.num_rows
    names = list(order) if order else [*part.column_names, *(a for a in added if a not in part.column_names)]
    columns = []
    for name in names:
        if name in added:
            column = from_values(dtypes.get(name), added[name][offset:offset + n])
        else:  # a column the file lacks is NaN in the reindexed frame: an all-null float64
            source = part.column(name).combine_chunks() if name in part.column_names else pa.nulls(n, pa.float64())
            column = from_arrow(dtypes.get(name), source)
        if column is None:
            return None
        columns.append(column)
    return pa.table(columns, names=names)


def typed_parts(table: str, path, rows: int, added: dict[str, list], order: list[str] | None = None) -> pa.Table | None:
    """The file `path` read in chunks of whole articles of about `rows` rows (article_tables), each chunk given
    `added` and typed (typed_part), gathered as conformed_table gathers them; None when the file is empty (the
    general way names the columns) or some chunk needs the general way."""
    dtypes = _dtypes(table)
    parts = []
    for offset, part in article_tables(path, rows):
        typed = typed_part(table, part, offset, added, order, dtypes)
        if typed is None:
            return None
        parts.append(typed)
    return concat_like_one(parts) if parts else None
