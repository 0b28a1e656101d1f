"""Positions: which side demands, proposes, offers, accepts or refuses what, on which issue.

An issue named in a sentence (issues.yaml) becomes a position only when a stance cue
(stances.yaml) governs it in the dependency parse: the cue is on the issue's chain of heads, or is
the subject of the copula whose complement holds the issue ("Ukraine's priorities are X"), or a
judgement is predicated of it ("X is unacceptable"), or a condition is set on something ("only possible
when X", "will not take effect until X" demand X). The outermost cue wins, so that "its proposals, which
contained its refusal to join NATO" is a proposal; an inner noun cue naming its own party ("accepted an
American proposal for X") is that party's position too. Who holds it: position_actors.py.
"""
from __future__ import annotations

from pipeline.ids import stable_id
from pipeline.nlp.issues import IssueMatch, find_issues, issue_settings
from pipeline.nlp.position_actors import OBJECTS, Actors, Cue, reported
from pipeline.nlp.stance_cues import (cue_stance, is_copula, lemma_in, lexicon_words, negated, self_cue,
                                      stance_lexicon)


CLAUSES = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "csubj", "parataxis", "pcomp", "appos"}


# ---------- cues ----------------------------------------------------------------------------------

def governing_cues(span) -> list[Cue]:
    """Stance cues governing an issue span, innermost first."""
    inside = range(span.start, span.end)
    # a verb naming its own issue is its innermost cue ("will never recognise X")
    cues: list[Cue] = [Cue(span.root, self_cue(span.root))] if self_cue(span.root) else []
    own_verb = span.root.head if span.root.dep_ == "dobj" else span.root
    if _refused_intention(own_verb):  # "will not give up its weapons": a negated intention is a refusal
        cues.append(Cue(own_verb, "acceptance"))  # final_stance turns the negated cue into a refusal
    if _obliged(span.root):  # "India should withdraw its troops": the issue's own verb under the modal
        cues.append(Cue(span.root, "demand", governed=True))
    prev, tok = span.root, span.root.head
    crossed = False  # an obligation counts only in the issue's own clause chain, not across a relative clause
    while tok.i not in inside:
        crossed = crossed or prev.dep_ in ("relcl", "appos", "parataxis", "advcl")
        stance = cue_stance(tok) or self_cue(tok)
        if stance and not _addressee(prev, tok):
            cues.append(Cue(tok, stance, _for_clause(tok)))
        if prev.dep_ == "advcl" and _sets_condition(prev, tok):  # a negated clause's subject sets it
            cues.append(Cue(tok, "demand", governed=True, condition=negated(tok)))
        if not crossed and not stance and _obliged(tok):
            cues.append(Cue(tok, "demand", governed=True))  # "X said Y must reach a ceasefire": X demands it
        if is_copula(tok):
            cues += [Cue(n, cue_stance(n)) for n in _clause_nouns(tok, prev)]
        cues += [Cue(a, cue_stance(a)) for a in _judgements(tok, prev)]
        # a conjoined verb that carries a stance is a predicate of its own: "rejected a ceasefire and
        # instead offered a truce" offers the truce; a plain one shares its partner's cue ("its refusal
        # to join NATO and deploy foreign bases")
        # (so is a participle clause: "rejected a truce, agreeing only to a pause" accepts the pause)
        if tok.head.i == tok.i or (cues or stance) and (tok.dep_ == "conj" and tok.tag_.startswith("VB")
                                                         or tok.dep_ == "advcl" and _own_predicate(tok)
                                                         and not _sets_condition(tok, tok.head)):
            break
        prev, tok = tok, tok.head
    return cues


def _refused_intention(verb) -> bool:
    """The issue's own verb, not a cue itself, negated under 'will'/'would' ("would not hand over X")."""
    modals = lexicon_words("intention_modals")
    return verb.pos_ == "VERB" and not cue_stance(verb) and not self_cue(verb) and negated(verb) \
        and any(c.dep_ == "aux" and c.lemma_.lower() in modals for c in verb.children)


def _own_predicate(clause) -> bool:
    """An adverbial clause that is a predicate of its own: a participle ('..., agreeing only to X') or a
    clause with its own subject ('X wants A, while the Taliban have refused B')."""
    return clause.tag_ == "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)


def _addressee(prev, cue) -> bool:
    """'urged NATO allies to impose X': the object of a cue that has its own infinitive is who is asked,
    not what is demanded."""
    return prev.dep_ == "dobj" and any(c.dep_ == "xcomp" for c in cue.children)


def relative_cues(span) -> list[Cue]:
    """A second actor's cue on the issue: in a relative clause ('a ceasefire, which the Kremlin dismissed'), or
    a cue noun in apposition to a noun on the way up ('talks on X, a long-standing demand of Belgrade')."""
    out = [Cue(c, cue_stance(c)) for c in span.root.children
           if c.dep_ == "relcl" and cue_stance(c)
           and any(o.dep_ in ("dobj", "nsubjpass") and o.tag_ == "WDT" for o in c.children)]
    prev, tok = span.root, span.root
    while True:
        out += [Cue(a, cue_stance(a)) for a in tok.children
                if a.dep_ == "appos" and a.i != prev.i and a.tag_.startswith("NN") and cue_stance(a)]
        if tok.head.i == tok.i or not (tok.tag_.startswith("NN") or tok.dep_ in ("prep", "acl")):
            return out
        prev, tok = tok, tok.head


def _for_clause(tok) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children)


def _sets_condition(clause, head) -> bool:
    """'only possible when X', 'only after X', and 'will not take effect until X' (a negated main clause)."""
    markers, restrictors = lexicon_words("condition_markers"), lexicon_words("restrictors")
    marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod", "prep")}
    restricted = any(c.lower_ in restrictors for t in (clause, head) for c in t.children if c.dep_ == "advmod")
    if marks & markers and restricted:
        return True
    return bool(marks & lexicon_words("negated_condition_markers")) and negated(head)


