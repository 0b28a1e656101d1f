"""sentences: spaCy sentence boundaries, never crossing a paragraph, with offsets into articles.text."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import Evidence


class SentencesSchema(Evidence):
    sentence_id: Series[str] = pa.Field(unique=True, description="Stable id '<article_id>-s<n>' (n counts from 0 in reading order).")
    paragraph_id: Series[str] = pa.Field(description="Paragraph id '<article_id>-p<n>': paragraphs are the lines of articles.text.")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The sentence text, equal to substr(articles.text, start+1, end-start).")
