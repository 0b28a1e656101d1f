"""Run every per-article extractor over one spaCy parse per article; collect rows per table."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

import pandas as pd

from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.parse import parse_articles

# table -> its columns, in order; every extractor's rows are framed with these
COLUMNS = {
    "sentences": ["article_id", "sentence_id", "paragraph_id", "start", "end", "text"],
}


def extract_article(parsed: ParsedArticle) -> dict[str, list[dict]]:
    sentences = [{"article_id": parsed.article_id, **asdict(s)} for s in parsed.sentences]
    return {"sentences": sentences}


def frame(table: str, rows: Iterable[dict]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS[table])


def extract_corpus(articles: pd.DataFrame, n_process: int = 1, batch_size: int = 32) -> dict[str, pd.DataFrame]:
    """{table: DataFrame} over all articles, each article parsed once."""
    rows: dict[str, list[dict]] = {table: [] for table in COLUMNS}
    items = zip(articles["article_id"], articles["text"], articles["published_date"])
    for parsed in parse_articles(items, n_process=n_process, batch_size=batch_size):
        for table, table_rows in extract_article(parsed).items():
            rows[table].extend(table_rows)
    return {table: frame(table, table_rows) for table, table_rows in rows.items()}
