"""Quotations and who said them.

Three steps: pair the quotation marks of each paragraph (straight or curly; scraped text is often
unbalanced), find the cue that governs each quotation in the dependency parse (a verb of saying or
of stance, or "according to"), and resolve the cue's subject to an actor mention, following
pronouns back to the most salient compatible mention. A quoted term that no cue governs, or that a
marker such as "so-called" introduces, is the writer's scare quote, not a quotation.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.ids import stable_id
from pipeline.nlp.alternation import alternation
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.sentences import trim
from pipeline.nlp.speakers import Speakers
from pipeline.reference import load_reference

DOUBLE_OPEN = "\u201c\u201e\u00ab"   # “ „ «
DOUBLE_CLOSE = "\u201d\u00bb\u201f"  # ” » ‟
STRAIGHT = '"'
SINGLE_OPEN = "\u2018"               # ‘
SINGLE_CLOSE = "\u2019"              # ’ doubles as the apostrophe, so it only closes before a non-letter
#: Straight single quotes (headlines, some wires) open and close like the curly pair.
SINGLE_OPENERS = SINGLE_OPEN + "'"
SINGLE_CLOSERS = SINGLE_CLOSE + "'"
OPENERS = DOUBLE_OPEN + STRAIGHT + SINGLE_OPENERS
BEFORE_OPENING = " \t\u00a0([{\u2014\u2013-/:;,"
SUBJECT_DEPS = ("nsubj", "nsubjpass")
#: How long the attribution between two quotations of one speaker in one paragraph may be.
ATTRIBUTION_REACH = 240
NOMINAL_DEPS = ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "compound", "appos", "npadvmod")
#: A verb without its own subject shares the subject of the verb it hangs from.
SHARED_SUBJECT_DEPS = ("conj", "advcl", "xcomp", "pcomp")
#: Relative pronouns: the subject of 'X, who told reporters that "..."' is X, the clause's antecedent.
RELATIVE_PRONOUNS = ("who", "which", "that")
#: A timestamp or dateline before a liveblog entry's 'Name: "..."' ("18:42 GMT - Rubio: ...").
HEADLINE_PREFIX = re.compile(r"[\d:.\s\u2013\u2014|-]*(?:[A-Z]{2,4}\b[\s\u2013\u2014|-]*)?")

#: Every mark the pairing of quotations reads, and paragraph ends.
MARKS = re.compile("[" + re.escape(DOUBLE_OPEN + DOUBLE_CLOSE + STRAIGHT + SINGLE_OPENERS + SINGLE_CLOSERS) + "]")
NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class QuoteSpan:
    open_mark: int  # index of the opening mark
    start: int      # the quoted text, trimmed of surrounding whitespace
    end: int


@functools.lru_cache(maxsize=None)
def cues() -> dict:
    ref = load_reference("cues")
    forms = lambda group: frozenset(str(lemma).lower() for lemma in ref[group])  # noqa: E731
    return {
        "speech": forms("speech"),
        "stance": forms("stance"),
        "according": frozenset(w.lower() for w in ref["according_to"]),
        "scare": re.compile(r"(?:^|\W)(?:" + alternation(ref["scare_markers"], space=r"[\s-]+") + r")\W*$",
                            re.IGNORECASE),
    }


# ---------- quotation marks -------------------------------------------------------------------

def _opens(text: str, i: int) -> bool:
    """A straight or single mark opens after a space, a bracket, a dash or the paragraph start."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    return (prev in BEFORE_OPENING or prev == "\n" or prev in DOUBLE_OPEN) and not nxt.isspace()


