"""facts and fact_mentions: each statement once, with every article that makes it.

Every extracted row (a role, position, outcome, claim, quote or round mention) becomes a mention of
one fact. The fact's key decides which mentions are the same statement:

| fact_type | key parts | value | conflict when |
|---|---|---|---|
| role | actor_id, role words (order and 'of/the' ignored) | affiliation | affiliations differ |
| position | side, stance, issue, round_id | stance | never (stance is in the key) |
| outcome | negotiation, thing, outcome_type, status | quantity and unit | quantities differ (> 1 %) |
| claim | negotiation, thing, measure, subject_actor_id | value and unit | values differ (> 1 %) |
| quote | speaker_actor_id, normalised text | quote text | never |
| round | round_id | date and city a mention gives | dates, cities or countries differ |

Claims and outcomes never merge across negotiations, nor across two known rounds, nor when one article gives
two figures; figures of different articles join when close. A negotiation joins articles through the rounds they
mention and their two principal parties (resolve/fact_scopes.py says how). A claim's round is
its own round_id, else the one round its sentence mentions. Quotes are keyed on folded tokens (case, accents,
punctuation and quote marks dropped) and, per speaker, a quote whose tokens contain another's (3 tokens or more)
or share token Jaccard >= 0.6 with it is the same quotation; the longest version names the fact.
Role mentions without actor_id and round mentions without round_id are skipped.

fact_id = stable_id("fact", fact_type, *key parts): content-derived, so adding an article changes
only the facts it mentions. Support counts: n_articles counts an article once however often it
repeats the fact; n_originals skips articles with duplicate_of set; n_publishers counts an article
without a publisher as its own source.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ids import fold, stable_id
from pipeline.publish.arrow import read_frame
from pipeline.resolve.fact_scopes import article_dates, negotiations, thing_ids
from pipeline.resolve.fact_support import FACT_COLUMNS, aggregate
from pipeline.resolve.fact_support import none as _none
from pipeline.resolve.fact_texts import as_text, looked_up, number_text, span_ids

QUOTE_JACCARD = 0.6
MIN_CONTAINED_TOKENS = 3
ROLE_FILLER = frozenset({"a", "an", "the", "of"})
ROUND_FACETS = ("date_start", "city", "country")
WORD = re.compile(r"\w+")
QUOTE_MARKS = re.compile(r"['\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb`]")

MENTION_COLUMNS = ["fact_id", "article_id", "start", "end", "source_table", "source_row_id", "value"]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or all None when the table does not have it."""
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def _fact_ids(frame: pd.DataFrame, fact_type: str, parts: list[str]) -> pd.Series:
    """stable_id over the key parts, computed once per distinct key (missing parts as None)."""
    keys = _none(frame[parts])
    group = keys.groupby(parts, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    ids = np.array([stable_id("fact", fact_type, *row) for row in keys.iloc[first].itertuples(index=False)] or [""],
                   dtype=object)
    return pd.Series(ids[group], index=frame.index, dtype=object)


def _joined(columns: list[pd.Series]) -> pd.Series:
    """Column-wise ' '.join of the non-missing values (whitespace collapsed); None when all are missing. Each
    distinct combination of values is joined once."""
    codes, texts = [], []
    combination = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        code, unique = pd.factorize(column.astype(object).where(column.notna(), "").astype(str))
        combination = pd.factorize(combination * max(1, len(unique)) + code)[0]
        codes.append(code)
        texts.append(np.asarray(unique, dtype=object))
    _, first = np.unique(combination, return_index=True)
    joined = [" ".join(" ".join(parts).split()) or None for parts in zip(*(t[c[first]] for t, c in zip(texts, codes)))]
    return pd.Series(np.array(joined, dtype=object)[combination], index=columns[0].index, dtype=object)


def _with_unit(number: pd.Series, unit: pd.Series) -> pd.Series:
    return _joined([number, unit]).where(number.notna(), None)

def _mentions(frame: pd.DataFrame, fact_type: str, source_table: str, row_ids: pd.Series, **columns) -> pd.DataFrame:
    return pd.DataFrame({"fact_type": fact_type, "article_id": frame["article_id"], "start": frame["start"],
                         "end": frame["end"], "source_table": source_table, "source_row_id": row_ids, **columns})


def role_words(role: str) -> str:
    """'Head of the delegation' and 'delegation head' -> 'delegation head'."""
    return " ".join(sorted(set(WORD.findall(fold(role))) - ROLE_FILLER))


def role_mentions(roles: pd.DataFrame) -> pd.DataFrame:
    rows = roles.loc[roles["actor_id"].notna() & roles["role"].notna()]
    distinct = pd.Series(rows["role"].unique())
    words = rows["role"].map(dict(zip(distinct, distinct.map(role_words))))
    text = rows["role"].map(dict(zip(distinct, distinct.map(lambda r: " ".join(WORD.findall(fold(r)))))))
    rows = rows.assign(_words=words).loc[words != ""]
    out = _mentions(rows, "role", "roles", span_ids(rows), subject_actor_id=rows["actor_id"], round_id=None,
                    key=text[rows.index], value=rows["affiliation"], cmp_affiliation=rows["affiliation"])
    out["fact_id"] = _fact_ids(rows, "role", ["actor_id", "_words"])
    return out


def position_mentions(positions: pd.DataFrame) -> pd.DataFrame:
    parts = ["side", "stance", "issue", "round_id"]
    key = _joined([positions["side"], positions["stance"], positions["issue"]])
    out = _mentions(positions, "position", "positions", positions["position_id"],
                    subject_actor_id=positions["actor_id"], round_id=positions["round_id"], key=key,
                    value=positions["stance"])
    out["fact_id"] = _fact_ids(positions, "position", parts)
    return out


def _scoped(frame: pd.DataFrame, keys: list[str], value: pd.Series, known: pd.Series) -> pd.DataFrame:
    """The rows with their negotiation (`known`: article_id -> negotiation, fact_scopes.negotiations), the thing
    they state (fact_scopes) and that thing's round as round_id."""
    rows = frame.assign(_negotiation=frame["article_id"].map(known).fillna("article:" + frame["article_id"]),
                        _value=value)
    rows["_thing"], rows["round_id"] = thing_ids(rows, [*keys, "_negotiation"], "round_id", "_value")
    return rows


def outcome_mentions(outcomes: pd.DataFrame, round_mentions: pd.DataFrame, actor_mentions=None,
                     dates=None, known: pd.Series | None = None) -> pd.DataFrame:
    """Outcome mentions; `known` (the negotiations, when made already) spares recomputing them."""
    known = negotiations(round_mentions, actor_mentions, dates) if known is None else known
    quantity = pd.to_numeric(outcomes["quantity"], errors="coerce")
    number = number_text(quantity)
    keys = ["outcome_type", "status"]
    rows = _scoped(outcomes.assign(round_id=_column(outcomes, "round_id")), keys, quantity, known)
    key = _joined([rows["outcome_type"], rows["status"]])
    out = _mentions(rows, "outcome", "outcomes", rows["outcome_id"], subject_actor_id=None,
                    round_id=rows["round_id"], key=key, value=_with_unit(number, rows["quantity_unit"]),
                    num=quantity)
    out["fact_id"] = _fact_ids(rows, "outcome", [*keys, "_negotiation", "_thing"])
    return out


def claim_rounds(claims: pd.DataFrame, round_mentions: pd.DataFrame) -> pd.Series:
    """The claim's own round_id, else the only round its sentence mentions (an article's other rounds say nothing
    of a number in a sentence that names none: a war's death toll belongs to no round)."""
    keys = ["article_id", "sentence_id"]
    known = round_mentions.loc[round_mentions["round_id"].notna(), [*keys, "round_id"]]
    known = known.dropna(subset=keys).drop_duplicates()
    only = known.loc[~known.duplicated(keys, keep=False)]  # the sentences naming one round
    sentence = looked_up(claims[keys], only[keys], only["round_id"].to_numpy(dtype=object))
    return _column(claims, "round_id").astype(object).where(lambda r: r.notna(), pd.Series(sentence, index=claims.index))


def claim_mentions(claims: pd.DataFrame, round_mentions: pd.DataFrame, actor_mentions=None, dates=None,
                   known: pd.Series | None = None) -> pd.DataFrame:
    """Claim mentions; `known` (the negotiations, when made already) spares recomputing them."""
    known = negotiations(round_mentions, actor_mentions, dates) if known is None else known
    value = pd.to_numeric(claims["value"], errors="coerce")
    number = number_text(value)
    keys = ["measure", "subject_actor_id"]
    rows = claims.assign(round_id=claim_rounds(claims, round_mentions),
                         subject_actor_id=_column(claims, "subject_actor_id"))
    rows = _scoped(rows, keys, value, known)
    out = _mentions(rows, "claim", "claims", rows["claim_id"], subject_actor_id=rows["subject_actor_id"],
                    round_id=rows["round_id"], key=rows["measure"], value=_with_unit(number, rows["unit"]), num=value)
    out["fact_id"] = _fact_ids(rows, "claim", [*keys, "_negotiation", "_thing"])
    return out


def quote_text(text: str) -> str:
    """Folded word tokens, quote marks and apostrophes dropped: “Don't” and "dont" agree."""
    return " ".join(WORD.findall(QUOTE_MARKS.sub("", fold(text))))


def same_quote(shorter: set[str], longer: set[str]) -> bool:
    if len(shorter) >= MIN_CONTAINED_TOKENS and shorter <= longer:
        return True
    return len(shorter & longer) >= QUOTE_JACCARD * len(shorter | longer)


def quote_versions(texts: list[str]) -> dict[str, str]:
    """Each normalised quote text -> the longest version of the same quotation.

    Longest first; a text is compared only with longer texts sharing one of its rarest tokens (prefix
    filtering), which finds every containment and every pair at token Jaccard >= 0.6.
    """
    texts = sorted(set(texts), key=lambda t: (-len(t.split()), t))
    tokens = [set(t.split()) for t in texts]
    rarity = Counter(token for toks in tokens for token in toks)
    postings: dict[str, list[int]] = defaultdict(list)
    root = list(range(len(texts)))
    for i, toks in enumerate(tokens):
        prefix = sorted(toks, key=lambda w: (rarity[w], w))[: len(toks) - math.ceil(QUOTE_JACCARD * len(toks)) + 1]
        matches = [root[j] for j in sorted({j for w in prefix for j in postings[w]}) if same_quote(toks, tokens[j])]
        if matches:
            root[i] = min(matches)
        for w in toks:
            postings[w].append(i)
    return {text: texts[r] for text, r in zip(texts, root)}


def quote_mentions(quotes: pd.DataFrame) -> pd.DataFrame:
    distinct = pd.Series(quotes["text"].dropna().unique(), dtype=object)
    norm = quotes["text"].map(dict(zip(distinct, distinct.map(quote_text))))
    rows = quotes.assign(_norm=norm).loc[norm.fillna("") != ""]
    versions = pd.concat([
        pd.DataFrame({"_norm": list(mapping), "_version": list(mapping.values()), "speaker_actor_id": speaker})
        for speaker, group in rows.groupby("speaker_actor_id", dropna=False)["_norm"]
        for mapping in [quote_versions(group.tolist())]
    ]) if len(rows) else pd.DataFrame(columns=["_norm", "_version", "speaker_actor_id"])
    rows = _none(rows).merge(_none(versions), on=["speaker_actor_id", "_norm"], how="left").set_index(rows.index)
    out = _mentions(rows, "quote", "quotes", rows["quote_id"], subject_actor_id=rows["speaker_actor_id"],
                    round_id=None, key=rows["_version"], value=rows["text"])
    out["fact_id"] = _fact_ids(rows, "quote", ["speaker_actor_id", "_version"])
    return out


def round_mentions_of(round_mentions: pd.DataFrame, rounds: pd.DataFrame | None) -> pd.DataFrame:
    rows = round_mentions.loc[round_mentions["round_id"].notna()]
    facets = {c: rows[c] for c in ROUND_FACETS if c in rows}
    if not facets and rounds is not None:
        known = rounds.set_index("round_id")
        facets = {c: rows["round_id"].map(known[c]) for c in ("date_start", "city") if c in known}
    said = {c: as_text(v, c == "date_start") for c, v in facets.items()}
    value = _joined(list(said.values())) if said else None
    compared = {f"cmp_{c}": v for c, v in said.items() if c in round_mentions}
    out = _mentions(rows, "round", "round_mentions", span_ids(rows), subject_actor_id=None,
                    round_id=rows["round_id"], key=rows["round_id"], value=value, **compared)
    out["fact_id"] = _fact_ids(rows, "round", ["round_id"])
    return out


# The columns fact building reads of each table: a step loads only these.
COLUMNS_READ = {
    "articles": ["article_id", "publisher", "duplicate_of", "published_date"],
    "roles": ["article_id", "start", "end", "actor_id", "role", "affiliation"],
    "positions": ["article_id", "start", "end", "side", "stance", "issue", "round_id", "actor_id", "position_id"],
    "outcomes": ["article_id", "start", "end", "quantity", "quantity_unit", "round_id", "outcome_type", "status",
                 "outcome_id"],
    "claims": ["article_id", "sentence_id", "start", "end", "value", "unit", "measure", "round_id",
               "subject_actor_id", "claim_id"],
    "quotes": ["article_id", "start", "end", "text", "speaker_actor_id", "quote_id"],
    "round_mentions": ["article_id", "start", "end", "round_id", *ROUND_FACETS],
    "rounds": ["round_id", "date_start", "city"],
    "actor_mentions": ["article_id", "country", "actor_type"],  # the parties that scope claims and outcomes
}


MENTIONED = ["roles", "positions", "outcomes", "claims", "quotes", "round_mentions"]  # tables whose rows are mentions
READ = [*MENTIONED, "actor_mentions"]  # the tables fact building reads as files
SCOPE_READ = {"round_mentions": ["article_id", "sentence_id", "round_id"],  # what scoping reads of the tables
              "actor_mentions": COLUMNS_READ["actor_mentions"]}


def _frame(table: pd.DataFrame | pa.Table, with_round: bool = False) -> pd.DataFrame:
    """A table as `read` gave it (a DataFrame, or an Arrow table a step read from its file) as a DataFrame;
    `with_round`: only its rows with a round_id, chosen in Arrow before the rest is converted."""
    if isinstance(table, pa.Table):
        return read_frame(table.filter(pc.is_valid(table["round_id"])) if with_round else table)
    return table.loc[table["round_id"].notna()] if with_round else table


def fact_parts(articles: pd.DataFrame, read, rounds: pd.DataFrame | None = None):
    """(facts, fact_mentions) of one source table at a time, unsorted: a fact's key includes its type, so no fact
    gathers mentions from two tables. `read(table, columns)` gives a table (roles, positions, outcomes, claims,
    quotes, round_mentions, actor_mentions; a DataFrame or an Arrow table) with those of `columns` it has, when its
    turn comes, so a step holds one table and its mentions at a time. The negotiations that scope outcomes and
    claims are made once, from the round mentions' ids and the actor mentions (counted in Arrow when they come as
    Arrow), and dropped after the claims."""
    dates = article_dates(articles)
    scope: dict = {}

    def scoped() -> tuple[pd.DataFrame, pd.Series]:
        if not scope:
            scope["round_mentions"] = known = _frame(read("round_mentions", SCOPE_READ["round_mentions"]), True)
            scope["known"] = negotiations(known, read("actor_mentions", SCOPE_READ["actor_mentions"]), dates)
        return scope["round_mentions"], scope["known"]

    def outcomes(table: pd.DataFrame) -> pd.DataFrame:
        round_mentions, known = scoped()
        return outcome_mentions(table, round_mentions, known=known)

    def claims(table: pd.DataFrame) -> pd.DataFrame:
        round_mentions, known = scoped()
        return claim_mentions(table, round_mentions, known=known)

    makers = [("roles", role_mentions), ("positions", position_mentions), ("outcomes", outcomes),
              ("claims", claims), ("quotes", quote_mentions),
              ("round_mentions", lambda round_mentions: round_mentions_of(round_mentions, rounds))]
    for name, make in makers:
        # (round mentions without a round_id make no fact: they are never taken to pandas)
        table = _frame(read(name, COLUMNS_READ[name]), with_round=name == "round_mentions")
        mentions = make(table) if len(table) else None
        del table
        if name == "claims":
            scope.clear()  # the last table scoped
        if mentions is None or not len(mentions):
            continue
        mentions["num"] = pd.to_numeric(mentions["num"], errors="coerce") if "num" in mentions else np.nan
        facts = aggregate(mentions, articles)
        mentions = _none(mentions[MENTION_COLUMNS]).astype({"start": int, "end": int})
        yield facts, mentions
        del facts, mentions  # not held while the next table is read and resolved


def sorted_facts(facts: list[pd.DataFrame]) -> pd.DataFrame:
    if not facts:
        return pd.DataFrame(columns=FACT_COLUMNS)
    return pd.concat(facts, ignore_index=True).sort_values("fact_id", ignore_index=True)


MENTION_ORDER = ["fact_id", "article_id", "start", "source_row_id"]


def build_facts(articles: pd.DataFrame, roles: pd.DataFrame, positions: pd.DataFrame, outcomes: pd.DataFrame,
                claims: pd.DataFrame, quotes: pd.DataFrame, round_mentions: pd.DataFrame, rounds: pd.DataFrame | None = None,
                actor_mentions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts, fact_mentions) from every extracted table; empty tables add nothing."""
    tables = {"roles": roles, "positions": positions, "outcomes": outcomes, "claims": claims, "quotes": quotes,
              "round_mentions": round_mentions, "actor_mentions": actor_mentions}
    parts = list(fact_parts(articles, lambda name, columns: tables[name], rounds))
    if not parts:
        return pd.DataFrame(columns=FACT_COLUMNS), pd.DataFrame(columns=MENTION_COLUMNS)
    mentions = pd.concat([m for _, m in parts], ignore_index=True).sort_values(MENTION_ORDER, ignore_index=True)
    return sorted_facts([f for f, _ in parts]), mentions

