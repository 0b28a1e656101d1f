"""Outcomes: what a round of talks produced (an issue agreed, rejected or carried out; no agreement;
a further round).

An issue (issues.yaml) is agreed when a realised agreement verb governs it ("both sides agreed to
exchange 1,000 prisoners", "the talks did manage to produce a solution for humanitarian corridors")
or it is the complement of an agreement noun ("the only agreement was to exchange prisoners"); it is
rejected when the talks ended with "no" or "without" it, made "no progress" on it, or "failed to
agree" on it; implemented when the issue is itself a past event ("prisoners were exchanged"). Plans, hopes and modals ("will address", "plans to propose")
are positions, not outcomes. Cue words are in stances.yaml under `outcomes`.
"""
from __future__ import annotations

import bisect
import functools
import re

from spacy.attrs import LOWER

from pipeline.ids import stable_id
from pipeline.nlp.issues import COPULAS, SUBJECTS, cue_stance, find_issues, negated, word_forms
from pipeline.nlp.numbers import parse_number
from pipeline.nlp.outcome_cues import agreement_frame, doc_outcome_cues, signed
from pipeline.nlp.outcome_cues import lexicon as cue_lexicon
from pipeline.nlp.word_flags import positions
from pipeline.reference import load_reference

MODALS = {"will", "would", "'ll", "’ll", "could", "can", "may", "might", "should", "shall", "must"}
PERFECT = {"has", "have", "had"}
#: Immediately before an issue phrase, these words deny it ("ended with no cease-fire").
DENIAL = re.compile(r"(?<!\w)(no|without)\s+(a\s+|an\s+|any\s+)?[\"“'‘]?$", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _lexicon() -> dict:
    lex = load_reference("stances")["outcomes"]
    extra = {"agreement_verbs": load_reference("outcomes")["agreement_verbs"]}
    forms = {key: frozenset(f for w in [*lex[key], *extra.get(key, ())] for f in word_forms(w))
             for key in ("agreement_verbs", "agreement_nouns", "ending_verbs", "result_nouns", "failure_verbs")}
    future = re.compile(r"(?<!\w)(" + "|".join(lex["future_markers"]) + r")(?!\w)", re.IGNORECASE)
    rounds = re.compile(r"(?<!\w)(" + "|".join(lex["round_phrases"]) + r")(?!\w)", re.IGNORECASE)
    phrases = re.compile(r"(?<!\w)(" + "|".join(lex["next_round_phrases"]) + r")(?!\w)", re.IGNORECASE)
    return {**forms, "future": future, "rounds": rounds, "next_round_phrases": phrases}


def realized(verb) -> bool:
    """Past or perfect and not under a modal; an infinitive counts when its governing verb does."""
    tok, words = verb, cue_lexicon()
    while True:
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in MODALS for a in auxes) or {tok.lemma_.lower(), tok.lower_} & words["unrealized_heads"]:
            return False
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in words["condition_marks"] for c in tok.children):
            return False
        if tok.dep_ == "acl" and any(d.dep_ == "det" and d.lower_ in words["hypothetical_determiners"]
                                     for d in tok.head.children):
            return False  # 'any agreement reached behind its back': no agreement was reached
        if tok.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lower_ in PERFECT for a in auxes):
            return True
        if tok.tag_ == "VBN" and not auxes:
            return True
        if tok.dep_ == "xcomp" and any(a.lower_ == "to" for a in auxes) and tok.head.i != tok.i:
            tok = tok.head
            continue
        return False


def extract_outcomes(parsed, mentions: list[dict]) -> list[dict]:
    """Outcome rows (see schemas/outcomes.py) for one parsed article.

    'No agreement' is dropped when the article reports something agreed: one agreement contradicts it.
    """
    rows: list[dict] = []
    for sentence in parsed.sentences:
        rows += _sentence_outcomes(parsed, sentence, mentions)
    if any(r["status"] == "agreed" and r["outcome_type"] != "next_round" for r in rows):
        rows = [r for r in rows if r["outcome_type"] != "no_agreement"]
    return rows


