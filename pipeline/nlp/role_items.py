"""A sentence as the items the role shapes read: person names, states, parties and organisations (their
mentions), and folded words and punctuation; each item knows its doc tokens. The tokens of a state, party or
organisation are marked for titles.py's slots through the `role_slot` token attribute (written where Token._ keeps
it). The tokens' attributes are read as columns (token_columns.py), a word's item worked out once per text, and
sentences that name no person are passed over (roles need a person).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from pipeline.nlp.actor_dictionary import ActorDictionary, name_key
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.titles import slot_key
from pipeline.nlp.token_columns import token_columns

#: What an item of a state or party takes in after it ("Russia's").
POSSESSIVES = ("'s", "\u2019s")
#: doc.user_data key: the doc's tokens have been marked for titles.py's slots before.
MARKED = "parley.role_slots_marked"


@dataclass
class Item:
    kind: str              # name, org, country, word, punct
    key: str               # what vocabularies match: a folded word, ',' or a slot
    start: int
    end: int
    mention: dict | None = None
    affiliation: str | None = None
    tokens: tuple[int, int] = (0, 0)  # the doc tokens it covers [start, end)


def _named_party(mention: dict, d: ActorDictionary) -> bool:
    """A non-state party named as such ('the Taliban', 'Hamas'), not a state's officials ('Russian officials')."""
    actor = d.get(mention["actor_id"])
    return actor is not None and actor.actor_type == "group" and d.state(actor.country or "") is None \
        and name_key(mention["surface"]) in {name_key(a) for a in (actor.name, *actor.aliases)}


def sentence_items(parsed: ParsedArticle, mentions: list[dict], vocab, d: ActorDictionary) -> list[list[Item]]:
    """The article's items, one list per sentence; none in a sentence that names no person."""
    doc = parsed.doc
    columns = token_columns(doc)  # plain lists: indexing the doc makes a new Token at every look
    texts, idx, has_space, is_space = columns.text, columns.idx, columns.has_space, columns.is_space
    is_punct = columns.is_punct
    memos = _words(vocab, d)  # [not punctuation, punctuation]: {text: (kind, key, code)}
    marks = doc.user_data  # where Token._.set would write the slot marks (slot_key), without a Token per write
    # A doc marked for the first time holds the default '' everywhere: only the slots need writing then.
    marked_before = marks.setdefault(MARKED, False)
    marks[MARKED] = True
    n = len(texts)
    by_start = {m["start"]: m for m in mentions if m["article_id"] == parsed.article_id}
    bounds = [(s.start, s.end) for s in parsed.sentences] or [(0, len(parsed.text))]
    kinds = {"person": "name", "state": "country"}
    # Roles need a person: a sentence where no person is mentioned gets no items, and its tokens no marks (no title
    # found there is read). The walk jumps over it when that cannot move where the next sentence's walk starts:
    # no mention runs past its end, and no possessive follows it (a country's or party's item takes that in).
    person_starts = sorted(m["start"] for m in by_start.values() if m["actor_type"] == "person")
    spans = sorted((m["start"], m["end"]) for m in by_start.values())
    starts, ends = [start for start, _ in spans], [end for _, end in spans]
    out: list[list[Item]] = []
    t = 0
    for s_start, s_end in bounds:
        items: list[Item] = []
        if not _any_within(person_starts, s_start, s_end):
            stop = bisect.bisect_left(idx, s_end, t)
            first, last = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
            if not (stop < n and texts[stop] in POSSESSIVES) and max(ends[first:last], default=s_end) <= s_end:
                t = stop
                out.append(items)
                continue
        while t < n and idx[t] < s_end:
            if idx[t] < s_start or is_space[t]:
                t += 1
                continue
            mention = by_start.get(idx[t])
            first = t
            if mention is not None and (mention["actor_type"] != "group" or _named_party(mention, d)):
                kind = kinds.get(mention["actor_type"], "org")
                while t < n and idx[t] < mention["end"]:
                    marks[slot_key(idx[t])] = kind
                    t += 1
                actor = d.get(mention["actor_id"])
                affiliation = (actor.affiliation if actor is not None
                               else mention["country"] if kind == "country" else mention["name"])
                item = Item(kind, "{%s}" % kind, mention["start"], mention["end"], mention, affiliation)
            else:
                text = texts[t]
                if text == "-" and not has_space[t] and t > 0 and not has_space[t - 1]:
                    t += 1
                    continue
                words = memos[is_punct[t]]
                word = words.get(text)
                if word is None:
                    word = _word(text, is_punct[t], vocab, d, words)
                kind, key, code = word
                item = Item(kind, key, idx[t], idx[t] + len(text), None, code)
                if code or marked_before:
                    marks[slot_key(idx[t])] = "country" if code else ""
                t += 1
            if item.kind in ("country", "org") and t < n and texts[t] in POSSESSIVES:
                item.end = idx[t] + len(texts[t])
                t += 1
            item.tokens = (first, t)
            items.append(item)
        out.append(items)
    return out


def _any_within(sorted_chars: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(sorted_chars, start)
    return i < len(sorted_chars) and sorted_chars[i] < end


#: (id of the Vocabulary, id of the ActorDictionary) -> (both, the memos of _words).
_WORD_MEMOS: dict[tuple[int, int], tuple] = {}
#: How many distinct token texts a memo remembers.
WORD_MEMO_SIZE = 262_144


def _words(vocab, d: ActorDictionary) -> list[dict[str, tuple[str, str, str | None]]]:
    """The memos of word items for this vocabulary and dictionary, one for tokens that are not punctuation and one
    for those that are (held with vocabulary and dictionary, so that their ids stay theirs)."""
    held = _WORD_MEMOS.get((id(vocab), id(d)))
    if held is None:
        held = _WORD_MEMOS[(id(vocab), id(d))] = (vocab, d, [{}, {}])
    return held[2]


def _word(text: str, is_punct: bool, vocab, d: ActorDictionary, words: dict) -> tuple[str, str, str | None]:
    """A word token's (kind, key, code): a function of its text and IS_PUNCT alone (country_of without context,
    the vocabulary's folding), so worked out once per distinct pair."""
    code = d.country_of(text)
    word = ("country" if code else "punct" if is_punct else "word", "{country}" if code else vocab.word(text), code)
    if len(words) >= WORD_MEMO_SIZE:  # a bound on memory over a long run of articles
        words.clear()
    words[text] = word
    return word
