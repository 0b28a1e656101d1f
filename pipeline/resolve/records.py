"""A DataFrame's rows as dicts, for the cross-article steps that walk mentions one by one."""
from __future__ import annotations

import pandas as pd


def records(df: pd.DataFrame) -> list[dict]:
    """The same dicts as df.to_dict("records") (numpy scalars as Python ones, NaN kept), built column by column
    with tolist(), several times faster than boxing every value."""
    columns = list(df.columns)
    return [dict(zip(columns, row)) for row in zip(*(df[c].tolist() for c in columns))] if len(df) else []