def _sentence_outcomes(parsed, sentence, mentions: list[dict]) -> list[dict]:
    lex = _lexicon()
    span = parsed.sentence_span(sentence)
    if span is None:
        return []
    ending_at, results_at = _word_positions(parsed)
    ending = bisect.bisect_left(ending_at, span.start) < bisect.bisect_left(ending_at, span.end)
    rows: dict[str, dict] = {}
    cues = doc_outcome_cues(parsed)
    issues = find_issues(parsed, sentence, mentions)
    for match in sorted(_merged(issues, cues.issue_matches(span)), key=lambda m: m.start):
        status = _issue_status(parsed, sentence, match, ending)
        status = _carried_status(cues, match.span, status)
        if status:
            quantity, unit = _quantity(match.span)
            _add(rows, parsed, sentence, match.issue, status, match.start, match.end, quantity, unit)
    if ending:
        covered = {t.i for m in issues for t in m.span}
        for i in results_at[bisect.bisect_left(results_at, span.start):bisect.bisect_left(results_at, span.end)]:
            tok = parsed.doc[i] if i not in covered else None
            if tok is not None and _denied(tok):
                _add(rows, parsed, sentence, "no_agreement", "rejected", *_phrase(tok))
    found = lex["rounds"].search(sentence.text)
    future = lex["future"].search(sentence.text) if found else None
    phrase = lex["next_round_phrases"].search(sentence.text)
    if found and future or phrase:
        first, last = (found, future) if found and future else (phrase, phrase)
        start, end = min(first.start(), last.start()), max(first.end(), last.end())
        _add(rows, parsed, sentence, "next_round", "agreed", sentence.start + start, sentence.start + end)
    for announced in cues.next_round_spans(span):
        _add(rows, parsed, sentence, "next_round", "agreed", announced.start_char, announced.end_char)
    return list(rows.values())


def _word_positions(parsed) -> tuple[list[int], list[int]]:
    """(tokens whose lower-case form is an ending verb, tokens whose lower-case form is a result noun), in order,
    found once per article (each sentence read the lower-case form of each of its tokens)."""
    memo = parsed.__dict__.get("_outcome_words")
    if memo is None:
        lex = _lexicon()
        memo = parsed.__dict__["_outcome_words"] = tuple(positions(parsed.doc, LOWER, lex["ending_verbs"].__contains__,
                                                                   lex["result_nouns"].__contains__))
    return memo


def _merged(issues: list, outcome_issues: list) -> list:
    """The positions' issue phrases with the outcome lexicon's: an outcome phrase that contains a phrase of its
    issue replaces it ('released 20 hostages' for 'hostages': the verb settles the status); one that adds an issue
    the sentence lacks joins; one inside another phrase or of an issue already found elsewhere is dropped."""
    kept = list(issues)
    for extra in outcome_issues:
        same = [k for k in kept if k.issue == extra.issue]
        inside = [k for k in same if extra.start <= k.start and k.end <= extra.end]
        if inside:
            kept = [k for k in kept if k not in inside] + [extra]
        elif not same and not any(k.start <= extra.start and extra.end <= k.end for k in kept):
            kept.append(extra)
    return kept


def _carried_status(cues, span, status: str | None) -> str | None:
    """What happened to the issue after it was settled: violated ('has gone unfulfilled', 'breached') or
    implemented ('the ceasefire is holding', 'took effect') when its clause says so; an agreed item of a text the
    sentence reports signed is signed."""
    if cues.in_clause("violated", span):
        return "violated"
    if cues.in_clause("implemented", span) and status in (None, "agreed", "implemented"):
        return "implemented"
    if status == "agreed" and signed(cues, span.sent):
        return "signed"
    if status == "framed":  # an item of the text: signed when the article reports the text signed
        return "signed" if signed(cues, span.doc[:]) else "agreed"
    return status


