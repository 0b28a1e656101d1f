"""Columns shared by every extracted table: the evidence span that makes a row traceable."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class Evidence(pa.DataFrameModel):
    """A row that points at its evidence: substr(articles.text, start + 1, end - start)."""

    article_id: Series[str] = pa.Field(description="The article the evidence is in (articles.article_id).")
    start: Series[int] = pa.Field(ge=0, description="Character offset where the evidence starts in articles.text (0-based).")
    end: Series[int] = pa.Field(ge=0, description="Character offset just past the evidence's end in articles.text.")

    @pa.dataframe_check(description="start <= end")
    def span_ordered(cls, df):
        return df["start"] <= df["end"]

    class Config:
        coerce = True
        strict = False


#: The released Arrow type of a column pandera can only call `object` (pandas holds dates and lists as Python
#: objects): pipeline/publish/arrow.released_schema reads it, so such a column never takes a type from its rows.
DATE = {"arrow": "date32"}
LIST = {"arrow": "list<string>"}
