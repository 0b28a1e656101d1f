"""Articles with no publication date get the date their rounds and dates point to, in columns of their own."""
from __future__ import annotations

import pandas as pd

ESTIMATE_COLUMNS = ["published_date_estimated", "published_date_basis"]


def with_estimated_dates(articles: pd.DataFrame, estimates: pd.DataFrame) -> pd.DataFrame:
    """`articles` plus published_date_estimated / published_date_basis (empty where the date is known or
    nothing pins it); published_date itself is never filled in."""
    found = estimates.set_index("article_id")[ESTIMATE_COLUMNS] if len(estimates) else None
    out = articles.copy()
    for column in ESTIMATE_COLUMNS:
        values = out["article_id"].map(found[column]) if found is not None else pd.Series(None, index=out.index)
        out[column] = values.astype(object).where(values.notna(), None)
    return out
