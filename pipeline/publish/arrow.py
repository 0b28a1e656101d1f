"""DataFrame -> Arrow table with explicit types for list and date columns, so Parquet output is stable."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def _sample(values: pd.Series):
    return next((v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))), None)


def _column(values: pd.Series) -> pa.Array:
    if values.dtype == object:
        first = _sample(values)
        if isinstance(first, (list, tuple)) or (first is None and values.map(lambda v: isinstance(v, (list, tuple))).any()):
            return pa.array([None if v is None else [None if x is None else str(x) for x in v]
                             for v in values], type=pa.list_(pa.string()))
        if isinstance(first, dt.date) and not isinstance(first, dt.datetime):
            return pa.array([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in values],
                            type=pa.date32())
        if first is None:
            return pa.array([None] * len(values), type=pa.string())
        if isinstance(first, str):
            return pa.array([None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values],
                            type=pa.string())
    return pa.Array.from_pandas(values)


def to_arrow(df: pd.DataFrame) -> pa.Table:
    """Arrow table without the pandas index or pandas metadata (which would tie bytes to library versions)."""
    df = df.reset_index(drop=True)
    return pa.table({name: _column(df[name]) for name in df.columns})


def read_frame(path) -> pd.DataFrame:
    """A Parquet table as a DataFrame with dates as datetime.date and lists as Python lists."""
    table = pq.read_table(path)
    df = table.to_pandas(date_as_object=True)
    for field in table.schema:
        if pa.types.is_list(field.type):
            df[field.name] = df[field.name].map(lambda v: None if v is None else list(v))
    return df