def _issue_status(parsed, sentence, match, ending: bool) -> str | None:
    lex = _lexicon()
    before = parsed.text[sentence.start:match.start]
    if ending and DENIAL.search(before):
        return "rejected"
    root = match.span.root
    cues = doc_outcome_cues(parsed)
    # 'signed the agreement': a signing word inside the phrase makes it the text itself
    if not cues.tokens["signing"].isdisjoint(range(match.span.start, match.span.end)):
        return "signed" if signed(cues, match.span) else None
    if root.pos_ in ("VERB", "AUX") and agreement_frame(root):
        return "framed"
    for verb in (c for c in root.children if c.dep_ == "acl" and c.tag_ == "VBN" and c.lower_ in lex["agreement_verbs"]):
        # 'the prisoner exchange agreed at the start of the talks', 'the truce brokered in Putrajaya'
        return "signed" if verb.i in cues.tokens["signing"] else "agreed"
    if root.tag_ in ("VBD", "VBN") and root.dep_ not in ("amod", "compound") and realized(root):
        return "implemented"
    inside = range(match.span.start, match.span.end)
    prev, tok = root, root.head
    while tok.i not in inside:
        if tok.lower_ in lex["agreement_verbs"]:
            if not realized(tok):
                return None
            return "rejected" if negated(tok) or _failed(tok) else "agreed"
        if ending and tok.lower_ in lex["result_nouns"] and _denied(tok):
            return "rejected"  # "made no progress on a ceasefire"
        if tok.lower_ in COPULAS and prev.dep_ in ("attr", "xcomp") and realized(tok) and any(
                c.dep_ in SUBJECTS and c.lower_ in lex["agreement_nouns"] and not _denied(c) for c in tok.children):
            return "agreed"
        if tok.lemma_.lower() in cue_lexicon()["process_verbs"] or tok.pos_ == "NOUN" and _denied(tok):
            return None  # 'teams to negotiate an end to the fighting', 'no requirement for recognition'
        if tok.pos_ in ("VERB", "AUX") and agreement_frame(tok):
            return "framed"  # 'under the agreement, fighters will hand over their weapons', 'the deal includes'
        if cue_stance(tok):
            return None  # a side's demand, proposal or refusal: a position, not an outcome
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in cue_lexicon()["clause_marks"]
                                       for c in tok.children):
            return None  # a clause of time, condition or contrast is another event: 'until a government is formed'

        if tok.head.i == tok.i:
            break
        prev, tok = tok, tok.head
    return None


def _failed(verb) -> bool:
    """'failed to agree', 'it was not possible to reach': a governing verb of failure, or a negated one."""
    tok = verb
    while tok.dep_ == "xcomp" and tok.head.i != tok.i:
        tok = tok.head
        if tok.lower_ in _lexicon()["failure_verbs"] or negated(tok):
            return True
    return False


def _denied(noun) -> bool:
    """'no results', 'without progress', 'results were not achieved'."""
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        return True
    if noun.head.lower_ == "without" and noun.dep_ == "pobj":
        return True
    return noun.dep_ in SUBJECTS and any(c.dep_ == "neg" for c in noun.head.children)


def _phrase(noun) -> tuple[int, int]:
    words = [noun, *(c for c in noun.children if c.i < noun.i and c.dep_ in ("det", "amod", "neg"))]
    if noun.dep_ == "pobj":
        words.append(noun.head)
    return min(t.idx for t in words), noun.idx + len(noun)


def _quantity(span) -> tuple[float | None, str | None]:
    """A number in the issue phrase or in its 'of' complement ('the bodies of 6,000 soldiers')."""
    candidates = list(span)
    for tok in span:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                candidates += [t for t in prep.subtree]
    for tok in candidates:
        if tok.like_num and tok.dep_ == "nummod":
            words = [t for t in tok.subtree if t.like_num or t.lower_ in ("and", "a")] or [tok]
            value = parse_number(" ".join(t.text for t in words)) or parse_number(tok.text)
            if value is not None:
                return value, tok.head.lower_
    return None, None


def _add(rows: dict, parsed, sentence, outcome_type: str, status: str, start: int, end: int,
         quantity: float | None = None, unit: str | None = None) -> None:
    if outcome_type in rows:
        return
    rows[outcome_type] = {
        "outcome_id": stable_id("outcome", parsed.article_id, start, end, outcome_type, status),
        "round_id": None,
        "outcome_type": outcome_type,
        "status": status,
        "quantity": quantity,
        "quantity_unit": unit,
        "article_id": parsed.article_id,
        "sentence_id": sentence.sentence_id,
        "start": start,
        "end": end,
    }
