"""round_cues.Tree as it was before issue 18's speed-up (spaCy Token objects, doc.char_span at every question):
the oracle tests/test_round_cue_speedups.py holds the TokenLists-based Tree to."""
from __future__ import annotations

from pipeline.nlp.round_cues import Cue


class TreeBefore:
    """The parse of one sentence, read at sentence offsets: is a word a name, does a phrase or a date hang on a
    cue. `verbs` are the cues that make an event of their own ('agreed', 'signed'). Without a parse every answer is
    yes (the caller's window rules decide)."""

    NAME_ENTITIES = ("GPE", "LOC", "FAC")
    CLIMB = 5  # head steps from a preposition to the cue it hangs on ("signed ... at the UN in Geneva")

    def __init__(self, doc, start: int, verbs: list[Cue] = (), nouns: list[Cue] = ()):
        self.doc, self.start = doc, start
        self.verbs = self._cue_tokens(verbs) if doc is not None and verbs else set()
        self.nouns = self._cue_tokens(nouns) if doc is not None and nouns else set()

    def token(self, pos: int):
        if self.doc is None or not self.doc.has_annotation("DEP"):
            return None
        span = self.doc.char_span(self.start + pos, self.start + pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def is_name(self, pos: int) -> bool:
        tok = self.token(pos)
        return tok is None or tok.pos_ == "PROPN" or tok.ent_type_ in self.NAME_ENTITIES

    def _cue_tokens(self, cues: list[Cue]) -> set[int]:
        out = set()
        for c in cues:
            span = self.doc.char_span(self.start + c.start_, self.start + c.end_, alignment_mode="expand")
            out.update(tok.i for tok in span or ())
        return out

    def hangs_on(self, pos: int, cues: list[Cue], own: Cue | None = None) -> bool:
        """Whether the phrase opened by the preposition at `pos` modifies a cue ("talks in Nairobi", "met in Nairobi",
        "signed at the UN in Geneva"), not another word ("the war in Ukraine") nor another meeting noun than `own`
        and its phrase (in "the talks followed a meeting in Nairobi", Nairobi is the meeting's)."""
        tok = self.token(pos)
        if tok is None:
            return True
        targets = self._cue_tokens(cues)
        own_tok = self.token(own.start_) if own is not None else None
        related = {t.i for t in own_tok.subtree} | {t.i for t in own_tok.ancestors} if own_tok is not None else set()
        for _ in range(self.CLIMB):
            if tok.head.i in self.nouns and tok.head.i not in targets and tok.head.i not in related:
                return False
            if tok.head.i in targets:
                return True
            if tok.head.dep_ not in ("prep", "pobj", "dobj", "appos", "conj", "compound") or tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def participants(self, cue: Cue) -> list[tuple[int, int]]:
        """Sentence spans of who met: the subjects of a meeting verb ('X and Y met', 'X and Y signed ...'), the
        agents of a verb whose subject is the meeting ('the session was co-chaired by X and Y') and the people
        it is 'with' or 'between' ('talks with X', 'a meeting between X and Y')."""
        tok = self.token(cue.start_)
        if tok is None:
            return []
        words, verbs = [], [tok]
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj"):
            verbs.append(tok.head)
            while verbs[-1].pos_ == "AUX" and verbs[-1].head.i != verbs[-1].i and len(verbs) < 4:
                verbs.append(verbs[-1].head)  # 'was co-chaired': the auxiliaries up to the verb
        for h in verbs:
            for c in h.children:
                if c.dep_ == "nsubj" and h.pos_ in ("VERB", "AUX") and h.i in self.verbs | {tok.i}:
                    words += [c, *c.conjuncts]
                elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("with", "between")):
                    words += [w for g in c.children if g.dep_ == "pobj" for w in (g, *g.conjuncts)]
        seen, todo = set(), list(words)
        while todo:  # 'the minister, General X, and the army chief, General Y': appositions and conjuncts
            w = todo.pop()
            if w.i not in seen:
                seen.add(w.i)
                todo += [c for c in w.children if c.dep_ in ("appos", "conj")]
        words = [self.doc[i] for i in sorted(seen)]
        return [(w.idx - self.start, w.idx - self.start + len(w)) for w in words]

    @staticmethod
    def _verb_of(tok):
        return next((t for t in [tok, *tok.ancestors] if t.pos_ in ("VERB", "AUX")), tok.sent.root)

    def dates_cue(self, date_pos: int, cue: Cue | None) -> int:
        """How closely a date says when the cue's meeting was: 2 when it modifies the cue's own verb ("signed
        ... on Friday", "talks ended on Saturday") or hangs under the cue ("talks that opened last Thursday"); 1
        when it modifies a verb above the cue, one of `verbs` ("agreed on Tuesday after ten hours of talks")
        or one with no 'after'/'before' between ("sat down on Saturday, opening negotiations"); 0 for another
        event ("it followed a phone call last week", "holding on Tuesday after they agreed")."""
        tok = self.token(date_pos)
        cue_tok = self.token(cue.start_) if cue is not None else None
        if tok is None or cue_tok is None:
            return 2
        verb = self._verb_of(tok)
        if verb == self._verb_of(cue_tok) or cue_tok in tok.ancestors:
            return 2
        return int(verb in cue_tok.ancestors and (verb.i in self.verbs or not self._sequenced(cue_tok, verb)))

    SEQUENCE = frozenset({"after", "before", "since", "until", "following", "ahead"})

    def _sequenced(self, tok, top) -> bool:
        """Whether the way up from `tok` to `top` passes an 'after'/'before' ('holding on Tuesday after they
        agreed'): the date is then another moment's. 'It changed on Friday, when they agreed ...' is not."""
        while tok.i != top.i and tok.head.i != tok.i:
            if tok.dep_ == "pobj" and tok.head.lower_ in self.SEQUENCE:
                return True
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.SEQUENCE for c in tok.children):
                return True
            tok = tok.head
        return False
