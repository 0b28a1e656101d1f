"""Parse articles once with spaCy (batched nlp.pipe) into ParsedArticle objects for the extractors."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.model import load_nlp
from pipeline.nlp.sentences import split_sentences


def parse_article(article_id: str, text: str, published_date: date | None = None, nlp=None) -> ParsedArticle:
    """One article; for tests and small inputs (use parse_articles for many)."""
    return next(parse_articles([(article_id, text, published_date)], nlp=nlp))


def parse_articles(items: Iterable[tuple[str, str, date | None]], nlp=None, batch_size: int = 32,
                   n_process: int = 1) -> Iterator[ParsedArticle]:
    """(article_id, text, published_date) triples -> ParsedArticle, in order, one spaCy pass each."""
    nlp = nlp or load_nlp()
    items = list(items)
    docs = nlp.pipe((text for _, text, _ in items), batch_size=batch_size, n_process=n_process)
    for (article_id, text, published), doc in zip(items, docs):
        yield ParsedArticle(article_id, text, published, doc, split_sentences(article_id, text, doc))