def _obliged(verb) -> bool:
    """A verb under 'must'/'should' inside what a verb of saying reports."""
    modals = lexicon_words("obligation_modals")
    return verb.dep_ in ("ccomp", "conj") and not negated(verb) and any(c.dep_ == "aux" and c.lower_ in modals for c in verb.children) \
        and reported(verb)


def _judgements(verb, came_from) -> list:
    """A cue predicated of the issue: 'X is unacceptable', 'would regard X as unacceptable', 'made X his demand'."""
    out = []
    naming = lemma_in(verb, "naming_verbs")
    for child in verb.children:
        if child.i == came_from.i:
            continue
        if naming and came_from.dep_ == "dobj" and child.dep_ in ("dobj", "oprd", "attr") \
                and child.tag_.startswith("NN") and cue_stance(child):
            out.append(child)
        if child.dep_ in ("acomp", "oprd") and child.pos_ == "ADJ" and cue_stance(child):
            out.append(child)
        if child.dep_ == "prep" and child.lower_ == "as":
            out += [g for g in child.children if g.dep_ in ("pobj", "amod", "acomp") and g.pos_ == "ADJ"
                    and cue_stance(g)]
    return out


def _clause_nouns(copula, came_from) -> list:
    """Noun cues in the copula's own clause ('Ukraine's priorities are ...', 'clear with their aim: ...')."""
    out, queue = [], [c for c in copula.children if c.i != came_from.i and c.dep_ not in CLAUSES]
    while queue:
        tok = queue.pop(0)
        if tok.tag_.startswith("NN") and cue_stance(tok):
            out.append(tok)
        queue += [c for c in tok.children if c.dep_ not in CLAUSES]
    return out


def final_stance(cue: Cue, issue: str) -> str:
    lex = stance_lexicon()
    if cue.governed:
        stance = "demand"
    elif negated(cue.token):
        stance = lex["negated"][cue.stance]
    else:
        stance = cue.stance
    if stance == "acceptance" and any(c.dep_ == "xcomp" and lemma_in(c, "giving_verbs") for c in cue.token.children):
        stance = "offer"
    if stance == "demand" and issue in issue_settings()[1]:
        stance = "proposal"
    return stance


# ---------- rows ----------------------------------------------------------------------------------

def extract_positions(parsed, mentions: list[dict], roles: list[dict] | None = None,
                      quotes: list[dict] | None = None) -> list[dict]:
    """Position rows (see schemas/positions.py) for one parsed article; `roles` give a person of no known
    country the side of their office, `quotes` the speaker behind a 'we' or 'our' they quote."""
    actors = Actors(parsed, mentions, roles, quotes)
    rows: list[dict] = []
    for sentence in parsed.sentences:
        rows += _sentence_positions(parsed, sentence, actors)
    return rows


def _sentence_positions(parsed, sentence, actors: Actors) -> list[dict]:
    rows: dict[tuple, dict] = {}
    by_cue: dict[int, list[IssueMatch]] = {}
    for match in find_issues(parsed, sentence, actors.mentions):
        cues = governing_cues(match.span)
        for n, cue in enumerate(reversed(cues)):
            actor = actors.actor(cue)
            if actor is not None:
                by_cue.setdefault(cue.token.i, []).append(match)
                _add(rows, parsed, sentence, cue, match, actor)
                # "Kyiv accepted an American proposal for X": an inner noun cue naming its own party
                for inner in cues[:len(cues) - n - 1]:
                    own = actors.own(inner.token)
                    if own is not None and own["country"] != actor["country"]:
                        _add(rows, parsed, sentence, inner, match, own)
                break
            joint = actors.parties(cue)
            for party in joint:
                _add(rows, parsed, sentence, cue, match, party)
            if joint:
                break
        for cue in relative_cues(match.span):
            actor = actors.actor(cue)
            if actor is not None:
                _add(rows, parsed, sentence, cue, match, actor)
    for tok in _elliptical_cues(parsed, sentence, by_cue):
        cue = Cue(tok, cue_stance(tok))
        actor = actors.actor(cue)
        if actor is not None:
            for match in by_cue[tok.head.i]:
                _add(rows, parsed, sentence, cue, match, actor)
    return list(rows.values())


def _elliptical_cues(parsed, sentence, by_cue: dict) -> list:
    """'X pushed for a ceasefire, but Russia didn't agree': a bare conjoined cue takes its partner's issues."""
    if not by_cue:  # every elliptical cue hangs on a cue of the sentence
        return []
    span = parsed.sentence_span(sentence)
    return [t for t in (span if span is not None else ())
            if t.dep_ == "conj" and t.head.i in by_cue and t.i not in by_cue and cue_stance(t)
            and not any(c.dep_ in OBJECTS for c in t.children)]


def _add(rows: dict, parsed, sentence, cue: Cue, match: IssueMatch, actor: dict) -> None:
    stance = final_stance(cue, match.issue)
    key = (actor["actor_id"], match.issue, stance)
    if key in rows:
        return
    tok = cue.token
    start, end = min(tok.idx, match.start), max(tok.idx + len(tok), match.end)
    rows[key] = {
        "position_id": stable_id("position", parsed.article_id, start, end, match.issue, stance, actor["actor_id"]),
        "round_id": None,
        "actor_id": actor["actor_id"],
        "side": actor["country"],
        "stance": stance,
        "issue": match.issue,
        "article_id": parsed.article_id,
        "sentence_id": sentence.sentence_id,
        "start": start,
        "end": end,
        "cue": tok.text,
    }