def _span(text: str, open_mark: int, close: int) -> list[QuoteSpan]:
    start, end = trim(text, open_mark + 1, close)
    return [QuoteSpan(open_mark, start, end)] if any(ch.isalnum() for ch in text[start:end]) else []


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds = [-1] + [m.start() for m in NEWLINE.finditer(text)] + [len(text)]
    return [(a + 1, b) for a, b in zip(bounds, bounds[1:])]


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation, in order. A stray closing mark is ignored; a mark left open at a paragraph's
    end counts only when the next paragraph opens a quotation too (a quotation running over
    paragraphs), else it is dropped. Single quotes count only outside double ones."""
    text = text or ""
    paragraphs = _paragraphs(text)
    spans: list[QuoteSpan] = []
    for p, (p_start, p_end) in enumerate(paragraphs):
        double_open = single_open = None
        for mark in MARKS.finditer(text, p_start, p_end):  # no other character changes what is open
            i, ch = mark.start(), mark.group()
            if double_open is None and single_open is None:
                if ch in DOUBLE_OPEN or (ch == STRAIGHT and _opens(text, i)):
                    double_open = i
                elif ch in SINGLE_OPENERS and _opens(text, i):
                    single_open = i
            elif double_open is not None:
                if ch in DOUBLE_CLOSE or ch == STRAIGHT:
                    spans += _span(text, double_open, i)
                    double_open = None
                elif ch in DOUBLE_OPEN:
                    double_open = i  # a second opener: the first one was stray
            elif ch in SINGLE_CLOSERS and (i + 1 >= p_end or not text[i + 1].isalpha()):
                spans += _span(text, single_open, i)
                single_open = None
        left_open = double_open if double_open is not None else single_open
        if left_open is not None and p + 1 < len(paragraphs):
            following = text[paragraphs[p + 1][0]:paragraphs[p + 1][1]].lstrip()
            if following[:1] and following[0] in OPENERS:
                spans += _span(text, left_open, p_end)
    return spans


def quote_kind(text: str, span: QuoteSpan) -> str:
    """direct when the quotation is a sentence of its own (capitalised, introduced by ':' or ',' or
    standing at a sentence start); partial when it is a fragment inside the writer's sentence."""
    before = text[:span.open_mark].rstrip(" \t\u00a0")
    content = text[span.start:span.end]
    capital = content[:1].isupper() or content[:1].isdigit()
    introduced = not before or before[-1] in ":,;.!?\n\u2014\u2013-"
    several = re.search(r"[.!?]\s+[A-Z\u201c\"]", content) is not None
    return "direct" if capital and (introduced or several) else "partial"


# ---------- cues and speakers -----------------------------------------------------------------

def _is_cue(token, kind: str) -> bool:
    """A cue form used as a verb: the tagger sometimes calls 'calls' in 'repeated calls' a verb, but
    its dependency role still shows it is a noun."""
    return (token.pos_ in ("VERB", "AUX") and token.dep_ not in NOMINAL_DEPS
            and (token.lemma_.lower() in cues()[kind] or token.lower_ in cues()[kind]) and not _so_called(token))


def _so_called(token) -> bool:
    """'so-called' is tokenised so / - / called: a scare marker, not a verb of saying."""
    doc = token.doc
    return token.lower_ == "called" and token.i >= 1 and doc[token.i - 1].text in ("-", "so") \
        and (doc[token.i - 1].lower_ == "so" or token.i >= 2 and doc[token.i - 2].lower_ == "so")


def _subject(verb, depth: int = 0):
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.lower_ in cues()["according"]:
        for prep in verb.children:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    if verb.dep_ in SHARED_SUBJECT_DEPS and verb.head is not verb and depth < 3:
        head = verb.head
        if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head is not head:
            head = head.head  # 'opened the talks by urging ...': the verb the preposition hangs from
        return _subject(head, depth + 1)
    return None


def _cue_label(token) -> str:
    particles = [c.text for c in token.children if c.dep_ == "prt"]
    if token.lower_ in cues()["according"]:
        particles = [c.text for c in token.children if c.dep_ == "prep"][:1]
    return " ".join([token.text, *particles])


def _governing_cue(inside: range, tokens, sentence_tokens):
    """The cue verb for a quotation's tokens: the nearest speech cue among the ancestors, else the
    nearest stance cue, else a cue outside the quotation that hangs from a token inside it
    ('As X summed up: "..."'), else a speech cue elsewhere in the same sentence(s)."""
    exits = [t.head for t in tokens if t.head.i not in inside and t.head is not t and not t.is_punct]
    for kind in ("speech", "stance"):
        best = None
        for start in exits:
            depth, a = 0, start
            while True:
                if (_is_cue(a, kind) or a.lower_ in cues()["according"]) and (best is None or depth < best[0]):
                    best = (depth, a)
                    break
                if a.head is a or depth > 12:
                    break
                a, depth = a.head, depth + 1
        if best:
            return best[1]
    outside = [t for t in sentence_tokens if t.i not in inside]
    for t in outside:
        if (_is_cue(t, "speech") or _is_cue(t, "stance")) and (t.head.i in inside or t.head.head.i in inside):
            return t
    first, last = tokens[0].i, tokens[-1].i
    speech = [t for t in outside if _is_cue(t, "speech") or t.lower_ in cues()["according"]]
    return min(speech, key=lambda t: min(abs(t.i - first), abs(t.i - last)), default=None)


def _headline_speaker(text: str, span: QuoteSpan, mentions: list[dict]) -> dict | None:
    """'Zelensky: "..."' — a mention and a colon and nothing else before the quotation."""
    line_start = text.rfind("\n", 0, span.open_mark) + 1
    before = text[line_start:span.open_mark].rstrip()
    if not before.endswith(":"):
        return None
    named = [m for m in mentions if line_start <= m["start"] and m["end"] <= span.open_mark]
    if named and HEADLINE_PREFIX.fullmatch(before[:named[0]["start"] - line_start]) \
            and not before[named[-1]["end"] - line_start:].strip(" :"):
        return named[-1]
    return None


