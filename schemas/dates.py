"""dates: date expressions in an article, normalised to calendar dates where the text allows."""
from __future__ import annotations

import datetime

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import DATE, Evidence
from schemas.vocabularies import DATE_PRECISIONS


class DatesSchema(Evidence):
    """start/end span the date expression as written ('last Friday', 'March-April 2022')."""

    date_id: Series[str] = pa.Field(description="Stable id of the date expression, derived from article_id, start and end.")
    sentence_id: Series[str] = pa.Field(nullable=True, description="The sentence holding the expression (sentences.sentence_id).")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The expression as written.")
    date_start: Series[object] = pa.Field(metadata=DATE, nullable=True, description="First day the expression can mean. Weekdays, 'yesterday', 'last week' and dates without a year are counted from articles.published_date: in the past unless the sentence speaks of the future ('will', 'slated for', 'next'). Null when it cannot be resolved (no publication date, or a vague expression).")
    date_end: Series[object] = pa.Field(metadata=DATE, nullable=True, description="Last day the expression can mean (equal to date_start for a single day; 'late June' ends on June 30).")
    precision: Series[str] = pa.Field(isin=DATE_PRECISIONS, description="The granularity of the range: day (a day or a range of days such as a week), month ('late June', 'February 2022'), year ('in 2014'), unknown (a date expression not resolved).")
    relative: Series[bool] = pa.Field(description="True when the meaning depends on the publication date ('Monday', 'tomorrow', 'May 16' without a year).")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Year of date_start, or the written year; null when not known.")
    month: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Month (1-12) as written or resolved; kept even without a known year, so 'May 16' can be matched to a known round.")
    day: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Day of the month as written or resolved; kept even without a known year.")

    @pa.check("date_start", "date_end", element_wise=True, description="calendar dates (datetime.date) or empty")
    def is_date(cls, value) -> bool:
        return value is None or pd.isna(value) or isinstance(value, datetime.date)

    @pa.dataframe_check(description="date_start <= date_end when both are known")
    def range_ordered(cls, df):
        return pd.Series([pd.isna(a) or pd.isna(b) or a <= b for a, b in zip(df["date_start"], df["date_end"])],
                         index=df.index)

    class Config:
        unique = ["date_id"]
