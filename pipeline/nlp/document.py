"""A parsed article: the text, its spaCy doc and its sentences, shared by every extractor."""
from __future__ import annotations

import bisect
import functools
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

    def sentence_index_at(self, char: int) -> int | None:
        """The position in `sentences` of sentence_at(char)."""
        if not self.sentences:
            return None
        return max(bisect.bisect_right(self._starts, char) - 1, 0)

    def sentence_span(self, sentence: Sentence):
        """The doc's span over a sentence of this article (char_span, alignment "expand"; None when it has none),
        made once: outcomes, positions and the issue finder each asked spaCy for it in every sentence."""
        spans = self.__dict__.setdefault("_sentence_spans", {})
        key = (sentence.start, sentence.end)
        if key not in spans:
            spans[key] = self.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        return spans[key]

    def sentence_id_at(self, char: int) -> str | None:
        s = self.sentence_at(char)
        return s.sentence_id if s else None

    @functools.cached_property
    def _noun_chunks(self) -> tuple[list[int], list[tuple[int, int]]]:
        """Noun chunks' character spans, computed once per article (spaCy recomputes them on every access)."""
        spans = [(c.start_char, c.end_char) for c in self.doc.noun_chunks] if self.doc.has_annotation("DEP") else []
        return [start for start, _ in spans], spans

    def noun_chunk_at(self, char: int) -> tuple[int, int] | None:
        """(start, end) of the noun chunk holding character `char`, if any."""
        starts, spans = self._noun_chunks
        i = bisect.bisect_right(starts, char) - 1
        return spans[i] if i >= 0 and spans[i][0] <= char < spans[i][1] else None
