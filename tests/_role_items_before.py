"""role_items.sentence_items as it was before the issue-18 speed-up (a Token per token, marks through Token._):
the oracle tests/test_role_speedups.py holds the fast version to."""
from __future__ import annotations

from pipeline.nlp.role_items import MARKED, Item, _named_party
from pipeline.nlp.titles import SLOT_ATTR


def sentence_items_before(parsed, mentions: list[dict], vocab, d) -> list[list[Item]]:
    tokens = list(parsed.doc)
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
