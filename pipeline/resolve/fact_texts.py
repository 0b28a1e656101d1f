"""Texts and lookups of fact building, vectorised: a figure's or a facet's text written once per distinct value
(a corpus repeats its figures, dates and places), span ids joined by Arrow, a sentence's round looked up on integer
codes. Each gives what the plain per-row pandas expression gives (tests/test_facts_same_rows.py keeps those)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def number_text(values: pd.Series) -> pd.Series:
    """1000.0 -> '1000', 2.5 -> '2.5'; missing stays None. A figure's text depends on it alone, so each distinct
    figure is written once (a corpus repeats its figures: ~6,000 distinct in 236,000 claims)."""
    _, first, distinct = np.unique(pd.factorize(values)[0], return_index=True, return_inverse=True)
    return pd.Series(_figure_texts(values.iloc[first]).to_numpy(dtype=object)[distinct.reshape(-1)],
                     index=values.index, dtype=object, name=values.name)


def _figure_texts(values: pd.Series) -> pd.Series:
    whole = values.notna() & (values == values.round())
    text = values.astype(str).where(~whole, values.where(whole).round().astype("Int64").astype(str))
    return text.where(values.notna(), None)


def as_text(values: pd.Series, is_date: bool) -> pd.Series:
    """Strings for comparison; dates as YYYY-MM-DD whatever type they arrive in. Strings and dates (what the round
    facets hold) are written once per distinct value, taken in the order they first come (to_datetime reads a format
    off the first one); other values as they are (equal numbers may print differently: 1 and 1.0, 0.0 and -0.0)."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "date", "empty"):
        return _value_texts(values, is_date)
    _, first, distinct = np.unique(pd.factorize(values)[0], return_index=True, return_inverse=True)
    return pd.Series(_value_texts(values.iloc[first], is_date).to_numpy(dtype=object)[distinct.reshape(-1)],
                     index=values.index, dtype=object, name=values.name)


def _value_texts(values: pd.Series, is_date: bool) -> pd.Series:
    if is_date:
        values = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d")
    return values.astype(object).where(values.notna(), None).astype(str).where(values.notna(), None)


def span_ids(frame: pd.DataFrame) -> pd.Series:
    """'<article_id>:<start>-<end>' for tables whose rows have no id of their own; joined by Arrow when the ids are
    all strings and the offsets integers (what the tables hold), which spells them as str() does."""
    article, start, end = frame["article_id"], frame["start"], frame["end"]
    if (start.dtype.kind in "iu" and end.dtype.kind in "iu" and article.notna().all()
            and pd.api.types.infer_dtype(article, skipna=False) in ("string", "empty")):
        joined = pc.binary_join_element_wise(pa.array(article.to_numpy(dtype=object), pa.string()),
                                             pc.cast(pa.array(start.to_numpy()), pa.string()), ":")
        joined = pc.binary_join_element_wise(joined, pc.cast(pa.array(end.to_numpy()), pa.string()), "-")
        return pd.Series(joined.to_numpy(zero_copy_only=False), index=frame.index, dtype=object)
    return article + ":" + start.astype(str) + "-" + end.astype(str)


def looked_up(rows: pd.DataFrame, keys: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """Per row of `rows`, the value of the `keys` row with the same values (NaN when there is none, or when the row
    misses one): rows.merge(keys + values, how="left") when `keys` are unique and have no missing value, on integer
    codes of the key columns (factorised together) instead of merging object columns."""
    n = len(rows)
    joint, missing = np.zeros(n + len(keys), dtype=np.int64), np.zeros(n + len(keys), dtype=bool)
    for name in rows.columns:
        both = np.concatenate([rows[name].to_numpy(dtype=object), keys[name].to_numpy(dtype=object)])
        code, distinct = pd.factorize(both)
        missing |= code < 0
        joint = pd.factorize(joint * (len(distinct) + 1) + code)[0]
    at = pd.Index(joint[n:]).get_indexer(joint[:n])
    at[missing[:n]] = -1
    out = np.full(n, np.nan, dtype=object)
    out[at >= 0] = values[at[at >= 0]]
    return out