def _colon_subject(doc, text: str, span: QuoteSpan, speakers: Speakers) -> dict | None:
    """'X went further: "..."': a quotation after a colon is the words of the clause's subject, if a person."""
    before = text[:span.open_mark].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None:
        return None
    root = colon[0].head
    subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
    found, _ = speakers.speaker(subject)
    return found if found is not None and found.get("actor_type") == "person" else None


def _continues(text: str, previous_end: int, open_mark: int) -> bool:
    """A quotation that follows the previous one with at most its attribution in between ('"...," he
    said. "..."') continues the same speaker's words, even across one paragraph break."""
    between = text[previous_end:open_mark]
    if between.count("\n") <= 1 and len(between) <= 60:
        return True
    # '"...," X told reporters after the long session. "..."': the attribution's sentence ends right before it
    return "\n" not in between and len(between) <= ATTRIBUTION_REACH and between.rstrip().endswith((".", "!", "?"))


def extract_quotes(parsed: ParsedArticle, mentions: list[dict], roles: list[dict] | None = None) -> list[dict]:
    """One row per quotation that a cue attributes: speaker, quoted text, kind, cue and span."""
    text, doc = parsed.text or "", parsed.doc
    mentions = sorted((m for m in mentions or [] if m.get("start") is not None), key=lambda m: m["start"])
    spans = find_quote_spans(text)
    speakers = Speakers(parsed, mentions, [(q.start, q.end) for q in spans], roles)
    rows = []
    for span in spans:
        if cues()["scare"].search(text[max(0, span.open_mark - 40):span.open_mark]):
            continue
        quoted = doc.char_span(span.start, span.end, alignment_mode="expand")
        if quoted is None or not len(quoted):
            continue
        inside = range(quoted.start, quoted.end)
        marks = {t.i for t in doc[max(0, quoted.start - 1):min(len(doc), quoted.end + 1)]
                 if t.idx == span.open_mark or t.is_quote}
        region = range(min(inside.start, *marks) if marks else inside.start,
                       max(inside.stop, *(i + 1 for i in marks)) if marks else inside.stop)
        first_sentence = quoted[0].sent
        if text[:span.open_mark].rstrip().endswith(":") and first_sentence.start > 0:
            first_sentence = doc[first_sentence.start - 1].sent  # 'X said:' split off by the parser
        last = quoted[-1].sent.end
        after = text[span.end + 1:span.end + 3].lstrip()
        if after[:1].islower() and last < len(doc) and doc[last].is_quote:
            last += 1
        if after[:1].islower() and last < len(doc):
            last = doc[last].sent.end  # '"... Fear ends!" it wrote': the parser split the attribution off
        sentences = doc[first_sentence.start:last]
        # spaCy's sentences may run over a paragraph break; a cue is looked for in the quotation's paragraph
        p_start, p_end = text.rfind("\n", 0, span.open_mark) + 1, (text.find("\n", span.end) + 1 or len(text) + 1) - 1
        sentences = [t for t in sentences if p_start <= t.idx < p_end]
        # 'Name: "..."' names its speaker outright, whatever verb the parser hangs the line from
        headline = _headline_speaker(text, span, mentions)
        cue = None if headline is not None else _governing_cue(region, list(quoted), sentences)
        if cue is not None and not p_start <= cue.idx < p_end:
            cue = None
        speaker, surface = speakers.speaker(_subject(cue) if cue is not None else None)
        speaker_id = speaker["actor_id"] if speaker is not None else None
        kind = quote_kind(text, span)
        cue_label = _cue_label(cue) if cue is not None else None
        if cue is None:
            previous = rows[-1] if rows else None
            introducer = _colon_subject(doc, text, span, speakers)
            if headline is not None:
                speaker_id, surface = headline["actor_id"], headline["surface"]
            elif introducer is not None:
                speaker_id, surface = introducer["actor_id"], introducer["surface"]
            elif kind == "direct" and previous and _continues(text, previous["end"], span.open_mark):
                speaker_id, surface, cue_label = (previous["speaker_actor_id"], previous["speaker_surface"],
                                                  previous["cue"])
            else:
                continue
        rows.append({
            "quote_id": stable_id("quote", parsed.article_id, span.start, span.end),
            "article_id": parsed.article_id,
            "sentence_id": parsed.sentence_id_at(span.start),
            "speaker_actor_id": speaker_id,
            "speaker_surface": surface,
            "text": text[span.start:span.end],
            "kind": kind,
            "cue": cue_label,
            "start": span.start,
            "end": span.end,
        })
    return rows
