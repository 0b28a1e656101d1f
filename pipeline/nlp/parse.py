"""Parse articles once with spaCy (batched nlp.pipe) into ParsedArticle objects for the extractors.

spaCy and the model are imported when a parse starts, not with this module: a build's main process, which hands
the parse to worker processes, reads BATCH_SIZE and chunks() without paying spaCy's import (~0.6 s)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

import numpy

from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


def parse_article(article_id: str, text: str, published_date: date | None = None, nlp=None) -> ParsedArticle:
    """One article; for tests and small inputs (use parse_articles for many)."""
    return next(parse_articles([(article_id, text, published_date)], nlp=nlp))


#: Texts longer than this are parsed in paragraph-aligned chunks: spaCy's memory and time grow much faster than
#: linearly on one huge doc (1 MB of prose in one piece took minutes and >3 GB). The pieces go through nlp.pipe in
#: batches like articles, so a piece should weigh about what an article does: with 50,000-character pieces a
#: batch of 32 held 1.6 MB of text and a 1 MB article peaked at 2.9 GB while parsing (news articles average
#: 3,000-7,000 characters).
CHUNK_CHARS = 10_000


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Pieces of `text` that join back to it exactly, cut after a newline (else a space) near every `size` chars."""
    pieces, start = [], 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size)
        if cut <= start:
            cut = text.rfind(" ", start, start + size)
        cut = start + size if cut <= start else cut + 1
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _without_tensor(doc: Doc) -> Doc:
    """A piece of a long article without its tok2vec tensor (width x tokens floats, more than the tokens
    themselves), dropped as soon as the piece is parsed rather than when the pieces are joined."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


#: Pieces per nlp.pipe batch. 16 rather than 32: the same annotations (checked on the bench, seed and dev texts,
#: and the released tables are identical) for ~7 % less CPU over 40-80 bench articles, most of it in tok2vec,
#: whose per-batch arrays fit the caches better (8 was no cheaper than 16, 64 dearer than 32).
BATCH_SIZE = 16


def parse_articles(items: Iterable[tuple[str, str, date | None]], nlp=None, batch_size: int = BATCH_SIZE,
                   n_process: int = 1) -> Iterator[ParsedArticle]:
    """(article_id, text, published_date) triples -> ParsedArticle, in order, one spaCy pass each.

    Items are consumed lazily, so a long input streams through in batches.
    """
    from spacy.tokens import Doc

    from pipeline.nlp.model import load_nlp
    nlp = nlp or load_nlp()
    pending: list[tuple[str, str, date | None, int]] = []

    def pieces():
        for article_id, text, published in items:
            parts = chunks(text)
            pending.append((article_id, text, published, len(parts)))
            yield from parts

    docs = nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process)
    while True:
        first = next(docs, None)
        if first is None:
            return
        article_id, text, published, n = pending.pop(0)
        # The pieces' tok2vec tensors are not used by any extractor: left out, they would be copied into one
        # array as large as the article's tokens times the width.
        doc = first if n == 1 else Doc.from_docs([_without_tensor(first), *(_without_tensor(next(docs))
                                                                            for _ in range(n - 1))],
                                                  ensure_whitespace=False, exclude=["tensor", "user_data"])
        yield ParsedArticle(article_id, text, published, doc, split_sentences(article_id, text, doc))
