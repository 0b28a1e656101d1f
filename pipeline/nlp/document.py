"""A parsed article: the text, its spaCy doc and its sentences, shared by every extractor."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    paragraph_id: str
    start: int
    end: int
    text: str


@dataclass
class ParsedArticle:
    article_id: str
    text: str
    published_date: date | None
    doc: object  # spacy.tokens.Doc over `text`
    sentences: list[Sentence] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]

    def sentence_at(self, char: int) -> Sentence | None:
        """The sentence holding character `char` (the one before it when `char` falls between two)."""
        if not self.sentences:
            return None
        i = bisect.bisect_right(self._starts, char) - 1
        return self.sentences[max(i, 0)]

    def sentence_id_at(self, char: int) -> str | None:
        s = self.sentence_at(char)
        return s.sentence_id if s else None
