"""The fact building functions issue 18's speed-up rewrote, as they were before it (main at 6375042): the oracle
that tests/test_facts_same_rows.py compares the faster code with. Functions it left unchanged are imported from the
pipeline rather than copied. Not used by the pipeline."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.ids import stable_id
from _fact_scopes_before import CONFLICT_TOLERANCE as TOLERANCE
from _fact_scopes_before import article_dates, negotiations, thing_ids
# Unchanged by issue 18's speed work: the oracle uses the pipeline's own (identical) functions.
from pipeline.resolve.facts import (_column, _mentions, _with_unit, position_mentions, quote_mentions,
                                    role_mentions, round_mentions_of, sorted_facts)


def _span_ids(frame: pd.DataFrame) -> pd.Series:
    """'<article_id>:<start>-<end>' for tables whose rows have no id of their own."""
    return frame["article_id"] + ":" + frame["start"].astype(str) + "-" + frame["end"].astype(str)


def _as_text(values: pd.Series, is_date: bool) -> pd.Series:
    """Strings for comparison; dates as YYYY-MM-DD whatever type they arrive in."""
    if is_date:
        values = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d")
    return values.astype(object).where(values.notna(), None).astype(str).where(values.notna(), None)


def _number_text(values: pd.Series) -> pd.Series:
    """1000.0 -> '1000', 2.5 -> '2.5'; missing stays None."""
    whole = values.notna() & (values == values.round())
    text = values.astype(str).where(~whole, values.where(whole).round().astype("Int64").astype(str))
    return text.where(values.notna(), None)

FACT_COLUMNS = ["fact_id", "fact_type", "subject_actor_id", "round_id", "key", "value", "values", "n_mentions",
                "n_articles", "n_publishers", "n_originals", "conflict", "article_ids", "first_published"]
MENTION_COLUMNS = ["fact_id", "article_id", "start", "end", "source_table", "source_row_id", "value"]


def _none(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None, so ids and lists never carry NaN."""
    return frame.astype(object).where(frame.notna(), None)


def _fact_ids(frame: pd.DataFrame, fact_type: str, parts: list[str]) -> pd.Series:
    """stable_id over the key parts, computed once per distinct key."""
    keys = _none(frame[parts]).reset_index(drop=True)
    distinct = keys.drop_duplicates()
    distinct = distinct.assign(fact_id=[stable_id("fact", fact_type, *row) for row in distinct.itertuples(index=False)])
    return pd.Series(keys.merge(distinct, on=parts, how="left")["fact_id"].to_numpy(), index=frame.index)


def _joined(columns: list[pd.Series]) -> pd.Series:
    """Column-wise ' '.join of the non-missing values; None when all are missing."""
    text = columns[0].astype(object).where(columns[0].notna(), "").astype(str)
    for column in columns[1:]:
        text = text + " " + column.astype(object).where(column.notna(), "").astype(str)
    text = text.str.split().str.join(" ")
    return text.where(text != "", None)


def _scoped(frame: pd.DataFrame, round_mentions: pd.DataFrame, keys: list[str], value: pd.Series,
            actor_mentions: pd.DataFrame | None, dates: pd.Series | None = None) -> pd.DataFrame:
    """The rows with their negotiation, the thing they state (fact_scopes) and that thing's round as round_id."""
    known = negotiations(round_mentions, actor_mentions, dates)
    rows = frame.assign(_negotiation=frame["article_id"].map(known).fillna("article:" + frame["article_id"]),
                        _value=value)
    rows["_thing"], rows["round_id"] = thing_ids(rows, [*keys, "_negotiation"], "round_id", "_value")
    return rows


def outcome_mentions(outcomes: pd.DataFrame, round_mentions: pd.DataFrame, actor_mentions=None,
                     dates=None) -> pd.DataFrame:
    quantity = pd.to_numeric(outcomes["quantity"], errors="coerce")
    number = _number_text(quantity)
    keys = ["outcome_type", "status"]
    rows = _scoped(outcomes.assign(round_id=_column(outcomes, "round_id")), round_mentions, keys, quantity,
                   actor_mentions, dates)
    key = _joined([rows["outcome_type"], rows["status"]])
    out = _mentions(rows, "outcome", "outcomes", rows["outcome_id"], subject_actor_id=None,
                    round_id=rows["round_id"], key=key, value=_with_unit(number, rows["quantity_unit"]),
                    num=quantity)
    out["fact_id"] = _fact_ids(rows, "outcome", [*keys, "_negotiation", "_thing"])
    return out


def claim_rounds(claims: pd.DataFrame, round_mentions: pd.DataFrame) -> pd.Series:
    """The claim's own round_id, else the only round its sentence mentions (an article's other rounds say nothing
    of a number in a sentence that names none: a war's death toll belongs to no round)."""
    known = round_mentions.loc[round_mentions["round_id"].notna()]
    counts = known.groupby(["article_id", "sentence_id"])["round_id"].agg(["nunique", "first"])
    only = counts["first"].where(counts["nunique"] == 1).rename("_s")
    sentence = claims.join(only, on=["article_id", "sentence_id"])
    return _column(claims, "round_id").astype(object).where(lambda r: r.notna(), sentence["_s"])


def claim_mentions(claims: pd.DataFrame, round_mentions: pd.DataFrame, actor_mentions=None, dates=None) -> pd.DataFrame:
    value = pd.to_numeric(claims["value"], errors="coerce")
    number = _number_text(value)
    keys = ["measure", "subject_actor_id"]
    rows = claims.assign(round_id=claim_rounds(claims, round_mentions),
                         subject_actor_id=_column(claims, "subject_actor_id"))
    rows = _scoped(rows, round_mentions, keys, value, actor_mentions, dates)
    out = _mentions(rows, "claim", "claims", rows["claim_id"], subject_actor_id=rows["subject_actor_id"],
                    round_id=rows["round_id"], key=rows["measure"], value=_with_unit(number, rows["unit"]), num=value)
    out["fact_id"] = _fact_ids(rows, "claim", [*keys, "_negotiation", "_thing"])
    return out


