"""A DataFrame's rows as dicts, for the cross-article steps that walk mentions one by one."""
from __future__ import annotations

import pandas as pd


def column_values(df: pd.DataFrame) -> list[list]:
    """Each column's values as a list of Python values (as df.to_dict("records") gives them), every missing value
    (NaN, NaT, None) as None; built column by column with tolist(), several times faster than boxing every value."""
    values = []
    for name in df.columns:
        column = df[name]
        missing = column.isna() if column.dtype.kind in "fOM" else None
        if missing is not None and missing.any():
            values.append([None if gone else v for v, gone in zip(column.tolist(), missing.tolist())])
        else:
            values.append(column.tolist())
    return values


def row_tuples(df: pd.DataFrame) -> list[tuple]:
    """The rows as tuples of the values `records` gives (in the columns' order), without building dicts: what a
    step that only hashes or groups rows needs."""
    return list(zip(*column_values(df))) if len(df) else []


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as dicts of Python values (as df.to_dict("records") gives them) with every missing value (NaN,
    NaT, None) as None, so code reading millions of values tests `is None` only."""
    if not len(df):
        return []
    columns = list(df.columns)
    return [dict(zip(columns, row)) for row in zip(*column_values(df))]
