"""A sentence as the items the role shapes read: person names, states, parties and organisations (their
mentions), and folded words and punctuation; each item knows its doc tokens. The tokens of a state, party or
organisation are marked for titles.py's slots through the `role_slot` token attribute.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.nlp.actor_dictionary import ActorDictionary, name_key
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.titles import SLOT_ATTR

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
    """The article's items, one list per sentence."""
    tokens = list(parsed.doc)  # one pass over the doc: indexing it makes a new Token at every look
    # A doc marked for the first time holds the default '' everywhere: only the slots need writing then.
    marked_before = parsed.doc.user_data.setdefault(MARKED, False)
    parsed.doc.user_data[MARKED] = True
    n = len(tokens)
    idx = [token.idx for token in tokens]
    by_start = {m["start"]: m for m in mentions if m["article_id"] == parsed.article_id}
    bounds = [(s.start, s.end) for s in parsed.sentences] or [(0, len(parsed.text))]
    kinds = {"person": "name", "state": "country"}
    out: list[list[Item]] = []
    t = 0
    for s_start, s_end in bounds:
        items: list[Item] = []
        while t < n and idx[t] < s_end:
            token = tokens[t]
            if idx[t] < s_start or token.is_space:
                t += 1
                continue
            mention = by_start.get(idx[t])
            first = t
            if mention is not None and (mention["actor_type"] != "group" or _named_party(mention, d)):
                kind = kinds.get(mention["actor_type"], "org")
                while t < n and idx[t] < mention["end"]:
                    tokens[t]._.set(SLOT_ATTR, kind)
                    t += 1
                actor = d.get(mention["actor_id"])
                affiliation = (actor.affiliation if actor is not None
                               else mention["country"] if kind == "country" else mention["name"])
                item = Item(kind, "{%s}" % kind, mention["start"], mention["end"], mention, affiliation)
            else:
                text = token.text
                if text == "-" and not token.whitespace_ and t > 0 and not tokens[t - 1].whitespace_:
                    t += 1
                    continue
                code = d.country_of(text)
                kind = "country" if code else "punct" if token.is_punct else "word"
                item = Item(kind, "{country}" if code else vocab.word(text), idx[t], idx[t] + len(text), None, code)
                if code or marked_before:
                    token._.set(SLOT_ATTR, "country" if code else "")
                t += 1
            if item.kind in ("country", "org") and t < n and tokens[t].text in ("'s", "\u2019s"):
                item.end = idx[t] + len(tokens[t].text)
                t += 1
            item.tokens = (first, t)
            items.append(item)
        out.append(items)
    return out