def _mode(mentions: pd.DataFrame, column: str) -> pd.Series:
    """Per fact, the most frequent non-missing value (ties: the smallest)."""
    counts = mentions.groupby(["fact_id", column]).size().rename("_n").reset_index()
    best = counts.sort_values(["fact_id", "_n", column], ascending=[True, False, True]).drop_duplicates("fact_id")
    return best.set_index("fact_id")[column]


def _lists(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per fact_id, the column's values as a list in frame order (frame sorted by fact_id)."""
    ids = frame["fact_id"].to_numpy()
    cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    chunks = np.split(frame[column].to_numpy(), cuts) if len(ids) else []
    return pd.Series([chunk.tolist() for chunk in chunks], index=ids[np.r_[0, cuts]] if len(ids) else [], dtype=object)


def aggregate(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One facts row per fact_id from its mentions and the mentioning articles."""
    meta = articles.set_index("article_id")[["publisher", "duplicate_of", "published_date"]]
    m = mentions.join(meta, on="article_id")
    m["_source"] = m["publisher"].fillna("article:" + m["article_id"])
    m["_original"] = m["article_id"].where(m["duplicate_of"].isna())
    m["_date"] = pd.to_datetime(m["published_date"], errors="coerce")
    g = m.groupby("fact_id")
    facts = pd.DataFrame({"n_mentions": g.size(), "n_articles": g["article_id"].nunique(),
                          "n_publishers": g["_source"].nunique(), "n_originals": g["_original"].nunique()})
    facts["fact_type"], facts["round_id"] = g["fact_type"].first(), g["round_id"].first()
    for column in ("subject_actor_id", "key", "value"):
        facts[column] = _mode(m, column)
    distinct_values = m.dropna(subset=["value"]).sort_values(["fact_id", "num", "value"]).drop_duplicates(["fact_id", "value"])
    facts["values"] = _lists(distinct_values, "value").reindex(facts.index)
    facts["values"] = facts["values"].map(lambda v: v if isinstance(v, list) else [])
    articles_of = m.drop_duplicates(["fact_id", "article_id"]).sort_values(["fact_id", "article_id"])
    facts["article_ids"] = _lists(articles_of, "article_id")
    spread = g["num"].max() - g["num"].min()
    scale = np.maximum(g["num"].max().abs(), g["num"].min().abs())
    conflict = spread > TOLERANCE * scale
    for column in (c for c in m if c.startswith("cmp_")):
        conflict |= g[column].nunique() > 1
    facts["conflict"] = conflict.astype(bool)
    first = g["_date"].min()
    facts["first_published"] = first.dt.date.astype(object).where(first.notna(), None)
    facts = _none(facts.drop(columns=["values", "article_ids"])).join(facts[["values", "article_ids"]])
    counts = {c: int for c in FACT_COLUMNS if c.startswith("n_")}
    return facts.reset_index()[FACT_COLUMNS].astype({**counts, "conflict": bool})


def fact_parts(articles: pd.DataFrame, read, rounds: pd.DataFrame | None = None):
    """(facts, fact_mentions) of one source table at a time, unsorted: a fact's key includes its type, so no fact
    gathers mentions from two tables. `read(table)` gives a table (roles, positions, outcomes, claims, quotes,
    round_mentions) when its turn comes, so a step may hold one table and its mentions at a time."""
    dates = article_dates(articles)
    makers = [
        ("roles", role_mentions),
        ("positions", position_mentions),
        ("outcomes", lambda outcomes: outcome_mentions(outcomes, read("round_mentions"), read("actor_mentions"), dates)),
        ("claims", lambda claims: claim_mentions(claims, read("round_mentions"), read("actor_mentions"), dates)),
        ("quotes", quote_mentions),
        ("round_mentions", lambda round_mentions: round_mentions_of(round_mentions, rounds)),
    ]
    for name, make in makers:
        table = read(name)
        mentions = make(table) if len(table) else None
        del table
        if mentions is None or not len(mentions):
            continue
        mentions["num"] = pd.to_numeric(mentions["num"], errors="coerce") if "num" in mentions else np.nan
        yield aggregate(mentions, articles), _none(mentions[MENTION_COLUMNS]).astype({"start": int, "end": int})


MENTION_ORDER = ["fact_id", "article_id", "start", "source_row_id"]


def build_facts(articles: pd.DataFrame, roles: pd.DataFrame, positions: pd.DataFrame, outcomes: pd.DataFrame,
                claims: pd.DataFrame, quotes: pd.DataFrame, round_mentions: pd.DataFrame, rounds: pd.DataFrame | None = None,
                actor_mentions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts, fact_mentions) from every extracted table; empty tables add nothing."""
    tables = {"roles": roles, "positions": positions, "outcomes": outcomes, "claims": claims, "quotes": quotes,
              "round_mentions": round_mentions, "actor_mentions": actor_mentions}
    parts = list(fact_parts(articles, tables.__getitem__, rounds))
    if not parts:
        return pd.DataFrame(columns=FACT_COLUMNS), pd.DataFrame(columns=MENTION_COLUMNS)
    mentions = pd.concat([m for _, m in parts], ignore_index=True).sort_values(MENTION_ORDER, ignore_index=True)
    return sorted_facts([f for f, _ in parts]), mentions

