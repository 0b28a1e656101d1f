"""extraction_errors: articles whose extraction failed; one row each, with the extractor and the error. Such an
article keeps its `articles` row, but none of its rows is in any extracted table (sentences, dates, claims,
actor_mentions, roles, quotes, round_mentions, positions, outcomes), so no table holds part of it."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class ExtractionErrorsSchema(pa.DataFrameModel):
    article_id: Series[str] = pa.Field(unique=True, description="The article whose extraction failed (articles.article_id).")
    stage: Series[str] = pa.Field(str_length={"min_value": 1}, description="The extractor that failed, as module.function (e.g. 'dates.extract_dates').")
    error_type: Series[str] = pa.Field(str_length={"min_value": 1}, description="The Python exception's class (e.g. 'KeyError').")
    message: Series[str] = pa.Field(description="The exception's message, cut to 500 characters; the place in the code is in the build log.")

    class Config:
        coerce = True
        strict = False
